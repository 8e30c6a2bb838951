"""Text out of the files newsrooms keep: HTML pages, Word and PDF, with the title, date and
outlet the file itself records."""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from retrieval.dates import iso_day

# letters of right-to-left scripts (Arabic and its supplements, Hebrew, presentation forms)
RTL_LETTER = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
LATIN_LETTER = re.compile(r"[A-Za-z]")


class FileError(ValueError):
    """A file that cannot be read as what its name says."""


@dataclass(frozen=True)
class FileText:
    """What a file holds: its text, and what it records about itself (None where it does not)."""

    text: str
    title: str | None = None
    date: str | None = None  # ISO day
    outlet: str | None = None


class _HTMLText(HTMLParser):
    """Text of an HTML page, one line per block, without scripts, styles or navigation; the
    publication date and site name from its meta tags."""

    SKIP = {"script", "style", "nav", "footer", "header", "aside", "noscript", "form"}
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section"}
    DATE_META = ("article:published_time", "datepublished", "pubdate", "date", "dc.date")
    OUTLET_META = ("og:site_name", "publisher", "application-name")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skipping = 0
        self._in_title = False
        self._in_h1 = False
        self.h1 = ""
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self._in_h1 = True
        elif tag == "meta":
            found = {k: v or "" for k, v in attrs}
            key = found.get("property") or found.get("name") or found.get("itemprop") or ""
            self.meta.setdefault(key.lower(), found.get("content", "").strip())
        elif tag == "time" and (when := dict(attrs).get("datetime")):
            self.meta.setdefault("time", when)
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skipping:
            if self._in_h1:
                self.h1 += data
            self.parts.append(data)


def html_text(markup: str) -> FileText:
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))
    text = "\n".join(line.strip() for line in text.split("\n"))
    title = html.unescape((parser.h1 or parser.title).strip()) or None
    date = next((d for key in (*parser.DATE_META, "time")
                 if (d := iso_day(parser.meta.get(key)))), None)  # fmt: skip
    outlet = next((parser.meta[k] for k in parser.OUTLET_META if parser.meta.get(k)), None)
    return FileText(text, title, date, outlet)


def docx_text(path: Path) -> FileText:
    """A Word file (python-docx): its paragraphs in order (Word keeps Arabic in reading
    order), the title from the document's properties or its Title-styled paragraph, the date
    it was created."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise FileError(f"{path.name} is not a readable Word (.docx) file ({exc})") from None
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    properties = document.core_properties
    title = (properties.title or "").strip() or next(
        (p.text.strip() for p in paragraphs if (p.style.name or "").startswith("Title")), None
    )
    text = "\n\n".join(p.text.strip() for p in paragraphs)
    return FileText(text, title, iso_day(properties.created))


def pdf_text(path: Path) -> FileText:
    """A PDF (pdfminer.six), one line of text per line on the page. A PDF draws Arabic
    right to left, glyph by glyph, so its lines are put back in reading order with the
    Unicode bidirectional algorithm (python-bidi), glyph by glyph: a ligature such as lam-alef
    is one glyph of two letters, which must stay in their own order."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    lines: list[str] = []
    try:
        for page in extract_pages(str(path)):
            for box in page:
                if not isinstance(box, LTTextContainer):
                    continue
                for line in box:
                    if isinstance(line, LTTextLine):
                        glyphs = [c.get_text() for c in line if isinstance(c, LTChar)]
                        lines.append(reading_order(glyphs))
                lines.append("")  # a text box is a paragraph
        info = _pdf_info(path)
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise FileError(f"{path.name} is not a readable PDF file ({exc})") from None
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in lines)).strip()
    if not text:
        raise FileError(f"{path.name} has no text layer (a scanned PDF needs OCR first)")
    return FileText(text, info.get("Title") or None, iso_day(info.get("CreationDate")))


def reading_order(glyphs: list[str]) -> str:
    """A line drawn left to right (one string per glyph) in logical order: a line that is
    mostly right-to-left letters is reordered by the bidi algorithm, numbers and Latin words
    inside it kept left to right; each glyph's own letters keep their order."""
    line = "".join(glyphs)
    if len(RTL_LETTER.findall(line)) <= len(LATIN_LETTER.findall(line)):
        return line
    from bidi import get_display

    # the algorithm reverses right-to-left runs letter by letter: a glyph of several
    # right-to-left letters is reversed first so it comes out in its order
    line = "".join(g[::-1] if len(g) > 1 and RTL_LETTER.search(g) else g for g in glyphs)
    return get_display(line, base_dir="R")


def _pdf_info(path: Path) -> dict[str, str]:
    """The PDF's document information (Title, CreationDate…) as text."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    with path.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        found: dict[str, str] = {}
        for info in document.info:
            for key, value in info.items():
                value = resolve1(value)
                if isinstance(value, bytes):
                    found[key] = decode_text(value).strip()
                elif isinstance(value, str):
                    found[key] = value.strip()
        return found
