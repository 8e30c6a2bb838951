"""The note a llama.cpp stream ends with: how sure the model was of each token it wrote."""

import math

import numpy as np

from bot.generation import TokenProbabilities


def test_the_likeliest_tokens_probability_is_noted_and_the_scores_left_as_they_are() -> None:
    noted = TokenProbabilities()
    scores = np.array([0.0, math.log(3.0), -np.inf], dtype=np.float32)  # softmax: 1/4, 3/4, 0
    assert noted(np.array([1, 2], dtype=np.intc), scores) is scores
    flat = np.zeros(4, dtype=np.float32)
    noted(np.array([1], dtype=np.intc), flat)
    assert np.allclose(noted.seen, [0.75, 0.25])
