"""Loading articles from .txt, .md, .html and .jsonl, in the encodings Arabic text comes in."""

import json
from pathlib import Path

import pytest

from retrieval.documents import IngestError, Passage, find_files, load_file

STORY = "قال وزير الخارجية إن التجارة بلغت 240.1 مليار دولار في عام 2023.\nوأضاف أن العلاقات قوية."


def test_txt_utf8_cp1256_and_utf16_give_the_same_article(tmp_path: Path) -> None:
    for name, data in {
        "a.txt": STORY.encode("utf-8"),
        "b.txt": STORY.encode("cp1256"),
        "c.txt": STORY.encode("utf-16"),  # with its BOM
        "d.txt": b"\xef\xbb\xbf" + STORY.encode("utf-8"),
    }.items():
        (tmp_path / name).write_bytes(data)
    articles = [load_file(tmp_path / n)[0] for n in ("a.txt", "b.txt", "c.txt", "d.txt")]
    assert {a.text for a in articles} == {STORY}
    assert len({a.id for a in articles}) == 1, "the id comes from the content, not the file"


def test_markdown_files_lose_their_marks(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    marked = "وقال **الوزير** إن *الصادرات* ارتفعت [بحسب](http://x.test) البيانات."
    path.write_text("# عنوان المقال الجديد هنا\n\n" + STORY + "\n\n" + marked)
    article = load_file(path)[0]
    assert article.title == "عنوان المقال الجديد هنا"
    assert not article.text.startswith("#")
    assert "وقال الوزير إن الصادرات ارتفعت بحسب البيانات." in article.text
    assert not any(mark in article.text for mark in ("*", "](", "http"))


def test_html_keeps_the_story_and_drops_scripts_and_navigation(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        "<html><head><title>Site</title><script>var x = 1;</script></head><body>"
        "<nav>الرئيسية | أخبار</nav><h1>التجارة بين الصين وروسيا</h1>"
        f"<p>{STORY.splitlines()[0]}</p><p>{STORY.splitlines()[1]}</p>"
        "<footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    article = load_file(path)[0]
    assert article.title == "التجارة بين الصين وروسيا"
    assert "240.1 مليار دولار" in article.text and "وأضاف أن العلاقات قوية." in article.text
    assert "var x" not in article.text and "الرئيسية" not in article.text
    assert "محفوظة" not in article.text


def test_jsonl_one_article_per_line_with_its_fields(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    rows = [
        {"id": "a1", "title": "خبر أول عن التجارة", "date": "2024-01-02", "text": STORY},
        {"id": "a2", "title": "خبر ثان", "text": "نص الخبر الثاني هنا."},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    first, second = load_file(path)
    assert (first.title, first.date, first.source) == (
        "خبر أول عن التجارة",
        "2024-01-02",
        "news.jsonl#a1",
    )
    assert second.source == "news.jsonl#a2"


def test_jsonl_broken_line_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text('{"text": "نص سليم هنا."}\n{"text": broken\n')
    with pytest.raises(IngestError, match="line 2"):
        load_file(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"  \n ", "empty"), (b"\x00\x01\x02binary\x00", "binary")],
)
def test_unreadable_files_give_clear_errors(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(IngestError, match=message):
        load_file(path)


def test_unsupported_type_and_missing_path(tmp_path: Path) -> None:
    (tmp_path / "a.odt").write_bytes(b"PK")
    with pytest.raises(IngestError, match="unsupported"):
        load_file(tmp_path / "a.odt")
    with pytest.raises(IngestError, match="does not exist"):
        find_files([tmp_path / "missing"])


def test_find_files_walks_folders_and_names_sources_relative(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(STORY)
    (tmp_path / "b.html").write_text("<p>x</p>")
    (tmp_path / "c.bin").write_bytes(b"x")
    (tmp_path / ".hidden").write_bytes(b"x")
    # c.bin is found, to be reported as unsupported when read (never skipped unseen)
    assert [source for _, source in find_files([tmp_path])] == ["b.html", "c.bin", "sub/a.txt"]


def test_passage_id_comes_from_content() -> None:
    a = Passage(text="نص", doc_id="d1", title="t", source="s", start=0, end=2)
    b = Passage(text="نص", doc_id="d1", title="other", source="other", start=0, end=2)
    c = Passage(text="نص", doc_id="d1", title="t", source="s", start=5, end=7)
    assert a.id == b.id != c.id
    assert Passage.from_metadata(a.id, a.text, a.metadata()) == a
