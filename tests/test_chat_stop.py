"""The web chat's Stop button in headless Chromium: it stops the answer being written, frees the
model at once, and brings Ask back; the next question is answered without waiting."""

import time
from pathlib import Path

from bot.texts import TEXT
from retrieval.indexer import Indexer
from tests.conftest import OUTPUT
from tests.fakes import OneAtATimeEcho
from tests.server import serving
from tests.test_hostile import serve

LONG = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"
NEXT = "Which treaty did Putin say Moscow would suspend?"


def long_and_short(repeats: int, delay: float) -> OneAtATimeEcho:
    """A model with a long Arabic answer (5 words × `repeats`, `delay` s a word) to LONG and a
    short one to NEXT."""
    long_reply = " ".join(["بلغت 240.1 مليار دولار [1]."] * repeats)
    return OneAtATimeEcho({LONG: long_reply, NEXT: "The New START treaty [1]."}, delay=delay)


def test_stop_ends_the_answer_and_frees_the_model(
    hash_indexer: Indexer,
    seeds_dir: Path,
    tmp_path: Path,
    browser,
) -> None:
    hash_indexer.ingest([seeds_dir])
    model = long_and_short(80, delay=0.05)  # 400 words: 20 s
    _, app = serve(hash_indexer, tmp_path, model)
    with serving(app) as url:
        page = browser.new_page(locale="ar-EG", viewport={"width": 1200, "height": 1000})
        page.goto(url + "/")
        page.wait_for_selector("#sanad-question textarea")
        assert not page.is_visible("#sanad-stop"), "no Stop before a question"
        page.fill("#sanad-question textarea", LONG)
        page.click("#sanad-send")
        page.wait_for_function("document.querySelector('#sanad-chat .answer')?.innerText"
                               ".includes('240.1')", timeout=30_000)  # fmt: skip
        assert page.is_visible("#sanad-stop") and not page.is_visible("#sanad-send")
        assert page.is_disabled("#sanad-question textarea"), "no question queues unseen"
        assert page.inner_text("#sanad-stop") == "إيقاف"
        page.click("#sanad-stop")
        page.wait_for_selector("#sanad-send", state="visible", timeout=5_000)
        page.wait_for_function("!document.querySelector('#sanad-question textarea').disabled")
        stopped_at = model.words
        time.sleep(0.5)
        assert model.words - stopped_at <= 2, "the model went on writing after Stop"
        assert model.words < 400 and model.inside == 0
        assert TEXT["ar"]["stopped"] in page.inner_text("#sanad-chat")
        assert page.get_by_text("خطأ", exact=True).count() == 0, "Gradio's error badge shown"
        page.screenshot(path=OUTPUT / "chat-stopped.png", full_page=True)

        started = time.monotonic()
        page.fill("#sanad-question textarea", NEXT)
        page.click("#sanad-send")
        page.wait_for_selector(".sanad-message.done >> nth=0", timeout=10_000)
        waited = time.monotonic() - started
        assert "New START" in page.locator(".sanad-message.done").first.inner_text()
        assert waited < 5, f"the next question waited {waited:.1f} s"
        page.wait_for_selector("#sanad-send", state="visible", timeout=5_000)  # saved, then back
        assert not page.is_visible("#sanad-stop")
        page.close()


def test_a_second_chat_is_told_its_place_in_the_line(
    hash_indexer: Indexer, seeds_dir: Path, tmp_path: Path, browser
) -> None:
    hash_indexer.ingest([seeds_dir])
    model = long_and_short(30, delay=0.02)  # 150 words: 3 s
    _, app = serve(hash_indexer, tmp_path, model)
    with serving(app) as url:
        first, second = (browser.new_page(locale=locale, viewport={"width": 1200, "height": 900})
                         for locale in ("ar-EG", "en-US"))  # fmt: skip
        for page in (first, second):
            page.goto(url + "/")
            page.wait_for_selector("#sanad-question textarea")
        first.fill("#sanad-question textarea", LONG)
        first.click("#sanad-send")
        first.wait_for_function("document.querySelector('#sanad-chat .answer')?.innerText"
                                ".includes('240.1')", timeout=30_000)  # fmt: skip
        second.fill("#sanad-question textarea", NEXT)
        second.click("#sanad-send")
        second.wait_for_selector("#sanad-chat :text('1 question ahead of yours')", timeout=10_000)
        second.screenshot(path=OUTPUT / "chat-queued.png", full_page=True)
        second.wait_for_selector(".sanad-message.done", timeout=30_000)
        answered = second.locator(".sanad-message.done").first.inner_text()
        first.wait_for_selector(".sanad-message.done", timeout=30_000)
        for page in (first, second):
            page.close()
    assert "New START" in answered and "ahead of yours" not in answered
    assert model.most_inside == 1
