"""Word articles (issue 13): .docx files made in the test, in Arabic and English, are read with
their title and in reading order, in a folder ingest and a chat upload; a file of a type Sanad
does not read is reported by name, never skipped unseen."""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from bot.library import Library
from retrieval.documents import read_articles
from retrieval.indexer import Indexer

ARABIC = ("بلغت قيمة التبادل التجاري بين البلدين 14.2 مليار دولار في عام 2024، "
          "بزيادة 8 في المئة عن العام السابق، بحسب بيانات الجمارك.")  # fmt: skip
ENGLISH = "The port handled 3.1 million containers in 2024, a record for the region."


def word_file(path: Path, title: str, paragraphs: list[str], rtl: bool) -> Path:
    document = Document()
    document.core_properties.title = title
    for text in paragraphs:
        paragraph = document.add_paragraph(text)
        if rtl:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_to_left = True  # a right-to-left paragraph
    document.save(str(path))
    return path


def test_word_files_are_read_in_reading_order_with_their_title(tmp_path: Path) -> None:
    arabic = word_file(tmp_path / "trade.docx", "التجارة بين البلدين",
                       ["عاجل", ARABIC, "وقال المتحدث إن الأرقام أولية."], rtl=True)  # fmt: skip
    english = word_file(tmp_path / "port.docx", "", [ENGLISH, "Officials expect more."],
                        rtl=False)  # fmt: skip
    (ar,), problems = read_articles(arabic)
    (en,), _ = read_articles(english)
    assert not problems
    assert ar.title == "التجارة بين البلدين" and ARABIC in ar.text
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
