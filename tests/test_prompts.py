from pathlib import Path

import pytest

import prompts
from prompts import PromptError, load_prompt


@pytest.mark.parametrize("language", ["ar", "en"])
def test_answer_prompts_render_passages_and_question(language: str) -> None:
    messages = (
        load_prompt("answer", language)
        .invoke({"passages": "[1] نص المقطع", "question": "QUESTION?"})
        .to_messages()
    )
    types = [m.type for m in messages]
    assert types[0] == "system" and types[-1] == "human"
    assert types[1:-1] == ["human", "ai"] * (len(types[1:-1]) // 2)  # worked examples
    assert "[1] نص المقطع" in messages[-1].content and "QUESTION?" in messages[-1].content


def test_the_refusal_sentence_is_the_one_the_bot_recognises() -> None:
    from bot.citations import REFUSALS

    for language, sentence in REFUSALS.items():
        text = (Path(prompts.__file__).parent / f"answer.{language}.txt").read_text()
        assert sentence.rstrip(".") in text


def test_a_prompt_with_wrong_placeholders_is_refused(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "answer.xx.txt").write_text("[system]\nS {passages}\n[user]\n{query}\n")
    (tmp_path / "answer.yy.txt").write_text("no sections {passages} {question}")
    monkeypatch.setattr(prompts, "PROMPTS_DIR", tmp_path)
    load_prompt.cache_clear()
    try:
        with pytest.raises(PromptError, match="expected"):
            load_prompt("answer", "xx")
        with pytest.raises(PromptError, match="section"):
            load_prompt("answer", "yy")
        with pytest.raises(PromptError, match="no prompt"):
            load_prompt("answer", "zz")
    finally:
        load_prompt.cache_clear()
