"""The page around the messages, in headless Chromium (issue 14): direction of the page and of
the question box, the highlight's contrast in both themes, copying an answer as text, the
whole article at the cited sentence, the phone layout, the comment box by the message, the
articles table (search, removal with a confirmation) and an accessibility pass (axe-core).
Screenshots go to test-output/screenshots/ (the ones in docs/screenshots/ come from here)."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.indexer import Indexer
from tests.conftest import OUTPUT
from tests.fakes import OneAtATimeEcho
from tests.server import serving
from tests.test_hostile import serve

AR = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"
# cites the second passage first: the page must show it as [1]
REPLY = "بلغت التجارة 240.1 مليار دولار في عام 2023 [2] بزيادة 26.3٪ [1]."
SHOTS = OUTPUT / "screenshots"
DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture
def chat(hash_indexer: Indexer, seeds_dir: Path, tmp_path: Path) -> Iterator[str]:
    hash_indexer.ingest([seeds_dir])
    _, app = serve(hash_indexer, tmp_path, OneAtATimeEcho({AR: REPLY}, delay=0.001))
    with serving(app) as url:
        yield url


def open_page(browser, url: str, locale: str, viewport: dict, dark: bool = False):
    context = browser.new_context(locale=locale, viewport=viewport,
                                  color_scheme="dark" if dark else "light")  # fmt: skip
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = context.new_page()
    page.goto(url + ("/?__theme=dark" if dark else "/?__theme=light"))
    page.wait_for_selector("#sanad-question textarea")
    return page


def ask(page, question: str = AR):
    page.fill("#sanad-question textarea", question)
    page.click("#sanad-send")
    page.wait_for_selector(".sanad-message.done, .sanad-message.refused", timeout=60_000)
    return page.locator("#sanad-chat .sanad-message").last


def contrast(page, selector: str) -> float:
    """WCAG contrast ratio of an element's text colour on its background colour."""
    colours = page.eval_on_selector(
        selector,
        """(e) => {
        const s = getComputedStyle(e); return [s.color, s.backgroundColor]; }""",
    )

    def luminance(rgb: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted(map(luminance, colours), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def shoot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000, "a screenshot of a page, not of nothing"
    return path


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_an_arabic_browser_gets_a_right_to_left_page(chat, browser, dark: bool) -> None:
    page = open_page(browser, chat, "ar-EG", DESKTOP, dark)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    # the tabs and the buttons are laid out from the right: Ask is right of New chat
    ask_box, new_box = page.locator("#sanad-send").bounding_box(), page.locator(
        "#sanad-clear").bounding_box()  # fmt: skip
    assert ask_box["x"] > new_box["x"]
    box = page.locator("#sanad-question textarea")
    assert box.get_attribute("dir") == "auto" and box.get_attribute("aria-label")
    box.fill("ما الذي اتفق عليه الوزيران (في بكين)؟")
    assert box.evaluate("(e) => e.matches(':dir(rtl)')"), "Arabic typed right to left"
    box.fill("What did (the ministers) agree?")
    assert box.evaluate("(e) => e.matches(':dir(ltr)')"), "English typed left to right"
    reply = ask(page)
    answer = reply.locator(".answer").inner_text()
    assert answer.index("[1]") < answer.index("[2]"), "sources numbered as first cited"
    assert contrast(page, "#sanad-chat .sanad-message.done mark") >= 4.5
    shoot(page, f"chat-ar-desktop-{'dark' if dark else 'light'}")


def test_copy_gives_the_answer_and_its_sources_as_text(chat, browser) -> None:
    page = open_page(browser, chat, "ar-EG", DESKTOP)
    ask(page)
    page.locator("#sanad-chat button[aria-label='Copy message']").last.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "<" not in copied and "class=" not in copied, copied[:200]
    assert copied.startswith("بلغت التجارة 240.1 مليار دولار في عام 2023 [1]")
    assert "المصادر:" in copied and "«" in copied and "240.1" in copied.split("المصادر:")[1]


def test_a_source_opens_the_whole_article_at_the_cited_sentence(chat, browser) -> None:
    page = open_page(browser, chat, "ar-EG", DESKTOP)
    reply = ask(page)
    cited = reply.locator(".source mark").first.inner_text()
    reply.locator("a.source-open").first.click()
    panel = page.locator("#sanad-article")
    panel.locator("mark").wait_for(timeout=20_000)
    assert panel.is_visible() and panel.locator("mark").inner_text() == cited
    assert len(panel.locator(".article-text").inner_text()) > 3 * len(cited), "the whole article"
    mark, frame = panel.locator("mark").bounding_box(), panel.bounding_box()
    assert frame["y"] <= mark["y"] and mark["y"] + mark["height"] <= frame["y"] + frame["height"]
    shoot(page, "article-view-ar")
    page.keyboard.press("Escape")
    assert not panel.is_visible()


@pytest.mark.parametrize("locale", ["ar-EG", "en-US"])
def test_on_a_phone_nothing_covers_the_first_message(chat, browser, locale: str) -> None:
    page = open_page(browser, chat, locale, PHONE)
    reply = ask(page)
    question = page.locator("#sanad-chat .sanad-question").first
    # the chat scrolled back to its top, where its label and toolbar were drawn over it
    page.wait_for_timeout(500)  # the chat's own scrolling to the newest message is done
    question.evaluate("(e) => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    first = question.bounding_box()
    for x, y in ((first["x"] + 4, first["y"] + 4), (first["x"] + first["width"] - 4,
                                                     first["y"] + 4)):  # fmt: skip
        on_top = page.evaluate(f"document.elementFromPoint({x}, {y}).closest('.sanad-question')")
        assert on_top is not None, f"something covers the first message at {x:.0f},{y:.0f}"
    assert reply.is_visible()
    language = locale[:2]
    shoot(page, f"chat-{language}-phone-light")


def test_english_page_and_dark_phone(chat, browser) -> None:
    page = open_page(browser, chat, "en-US", DESKTOP)
    assert page.evaluate("document.documentElement.dir") == "ltr"
    ask(page)
    shoot(page, "chat-en-desktop-light")
    dark = open_page(browser, chat, "en-US", DESKTOP, dark=True)
    ask(dark)
    assert contrast(dark, "#sanad-chat .sanad-message.done mark") >= 4.5
    shoot(dark, "chat-en-desktop-dark")
    phone = open_page(browser, chat, "ar-EG", PHONE, dark=True)
    ask(phone)
    shoot(phone, "chat-ar-phone-dark")


def test_the_comment_box_opens_by_the_message(chat, browser) -> None:
    page = open_page(browser, chat, "ar-EG", DESKTOP)
    ask(page)
    page.locator("#sanad-chat button[aria-label='Dislike'], "
                 "#sanad-chat button[aria-label='عدم الإعجاب']").last.click()  # fmt: skip
    comment = page.locator("#sanad-comment")
    comment.wait_for()
    chat_box = page.locator("#sanad-chat").bounding_box()
    question_box = page.locator("#sanad-question").bounding_box()
    top = comment.bounding_box()["y"]
    assert chat_box["y"] + chat_box["height"] <= top < question_box["y"], "between chat and box"


FILES = r"/00\d_[0-9a-f]{16}\.txt/g"


def listed(page) -> set[str]:
    """The seed files the articles table shows."""
    return set(re.findall(r"00\d_[0-9a-f]{16}\.txt", page.locator("#sanad-articles").inner_text()))


def wait_listed(page, count: int) -> None:
    page.wait_for_function(
        """(n) => {
        const table = document.querySelector("#sanad-articles");
        const files = table ? table.innerText.match(FILES) : null;
        return (files || []).length === n; }""".replace("FILES", FILES),
        arg=count,
    )


def test_the_articles_table_search_and_removal(chat, browser, seeds_dir: Path) -> None:
    seeds = {p.name for p in seeds_dir.glob("00*.txt")}
    page = open_page(browser, chat, "ar-EG", DESKTOP)
    page.get_by_role("tab", name="المقالات").click()
    wait_listed(page, 5)
    assert listed(page) == seeds
    title, file = (page.locator("#sanad-articles th").nth(i).bounding_box() for i in (0, 1))
    assert title["x"] > file["x"], "the table reads from the right: the title column first"
    cell = page.locator("#sanad-articles td").first
    assert "mono" not in cell.evaluate("(e) => getComputedStyle(e).fontFamily").lower()
    assert "-2024" not in page.locator("#sanad-articles").inner_text(), "days written out"
    page.fill("#sanad-search input, #sanad-search textarea", "لافروف الصين")
    wait_listed(page, 1)
    assert listed(page) == {"002_2a0015d8fffb9b77.txt"}
    shoot(page, "articles-ar-desktop-light")
    page.fill("#sanad-search input, #sanad-search textarea", "")
    wait_listed(page, 5)
    page.locator("#sanad-remove-which input").click()
    page.locator("#sanad-remove-which input").fill("001_322b")
    page.locator("li[role='option'], [role='option']").filter(
        has_text="001_322b6b5cc92a09ad.txt").first.click()  # fmt: skip
    page.click("#sanad-remove")
    page.locator("#sanad-confirm-note").get_by_text("001_322b6b5cc92a09ad.txt").wait_for()
    assert listed(page) == seeds, "nothing removed before the confirmation"
    page.click("#sanad-confirm-remove")
    wait_listed(page, 4)
    assert listed(page) == seeds - {"001_322b6b5cc92a09ad.txt"}


@pytest.mark.parametrize("locale", ["ar-EG", "en-US"])
def test_no_serious_accessibility_violations(chat, browser, locale: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(browser, chat, locale, DESKTOP)
    ask(page)
    results = Axe().run(page)
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]  # fmt: skip
    assert serious == []


def test_the_chat_keeps_to_the_days_asked_for(chat, browser) -> None:
    """Issue 13 in the chat: *Narrow the articles* to April 2024 keeps the sources to the one
    seed article dated then; a day that is not a day is said, in the page's language."""
    page = open_page(browser, chat, "ar-EG", DESKTOP)
    page.click("#sanad-filters")
    page.fill("#sanad-from input, #sanad-from textarea", "2024-04-01")
    page.fill("#sanad-to input, #sanad-to textarea", "2024-04-30")
    reply = ask(page)
    files = set(reply.locator("a.source-open").all_inner_texts())
    assert files == {"002_2a0015d8fffb9b77.txt"}
    assert "29 أبريل 2024" in reply.locator(".sources").inner_text()
    page.fill("#sanad-from input, #sanad-from textarea", "أبريل")
    page.fill("#sanad-question textarea", AR)
    page.click("#sanad-send")
    page.get_by_text("YYYY-MM-DD").last.wait_for()
