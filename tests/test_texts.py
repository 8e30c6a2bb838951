"""Counts read right in both languages (issue 14): Arabic's forms for one, two, 3–10, 11–99
and hundreds; English's singular."""

import pytest

from bot.texts import TEXT, counted


@pytest.mark.parametrize(("count", "english", "arabic"), [
    (1, "1 passage", "مقطع واحد"), (2, "2 passages", "مقطعان"), (3, "3 passages", "3 مقاطع"),
    (10, "10 passages", "10 مقاطع"), (11, "11 passages", "11 مقطعًا"),
    (99, "99 passages", "99 مقطعًا"), (100, "100 passages", "100 مقطع"),
    (105, "105 passages", "105 مقاطع"), (1000, "1000 passages", "1000 مقطع"),
])  # fmt: skip
def test_counts_of_passages(count: int, english: str, arabic: str) -> None:
    assert counted(count, "passage", "en") == english
    assert counted(count, "passage", "ar") == arabic


def test_the_upload_report_counts_in_the_readers_language() -> None:
    english = TEXT["en"]["added"].format(added=1, replaced=0, unchanged=0, seconds=1.0,
                                         passages=counted(1, "passage", "en"))  # fmt: skip
    assert "(1 passage," in english
    arabic = TEXT["ar"]["added"].format(added=1, replaced=0, unchanged=0, seconds=1.0,
                                        passages=counted(12, "passage", "ar"))  # fmt: skip
    assert "(12 مقطعًا،" in arabic


def test_no_text_relies_on_an_emoji_the_page_fonts_may_lack() -> None:
    for language, texts in TEXT.items():
        for key, text in texts.items():
            symbols = [c for c in text if ord(c) > 0xFFFF or 0x2300 <= ord(c) <= 0x27BF]
            assert not symbols, (language, key, symbols)
