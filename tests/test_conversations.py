"""Conversations are kept per user (issue 12, point 5): saved after each answer, listed newest
first, reopened after a restart of the server, deleted; nobody sees another's."""

import time
from pathlib import Path

from bot.conversations import ConversationStore
from retrieval.indexer import Indexer
from tests.conftest import OUTPUT
from tests.fakes import OneAtATimeEcho
from tests.server import serving
from tests.test_hostile import serve

QUESTION = "Which treaty did Putin say Moscow would suspend?"
TURN = {"question": QUESTION, "html": "<p>The New START treaty [1].</p>",
        "answer": {"answer": "The New START treaty [1].", "language": "en"}}  # fmt: skip


def test_conversations_per_user_survive_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "conversations.sqlite3"
    store = ConversationStore(path)
    first = store.save("amal", [TURN])
    second = store.save("amal", [TURN | {"question": "كم بلغت التجارة؟ " * 10}])
    assert store.save("amal", [TURN, TURN], first) == first, "the same conversation grows"
    omar = store.save("omar", [TURN])
    again = ConversationStore(path)  # as after a restart
    listed = again.list("amal")
    assert [c.id for c in listed] == [first, second], "the latest first"
    assert listed[0].title == QUESTION and listed[1].title.endswith("…")
    assert len(listed[1].title) <= 61
    assert again.load("amal", first) == [TURN, TURN]
    assert again.load("omar", first) is None, "another's conversation is not found"
    assert again.save("omar", [TURN], first) != first, "nor overwritten"
    assert not again.delete("omar", first) and again.delete("amal", first)
    assert [c.id for c in again.list("amal")] == [second]
    assert omar in [c.id for c in again.list("omar")]


def test_a_conversation_is_reopened_after_a_restart(
    hash_indexer: Indexer, seeds_dir: Path, tmp_path: Path, browser
) -> None:
    hash_indexer.ingest([seeds_dir])
    model = OneAtATimeEcho({QUESTION: "The New START treaty [1]."})
    _, app = serve(hash_indexer, tmp_path, model)
    with serving(app) as url:
        page = browser.new_page(locale="en-US", viewport={"width": 1200, "height": 1000})
        page.goto(url + "/")
        page.fill("#sanad-question textarea", QUESTION)
        page.click("#sanad-send")
        page.wait_for_selector(".sanad-message.done", timeout=30_000)
        time.sleep(0.5)  # the save runs right after the answer
        page.close()
    _, app = serve(hash_indexer, tmp_path, model)  # a new server on the same data folder
    with serving(app) as url:
        page = browser.new_page(locale="en-US", viewport={"width": 1200, "height": 1000})
        page.goto(url + "/")
        page.wait_for_selector("#sanad-question textarea")
        assert page.locator(".sanad-message").count() == 0, "a new page starts empty"
        page.click("#sanad-conversations button >> nth=0")  # the accordion
        page.click("#sanad-picker input")
        page.get_by_role("option", name=QUESTION, exact=False).first.click()
        page.click("#sanad-open")
        page.wait_for_selector(".sanad-message.done", timeout=10_000)
        reopened = page.locator(".sanad-message.done").first.inner_text()
        page.screenshot(path=OUTPUT / "conversation-reopened.png", full_page=True)
        page.click("#sanad-delete")
        page.wait_for_selector("#sanad-conversation-note:has-text('deleted')", timeout=10_000)
        emptied = page.locator(".sanad-message").count()
        page.close()
    assert "New START" in reopened and emptied == 0
