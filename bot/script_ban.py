"""English answers in English letters (issue 11; `SANAD_ENGLISH_LETTERS`, off by default): the
model, asked in English about Arabic passages, sometimes quotes the passage instead of
translating it ("The nickname of the logo is "النقطة" [1]"), which a reader who reads no Arabic
cannot read. A logits processor keeps the tokens that write Arabic letters out of such an
answer, so the model's next likeliest token is written instead; an answer that never reached
for an Arabic token is written exactly as before. Off by default: the quotes it prevents are
nearly always right, and what the model writes instead is mostly an unsure guess
(bench/results/reading.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

# UTF-8 lead bytes of the Arabic block (U+0600–U+06FF) and of the Arabic Supplement
# (U+0750–U+077F: 0xDD followed by 0x90–0xBF); a byte-level token may hold one letter's lead
# byte alone, and lead bytes never continue another letter.
ARABIC_BYTES = re.compile(rb"[\xd8-\xdb]|\xdd[\x90-\xbf]|\xdd$")


def writes_arabic(piece: bytes) -> bool:
    """Whether a token's bytes start (or are) an Arabic letter."""
    return bool(ARABIC_BYTES.search(piece))


def arabic_tokens(detokenize: Callable[[list[int]], bytes], size: int) -> list[int]:
    """The ids of a vocabulary's tokens (0 to size - 1, each's bytes by `detokenize`) that
    write Arabic letters."""
    return [token for token in range(size) if writes_arabic(detokenize([token]))]


class ScriptBan:
    """A logits processor (llama-cpp-python's shape: token ids and a numpy row of scores)
    that leaves every score as it is but those of `banned` tokens, which it takes out. Placed
    before the probabilities are noted, so the model's certainty is that of what it wrote."""

    def __init__(self, banned: list[int]) -> None:
        self.banned = np.asarray(banned, dtype=np.intp)  # an index array, built once

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        scores[self.banned] = -np.inf
        return scores
