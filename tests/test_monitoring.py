"""Operating the server (issue 12, points 3 and 4) over real HTTP: rate limits with 429 and
Retry-After, /metrics read with Prometheus' own parser, a JSON log line per request and per
answer, and the model's line: first come, first served, with the position told."""

import json
import logging
import threading
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.generation import Turns, Waiting
from bot.texts import questions_ahead
from retrieval.indexer import Indexer
from tests.fakes import OneAtATimeEcho
from tests.server import serving
from tests.test_hostile import serve

QUESTION = "Which treaty did Putin say Moscow would suspend?"
OTHER = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"
REPLIES = {QUESTION: "The New START treaty [1].", OTHER: "بلغت 240.1 مليار دولار [1]."}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_rate_limits_per_key_and_per_address(hash_indexer: Indexer, seeds_dir: Path,
                                             tmp_path: Path) -> None:  # fmt: skip
    hash_indexer.ingest([seeds_dir])
    _, app = serve(hash_indexer, tmp_path, OneAtATimeEcho(REPLIES), api_keys="a:k1,b:k2",
                   rate_limit="3/minute", rate_limit_address="5/minute")  # fmt: skip
    with serving(app) as url:
        first = [httpx.post(f"{url}/api/ask", json={"question": QUESTION}, headers=bearer("k1"),
                            timeout=30) for _ in range(4)]  # fmt: skip
        other_key = httpx.post(f"{url}/api/ask", json={"question": QUESTION},
                               headers=bearer("k2"), timeout=30)  # fmt: skip
        other_key_again = httpx.post(f"{url}/api/ask/stream", json={"question": QUESTION},
                                     headers=bearer("k2"), timeout=30)  # fmt: skip
        health = httpx.get(f"{url}/api/health")
        articles = httpx.get(f"{url}/api/articles", headers=bearer("k1"))
    assert [r.status_code for r in first] == [200, 200, 200, 429]
    refused = first[-1]
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "try again" in refused.json()["error"]["message"]
    assert other_key.status_code == 200, "each key has its own allowance"
    assert other_key_again.status_code == 429, "and the address one of its own (5 a minute)"
    assert health.status_code == 200 and articles.status_code == 200, "only asking is limited"


def test_metrics_are_prometheus_text(hash_indexer: Indexer, seeds_dir: Path,
                                     tmp_path: Path) -> None:  # fmt: skip
    hash_indexer.ingest([seeds_dir])
    _, app = serve(hash_indexer, tmp_path, OneAtATimeEcho(REPLIES), api_keys="portal:k1")
    with serving(app) as url:
        for question in (QUESTION, OTHER):
            httpx.post(f"{url}/api/ask", json={"question": question}, headers=bearer("k1"),
                       timeout=30)  # fmt: skip
        refused = httpx.get(f"{url}/metrics")
        scraped = httpx.get(f"{url}/metrics", headers=bearer("k1"))
    assert refused.status_code == 401
    families = {f.name: f for f in text_string_to_metric_families(scraped.text)}

    def value(family: str, sample: str, **labels: str) -> float:
        return next(s.value for s in families[family].samples
                    if s.name == sample and labels.items() <= s.labels.items())  # fmt: skip

    assert value("sanad_requests", "sanad_requests_total", route="/api/ask", status="200") == 2
    assert value("sanad_answer_seconds", "sanad_answer_seconds_count") == 2
    assert value("sanad_first_token_seconds", "sanad_first_token_seconds_count") == 2
    assert value("sanad_sources_seconds", "sanad_sources_seconds_count") == 2
    assert value("sanad_answers", "sanad_answers_total", language="ar", outcome="answered") == 1
    assert value("sanad_index_articles", "sanad_index_articles") == 5
    assert value("sanad_index_passages", "sanad_index_passages") == hash_indexer.store.count()
    assert value("sanad_queue_length", "sanad_queue_length") == 0
    assert value("sanad_model_busy_seconds", "sanad_model_busy_seconds_total") > 0


@pytest.mark.parametrize("log_questions", [False, True])
def test_a_json_log_line_per_request_and_per_answer(hash_indexer: Indexer, seeds_dir: Path,
                                                    tmp_path: Path, caplog,
                                                    log_questions: bool) -> None:  # fmt: skip
    hash_indexer.ingest([seeds_dir])
    _, app = serve(hash_indexer, tmp_path, OneAtATimeEcho(REPLIES), api_keys="portal:k1",
                   log_questions=log_questions)  # fmt: skip
    caplog.set_level(logging.INFO, logger="sanad.requests")
    logging.getLogger("sanad.requests").propagate = True
    with serving(app) as url:
        response = httpx.post(
            f"{url}/api/ask",
            json={"question": QUESTION},
            headers={**bearer("k1"), "X-Request-ID": "req-42"},
            timeout=30,
        )
        time.sleep(0.2)
    records = [r for r in caplog.records if r.name == "sanad.requests"]
    request = next(r for r in records if r.event == "request" and r.path == "/api/ask")
    answer = next(r for r in records if r.event == "answer")
    assert response.headers["x-request-id"] == "req-42"
    assert (request.request_id, request.status, request.user) == ("req-42", 200, "key:portal")
    assert request.seconds > 0 and request.client == "127.0.0.1"
    assert (answer.request_id, answer.user, answer.outcome) == ("req-42", "key:portal", "answered")
    assert set(answer.timings) >= {"retrieval", "first_token", "total"}
    assert (getattr(answer, "question", None) == QUESTION) is log_questions


def test_the_models_line_is_first_come_first_served() -> None:
    turns, order, started = Turns(), [], []
    first = turns.join()

    def wait(name: str) -> None:
        ticket = turns.join()
        started.append(name)
        while turns.ahead(ticket, wait=0.2):
            pass
        order.append(name)
        turns.leave(ticket, time.monotonic())

    threads = []
    for name in "abc":
        threads.append(threading.Thread(target=wait, args=(name,)))
        threads[-1].start()
        while name not in started:
            time.sleep(0.01)
    assert turns.waiting == 3
    turns.leave(first, time.monotonic() - 1.0)
    for thread in threads:
        thread.join(timeout=5)
    assert order == ["a", "b", "c"] and turns.waiting == 0 and turns.busy_seconds >= 1.0


def test_a_queued_stream_is_told_its_position(hash_indexer: Indexer, seeds_dir: Path,
                                              tmp_path: Path) -> None:  # fmt: skip
    hash_indexer.ingest([seeds_dir])
    long = " ".join(["بلغت 240.1 مليار دولار [1]."] * 20)  # 100 words at 20 ms: 2 s
    model = OneAtATimeEcho({OTHER: long, QUESTION: "The New START treaty [1]."}, delay=0.02)
    _, app = serve(hash_indexer, tmp_path, model)
    with serving(app) as url:
        busy = threading.Thread(target=httpx.post, args=(f"{url}/api/ask",),
                                kwargs={"json": {"question": OTHER}, "timeout": 30})  # fmt: skip
        busy.start()
        while model.inside == 0:
            time.sleep(0.01)
        body = httpx.post(f"{url}/api/ask/stream", json={"question": QUESTION}, timeout=30).text
        busy.join()
    events = [block.split("\n") for block in body.strip().split("\n\n")]
    names = [lines[0].removeprefix("event: ") for lines in events]
    queue = [json.loads(lines[1][6:]) for lines in events if lines[0] == "event: queue"]
    assert names[0] == "sources" and names[1] == "queue" and names[-1] == "answer"
    assert queue == [{"ahead": 1}], "told once, while one question was ahead"
    assert names.index("queue") < names.index("token")


def test_waiting_notes_never_reach_the_text() -> None:
    model = OneAtATimeEcho({"q": "one two"})
    ticket = model.turns.join()  # someone else holds the model
    pieces = model.stream([{"role": "user", "content": "q"}])
    assert next(pieces) == Waiting(1)
    model.turns.leave(ticket)
    assert list(pieces) == ["one", " two"]
    assert model.generate([{"role": "user", "content": "q"}]) == "one two"


@pytest.mark.parametrize("count, english, arabic", [
    (1, "1 question ahead", "سؤال واحد"), (2, "2 questions", "سؤالان"),
    (3, "3 questions", "3 أسئلة"), (11, "11 questions", "11 سؤالًا"),
    (103, "103 questions", "103 أسئلة"),
])  # fmt: skip
def test_questions_ahead_in_both_languages(count, english, arabic) -> None:
    assert questions_ahead(count, "en").startswith(english)
    assert questions_ahead(count, "ar").startswith(arabic)
