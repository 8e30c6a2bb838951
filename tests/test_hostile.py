"""Hostile and broken input, and services that go away: a clear error each time, the server
keeps serving, and nothing already indexed is lost."""

import json
import threading
from pathlib import Path

import httpx
import pytest

from bot.core import Bot, QuestionError, check_question
from bot.feedback import FeedbackStore
from bot.generation import OpenAIGenerator
from bot.library import Library
from bot.server import create_app
from bot.settings import Settings
from retrieval.chunking import Chunker
from retrieval.indexer import Indexer
from retrieval.search import HybridRetriever
from retrieval.store import PassageStore
from tests.fakes import HashEmbeddings, OneAtATimeEcho, ScriptedGenerator
from tests.server import ChromaServer, free_port, serving

AR_TRADE = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"
CP1256_ARTICLE = (
    "افتتاح مكتبة عامة جديدة في مدينة فاس\n"
    "افتتحت وزارة الثقافة يوم الاثنين مكتبة عامة تضم 85 ألف كتاب في مدينة فاس.\n"
)


def hostile_files(folder: Path) -> dict[str, Path]:
    """One file of each kind the issue lists, and two good ones in Arabic encodings."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "empty": folder / "empty.txt",
        "binary": folder / "photo.txt",
        "huge": folder / "huge.txt",
        "cp1256": folder / "windows.txt",
        "utf16": folder / "utf16.txt",
        "html": folder / "broken.html",
        "jsonl": folder / "wire.jsonl",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(1, 32)) * 200 + b"\x89PNG\r\n")
    with files["huge"].open("wb") as f:  # 50 MB, sparse: nothing is written to disk
        f.truncate(50 << 20)
    files["cp1256"].write_bytes(CP1256_ARTICLE.encode("cp1256"))
    files["utf16"].write_bytes(
        "نشرة الطقس\nتوقعت الأرصاد هطول أمطار غزيرة على الرباط يوم الجمعة.\n".encode("utf-16")
    )
    files["html"].write_text(
        "<html><head><title>سوق الأسهم</title><body><div><p>ارتفع مؤشر البورصة 3.4 بالمئة "
        "<b>يوم الأحد<p>وسجلت أسهم البنوك أعلى مكاسب<script>alert(1)</script><div",
        encoding="utf-8",
    )
    lines = [
        json.dumps({"id": "a", "title": "ميناء طنجة", "text": "استقبل ميناء طنجة 9 ملايين حاوية."}),
        '{"id": "b", "text": "سطر مكسور',
        json.dumps({"id": "c", "text": "أعلنت شركة الطيران عن خط جديد إلى داكار."}),
        json.dumps(["not", "an", "object"]),
    ]
    files["jsonl"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files


def test_hostile_files_get_clear_errors_and_nothing_indexed_is_lost(
    hash_indexer: Indexer, seeds_dir: Path, tmp_path: Path
) -> None:
    store = hash_indexer.store
    hash_indexer.ingest([seeds_dir])
    seeded = {p.id for p in store.passages()}
    library = Library(store, hash_indexer, tmp_path / "uploads")
    files = hostile_files(tmp_path / "incoming")
    report = library.add(list(files.values()))
    errors = "\n".join(report.errors)
    assert "empty.txt is empty" in errors
    assert "photo.txt looks like a binary file" in errors
    assert "huge.txt is 50 MB; files of 50 MB or more are not read" in errors
    assert "wire.jsonl line 2 is not valid JSON" in errors
    assert 'wire.jsonl line 4 has no "text" field' in errors
    assert sorted(report.added) == [
        "broken.html", "utf16.txt", "windows.txt", "wire.jsonl#a", "wire.jsonl#c",
    ]  # fmt: skip
    assert seeded <= {p.id for p in store.passages()}, "an indexed passage was lost"
    by_source = {p.source: p for p in store.passages()}
    assert "85 ألف كتاب" in by_source["windows.txt"].text  # cp1256 decoded, not mojibake
    assert "الرباط" in by_source["utf16.txt"].text
    html = by_source["broken.html"]
    assert html.title == "سوق الأسهم" and "3.4" in html.text and "alert" not in html.text
    assert [p.source for p in store.keyword_search("مكتبة عامة فاس", 1)] == ["windows.txt"]
    assert [p.source for p in store.keyword_search("ستارت", 1)] == ["004_aa184c3cf74723ce.txt"]


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("", "empty"),
        (" \t\n ", "empty"),
        ("\u200b\u200f\u202e\u2066\ufeff" * 50, "empty"),
        ("س" * 100_000, "too_long"),
        ("Каков объём торговли между Китаем и Россией?", "language"),
        ("中国和俄罗斯的贸易额是多少？", "language"),
        ("Quel est le volume des échanges entre la Chine et la Russie ?", "language"),
        ("حجم تجارت چین و روسیه در سال ۲۰۲۳ چقدر بود؟", "language"),
    ],
)
def test_questions_sanad_cannot_take_get_a_clear_error(question: str, code: str) -> None:
    with pytest.raises(QuestionError) as caught:
        check_question(question)
    assert caught.value.code == code and " / " in str(caught.value)  # English / Arabic


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("\u200fكم\u200b بلغت\u200c قيمة \u202bالتجارة\u202c الصينية الروسية في عام 2023؟\u200e",
         AR_TRADE),
        ("ما هي معاهدة New START؟", "ما هي معاهدة New START؟"),
        ("What did Lavrov say about «الأمن الأوراسي»?",
         "What did Lavrov say about «الأمن الأوراسي»?"),
        ("What did Le Monde say about the Eurasia dialogue?",
         "What did Le Monde say about the Eurasia dialogue?"),
    ],
)  # fmt: skip
def test_invisible_characters_are_removed_and_mixed_questions_kept(
    question: str, expected: str
) -> None:
    assert check_question(question) == expected


def serve(indexer: Indexer, tmp_path: Path, generator, **options) -> tuple[Bot, object]:
    settings = Settings(data_dir=tmp_path / "data", **options)
    bot = Bot(HybridRetriever(store=indexer.store, k=4), generator)
    library = Library(indexer.store, indexer, settings.uploads_dir)
    app = create_app(settings, bot, library, FeedbackStore(settings.feedback_db), None)
    return bot, app


def test_hostile_questions_through_the_api(hash_indexer: Indexer, seeds_dir: Path,
                                           tmp_path: Path) -> None:  # fmt: skip
    hash_indexer.ingest([seeds_dir])
    generator = ScriptedGenerator("بلغت 240.1 مليار دولار [1].")
    _, app = serve(hash_indexer, tmp_path, generator)
    with serving(app) as url:
        for question, status, code in [
            ("", 422, "empty"),
            ("\u200b" * 1000, 422, "empty"),
            ("x" * 100_000, 413, "too_long"),
            ("中国和俄罗斯的贸易额是多少？", 422, "language"),
        ]:
            for route in ("/api/ask", "/api/ask/stream"):
                response = httpx.post(url + route, json={"question": question}, timeout=30)
                assert response.status_code == status, (question[:20], route)
                assert response.json()["error"]["code"] == code
        hidden = "\u2067" + AR_TRADE.replace(" ", " \u200b") + "\u2069"
        response = httpx.post(f"{url}/api/ask", json={"question": hidden}, timeout=30)
        assert response.status_code == 200 and response.json()["question"] == AR_TRADE
        assert response.json()["citations"][0]["file"] == "000_479f4305cba7f61e.txt"
        assert httpx.get(f"{url}/api/health", timeout=10).json()["status"] == "ok"
    assert len(generator.requests) == 1, "a refused question reached the model"


QUESTIONS = {  # question → the reply the model gives it: 8 different chats at once
    "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟": "بلغت 240.1 مليار دولار [1].",
    "كم بلغت قيمة التجارة الصينية الروسية في عام 2022؟": "بلغت 190 مليار دولار [1].",
    "Which treaty did Putin say Moscow would suspend?": "The New START treaty [1].",
    "ما المعاهدة التي قال بوتين إن موسكو ستعلق مشاركتها فيها؟": "معاهدة ستارت الجديدة [1].",
    "Who did Lavrov meet in Beijing?": "Lavrov met Wang Yi in Beijing [1].",
    "من التقى لافروف في بكين؟": "التقى لافروف وانغ يي [1].",
    "What did China and Russia say about Eurasian security?": "They discussed Eurasian "
    "security [1].",
    "ما الذي قاله لافروف عن الأمن الأوراسي؟": "تحدث لافروف عن الأمن الأوراسي [1].",
}


def test_eight_chats_at_once_each_get_their_own_whole_answer(
    hash_indexer: Indexer, seeds_dir: Path, tmp_path: Path
) -> None:
    hash_indexer.ingest([seeds_dir])
    model = OneAtATimeEcho(QUESTIONS)
    _, app = serve(hash_indexer, tmp_path, model)
    start = threading.Barrier(len(QUESTIONS))
    answers: dict[str, dict] = {}

    def chat(question: str, route: str) -> None:
        start.wait()
        with httpx.stream("POST", url + route, json={"question": question}, timeout=120) as r:
            body = r.read().decode()
        if route == "/api/ask":
            answers[question] = json.loads(body)
        else:  # the last event of the stream is the answer
            answers[question] = json.loads(body.strip().split("\n\n")[-1].split("data: ", 1)[1])

    with serving(app) as url:
        threads = [
            threading.Thread(target=chat, args=(q, "/api/ask" if i % 2 else "/api/ask/stream"))
            for i, q in enumerate(QUESTIONS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert model.most_inside == 1, "two chats were inside the model at once"
    assert set(answers) == set(QUESTIONS)
    for question, reply in QUESTIONS.items():
        assert answers[question]["question"] == question
        # its own reply, whole (the model's draft: the hash embedder's passages may not hold
        # the year asked, and then the verification declines it)
        assert answers[question]["draft"] == reply, question


def test_the_echo_model_would_notice_two_callers_at_once() -> None:
    """The check above can fail: entered without the product's lock, the fake sees both."""
    model = OneAtATimeEcho(QUESTIONS, delay=0.05)
    messages = [{"role": "user", "content": AR_TRADE}]
    threads = [threading.Thread(target=lambda: list(model._stream(messages, 10))) for _ in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert model.most_inside == 2


def test_the_chroma_server_stopped_mid_session(seeds_dir: Path, tmp_path: Path) -> None:
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        store = PassageStore(tmp_path / "index", HashEmbeddings(), url=server.url)
        indexer = Indexer(store, Chunker(window_count=HashEmbeddings().token_count))
        indexer.ingest([seeds_dir])
        count = store.count()
        replies = ["بلغت 240.1 مليار دولار [1]."] * 2
        _, app = serve(indexer, tmp_path, ScriptedGenerator(*replies))
        with serving(app) as url:
            ask = lambda route="/api/ask": httpx.post(  # noqa: E731
                url + route, json={"question": AR_TRADE}, timeout=30
            )
            assert ask().status_code == 200
            server.stop()  # in the middle of the session
            down = ask()
            assert down.status_code == 503 and down.headers["retry-after"]
            error = down.json()["error"]
            assert error["code"] == "index_unavailable"
            assert "cannot be reached" in error["message"] and "تعذّر" in error["message"]
            events = ask("/api/ask/stream").text
            assert "event: error" in events and "index_unavailable" in events
            health = httpx.get(f"{url}/api/health", timeout=10)
            assert health.status_code == 503 and health.json()["status"] == "unavailable"
            server.start()  # back, same port and data
            again = ask()
            assert again.status_code == 200 and again.json()["answer"].startswith("بلغت 240.1")
            assert httpx.get(f"{url}/api/health", timeout=10).json()["passages"] == count
    finally:
        server.stop()


def test_a_model_server_that_is_down_is_a_clear_error(hash_indexer: Indexer, seeds_dir: Path,
                                                      tmp_path: Path) -> None:  # fmt: skip
    hash_indexer.ingest([seeds_dir])
    nobody = OpenAIGenerator(f"http://127.0.0.1:{free_port()}", model="sanad")
    _, app = serve(hash_indexer, tmp_path, nobody)
    with serving(app) as url:
        response = httpx.post(f"{url}/api/ask", json={"question": AR_TRADE}, timeout=60)
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "model_unavailable" and "cannot be reached" in error["message"]
        assert "تعذّر" in error["message"]
