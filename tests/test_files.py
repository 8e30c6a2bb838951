"""Word and PDF articles (issue 13): files made in the test, in Arabic and English, are read
with their title and date and in reading order, in a folder ingest and a chat upload; a file
of a type Sanad does not read is reported by name, never skipped unseen."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from bot.library import Library
from retrieval.documents import read_articles
from retrieval.indexer import Indexer

ARABIC = ("بلغت قيمة التبادل التجاري بين البلدين 14.2 مليار دولار في عام 2024، "
          "بزيادة 8 في المئة عن العام السابق، بحسب بيانات الجمارك.")  # fmt: skip
ENGLISH = "The port handled 3.1 million containers in 2024, a record for the region."


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Arabic glyphs (Debian)
# lam-alef ligatures (دولار، العلاقات، الاتفاق، لا), brackets, a decimal and a year by a comma
ARABIC_PDF = ["بلغ حجم التجارة 240.1 مليار دولار في عام 2023، وقال الوزير إن العلاقات ممتازة.",
              "وأضاف أن الاتفاق (الجديد) يشمل الطاقة والنقل لا غير."]  # fmt: skip


def word_file(path: Path, title: str, paragraphs: list[str], rtl: bool,
              created: datetime | None = None) -> Path:  # fmt: skip
    document = Document()
    document.core_properties.title = title
    if created:
        document.core_properties.created = created
    for text in paragraphs:
        paragraph = document.add_paragraph(text)
        if rtl:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_to_left = True  # a right-to-left paragraph
    document.save(str(path))
    return path


def test_word_files_are_read_in_reading_order_with_their_title(tmp_path: Path) -> None:
    arabic = word_file(tmp_path / "trade.docx", "التجارة بين البلدين",
                       ["عاجل", ARABIC, "وقال المتحدث إن الأرقام أولية."], rtl=True,
                       created=datetime(2024, 4, 9, 8, 30, tzinfo=UTC))  # fmt: skip
    english = word_file(tmp_path / "port.docx", "", [ENGLISH, "Officials expect more."],
                        rtl=False)  # fmt: skip
    (ar,), problems = read_articles(arabic)
    (en,), _ = read_articles(english)
    assert not problems
    assert ar.title == "التجارة بين البلدين" and ARABIC in ar.text
    assert (ar.date, ar.date_from) == ("2024-04-09", "metadata")  # the file's creation day
    assert ar.text.index("عاجل") < ar.text.index("بلغت") < ar.text.index("وقال")
    assert ENGLISH in en.text and en.title.startswith("The port handled")


def test_a_folder_with_word_files_and_other_types(hash_indexer: Indexer, tmp_path: Path) -> None:
    folder = tmp_path / "newsroom"
    folder.mkdir()
    word_file(folder / "trade.docx", "التجارة", [ARABIC], rtl=True)
    (folder / "notes.odt").write_bytes(b"PK\x03\x04 not read")
    (folder / "broken.docx").write_bytes(b"not a zip file")
    (folder / ".DS_Store").write_bytes(b"\x00")
    report = hash_indexer.ingest([folder])
    assert report.added == ["trade.docx"]
    assert any(e.startswith("notes.odt: unsupported file type") for e in report.errors)
    assert any(e.startswith("broken.docx is not a readable Word") for e in report.errors)
    assert not any(".DS_Store" in e for e in report.errors), "hidden files are not articles"
    assert any(ARABIC[:40] in p.text for p in hash_indexer.store.passages())


def test_a_word_file_uploaded_in_the_chat(hash_indexer: Indexer, tmp_path: Path) -> None:
    upload = word_file(tmp_path / "port.docx", "Port", [ENGLISH], rtl=False)
    library = Library(hash_indexer.store, hash_indexer, tmp_path / "uploads")
    report = library.add([upload])
    assert report.added == ["port.docx"]
    assert [a.title for a in library.articles()] == ["Port"]


def pdf_file(path: Path, title: str, lines: list[str], created: datetime | None = None) -> Path:
    """A PDF as a PDF library writes one: Arabic shaped by HarfBuzz (joined letters and the
    lam-alef ligature) and drawn right to left, with a title and a creation date."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=12)
    pdf.set_text_shaping(True)
    if title:
        pdf.set_title(title)
    if created:
        pdf.set_creation_date(created)
    for line in lines:
        pdf.multi_cell(0, 8, line, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@pytest.mark.skipif(not FONT.exists(), reason="needs Debian's fonts-dejavu-core")
def test_an_arabic_pdf_comes_out_in_reading_order(tmp_path: Path) -> None:
    path = pdf_file(tmp_path / "trade.pdf", "التجارة بين البلدين", ARABIC_PDF,
                    created=datetime(2024, 4, 9, tzinfo=UTC))  # fmt: skip
    (article,), problems = read_articles(path)
    assert not problems
    # each sentence exactly as written: letters, ligatures, digits, brackets, punctuation
    for sentence in ARABIC_PDF:
        assert sentence in article.text, article.text
    assert article.title == "التجارة بين البلدين"
    assert (article.date, article.date_from) == ("2024-04-09", "metadata")


@pytest.mark.skipif(not FONT.exists(), reason="needs Debian's fonts-dejavu-core")
def test_an_english_pdf_and_pdfs_that_cannot_be_read(tmp_path: Path) -> None:
    english = pdf_file(tmp_path / "2024-05-01-port.pdf", "", [ENGLISH, "Officials expect more."])
    (article,), _ = read_articles(english)
    assert ENGLISH in article.text and "Officials expect more." in article.text
    assert (article.date, article.date_from) == ("2024-05-01", "name")  # from the file's name
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 cut short")
    (problem,) = read_articles(tmp_path / "broken.pdf")[1]
    assert problem.startswith("broken.pdf is not a readable PDF")
    blank = pdf_file(tmp_path / "scan.pdf", "", [])
    assert "no text layer" in read_articles(blank)[1][0]


@pytest.mark.skipif(not FONT.exists(), reason="needs Debian's fonts-dejavu-core")
def test_a_pdf_in_a_folder_and_uploaded_in_the_chat(hash_indexer: Indexer, tmp_path: Path) -> None:
    folder = tmp_path / "newsroom"
    folder.mkdir()
    pdf_file(folder / "trade.pdf", "التجارة", ARABIC_PDF)
    assert hash_indexer.ingest([folder]).added == ["trade.pdf"]
    assert any(ARABIC_PDF[1] in p.text for p in hash_indexer.store.passages())
    upload = pdf_file(tmp_path / "port.pdf", "Port", [ENGLISH])
    library = Library(hash_indexer.store, hash_indexer, tmp_path / "uploads")
    assert library.add([upload]).added == ["port.pdf"]
    assert {a.title for a in library.articles()} == {"التجارة", "Port"}
