"""Strip the boilerplate that scraped news pages carry, keeping every sentence of the story."""

from __future__ import annotations

import re

from retrieval.dates import MONTH_PATTERN, MONTHS

# Whole lines that are page furniture, never story text (Arabic and English sites alike).
BOILERPLATE_LINES = frozenset(
    {
        "Changed",
        "Close",
        "Advertisement",
        "اترك رد",
        "اترك ردك",
        "اترك تعليقا",
        "اترك تعليقاً",
        "شارك القصة",
        "شارك المقال",
        "شارك",
        "تابع القراءة",
        "اقرأ أيضا",
        "اقرأ أيضاً",
        "الحلقات",
    }
)
BOILERPLATE_PATTERNS = (
    re.compile(r"^معاييرنا:.*Thomson Reuters\.?$"),
    re.compile(r"^صدر الصورة[،,].*$"),
    re.compile(r"^(Share|Share this|Read more|Related)( story| article)?:?$", re.IGNORECASE),
)
# A "skip X and keep reading" block runs until "X نهاية" (related stories, podcasts on BBC Arabic).
SKIP_BLOCK_START = re.compile(r"^تخطى (?P<name>.+?) وواصل القراءة$")
CAPTION_LABEL = re.compile(r"^التعليق على الصورة[،,]?$")
SOURCES_LABEL = re.compile(r"^(المصادر|المصدر|Sources?):$")
# Reuters' link artefact ("opens new tab"), left inline by scrapers.
INLINE_ARTEFACTS = re.compile(r"[،,]?\s*يفتح علامة تبويب جديدة")

_DAYS = "الإثنين|الاثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت|الأحد|الاحد"
DATE_LINE = re.compile(
    rf"^(?:(?:{_DAYS})[،,]?\s+)?(?P<day>\d{{1,2}})\s+(?P<month>{MONTH_PATTERN})"
    rf"(?:\s*/\s*(?:{MONTH_PATTERN}))?[،,]?\s+(?P<year>\d{{4}})$",
    re.IGNORECASE,
)
ISO_DATE_LINE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T ][\d:]+Z?)?$")


def extract_date(raw: str) -> tuple[str | None, str]:
    """(ISO date, text without it) when one of the first lines is only a date."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines[:5]):
        stripped = line.strip()
        if match := DATE_LINE.match(stripped):
            month = MONTHS[match["month"].lower()]
        elif match := ISO_DATE_LINE.match(stripped):
            month = int(match["month"])
        else:
            continue
        date = f"{int(match['year']):04d}-{month:02d}-{int(match['day']):02d}"
        return date, "\n".join(lines[:index] + lines[index + 1 :])
    return None, "\n".join(lines)


# A wire story's dateline names its outlet: "بكين (رويترز) –", "MOSCOW (Reuters) -".
DATELINE = re.compile(r"^[^()\n]{0,40}?\((?P<outlet>[^()\n\d]{2,30})\)\s*[-–—:]")


def dateline_outlet(text: str) -> str | None:
    """The outlet named in a dateline on one of the article's first lines, if any."""
    for line in text.split("\n")[:3]:
        if match := DATELINE.match(line.strip()):
            return match["outlet"].strip()
    return None


def _is_boilerplate(line: str) -> bool:
    return line in BOILERPLATE_LINES or any(p.match(line) for p in BOILERPLATE_PATTERNS)


def clean_text(raw: str) -> str:
    """The story's own lines, one per line, without page furniture or duplicated captions."""
    lines = [line.strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [INLINE_ARTEFACTS.sub("", line) for line in lines if line]
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if match := SKIP_BLOCK_START.match(line):
            end_marker = f"{match['name']} نهاية"
            end = next((j for j in range(index + 1, len(lines)) if lines[j] == end_marker), None)
            index = (end if end is not None else index) + 1
            continue
        if CAPTION_LABEL.match(line):
            index += 2  # the label and the caption under it
            continue
        if SOURCES_LABEL.match(line):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            index += 2 if len(following.split()) <= 3 else 1
            continue
        if not _is_boilerplate(line):
            kept.append(line)
        index += 1
    return "\n".join(_drop_repeated_captions(kept))


def _drop_repeated_captions(lines: list[str]) -> list[str]:
    """A line printed twice in a row is an image caption, except the headline at the top."""
    result: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        repeats = 1
        while index + repeats < len(lines) and lines[index + repeats] == line:
            repeats += 1
        if repeats == 1 or not result:
            result.append(line)
        index += repeats
    return result


def pick_title(text: str, max_words: int = 12) -> str:
    """The headline when the article starts with one; else its first sentence, without a
    dateline, cut at its first clause (a comma or a dash) when it is long — read like a
    headline, not a sentence cut off mid-way."""
    lines = text.split("\n")
    first = lines[0].strip() if lines else ""
    words = first.split()
    if 3 <= len(words) <= 20 and not first.endswith((".", ":")) and not DATELINE.match(first):
        return first
    for line in lines:
        line = DATELINE.sub("", line.strip(), count=1).strip()
        sentence = re.split(r"(?<=[.؟?!])\s", line, maxsplit=1)[0].rstrip(".")
        if len(sentence.split()) < 3:
            continue
        if len(sentence.split()) <= max_words + 3:
            return sentence
        clauses = re.split(r"\s*[،,–—]\s*", sentence)
        clause = clauses[0]
        while len(clause.split()) < 5 and len(clauses) > 1:  # too short alone: one more
            clauses.pop(0)
            clause = f"{clause}، {clauses[0]}"
        if len(clause.split()) <= max_words + 3:
            return clause
        return " ".join(clause.split()[:max_words]) + "…"
    return first
    for line in lines:
        sentence_words = re.split(r"(?<=[.؟?!])\s", line, maxsplit=1)[0].split()
        if len(sentence_words) >= 3:
            short = " ".join(sentence_words[:max_words])
            return short + ("…" if len(sentence_words) > max_words else "")
    return first
