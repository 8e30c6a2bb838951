"""The HTTP API over real HTTP on loopback: JSON, server-sent events, errors, keys, CORS,
and the chat's named Gradio endpoint."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from bot.conversation import QuestionRewriter
from bot.core import Bot
from bot.feedback import FeedbackStore
from bot.library import Library
from bot.server import create_app
from bot.settings import Settings
from retrieval.indexer import Indexer
from tests.fakes import ScriptedGenerator
from tests.server import serving

AR_TRADE = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"
AR_2022 = "كم بلغت قيمة التجارة الصينية الروسية في عام 2022؟"


@contextmanager
def sanad(
    indexer: Indexer, tmp_path: Path, *replies: str, ready=None, **settings
) -> Iterator[tuple[str, ScriptedGenerator]]:
    settings = Settings(data_dir=tmp_path / "data", **settings)
    generator = ScriptedGenerator(*replies)
    from retrieval.search import HybridRetriever

    bot = Bot(HybridRetriever(store=indexer.store, k=4), generator,
              rewriter=QuestionRewriter(generator))  # fmt: skip
    library = Library(indexer.store, indexer, settings.uploads_dir)
    feedback = FeedbackStore(settings.feedback_db)
    with serving(create_app(settings, bot, library, feedback, ready)) as url:
        yield url, generator


def events_of(response: httpx.Response) -> list[tuple[str, dict]]:
    events = []
    for block in response.text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_ask_returns_the_cited_answer_as_json(seeded_indexer, tmp_path) -> None:
    with sanad(seeded_indexer, tmp_path, "بلغت 240.1 مليار دولار [1].") as (url, _):
        response = httpx.post(f"{url}/api/ask", json={"question": AR_TRADE}, timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert body["answer"] == "بلغت 240.1 مليار دولار [1]." and body["language"] == "ar"
    (citation,) = body["citations"]
    assert citation["n"] == 1 and citation["file"] == "000_479f4305cba7f61e.txt"
    assert {"doc_id", "title", "start", "end", "text", "score", "sentence"} <= set(citation)
    assert "240.1" in citation["sentence"] and body["unverified"] == []
    assert {"retrieval", "total"} <= set(body["timings"])


def test_the_stream_sends_sources_then_tokens_then_the_answer(seeded_indexer, tmp_path) -> None:
    with sanad(seeded_indexer, tmp_path, "Trade between China and Russia grew [1].") as (url, _):
        response = httpx.post(f"{url}/api/ask/stream", json={"question": "China Russia trade"},
                              timeout=30)  # fmt: skip
    assert response.headers["content-type"].startswith("text/event-stream")
    events = events_of(response)
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "sources" and kinds[-1] == "answer" and set(kinds[1:-1]) == {"token"}
    assert len(events[0][1]["sources"]) == 4 and events[0][1]["sources"][0]["n"] == 1
    text = "".join(data["text"] for kind, data in events if kind == "token")
    assert text == events[-1][1]["answer"] == "Trade between China and Russia grew [1]."
    assert all(data["draft"] for kind, data in events if kind == "token"), "checked at the end"
    assert events[-1][1]["draft"] == text and events[-1][1]["checks_failed"] == []


def test_history_makes_a_follow_up_stand_alone(seeded_indexer, tmp_path) -> None:
    history = [{"role": "user", "content": AR_TRADE},
               {"role": "assistant", "content": "بلغت 240.1 مليار دولار [1]."}]  # fmt: skip
    with sanad(seeded_indexer, tmp_path, AR_2022, "بلغت 190 مليار دولار [1].") as (url, gen):
        response = httpx.post(f"{url}/api/ask/stream", timeout=30,
                              json={"question": "وفي عام 2022؟", "history": history})  # fmt: skip
    (_, sources), *_, (_, body) = events_of(response)
    assert sources["query"] == body["query"] == AR_2022 and body["question"] == "وفي عام 2022؟"
    assert any("190 مليار دولار" in source["text"] for source in sources["sources"])
    assert AR_TRADE in gen.requests[0][-1]["content"], "the rewrite saw the history"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"question": "   "}, 422, "empty"),
        ({"question": "س" * 2001}, 413, "too_long"),
        ({"q": "where is question?"}, 422, "invalid"),
        ({"question": "ok?", "history": [{"role": "robot", "content": "x"}]}, 422, "invalid"),
        ('{"question": ', 400, "malformed"),
    ],
)
def test_bad_requests_get_a_clear_json_error(seeded_indexer, tmp_path, body, status, code) -> None:
    with sanad(seeded_indexer, tmp_path) as (url, generator):
        for path in ("/api/ask", "/api/ask/stream"):
            if isinstance(body, str):
                response = httpx.post(url + path, content=body,
                                      headers={"content-type": "application/json"})  # fmt: skip
            else:
                response = httpx.post(url + path, json=body)
            assert response.status_code == status, response.text
            error = response.json()["error"]
            assert error["code"] == code and error["message"]
    assert generator.requests == [], "nothing reached the model"


def test_health_articles_and_the_schema(seeded_indexer, tmp_path) -> None:
    ready = threading.Event()
    with sanad(seeded_indexer, tmp_path, ready=ready) as (url, _):
        loading = httpx.get(f"{url}/api/health")
        ready.set()
        health = httpx.get(f"{url}/api/health")
        articles = httpx.get(f"{url}/api/articles").json()["articles"]
        schema = httpx.get(f"{url}/openapi.json").json()
        page = httpx.get(f"{url}/")
        script = httpx.get(f"{url}/gradio.js")
    assert loading.status_code == 503 and loading.json()["status"] == "loading"
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert health.json()["articles"] == 5 and health.json()["passages"] > 5
    assert len(articles) == 5 and articles[0]["file"] == "000_479f4305cba7f61e.txt"
    assert sum(a["passages"] for a in articles) == health.json()["passages"]
    assert {"/api/ask", "/api/ask/stream", "/api/health", "/api/articles"} <= set(schema["paths"])
    assert page.status_code == 200 and "<gradio-app" in page.text or "gradio" in page.text
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "import(" in script.text


def test_api_keys_when_configured(seeded_indexer, tmp_path) -> None:
    with sanad(seeded_indexer, tmp_path, "x [1]", api_keys="k1, k2") as (url, _):
        missing = httpx.get(f"{url}/api/articles")
        wrong = httpx.get(f"{url}/api/articles", headers={"Authorization": "Bearer nope"})
        right = httpx.get(f"{url}/api/articles", headers={"Authorization": "Bearer k2"})
        ask = httpx.post(f"{url}/api/ask", json={"question": "trade?"},
                         headers={"Authorization": "Bearer k1"}, timeout=30)  # fmt: skip
        health = httpx.get(f"{url}/api/health")
    assert missing.status_code == wrong.status_code == 401
    assert missing.json()["error"]["code"] == "unauthorized"
    assert missing.headers["www-authenticate"] == "Bearer"
    assert right.status_code == 200 and ask.status_code == 200
    assert health.status_code == 200, "health stays open for load balancers"


def test_cors_allows_listed_origins_only(seeded_indexer, tmp_path) -> None:
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}  # fmt: skip
    with sanad(seeded_indexer, tmp_path, cors_origins="http://portal.local:8080") as (url, _):
        target = f"{url}/api/ask/stream"
        allowed = httpx.options(target, headers={"Origin": "http://portal.local:8080", **preflight})
        other = httpx.options(target, headers={"Origin": "http://evil.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "http://portal.local:8080"
    assert "access-control-allow-origin" not in other.headers


def test_the_chat_has_a_named_gradio_endpoint(seeded_indexer, tmp_path) -> None:
    from gradio_client import Client

    with sanad(seeded_indexer, tmp_path, "بلغت 240.1 مليار دولار [1].") as (url, _):
        client = Client(f"{url}/", verbose=False)
        reply = client.predict(AR_TRADE, [], api_name="/ask")
    assert reply["answer"] == "بلغت 240.1 مليار دولار [1]."
    assert reply["citations"][0]["file"] == "000_479f4305cba7f61e.txt"
