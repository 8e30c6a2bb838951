"""Dates in news (issue 13): every article has a date and says where it came from; questions
about a period prefer its articles; answers say the date of what they cite; the API filters by
range of days and by outlet."""

import json
from datetime import date
from pathlib import Path

import httpx
import pytest

from bot.core import Bot
from retrieval.dates import FilterError, Filters, Period, iso_day, question_period, spoken_date
from retrieval.documents import read_articles
from retrieval.indexer import Indexer
from retrieval.search import HybridRetriever
from tests.fakes import ScriptedGenerator
from tests.test_api import sanad

TODAY = date(2026, 11, 24)
# the same story told on three days by two outlets: only the date tells them apart
SAID = "قال الوزير إن صادرات القمح بلغت {} هذا الموسم، وإن الشحنات ستزيد في {}."
STORIES = {
    "spring.txt": ("2024-04-09", "موسكو (رويترز) - " + SAID.format("12 مليون طن", "الصيف")),
    "summer.txt": ("2024-07-15", "موسكو (رويترز) - " + SAID.format("15 مليون طن", "الخريف")),
    "winter.txt": ("2023-12-02", "القاهرة (أ ف ب) - " + SAID.format("9 ملايين طن", "الربيع")),
}


@pytest.mark.parametrize(
    ("question", "start", "end", "latest"),
    [
        ("What happened in April 2024?", date(2024, 4, 1), date(2024, 4, 30), False),
        ("ماذا حدث في نيسان 2024؟", date(2024, 4, 1), date(2024, 4, 30), False),
        ("كم بلغت التجارة في عام 2023؟", date(2023, 1, 1), date(2023, 12, 31), False),
        ("ماذا قال الوزير الشهر الماضي؟", date(2026, 10, 1), date(2026, 10, 31), False),
        ("What did the minister say last year?", date(2025, 1, 1), date(2025, 12, 31), False),
        ("What is the latest wheat export figure?", None, None, True),
        ("ما آخر رقم لصادرات القمح؟", None, None, True),
    ],
)
def test_the_period_a_question_names(question, start, end, latest) -> None:
    assert question_period(question, TODAY) == Period(start, end, latest)


@pytest.mark.parametrize("question", ["قال مسؤول آخر شيئا", "Who is the minister?", "من الوزير؟"])
def test_questions_that_name_no_period(question) -> None:
    assert question_period(question, TODAY) is None


def test_days_read_and_written() -> None:
    assert iso_day("D:20240409083000Z") == iso_day("2024-04-09T08:30:00+03:00") == "2024-04-09"
    assert iso_day("2024-02-30") is None and iso_day("soon") is None
    assert spoken_date("2024-04-09", "en") == "9 April 2024"
    assert spoken_date("2024-04-09", "ar") == "9 أبريل 2024"


def test_filters_from_what_a_user_typed() -> None:
    assert Filters.parse(" 2024-04-01 ", "", " رويترز ") == Filters("2024-04-01", None, "رويترز")
    assert not Filters.parse("", "", "")
    with pytest.raises(FilterError, match="YYYY-MM-DD"):
        Filters.parse("9/4/2024")
    with pytest.raises(FilterError, match="ends before it starts"):
        Filters.parse("2024-05-01", "2024-04-01")


def test_where_each_article_date_comes_from(tmp_path: Path) -> None:
    body = "قال الوزير إن الصادرات ارتفعت هذا الموسم بعد أشهر من التراجع الحاد في الأسواق."
    (tmp_path / "2024-03-05-wire.txt").write_text(f"1 أبريل 2024\n{body}")
    (tmp_path / "dated.txt").write_text(f"الإثنين 29 أبريل / أبريل 2024\n{body} أ")
    (tmp_path / "page.html").write_text(
        '<meta property="article:published_time" content="2024-06-01T10:00:00Z">'
        f'<meta property="og:site_name" content="Al Ahram"><p>{body} ب</p>'
    )
    record = {"text": body + " ج", "date": "2024-07-07", "outlet": "BBC Arabic"}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record, ensure_ascii=False))
    (tmp_path / "plain.txt").write_text(f"بكين (رويترز) - {body}")
    found = {a.source: a for f in sorted(tmp_path.iterdir()) for a in read_articles(f)[0]}
    assert (found["2024-03-05-wire.txt"].date, found["2024-03-05-wire.txt"].date_from) == (
        "2024-03-05", "name")  # fmt: skip  # the name wins over the date line
    assert (found["dated.txt"].date, found["dated.txt"].date_from) == ("2024-04-29", "text")
    page = found["page.html"]
    assert (page.date, page.date_from, page.outlet) == ("2024-06-01", "metadata", "Al Ahram")
    feed = found["feed.jsonl#1"]
    assert (feed.date, feed.date_from, feed.outlet) == ("2024-07-07", "metadata", "BBC Arabic")
    plain = found["plain.txt"]
    assert (plain.date, plain.outlet) == (None, "رويترز")  # its dateline names the outlet


def test_an_undated_article_gets_the_day_it_was_indexed(hash_indexer: Indexer, tmp_path) -> None:
    (tmp_path / "plain.txt").write_text("قال الوزير إن الصادرات ارتفعت هذا الموسم بعد أشهر.")
    hash_indexer.ingest([tmp_path])
    (passage,) = hash_indexer.store.passages()
    assert (passage.date, passage.date_from) == (date.today().isoformat(), "ingested")
    assert not passage.published


@pytest.fixture
def stories(hash_indexer: Indexer, tmp_path: Path) -> Indexer:
    folder = tmp_path / "stories"
    folder.mkdir()
    for name, (day, text) in STORIES.items():
        (folder / f"{day}-{name}").write_text(text)
    hash_indexer.ingest([folder])
    return hash_indexer


def test_filters_keep_to_a_range_of_days_and_an_outlet(stories: Indexer) -> None:
    retriever = HybridRetriever(store=stories.store, k=3, per_article=1)
    question = "كم بلغت صادرات القمح؟"
    assert len(retriever.search(question)) == 3
    spring = retriever.search(question, filters=Filters("2024-04-01", "2024-04-30"))
    assert [p.date for p in spring] == ["2024-04-09"]
    reuters = retriever.search(question, filters=Filters(outlet="رويترز"))
    assert sorted(p.date for p in reuters) == ["2024-04-09", "2024-07-15"]
    for mode in ("dense", "keyword"):  # each list filters on its own
        only = HybridRetriever(store=stories.store, k=3, mode=mode)
        assert {p.outlet for p in only.search(question, filters=Filters(outlet="أ ف ب"))} == {
            "أ ف ب"}  # fmt: skip


def test_a_period_or_the_latest_is_preferred_not_imposed(stories: Indexer) -> None:
    retriever = HybridRetriever(store=stories.store, k=3, per_article=1)
    assert retriever.search("كم بلغت صادرات القمح في يوليو 2024؟")[0].date == "2024-07-15"
    assert retriever.search("كم بلغت صادرات القمح في ديسمبر 2023؟")[0].date == "2023-12-02"
    assert retriever.search("ما آخر رقم لصادرات القمح؟")[0].date == "2024-07-15"
    # a period no article is from changes nothing: the others are still found
    assert len(retriever.search("كم بلغت صادرات القمح في 2019؟")) == 3


def test_the_answer_says_the_date_and_outlet_of_what_it_cites(stories: Indexer) -> None:
    retriever = HybridRetriever(store=stories.store, k=3, per_article=1)
    bot = Bot(retriever, ScriptedGenerator("بلغت 15 مليون طن [1].", "They reached 15 [1]."))
    answer = bot.ask("كم بلغت صادرات القمح في يوليو 2024؟")
    assert answer.text == "بلغت 15 مليون طن [1].\n\nبحسب رويترز في 15 يوليو 2024 [1]."
    english = bot.ask("How much wheat was exported in July 2024?")
    assert english.text.endswith("According to رويترز on 15 July 2024 [1].")


def test_the_api_filters_by_date_and_outlet(stories: Indexer, tmp_path: Path) -> None:
    replies = ["بلغت 12 مليون طن [1].", "بلغت 9 ملايين طن [1]."]
    with sanad(stories, tmp_path, *replies) as (url, _):
        body = {"question": "كم بلغت صادرات القمح؟", "filters": {"from": "2024-04-01",
                                                                 "to": "2024-04-30"}}  # fmt: skip
        answer = httpx.post(f"{url}/api/ask", json=body, timeout=30).json()
        assert {c["date"] for c in answer["citations"]} == {"2024-04-09"}
        assert answer["citations"][0]["outlet"] == "رويترز"
        assert answer["citations"][0]["date_from"] == "name"
        body["filters"] = {"outlet": "أ ف ب"}
        with httpx.stream("POST", f"{url}/api/ask/stream", json=body, timeout=30) as stream:
            text = stream.read().decode()
        sources = json.loads(text.split("event: sources\ndata: ")[1].split("\n")[0])["sources"]
        assert {s["outlet"] for s in sources} == {"أ ف ب"}
        bad = httpx.post(f"{url}/api/ask", json={**body, "filters": {"from": "April"}})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_filter"
        unknown = httpx.post(f"{url}/api/ask", json={**body, "filters": {"outlet": "CNN"}})
        assert unknown.status_code == 422 and "رويترز" in unknown.json()["error"]["message"]
        listed = httpx.get(f"{url}/api/articles").json()["articles"]
        assert {(a["date"], a["outlet"]) for a in listed} == {
            ("2024-04-09", "رويترز"),
            ("2024-07-15", "رويترز"),
            ("2023-12-02", "أ ف ب"),
        }
