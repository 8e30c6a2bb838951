"""Answers copied from the passages: what the copy rule lets a model write, and the logits
processor that keeps a greedy model to it."""

import numpy as np

from bot.copying import CopyDecoding, CopyRule

PASSAGES = [
    "وقال وزير المالية إن صادرات البلاد من القمح بلغت 12.5 مليون طن في عام 2021.",
    "وافتتح الرئيس مصنعا جديدا في مدينة الإسكندرية (مصر) يوم الخميس.",
]
REFUSAL = "لم أجد الإجابة في المقالات."


def rule() -> CopyRule:
    return CopyRule(PASSAGES, REFUSAL)


def test_a_span_of_a_passage_with_its_marker_is_an_answer():
    for answer in ["12.5 مليون طن [1]", "وزير المالية [1].", "في مدينة الإسكندرية (مصر) [2]"]:
        assert rule().complete(answer.encode()), answer


def test_spans_of_two_passages_joined_each_with_its_own_marker():
    assert rule().complete("12.5 مليون طن [1] ومدينة الإسكندرية [2]".encode())
    assert rule().complete("وزير المالية [1]، الرئيس [2]".encode())
    assert not rule().allows("12.5 مليون طن [2]".encode())  # the marker of another passage


def test_words_not_in_the_passages_are_never_allowed():
    assert not rule().allows("ارتفعت".encode())
    assert not rule().allows("13 مليون".encode())
    assert not rule().allows("12.5 مليون طن [1] تقريبا".encode())


def test_a_span_starts_and_ends_on_a_word_edge():
    assert not rule().allows("لية".encode())  # inside المالية
    assert rule().allows("المال".encode())  # may still grow into المالية
    assert not rule().complete("المال [1]".encode())
    assert rule().complete("المالية [1]".encode())


def test_a_span_is_open_until_its_marker_closes_it():
    for partial in ["", "12.5", "12.5 مليون طن", "12.5 مليون طن [", "12.5 مليون طن [1"]:
        assert rule().allows(partial.encode()) and not rule().complete(partial.encode())


def test_a_letter_cut_in_the_middle_of_its_bytes_can_still_grow():
    word = "الإسكندرية".encode()
    assert all(rule().allows(word[:end]) for end in range(1, len(word)))


def test_the_refusal_is_an_answer_and_a_line_break_is_not():
    assert rule().complete(REFUSAL.encode())
    assert rule().allows(REFUSAL[:6].encode())
    assert not rule().allows(b"12.5\n")


class Vocabulary:
    """Whole words as tokens, so a test can say which word the model likes best."""

    def __init__(self, words: list[str]) -> None:
        self.words = words

    def detokenize(self, tokens: list[int]) -> bytes:
        return "".join(self.words[t] for t in tokens).encode()

    def ids(self, *words: str) -> list[int]:
        return [self.words.index(w) for w in words]


def test_the_model_s_likeliest_allowed_token_is_the_only_one_left():
    vocab = Vocabulary(["<end>", "ارتفعت", "12.5", " مليون", " طن", " [", "1", "]", "x"] * 1
                       + [f"w{n}" for n in range(100)])  # fmt: skip
    decoding = CopyDecoding(rule(), vocab.detokenize, stops={0}, widths=(4, 64))
    prompt = [8, 8, 8]
    scores = np.zeros(len(vocab.words), dtype=np.float32)
    scores[vocab.ids("ارتفعت", "12.5")] = [5.0, 3.0]  # the model would rather rephrase
    kept = decoding(np.array(prompt), scores)
    assert np.argmax(kept) == vocab.ids("12.5")[0]
    assert np.isinf(kept[vocab.ids("ارتفعت")[0]])
    # once the answer is whole, the stop token is allowed, and preferred if the model says so
    answer = prompt + vocab.ids("12.5", " مليون", " طن", " [", "1", "]")
    scores = np.zeros(len(vocab.words), dtype=np.float32)
    scores[0] = 9.0
    assert np.argmax(decoding(np.array(answer), scores)) == 0


def test_the_answer_is_ended_when_nothing_allowed_can_follow():
    vocab = Vocabulary(["<end>", "x", "y"])
    decoding = CopyDecoding(rule(), vocab.detokenize, stops={0}, widths=(2,))
    kept = decoding(np.array([1]), np.array([0.0, 5.0, 4.0], dtype=np.float32))
    assert np.argmax(kept) == 0 and np.isinf(kept[1:]).all()


def test_spacing_the_passages_do_not_have_is_not_allowed():
    for text in ["12.5 مليون طن  [1]", "12.5\tمليون", "12.5 مليون طن [1]  "]:
        assert not rule().allows(text.encode()), text


def test_a_word_with_diacritics_is_one_word():
    marked = CopyRule(["وقال إنّ الوَحدة قائمة"], REFUSAL)
    assert not marked.complete("الو [1]".encode())
    assert marked.complete("الوحدة [1]".encode())


def test_diacritics_and_letter_forms_the_model_leaves_out_do_not_stop_a_copy():
    marked = CopyRule(["في القرنِ السَّادس عشر أعلنت إمارة حلب"], REFUSAL)
    assert marked.complete("في القرن السادس عشر [1]".encode())
    assert marked.complete("اعلنت امارة حلب [1]".encode())
    assert not marked.complete("القرن السابع [1]".encode())


def test_marks_are_left_out_of_the_answer_so_none_can_be_piled_on():
    marked = CopyRule(["في القرنِ السَّادس عشر"], REFUSAL)
    assert not marked.allows("القرنِ".encode())
    assert not marked.allows("القرن ـًّـًّ".encode())


def test_figures_in_arabic_indic_digits_are_copied_in_the_digits_the_model_reads():
    indic = CopyRule(["أقيمت المباراة أمام ٤٢ ألف متفرج"], REFUSAL)
    assert indic.complete("42 ألف متفرج [1]".encode())
    assert not indic.allows("52 ألف".encode())
