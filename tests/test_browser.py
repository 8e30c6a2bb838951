"""The web chat and the example portal in headless Chromium, with the real models: Arabic and
English answers in their own direction with their sources, a follow-up, feedback, an upload,
and the portal widget. Screenshots go to test-output/ for a person to look at."""

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.conversation import QuestionRewriter
from bot.core import Bot
from bot.feedback import FeedbackStore
from bot.library import Library
from bot.server import create_app
from bot.settings import Settings
from retrieval.chunking import Chunker
from retrieval.focus import SentenceFocus
from retrieval.indexer import Indexer
from retrieval.search import HybridRetriever
from retrieval.store import PassageStore
from tests.conftest import OUTPUT
from tests.server import free_port, serving

ROOT = Path(__file__).resolve().parent.parent
UPLOADED = (
    "المغرب يفتتح أكبر محطة لتحلية المياه في أفريقيا\n\n"
    "افتتح المغرب اليوم في الدار البيضاء محطة لتحلية مياه البحر تبلغ طاقتها 300 مليون متر مكعب "
    "سنويا، وهي الأكبر في القارة الأفريقية، بحسب ما أعلنت وزارة التجهيز والماء المغربية.\n"
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sanad(e5, llama, tmp_path_factory) -> Iterator[dict]:
    """The real server (real embedder and model) on loopback, and the portal on another port."""
    data = tmp_path_factory.mktemp("browser-data")
    portal_port = free_port()
    portal = f"http://127.0.0.1:{portal_port}"
    settings = Settings(data_dir=data, cors_origins=portal)
    store = PassageStore(data / "index", e5)
    indexer = Indexer(store, Chunker(window_count=e5.token_count))
    indexer.ingest([ROOT / "seeds"])
    bot = Bot(HybridRetriever(store=store, k=settings.top_k, fetch_k=settings.fetch_k), llama,
              focus=SentenceFocus(e5), min_relevance=settings.relevance_floors,
              rewriter=QuestionRewriter(llama))  # fmt: skip
    feedback = FeedbackStore(data / "feedback.sqlite3")
    library = Library(store, indexer, data / "uploads")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=ROOT / "examples")
    pages = http.server.ThreadingHTTPServer(("127.0.0.1", portal_port), handler)
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    with serving(create_app(settings, bot, library, feedback)) as url:
        yield {"url": url, "portal": portal, "feedback": feedback, "data": data}
    pages.shutdown()


def ask(page, question: str, turn: int) -> str:
    """Type a question, send it, and wait for reply number `turn` to be finished."""
    page.fill("#sanad-question textarea", question)
    page.click("#sanad-send")
    finished = ".sanad-message.done, .sanad-message.refused"
    page.wait_for_function(
        f"document.querySelectorAll('{finished}').length >= {turn}", timeout=180_000
    )
    return f"#sanad-chat .sanad-message >> nth={turn - 1}"


def test_the_chat_in_arabic_and_english(sanad, browser) -> None:
    page = browser.new_page(locale="ar-EG", viewport={"width": 1200, "height": 1500})
    page.goto(sanad["url"] + "/")
    page.wait_for_selector("#sanad-question textarea")
    assert page.inner_text("#sanad-send") == "اسأل", "interface in the browser's language"

    reply = page.locator(ask(page, "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟", 1))
    assert reply.get_attribute("dir") == "rtl"
    assert "240.1" in reply.locator(".answer").inner_text()
    assert reply.locator(".sources-title").inner_text() == "المصادر"
    assert "000_479f4305cba7f61e.txt" in reply.locator(".source").first.inner_text()
    assert "240.1" in reply.locator("mark").first.inner_text(), "cited sentence highlighted"
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.sanad-message .answer')).direction"
    ) == "rtl"  # fmt: skip

    follow_up = page.locator(ask(page, "وفي عام 2022؟", 2))
    assert "190" in follow_up.locator(".answer").inner_text(), "the follow-up found 2022"

    reply = page.locator(ask(page, "How much was China-Russia trade worth in 2023?", 3))
    assert reply.get_attribute("dir") == "ltr"
    assert "240.1" in reply.locator(".answer").inner_text()
    assert reply.locator(".sources-title").inner_text() == "Sources"
    assert reply.locator(".source").first.get_attribute("dir") == "rtl", "Arabic passage RTL"
    question = page.locator(".sanad-question").nth(2)
    assert question.get_attribute("dir") == "ltr"
    assert page.locator(".sanad-question").first.get_attribute("dir") == "rtl"

    reply.locator("a.cite").first.click()
    assert page.evaluate("location.hash") == "#sanad-3-1", "[1] leads to source 1"

    page.screenshot(path=OUTPUT / "chat-ar-en.png", full_page=True)
    page.locator("#sanad-chat button[aria-label='إعجاب']").last.click()  # "Like", in Arabic
    page.wait_for_selector("#sanad-comment textarea")
    page.fill("#sanad-comment textarea", "Clear and cited.")
    page.get_by_role("button", name="أرسل التعليق").click()
    page.wait_for_function(
        "document.querySelector('#sanad-feedback-note').innerText.includes('حُفظ')"
    )
    (row,) = sanad["feedback"].rows()
    assert row["rating"] == 1 and "240.1" in row["answer"]
    assert row["comment"] == "Clear and cited." and row["sources"][0]["file"].startswith("000_")

    page.get_by_role("tab", name="المقالات").click()
    headers = page.locator("#sanad-articles th").all_inner_texts()
    assert any("العنوان" in h for h in headers) and not any("i18n" in h for h in headers)
    page.get_by_text("التقييم").click()
    page.get_by_role("button", name="صدّر الإجابات المفيدة كمجموعة اختبار").click()
    page.wait_for_selector("text=سؤال واحد بصيغة التقييم.")
    page.screenshot(path=OUTPUT / "feedback-export.png", full_page=True)
    with page.expect_download() as download:
        page.locator("#sanad-export a").first.click()
    (case,) = [json.loads(line) for line in Path(download.value.path()).read_text().splitlines()]
    assert "240.1" in case["answers"][0] and case["sources"][0].startswith("000_")
    page.close()


def test_an_uploaded_article_is_citable_in_the_next_question(sanad, browser, tmp_path) -> None:
    article = tmp_path / "desalination.txt"
    article.write_text(UPLOADED, encoding="utf-8")
    page = browser.new_page(locale="en-US", viewport={"width": 1200, "height": 1300})
    page.goto(sanad["url"] + "/")
    page.get_by_role("tab", name="Articles").click()
    page.locator("#sanad-upload input[type=file]").set_input_files(str(article))
    # Gradio's own upload round trip: once, in a full run on two loaded cores, over 30 s
    page.wait_for_selector("text=desalination.txt", timeout=120_000)
    page.click("#sanad-add")
    page.wait_for_function(
        "document.querySelector('#sanad-upload-report').innerText.includes('Added 1')",
        timeout=60_000,
    )
    assert "desalination.txt" in page.inner_text("body")
    page.screenshot(path=OUTPUT / "upload.png", full_page=True)
    assert (sanad["data"] / "uploads" / "desalination.txt").exists()

    page.get_by_role("tab", name="Chat").click()
    reply = page.locator(ask(page, "ما الطاقة السنوية لمحطة تحلية المياه في الدار البيضاء؟", 1))
    assert "300" in reply.locator(".answer").inner_text()
    assert "desalination.txt" in reply.locator(".source").first.inner_text()
    page.screenshot(path=OUTPUT / "chat-uploaded.png", full_page=True)
    page.close()


def test_the_example_portal_embeds_the_chat_and_streams_answers(sanad, browser) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 1800})
    page.goto(f"{sanad['portal']}/portal.html?sanad={sanad['url']}")
    page.fill("#question", "How much was China-Russia trade worth in 2023?")
    page.click("#ask-form button")
    page.wait_for_selector("#answer[data-done]", timeout=180_000)
    assert "240.1" in page.inner_text("#answer")
    assert page.get_attribute("#answer", "dir") == "ltr"
    assert "000_479f4305cba7f61e.txt" in page.inner_text("#sources")
    page.wait_for_selector("gradio-app #sanad-question textarea", timeout=60_000)
    frame = page.frame_locator("#frame")
    frame.locator("#sanad-question textarea").wait_for(timeout=60_000)
    page.screenshot(path=OUTPUT / "portal.png", full_page=True)
    page.close()
