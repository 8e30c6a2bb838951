"""English answers are written in English letters (bot/script_ban.py)."""

import numpy as np

from bot.core import Bot
from bot.script_ban import ScriptBan, arabic_tokens, writes_arabic
from tests.fakes import ScriptedGenerator


def test_tokens_that_write_arabic_letters_are_found_by_their_bytes() -> None:
    assert writes_arabic("النقطة".encode())
    assert writes_arabic("ب".encode()[:1]), "a token may hold a letter's first byte alone"
    assert writes_arabic("٣".encode()), "Arabic-Indic digits are Arabic script"
    assert writes_arabic("ݐ".encode()), "the Arabic Supplement"
    for latin in ("Paris", " 1,435 mm", "Ogród Saski", "Temüjin", "—"):
        assert not writes_arabic(latin.encode()), latin
    assert not writes_arabic("é".encode()[1:]), "a continuation byte alone starts no letter"
    pieces = [b"The", "ال".encode(), b" dot", b"\xd9", "é".encode()]
    assert arabic_tokens(lambda ids: pieces[ids[0]], len(pieces)) == [1, 3]


def test_the_ban_takes_out_only_the_banned_tokens_scores() -> None:
    scores = np.array([1.0, 5.0, 3.0, 4.0], dtype=np.float32)
    kept = ScriptBan([1])(np.array([7, 8]), scores.copy())
    assert kept[1] == -np.inf
    assert list(kept[[0, 2, 3]]) == [1.0, 3.0, 4.0], "every other score as it was"
    assert int(np.argmax(kept)) == 3, "greedy decoding takes the next likeliest token"


def test_english_answers_are_kept_to_english_letters_when_set(seeded_retriever) -> None:
    replies = ("Putin spoke about the war [1].", "قال بوتين [1].")
    generator = ScriptedGenerator(*replies, *replies)
    bot = Bot(seeded_retriever, generator, english_letters=True)
    bot.ask("What did Putin say?")
    bot.ask("ماذا قال بوتين؟")
    assert generator.no_arabic == [True, False], "English answers only"
    default = Bot(seeded_retriever, generator)
    default.ask("What did Putin say?")
    default.ask("ماذا قال بوتين؟")
    assert generator.no_arabic[2:] == [False, False], "off by default"


def test_the_setting_reaches_the_bot(monkeypatch, hash_store) -> None:
    from bot.settings import Settings
    from bot.wiring import build_bot

    monkeypatch.setenv("SANAD_ENGLISH_LETTERS", "true")
    settings = Settings(sentence_windows=False)
    assert build_bot(settings, generator=ScriptedGenerator(), store=hash_store).english_letters
    monkeypatch.delenv("SANAD_ENGLISH_LETTERS")
    assert not Settings().english_letters, "off by default"
