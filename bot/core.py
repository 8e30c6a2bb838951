"""The Bot: question → retrieve → prompt → generate → cite. Every face talks to this."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, cast

from langchain_core.runnables import RunnableGenerator

from bot.citations import (
    REFUSALS,
    Citation,
    MarkerFilter,
    best_passage,
    build_citations,
    cite_article_figures,
    cited_numbers,
    drop_invalid_markers,
    is_refusal,
    normalize_markers,
    renumber,
    unverified_numbers,
)
from bot.conversation import History, QuestionRewriter
from bot.copying import CopyRule
from bot.generation import (
    Certainty,
    Generator,
    GeneratorUnavailable,
    Message,
    Resampler,
    Waiting,
    prompt_digest,
)
from bot.guard import defang, is_instruction
from bot.hedges import qualified_figures
from bot.language import Language, detect_language, is_other_language, strip_invisible
from bot.marking import marker, unmarked
from bot.measures import corrected_measures
from bot.names import NameSpeller, SpellingEcho
from bot.texts import according_to
from bot.verify import Draft, Verifier, agreement, confidence
from prompts import chat_messages
from retrieval.arabic import western_digits
from retrieval.dates import Filters
from retrieval.documents import Passage
from retrieval.embedding import embed_titled
from retrieval.focus import SentenceFocus
from retrieval.search import HybridRetriever
from retrieval.store import StoreUnavailable

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
# A service Sanad relies on is down (the Chroma server, the model server): the user is told,
# and the next question works once it is back.
UNAVAILABLE = (StoreUnavailable, GeneratorUnavailable)


def unavailable_code(exc: Exception) -> str:
    """The code (and TEXT key) of a service that is down."""
    return "index_unavailable" if isinstance(exc, StoreUnavailable) else "model_unavailable"


class QuestionError(ValueError):
    """A question Sanad cannot take; the message is for the user, `code` for programs
    ("empty", "too_long" or "language")."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def passage_dict(n: int, passage: Passage) -> dict[str, Any]:
    """The JSON shape of source `n` (HTTP API, CLI --json)."""
    return {
        "n": n,
        "doc_id": passage.doc_id,
        "title": passage.title,
        "file": passage.source,
        "date": passage.date,
        "date_from": passage.date_from or None,
        "outlet": passage.outlet or None,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
        "score": round(passage.score, 6),
        "also_in": list(passage.also_in),
    }


@dataclass
class Answer:
    question: str
    language: Language
    text: str
    citations: list[Citation]
    passages: list[Passage]
    unverified: list[str] = field(default_factory=list)
    refused: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    query: str = ""  # what was searched for: the question, rewritten when it was a follow-up
    draft: str = ""  # what the model wrote (markers cleaned), shown or not
    checks: list[str] = field(default_factory=list)  # the verification checks it failed
    # the probability the model gave each token of its draft (empty: not known)
    probabilities: tuple[float, ...] = ()
    # the model's text as it wrote it, its own markers and all (the eval keeps it, so that the
    # verification stage can be run again on the same answers: bench/replay.py)
    raw: str = ""
    prompt: str = ""  # the fingerprint of what the model read (bot/generation.py::prompt_digest)
    # words of the draft rewritten from its sources: (written, corrected), e.g. a figure's
    # currency ("dinars", "dirhams"; bot/measures.py) or qualifier ("22", "more than 22";
    # bot/hedges.py)
    corrections: list[tuple[str, str]] = field(default_factory=list)
    # the draft written again with some freedom, for the agreement check (empty: not asked)
    resamples: tuple[str, ...] = ()

    def confidence(self) -> float | None:
        """How sure the model was of its draft; None when not known."""
        sure = confidence(self.probabilities) if self.draft else None
        return None if sure is None else round(sure, 3)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of an answer (CLI --json, HTTP API)."""
        return {
            "question": self.question,
            "query": self.query or self.question,
            "answer": self.text,
            "language": self.language,
            "refused": self.refused,
            "citations": [
                passage_dict(c.n, c.passage)
                | {
                    "sentence_start": c.sentence_start,
                    "sentence_end": c.sentence_end,
                    "sentence": c.sentence,
                }
                for c in self.citations
            ],
            "unverified": self.unverified,
            # what the model wrote, and the checks it failed (a declined draft is kept here)
            "draft": self.draft,
            "checks_failed": self.checks,
            "corrections": [{"written": old, "corrected": new} for old, new in self.corrections],
            # how sure the model was of the draft (its tokens' geometric-mean probability)
            "confidence": self.confidence(),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


@dataclass
class Sources:
    """Emitted as soon as retrieval is done, before the model writes anything."""

    passages: list[Passage]
    language: Language
    query: str = ""


@dataclass
class Token:
    text: str


@dataclass
class Queued:
    """Emitted while other questions are ahead of this one for the model (each change)."""

    ahead: int


Event = Sources | Queued | Token | Answer


def read_text(passage: Passage) -> str:
    """A passage as the model reads it: sentences addressed to an AI cut, figures in the digits
    0-9 (the model misreads Arabic-Indic ones: "٤٢ ألف" read as 52 thousand)."""
    return western_digits(defang(passage.text))


def format_passages(passages: Sequence[Passage], mark: Callable[[str], str] | None = None) -> str:
    """Passages numbered [1]..[n] as the model reads them (`read_text`), words `mark`ed."""
    texts = [read_text(p) for p in passages]
    return "\n\n".join(f"[{n}] {mark(t) if mark else t}" for n, t in enumerate(texts, start=1))


class Bot:
    """Answers a question from the indexed articles, citing the passages it used."""

    def __init__(
        self,
        retriever: HybridRetriever,
        generator: Generator,
        max_new_tokens: int = 256,
        focus: SentenceFocus | None = None,
        min_relevance: dict[str, float] | None = None,
        rewriter: QuestionRewriter | None = None,
        verifier: Verifier | None = None,
        min_grounding: float = 0.0,
        min_confidence: dict[str, float] | None = None,
        min_topic: float = 0.0,
        resamples: int = 0,
        resample_below: float = 0.0,
        min_agreement: int = 0,
        prompt: str = "answer",
        copy_arabic: bool = False,
        english_letters: bool = False,
        mark_words: bool = False,
        names: NameSpeller | None = None,
    ) -> None:
        self.retriever = retriever
        self.prompt = prompt  # the prompt file the model answers by (prompts/<prompt>.<lang>.txt)
        # Arabic answers copied from the passages: the model may write only their words, each
        # span followed by its passage's marker (bot/copying.py, prompts/copy.ar.txt)
        self.copy_arabic = copy_arabic
        # English answers kept to English letters: the model may not quote its Arabic
        # passages, only translate them (bot/script_ban.py; off by default)
        self.english_letters = english_letters
        # the Arabic question's words in bold in the passages it reads (bot/marking.py)
        self.mark_words = mark_words
        # the English spelling of people's names after them, where an English question's
        # passages have names people write in English letters (bot/names.py)
        self.names = names
        # Follow-ups ("and in 2022?") are rewritten with the conversation before retrieval.
        self.rewriter = rewriter
        self.generator = generator
        self.max_new_tokens = max_new_tokens
        self.focus = focus
        # Below this similarity between the question and its best passage (by the question's
        # language), the articles are about something else: decline without asking the model,
        # which would guess. None, or 0 for a language: always ask.
        self.min_relevance = min_relevance or {}
        # the verification stage; its grounding check compares by the retriever's embedder
        self.verifier = verifier or Verifier(similarity=self.closeness,
                                             min_grounding=min_grounding,
                                             min_confidence=min_confidence,
                                             min_topic=min_topic,
                                             min_agreement=min_agreement)  # fmt: skip
        # a draft the model was less sure of than `resample_below` (and every other check
        # passes) is written again `resamples` times with some freedom, for the agreement check
        self.resamples, self.resample_below = resamples, resample_below
        # told of every finished answer (the server's metrics and audit log)
        self.listeners: list[Callable[[Answer], None]] = []

    def messages(
        self, question: str, passages: Sequence[Passage], language: Language
    ) -> list[Message]:
        mark = marker(question) if self.marks(language) else None
        if language == "en" and self.names is not None:
            mark = partial(self.names.mark, surnames=self.surnames(passages))
        return chat_messages(
            "copy" if self.copies(language) else self.prompt,
            language,
            passages=format_passages(passages, mark),
            question=question,
        )

    def spellings(self, passages: Sequence[Passage], language: Language) -> set[str]:
        """The names' English spellings an English question's passages carry (bot/names.py)."""
        if language != "en" or self.names is None:
            return set()
        return self.names.spellings(map(read_text, passages), self.surnames(passages))

    def surnames(self, passages: Sequence[Passage]) -> dict[str, str]:
        """The last names of the people the passages, or the articles' paragraphs they were
        cut from, name in full: a window may call a man only by the last."""
        assert self.names is not None
        return self.names.surnames(p.context or p.text for p in passages)

    def marks(self, language: Language) -> bool:
        return self.mark_words and language == "ar" and not self.copies(language)

    def copies(self, language: Language) -> bool:
        return self.copy_arabic and language == "ar"

    def copy_rule(self, passages: Sequence[Passage], language: Language) -> CopyRule | None:
        """What an answer copied from these passages may be (as the model reads them)."""
        if not self.copies(language):
            return None
        return CopyRule([defang(p.text) for p in passages], REFUSALS[language])

    def warm_up(self) -> None:
        """Load the models and read each language's fixed prompt (instructions and worked
        examples) once, so that the first question pays only for its own passages."""
        for language in ("ar", "en"):
            self.generator.generate(self.messages("?", [], language), max_new_tokens=1)
            if self.rewriter is not None:
                self.rewriter.warm_up(language)

    def stream(
        self, question: str, history: History | None = None, filters: Filters | None = None
    ) -> Iterator[Event]:
        """Sources first, then the answer's text as it is written, then the final Answer.
        `history` (earlier turns, oldest first) lets a follow-up question lean on them;
        `filters` keep to the articles of a range of days or an outlet."""
        question = check_question(question)
        started = time.perf_counter()
        language = detect_language(question)
        timings: dict[str, float] = {}
        original, question = question, question
        if history and self.rewriter is not None:
            question = self.rewriter.rewrite(question, history)
            timings["rewrite"] = time.perf_counter() - started
        passages = self.retriever.search(question, filters=filters)
        if self.focus is not None:
            passages = self.focus.focus(question, passages)
        timings["retrieval"] = time.perf_counter() - started - timings.get("rewrite", 0.0)
        yield Sources(passages, language, query=question)
        raw, certainty, prompt, messages = "", None, "", None
        markers = MarkerFilter(len(passages))
        echo = SpellingEcho(self.spellings(passages, language))
        # a question that gives the assistant orders is not a question about the articles
        if passages and self.relevant(passages, language) and not is_instruction(question):
            # closed at once when this stream is (a client that went away): the model stops
            # writing and is free for the next question, instead of when this is collected
            messages = self.messages(question, passages, language)
            prompt = prompt_digest(messages)
            pieces = self.generator.stream(
                messages,
                self.max_new_tokens,
                copy=self.copy_rule(passages, language),
                no_arabic=self.english_letters and language == "en",
            )
            with closing(pieces):  # type: ignore[type-var]
                for piece in pieces:
                    if isinstance(piece, Waiting):
                        yield Queued(piece.ahead)
                        continue
                    if isinstance(piece, Certainty):
                        # the stream's last note: it waits there, holding its turn at the
                        # model until this block ends, so the draft's samples are written
                        # in that turn (`finish`)
                        certainty = piece
                        break
                    if self.marks(language) and not (piece := unmarked(piece)):
                        continue
                    if not (piece := echo.feed(piece)):
                        continue
                    if not raw:
                        timings["first_token"] = time.perf_counter() - started
                    raw += piece
                    if shown := markers.feed(piece):
                        yield Token(shown)
                raw += (held := echo.flush())
                if rest := markers.feed(held) + markers.flush():
                    yield Token(rest)
                answer = self.finish(question, language, raw, passages, timings, certainty,
                                     messages)  # fmt: skip
        else:
            answer = self.finish(question, language, raw, passages, timings)
        timings["total"] = time.perf_counter() - started  # the checks too: the answer stands
        answer.question, answer.query, answer.prompt = original, question, prompt
        if not answer.refused and (dated := cited_dates(answer, language)):
            answer.text = f"{answer.text}\n\n{dated}"  # what it rests on, and when it was said
            yield Token(f"\n\n{dated}")
        for listener in self.listeners:
            try:
                listener(answer)
            except Exception:  # watching answers must never break one
                log.exception("an answer listener failed")
        yield answer

    def relevant(self, passages: Sequence[Passage], language: Language) -> bool:
        """Whether the best passage is close enough to a question in `language` to be worth
        reading."""
        if not (floor := self.min_relevance.get(language)):
            return True
        # the question's cosine to its closest sentence (or passage): how close in meaning,
        # not how many of its words a sentence shares
        best = max(p.scores.get("sentence", p.score) if self.focus else p.scores.get("dense", 1.0)
                   for p in passages)  # fmt: skip
        return best >= floor

    def finish(
        self,
        question: str,
        language: Language,
        raw: str,
        passages: list[Passage],
        timings: dict[str, float],
        certainty: Certainty | None = None,
        messages: list[Message] | None = None,
    ) -> Answer:
        """Turn the model's draft into an Answer: valid markers only, a citation even when
        the model gave none, then the verification stage: a draft that fails a check becomes
        a plain refusal in the question's language, which keeps the sources found."""
        text = drop_invalid_markers(normalize_markers(raw), len(passages))

        probabilities = certainty.probabilities if certainty else ()

        def declined(failed: list[str], draft: str, resamples: Sequence[str] = ()) -> Answer:
            return Answer(question, language, REFUSALS[language], [], passages, refused=True,
                          timings=timings, draft=draft, checks=failed,
                          probabilities=probabilities, raw=raw,
                          resamples=tuple(resamples))  # fmt: skip

        if not passages or not text or is_refusal(text):
            return declined([], "")  # the model's own refusal: no draft to withdraw
        if not cited_numbers(text):
            text = f"{text} [{best_passage(text, passages, self.similarity) + 1}]"
        text = cite_article_figures(text, passages)
        written, passages = renumber(text, passages)
        citations = build_citations(written, passages)
        cited = [c.passage for c in citations]
        text, corrections, sources = written, [], [p.text for p in cited or passages]
        if language == "en":  # a figure's unit or currency as its sources count it
            text, corrections = corrected_measures(written, sources)
        text, qualified = qualified_figures(text, sources, language)  # "about", "more than"
        corrections += qualified
        draft = Draft(question, language, text, passages, cited, probabilities)
        failed = self.verifier.failures(draft)
        if messages and not self.verifier.declines(failed) and self.doubtful(draft):
            started = time.perf_counter()
            draft = self.resampled(draft, messages, len(probabilities) + 8, after=certainty)
            timings["check"] = time.perf_counter() - started
            failed += self.verifier.failures(draft, only=["agreement"])  # the others as they were
        if self.verifier.declines(failed):
            return declined(failed, written, draft.resamples or ())
        return Answer(question, language, text, citations, passages,
                      unverified_numbers(text, draft.cited), timings=timings, draft=written,
                      checks=failed, probabilities=probabilities, raw=raw,
                      corrections=corrections,
                      resamples=tuple(draft.resamples or ()))  # fmt: skip

    def doubtful(self, draft: Draft) -> bool:
        """Whether the draft is worth writing again: the model was unsure of it (a model that
        cannot sample, or whose certainty is unknown, is not asked)."""
        sure = confidence(draft.probabilities)
        return (self.resamples > 0 and sure is not None and sure < self.resample_below
                and isinstance(self.generator, Resampler))  # fmt: skip

    def resampled(
        self,
        draft: Draft,
        messages: list[Message],
        max_new_tokens: int,
        after: Certainty | None = None,
    ) -> Draft:
        """The draft with its resamples (as long as the draft and a few tokens: its fact comes
        as early), drawn until the agreement check is settled (two of three agreeing, or
        disagreeing, leave the third unwritten); as it was when the model gave none. `after`:
        the draft's own note, whose stream still holds the model (the samples in its turn)."""
        samples: list[str] = []
        pieces = cast(Resampler, self.generator).resample(
            messages, self.resamples, max_new_tokens, after=after
        )
        with closing(pieces):  # type: ignore[type-var]
            for sample in pieces:
                samples.append(sample)
                agreeing = agreement(replace(draft, resamples=samples))
                left = self.resamples - len(samples)
                if not self.verifier.min_agreement - left <= agreeing < self.verifier.min_agreement:
                    break  # as many agree as needed, or too few can
        return replace(draft, resamples=tuple(samples)) if samples else draft

    def similarity(self, text: str, candidates: Sequence[str]) -> list[float]:
        """Cross-lingual similarity of a text to candidate passages, by the retriever's embedder."""
        embeddings = self.retriever.store.embeddings
        return cosines(embeddings.embed_query(text), embeddings.embed_documents(list(candidates)))

    def closeness(self, question: str, passages: Sequence[Passage]) -> list[float]:
        """How close a question is to each passage read with its article's title: a passage
        that says "the fair" is about the book fair its article's title names."""
        embeddings = self.retriever.store.embeddings
        titled = embed_titled(embeddings, [(p.title, p.text) for p in passages])
        return cosines(embeddings.embed_query(question), titled)

    def ask(
        self, question: str, history: History | None = None, filters: Filters | None = None
    ) -> Answer:
        for event in self.stream(question, history, filters):
            if isinstance(event, Answer):
                return event
        raise RuntimeError("the answer stream ended without an answer")  # unreachable

    def as_runnable(self) -> RunnableGenerator:
        """A LangChain runnable: a question in, the answer's text streamed out."""

        def run(questions: Iterator[Any]) -> Iterator[str]:
            for item in questions:
                question = item["question"] if isinstance(item, dict) else str(item)
                history = item.get("history") if isinstance(item, dict) else None
                for event in self.stream(question, history):
                    if isinstance(event, Token):
                        yield event.text

        return RunnableGenerator(run)


def cosines(query: Sequence[float], vectors: Sequence[Sequence[float]]) -> list[float]:
    """A query's cosine to each vector (the embedders' vectors are unit length)."""
    return [sum(a * b for a, b in zip(query, vector, strict=True)) for vector in vectors]


def cited_dates(answer: Answer, language: Language) -> str:
    """ "According to Reuters on 9 April 2024 [1]." for the cited articles that carry their
    own date (news changes: a figure is true as of its article's day); empty when none does."""
    dated = [(c.n, c.passage.outlet, c.passage.date or "") for c in answer.citations
             if c.passage.published]  # fmt: skip
    return according_to(dated[:2], language)


def check_question(question: str) -> str:
    """The question as Sanad reads it (invisible and bidi control characters removed), or a
    QuestionError saying what is wrong in both languages."""
    question = strip_invisible(question or "").strip()
    if not question:
        raise QuestionError("The question is empty. / السؤال فارغ.", "empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question is longer than {MAX_QUESTION_CHARS} characters. / "
            f"السؤال أطول من {MAX_QUESTION_CHARS} حرف.",
            "too_long",
        )
    if is_other_language(question):
        raise QuestionError(
            "Sanad answers questions in Arabic or English; please ask in one of them. / "
            "يجيب سند عن الأسئلة بالعربية أو الإنجليزية؛ اطرح سؤالك بإحداهما.",
            "language",
        )
    return question
