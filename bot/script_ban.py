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
from collections.abc import Callable, Iterable
from typing import Any

# UTF-8 lead bytes of the Arabic block (U+0600–U+06FF) and of the Arabic Supplement
# (U+0750–U+077F: 0xDD followed by 0x90–0xBF); a byte-level token may hold one letter's lead
# byte alone, and lead bytes never continue another letter.
ARABIC_BYTES = re.compile(rb"[\xd8-\xdb]|\xdd[\x90-\xbf]|\xdd$")


def writes_arabic(piece: bytes) -> bool:
    """Whether a token's bytes start (or are) an Arabic letter."""
    return bool(ARABIC_BYTES.search(piece))


def arabic_tokens(pieces: Iterable[tuple[int, bytes]]) -> list[int]:
    """The ids of the tokens, of (id, bytes) pairs, that write Arabic letters."""
    return [token for token, piece in pieces if writes_arabic(piece)]


class ScriptBan:
    """A logits processor (llama-cpp-python's shape: token ids and a numpy row of scores)
    that leaves every score as it is but those of `banned` tokens, which it takes out. Placed
    before the probabilities are noted, so the model's certainty is that of what it wrote."""

    def __init__(self, banned: list[int]) -> None:
        self.banned = banned

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import numpy as np

        scores[self.banned] = -np.inf
        return scores


def vocabulary(detokenize: Callable[[list[int]], bytes], size: int) -> Iterable[tuple[int, bytes]]:
    """Every token of a model's vocabulary with its bytes."""
    return ((token, detokenize([token])) for token in range(size))
