"""A large synthetic corpus of short Arabic news articles, one .txt file each, made from the
seed articles' and the XQuAD Arabic paragraphs' sentences (no bigger real corpus is at hand).

python -m bench.corpus /tmp/big --articles 10000

Article i takes two consecutive sentences of one paragraph (which paragraph and where in it
both follow from i), a title of its own and a date line, so every article is different text
and about one passage long, like a news brief. Files go into sub-folders of 1000.
"""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path

from retrieval.chunking import split_sentences
from retrieval.documents import find_files, load_file

ROOT = Path(__file__).resolve().parent.parent
MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
XQUAD_AR = ROOT.parent / "shared" / "data" / "xquad" / "xquad.ar.json"


def paragraphs(xquad: Path = XQUAD_AR) -> list[list[str]]:
    """Sentence lists of every seed paragraph and XQuAD Arabic paragraph (3+ sentences)."""
    # the seed articles whole (their paragraphs are a sentence or two), then XQuAD's
    texts = [load_file(path)[0].text for path, _ in find_files([ROOT / "seeds"])]
    if xquad.exists():
        data = json.loads(xquad.read_text(encoding="utf-8"))["data"]
        texts += [p["context"] for article in data for p in article["paragraphs"]]
    found = []
    for text in texts:
        sentences = [s.strip() for s in split_sentences(text) if len(s.split()) >= 4]
        if len(sentences) >= 3:
            found.append(sentences)
    return found


def article(i: int, pool: list[list[str]]) -> str:
    sentences = pool[i % len(pool)]
    start = (i // len(pool)) % len(sentences)
    body = [sentences[(start + j) % len(sentences)] for j in range(2)]
    date = datetime.date(2015, 1, 1) + datetime.timedelta(days=i % 3650)
    words = body[0].split()[:8]
    title = " ".join(words).rstrip("،.:؛") + f" (نشرة {i})"
    return f"{title}\n{date.day} {MONTHS[date.month - 1]} {date.year}\n\n" + "\n".join(body) + "\n"


def write_corpus(folder: Path, count: int) -> int:
    pool = paragraphs()
    for i in range(count):
        path = folder / f"{i // 1000:03d}" / f"brief-{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(i, pool), encoding="utf-8")
    return len(pool)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("folder", type=Path)
    args.add_argument("--articles", type=int, default=10_000)
    options = args.parse_args()
    pool = write_corpus(options.folder, options.articles)
    print(f"{options.articles} articles from {pool} paragraphs written to {options.folder}")


if __name__ == "__main__":
    main()
