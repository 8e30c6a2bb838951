"""Dates in news: an article's day and where it was found, the period a question asks about,
filters by date and outlet, and days written for people in either language."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

# Where an article's date came from, best first: a date in its file name, the file's own
# properties (Word, PDF, a page's meta tags, a JSON Lines field), a date line at its top, or
# the day it was indexed (then it says when Sanad read it, not when it was published).
DateFrom = Literal["name", "metadata", "text", "ingested"]

MONTHS_AR = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
             "أكتوبر", "نوفمبر", "ديسمبر")  # fmt: skip
# month names as news writes them: Egyptian/Gulf and Levantine Arabic forms, English
MONTHS = {
    **{name: n for n, name in enumerate(MONTHS_AR, start=1)},
    "ابريل": 4, "إبريل": 4, "اغسطس": 8, "اكتوبر": 10, "كانون الثاني": 1, "شباط": 2, "آذار": 3,
    "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7, "آب": 8, "أيلول": 9, "تشرين الأول": 10,
    "تشرين الثاني": 11, "كانون الأول": 12,
    **{name.lower(): n for n, name in enumerate(calendar.month_name) if name},
    **{name.lower(): n for n, name in enumerate(calendar.month_abbr) if name},
}  # fmt: skip
MONTH_PATTERN = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))

_ISO = re.compile(r"(?<!\d)(\d{4})[-/._]?(\d{2})[-/._]?(\d{2})(?!\d)")
_ISO_START = re.compile(r"(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})")  # a time may follow


def iso_day(value: Any) -> str | None:
    """'YYYY-MM-DD' of a date, a datetime, or a string that starts with one (ISO 8601, a PDF
    date 'D:20240409…', '2024/04/09'); None when it is not a real day."""
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if not isinstance(value, str):
        return None
    match = _ISO_START.match(value.strip().removeprefix("D:"))
    return _checked(*match.groups()) if match else None


def name_date(name: str) -> str | None:
    """A date written in a file name: 2024-04-09-reuters.txt, reuters_20240409.pdf."""
    for match in _ISO.finditer(name):
        if day := _checked(*match.groups()):
            return day
    return None


def _checked(year: str, month: str, day: str) -> str | None:
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found.isoformat() if 1900 <= found.year <= 2100 else None


def day_number(iso: str | None) -> int:
    """20240409 for '2024-04-09' (Chroma compares numbers, not strings); 0 for none."""
    return int(iso.replace("-", "")) if iso else 0


def spoken_date(iso: str | None, language: str) -> str:
    """'9 April 2024' / '9 أبريل 2024' (never an ISO string, which reads backwards in Arabic)."""
    if not iso:
        return ""
    day = date.fromisoformat(iso)
    month = MONTHS_AR[day.month - 1] if language == "ar" else calendar.month_name[day.month]
    return f"{day.day} {month} {day.year}"


@dataclass(frozen=True)
class Period:
    """The time a question asks about: a span of days, or the latest articles."""

    start: date | None = None
    end: date | None = None
    latest: bool = False

    def holds(self, iso: str | None) -> bool:
        if not iso or (self.start is None and self.end is None):
            return False
        day = date.fromisoformat(iso)
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


_LATEST = re.compile(
    r"\b(latest|most recent(ly)?|newest|recently|last time)\b"
    # "آخر" is "the last …" where a question opens on it (ما آخر…، متى كانت آخر…); after a noun
    # it is "another" (مسؤول آخر), and "أحدث" after a noun is the verb "caused"
    r"|(^\W*|(^|\s)(ما|ماذا|متى|هي|هو|كان|كانت|في|عن|من|بحسب|حسب|كم)\s+)(آخر|أحدث)\s+\w"
    r"|مؤخرا|مؤخراً|الأخيرة|الأحدث",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(
    rf"(?<!\w)(?P<month>{MONTH_PATTERN})\.?,?\s+(?P<year>(19|20)\d{{2}})(?!\d)", re.IGNORECASE
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_RELATIVE = {  # (unit, how many back): "last month" is the calendar month before this one
    "month": re.compile(r"\blast month\b|الشهر الماضي|الشهر المنصرم", re.IGNORECASE),
    "this-month": re.compile(r"\bthis month\b|هذا الشهر|الشهر الحالي|الشهر الجاري", re.IGNORECASE),
    "year": re.compile(r"\blast year\b|العام الماضي|السنة الماضية|العام المنصرم", re.IGNORECASE),
    "this-year": re.compile(
        r"\bthis year\b|هذا العام|العام الحالي|العام الجاري|هذه السنة", re.IGNORECASE
    ),  # fmt: skip
    "week": re.compile(r"\blast week\b|الأسبوع الماضي|الأسبوع المنصرم", re.IGNORECASE),
}


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def question_period(question: str, today: date | None = None) -> Period | None:
    """The period a question names ("in April 2024", "في عام 2023", "last month", "الشهر
    الماضي") and whether it asks for the latest; None when it says nothing about time."""
    today = today or date.today()
    latest = bool(_LATEST.search(question))
    span: tuple[date, date] | None = None
    if match := _MONTH_YEAR.search(question):
        span = _month(int(match["year"]), MONTHS[match["month"].lower()])
    elif years := sorted({int(y) for y in _YEAR.findall(question)}):
        span = date(years[0], 1, 1), date(years[-1], 12, 31)
    elif _RELATIVE["month"].search(question):
        before = today.replace(day=1) - timedelta(days=1)
        span = _month(before.year, before.month)
    elif _RELATIVE["this-month"].search(question):
        span = _month(today.year, today.month)
    elif _RELATIVE["year"].search(question):
        span = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    elif _RELATIVE["this-year"].search(question):
        span = date(today.year, 1, 1), today
    elif _RELATIVE["week"].search(question):
        monday = today - timedelta(days=today.weekday())
        span = monday - timedelta(days=7), monday - timedelta(days=1)
    if span is None and not latest:
        return None
    return Period(*(span or (None, None)), latest=latest)


class FilterError(ValueError):
    """A filter a user can fix (a day that is not a day, a range that ends before it starts)."""


@dataclass(frozen=True)
class Filters:
    """What a user narrowed the articles to: a range of days (inclusive) and an outlet."""

    start: str | None = None  # ISO days
    end: str | None = None
    outlet: str | None = None

    @classmethod
    def parse(cls, start: str | None = None, end: str | None = None,
              outlet: str | None = None) -> Filters:  # fmt: skip
        """From what a user typed; FilterError (in both languages) when it is not a day."""
        days = []
        for name, value in (("from", start), ("to", end)):
            value = (value or "").strip()
            day = iso_day(value) if len(value) == 10 else None
            if value and day is None:
                raise FilterError(
                    f"'{value}' ({name}) is not a day; write it as YYYY-MM-DD. / "
                    f"'{value}' ليس تاريخ يوم؛ اكتبه بالشكل YYYY-MM-DD."
                )
            days.append(day)
        if days[0] and days[1] and days[0] > days[1]:
            raise FilterError("The range ends before it starts. / ينتهي النطاق قبل أن يبدأ.")
        return cls(days[0], days[1], (outlet or "").strip() or None)

    def __bool__(self) -> bool:
        return bool(self.start or self.end or self.outlet)

    def admits(self, day: str | None, outlet: str | None) -> bool:
        if self.outlet and (outlet or "") != self.outlet:
            return False
        number = day_number(day)
        if self.start and number < day_number(self.start):
            return False
        return not (self.end and number > day_number(self.end))

    def where(self) -> dict[str, Any] | None:
        """The same filter as a Chroma `where` over passage metadata."""
        terms: list[dict[str, Any]] = []
        if self.start:
            terms.append({"day": {"$gte": day_number(self.start)}})
        if self.end:
            terms.append({"day": {"$lte": day_number(self.end)}})
        if self.outlet:
            terms.append({"outlet": self.outlet})
        if len(terms) > 1:
            return {"$and": terms}
        return terms[0] if terms else None
