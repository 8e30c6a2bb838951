"""Each real generation backend loads the packaged model and writes sensible text."""

import pytest

from bot.generation import text_of
from prompts import chat_messages

pytestmark = pytest.mark.slow

QUESTION = [
    {"role": "system", "content": "You answer in one short sentence."},
    {"role": "user", "content": "What is the capital of France?"},
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
    pieces = list(llama.stream(QUESTION, max_new_tokens=16))
    assert len(pieces) > 1
    text = "".join(pieces)
    assert "Paris" in text
    assert llama.generate(QUESTION, max_new_tokens=16) == text, "greedy decoding is repeatable"


def test_the_prompt_cache_keeps_one_row_of_logits_per_state(llama) -> None:
    """Resuming from a cached state gives the same text, and a state costs megabytes, not the
    ~250 MB of logits llama-cpp-python's own cache keeps per state."""
    first = llama.generate(QUESTION, max_new_tokens=16)
    other = [QUESTION[0], {"role": "user", "content": "What is the capital of Italy?"}]
    assert "Rome" in llama.generate(other, max_new_tokens=16)
    assert llama.generate(QUESTION, max_new_tokens=16) == first, "resumed from the cache"
    states = list(llama._llm.cache.cache_state.values())
    assert states and all(state.scores.shape[0] == 1 for state in states)


def test_transformers_loads_the_same_gguf_and_streams() -> None:
    from bot.generation import TransformersGenerator
    from bot.model_file import QWEN_CODER_1_5B
    from tests.conftest import MODELS_DIR

    generator = TransformersGenerator(MODELS_DIR / QWEN_CODER_1_5B.filename, device="cpu")
    pieces = list(generator.stream(QUESTION, max_new_tokens=8))
    assert pieces, "no text streamed"
    assert "Paris" in "".join(pieces)
    assert "صفاقس" in copied(generator)


def test_llama_cpp_copies_the_answer_from_the_passages(llama) -> None:
    assert "صفاقس" in copied(llama)
