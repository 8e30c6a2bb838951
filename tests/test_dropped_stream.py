"""A client that goes away in the middle of an answer must not keep the model: over real HTTP,
the dropped stream stops writing and the next question is answered at once."""

import json
import time
from pathlib import Path

import httpx

from retrieval.indexer import Indexer
from tests.fakes import OneAtATimeEcho
from tests.server import serving
from tests.test_hostile import serve

LONG = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"
NEXT = "Which treaty did Putin say Moscow would suspend?"
LONG_WORDS = 400  # at 50 ms a word: 20 s for the whole answer


def test_a_dropped_stream_frees_the_model_for_the_next_question(
    hash_indexer: Indexer, seeds_dir: Path, tmp_path: Path
) -> None:
    hash_indexer.ingest([seeds_dir])
    long_reply = " ".join(["بلغت 240.1 مليار دولار [1]."] * (LONG_WORDS // 5))
    model = OneAtATimeEcho({LONG: long_reply, NEXT: "The New START treaty [1]."}, delay=0.05)
    _, app = serve(hash_indexer, tmp_path, model)
    with serving(app) as url:
        with httpx.stream("POST", f"{url}/api/ask/stream", json={"question": LONG},
                          timeout=30) as response:  # fmt: skip
            for line in response.iter_lines():
                if line == "event: token":
                    break  # the first words arrived: the reader goes away
        dropped_at = model.words
        started = time.monotonic()
        answer = httpx.post(f"{url}/api/ask", json={"question": NEXT}, timeout=30)
        waited = time.monotonic() - started
        written = model.words
    assert answer.status_code == 200
    assert answer.json()["answer"].startswith("The New START treaty [1].")
    # the next answer (5 words at 50 ms) did not wait for the 20 s of the dropped one
    assert waited < 5, f"the next question waited {waited:.1f} s for the dropped answer"
    # the dropped answer stopped within a few words of the client leaving
    assert written - 5 - dropped_at < 20, (dropped_at, written)
    assert model.inside == 0


def test_a_stream_read_to_the_end_still_ends_with_the_answer(
    hash_indexer: Indexer, seeds_dir: Path, tmp_path: Path
) -> None:
    hash_indexer.ingest([seeds_dir])
    model = OneAtATimeEcho({NEXT: "The New START treaty [1]."}, delay=0.01)
    _, app = serve(hash_indexer, tmp_path, model)
    with serving(app) as url:
        body = httpx.post(f"{url}/api/ask/stream", json={"question": NEXT}, timeout=30).text
    last = json.loads(body.strip().split("\n\n")[-1].split("data: ", 1)[1])
    assert last["answer"].startswith("The New START treaty [1].") and model.inside == 0
