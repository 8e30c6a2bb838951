"""Cleaning the seeds: page furniture goes, every sentence of the story stays."""

from pathlib import Path

import pytest

from retrieval.cleaning import clean_text, extract_date, pick_title
from retrieval.documents import find_files, load_file

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Read by hand from the raw seeds: the lines that are not the story.
NOT_STORY = {
    "000_479f4305cba7f61e.txt": [],
    "001_322b6b5cc92a09ad.txt": ["معاييرنا: مبادئ الثقة في Thomson Reuters.", "اترك ردك"],
    "002_2a0015d8fffb9b77.txt": [
        "الإثنين 29 أبريل / أبريل 2024",  # the date: kept as metadata
        "Changed",
        "محادثات بين لافروف ونظيره الصيني في بكين - رويترز",  # image caption, printed twice
        "لقاء وزير الخارجية الصيني بنظيره الروسي في بكين - رويترز",  # image caption, twice
        "المصادر:",
        "وكالات",
        "شارك القصة",
        "تابع القراءة",
        "Close",
    ],
    "003_b3014ee5dfb3bcc9.txt": [],
    "004_aa184c3cf74723ce.txt": [
        "صدر الصورة، EPA",
        "التعليق على الصورة،",
        'أكد كبير الدبلوماسيين الصيني أنه سيعمل على "تقوية وتعميق" العلاقات بين موسكو وبكين',
        "تخطى قصص مقترحة وواصل القراءة",
        "قصص مقترحة",
        "• روسيا وأوكرانيا: هل تدعم الصين موسكو خلال الحرب؟",
        "• روسيا وأوكرانيا: وزير الخارجية الأمريكي أنتوني بلينكن يقول إن الصين تبحث إمداد الروس بأسلحة قاتلة لمواصلة الحرب",  # noqa: E501
        "• روسيا وأوكرانيا: كيف أصاب الفتور العلاقات بين موسكو وبكين خلال الحرب؟",
        "• روسيا وأوكرانيا: وزير الدفاع الأوكراني يؤكد أن بلده عضو في حلف الناتو بحكم الواقع",
        "قصص مقترحة نهاية",
        "تخطى البودكاست وواصل القراءة",
        "البودكاست",
        "تغيير بسيط: ما علاقة سلة مشترياتك بتغير المناخ؟",
        "الحلقات",
        "البودكاست نهاية",
        "صدر الصورة، Reuters",
        "بايدن وبوتين في قمة جمعتهما عام 2021",
    ],
}
ARTEFACT = "، يفتح علامة تبويب جديدة"


@pytest.mark.parametrize("name", sorted(NOT_STORY))
def test_every_story_line_is_kept_and_only_furniture_goes(name: str) -> None:
    raw_lines = [line.strip() for line in (SEEDS / name).read_text().splitlines() if line.strip()]
    cleaned_lines = load_file(SEEDS / name)[0].text.split("\n")
    for line in raw_lines:
        if line in NOT_STORY[name]:
            assert line not in cleaned_lines, f"furniture kept: {line!r}"
        else:
            assert line.replace(ARTEFACT, "") in cleaned_lines, f"story line lost: {line!r}"
    assert len(cleaned_lines) == len(set(cleaned_lines)), "a line is repeated"


def test_the_story_caption_twin_keeps_the_story_sentence() -> None:
    text = load_file(SEEDS / "004_aa184c3cf74723ce.txt")[0].text
    assert text.count('سيعمل على "تقوية وتعميق" العلاقات') == 1
    assert "ويتوقع التوصل إلى اتفاقيات جديدة اليوم" in text


def test_reuters_link_artefact_is_removed_inline() -> None:
    text = load_file(SEEDS / "000_479f4305cba7f61e.txt")[0].text
    assert "يفتح علامة تبويب جديدة" not in text
    assert "وحذرت من “عواقب وخيمة” لأي شركات صينية تدعم حرب روسيا في أوكرانيا." in text


def test_titles_dates_and_ids() -> None:
    articles = {p.name: load_file(p)[0] for p, _ in find_files([SEEDS])}
    assert articles["002_2a0015d8fffb9b77.txt"].date == "2024-04-29"
    assert articles["002_2a0015d8fffb9b77.txt"].title.startswith("لافروف في الصين")
    assert articles["004_aa184c3cf74723ce.txt"].title.startswith("روسيا وأوكرانيا: وزير الخارجية")
    # "موسكو" alone is a dateline, not a headline: the title comes from the first sentence
    assert articles["000_479f4305cba7f61e.txt"].title.startswith("أعلن وزير الخارجية الروسي")
    assert len({a.id for a in articles.values()}) == 5
    assert (
        load_file(SEEDS / "000_479f4305cba7f61e.txt")[0].id
        == articles["000_479f4305cba7f61e.txt"].id
    )


def test_skip_block_without_end_marker_removes_only_its_first_line() -> None:
    text = clean_text("العنوان هنا الآن\nتخطى قصص مقترحة وواصل القراءة\nجملة من القصة.")
    assert text == "العنوان هنا الآن\nجملة من القصة."


def test_extract_date_formats() -> None:
    assert extract_date("2023-02-21\nنص")[0] == "2023-02-21"
    assert extract_date("الثلاثاء 21 شباط 2023\nنص") == ("2023-02-21", "نص")
    assert extract_date("نص بلا تاريخ\nقال إن 21 فبراير 2023 كان يوما")[0] is None


def test_pick_title_prefers_a_headline() -> None:
    assert pick_title("دبلوماسي صيني كبير يقول إن العلاقات صلبة\nنص.") == (
        "دبلوماسي صيني كبير يقول إن العلاقات صلبة"
    )
