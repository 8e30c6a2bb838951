"""Each real generation backend loads the packaged model and writes sensible text."""

import pytest

from bot.generation import text_of
from bot.script_ban import writes_arabic
from prompts import chat_messages

pytestmark = pytest.mark.slow

QUESTION = [
    {"role": "system", "content": "You answer in one short sentence."},
    {"role": "user", "content": "What is the capital of France?"},
]
# a request the model answers in Arabic letters unless they are kept out
QUOTE = [
    {"role": "system", "content": "You answer in one short sentence."},
    {"role": "user", "content": "Write the Arabic word for 'book' in Arabic script."},
]


PASSAGES = [
    "وقال وزير الزراعة إن محصول البلاد من الزيتون بلغ 340 ألف طن هذا الموسم.",
    "وافتتحت الحكومة مطارا جديدا في مدينة صفاقس يوم الأحد.",
]
# the product's copy prompt (its worked examples), over passages it has never seen
ARABIC = chat_messages(
    "copy",
    "ar",
    passages="\n\n".join(f"[{n}] {p}" for n, p in enumerate(PASSAGES, 1)),
    question="أين افتتحت الحكومة المطار الجديد؟",
)


def copied(generator) -> str:
    """The answer to ARABIC, kept to the passages' words; it must be one the rule allows."""
    from bot.copying import CopyRule

    rule = CopyRule(PASSAGES, "لم أجد الإجابة في المقالات.")
    text = text_of(generator.stream(ARABIC, max_new_tokens=32, copy=rule))
    assert rule.complete(text.strip().encode()), text
    return text


def test_llama_cpp_streams_greedy_text(llama) -> None:
    pieces = [p for p in llama.stream(QUESTION, max_new_tokens=16) if isinstance(p, str)]
    assert len(pieces) > 1
    text = "".join(pieces)
    assert "Paris" in text
    assert llama.generate(QUESTION, max_new_tokens=16) == text, "greedy decoding is repeatable"


def test_an_answer_depends_on_its_prompt_alone(llama) -> None:
    """Each prompt is read from the state after its fixed part (system prompt, worked
    examples), whatever was asked before: asked again at once, after other prompts, or after
    a prompt of another language, the product's Arabic answer prompt gets the same text; the
    fixed part is read once, and the states kept hold one row of logits, not ~250 MB."""

    def asked(question: str, language: str = "ar") -> list[dict[str, str]]:
        passages = "\n\n".join(f"[{n}] {p}" for n, p in enumerate(PASSAGES, 1))
        return chat_messages("answer", language, passages=passages, question=question)

    olive = asked("كم بلغ محصول الزيتون هذا الموسم؟")
    first = llama.generate(olive, max_new_tokens=24)
    assert "340" in first
    assert llama.generate(olive, max_new_tokens=24) == first, "asked again at once"
    assert "صفاقس" in llama.generate(asked("أين افتتح المطار الجديد؟"), max_new_tokens=24)
    assert "340" in llama.generate(asked("How big was this season's olive harvest?", "en"), 24)
    assert llama.generate(olive, max_new_tokens=24) == first, "after other questions"

    prompt, fixed = llama._states.tokens(olive)
    assert 300 < len(fixed) < len(prompt), "the system prompt and worked examples"
    state, read, after = llama._states.states[tuple(fixed)]
    assert state.n_tokens == len(fixed) and state.scores.shape[0] == 1
    assert read == prompt and after.n_tokens > len(prompt), "kept for a follow-up"
    assert after.scores.shape[0] == 1


def test_transformers_loads_the_same_gguf_and_streams() -> None:
    from bot.generation import TransformersGenerator
    from bot.model_file import QWEN_CODER_1_5B
    from tests.conftest import MODELS_DIR

    generator = TransformersGenerator(MODELS_DIR / QWEN_CODER_1_5B.filename, device="cpu")
    pieces = list(generator.stream(QUESTION, max_new_tokens=8))
    assert pieces, "no text streamed"
    assert "Paris" in "".join(pieces)
    assert "صفاقس" in copied(generator)
    kept = text_of(generator.stream(QUOTE, max_new_tokens=12, no_arabic=True))
    assert kept.strip() and not writes_arabic(kept.encode()), kept


def test_llama_cpp_copies_the_answer_from_the_passages(llama) -> None:
    assert "صفاقس" in copied(llama)


def test_the_model_notes_how_sure_it_was_of_each_token(llama) -> None:
    """After its text, a llama.cpp stream says the probability the model gave each token it
    wrote; a figure plainly stated in a passage is written surely (above the Arabic floor of
    the confidence check)."""
    from bot.generation import Certainty
    from bot.settings import Settings
    from bot.verify import confidence

    passages = "\n\n".join(f"[{n}] {p}" for n, p in enumerate(PASSAGES, 1))
    olive = chat_messages("answer", "ar", passages=passages, question="كم بلغ محصول الزيتون؟")
    pieces = list(llama.stream(olive, max_new_tokens=24))
    *text, certainty = pieces
    assert isinstance(certainty, Certainty) and all(isinstance(p, str) for p in text)
    assert "340" in "".join(text)
    written = len(llama._llm.tokenize("".join(text).encode(), add_bos=False))
    assert abs(len(certainty.probabilities) - (written + 1)) <= 2, "a token each, and the end"
    assert all(0.0 < p <= 1.0 for p in certainty.probabilities)
    assert confidence(certainty.probabilities) > Settings().min_confidence_ar


def test_llama_cpp_writes_no_arabic_letters_when_asked_not_to(llama) -> None:
    """An English answer never quotes Arabic: kept from the tokens that write Arabic letters,
    the model writes something else where it would have; where it never reaches for one, its
    text is the same as without the ban."""
    free = llama.generate(QUOTE, max_new_tokens=16)
    assert writes_arabic(free.encode()), f"the test's prompt no longer asks for Arabic: {free!r}"
    kept = text_of(llama.stream(QUOTE, max_new_tokens=16, no_arabic=True))
    assert kept.strip() and not writes_arabic(kept.encode()), kept
    assert text_of(llama.stream(QUESTION, max_new_tokens=16, no_arabic=True)) == llama.generate(
        QUESTION, max_new_tokens=16
    )
