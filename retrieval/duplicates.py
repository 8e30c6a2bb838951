"""Near-duplicate articles: the same wire story under another headline, with a paragraph
trimmed or a line added. MinHash signatures of word shingles, looked up with LSH (datasketch):
an article whose shingles overlap an earlier one's by `threshold` (Jaccard) or more is a copy."""

from __future__ import annotations

from datasketch import MinHash, MinHashLSH

from retrieval.arabic import normalize

SHINGLE_WORDS = 3
PERMUTATIONS = 128
# Measured on the seeds' articles (tests/test_duplicates.py): another headline and one of ~12
# paragraphs trimmed keep ≥ 0.8; two different stories on the same subject stay < 0.1.
THRESHOLD = 0.7


def shingles(text: str) -> set[bytes]:
    words = normalize(text).split()
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode()
            for i in range(len(words) - SHINGLE_WORDS + 1)}  # fmt: skip


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=PERMUTATIONS)
    minhash.update_batch(list(shingles(text)))
    return minhash


class NearDuplicates:
    """Articles seen so far, by source; `match` names the one a text is a near copy of."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        # LSH finds candidates from a lower bar, weighted against missing one (its banding
        # missed ~1 in 6 copies at 0.84 alike when set to the threshold); each candidate is
        # then measured against the threshold itself
        self._lsh = MinHashLSH(threshold=max(0.3, threshold - 0.2), num_perm=PERMUTATIONS,
                               weights=(0.2, 0.8))  # fmt: skip
        self._signatures: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, source: str, text: str) -> None:
        if source not in self._signatures and shingles(text):
            self._signatures[source] = minhash = signature(text)
            self._lsh.insert(source, minhash)

    def match(self, text: str) -> str | None:
        """The source most like `text`, when at least `threshold` alike; else None."""
        if not shingles(text):
            return None
        minhash = signature(text)
        alike = [(self._signatures[s].jaccard(minhash), s) for s in self._lsh.query(minhash)]
        best = max(alike, default=(0.0, None))
        return best[1] if best[0] >= self.threshold else None
