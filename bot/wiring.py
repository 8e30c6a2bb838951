"""Builds Sanad's parts from Settings; the faces (CLI, web chat, API) start here."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.conversation import QuestionRewriter
from bot.core import Bot
from bot.embedding_file import EMBEDDING_GEMMA
from bot.generation import (
    Generator,
    LlamaCppGenerator,
    OpenAIGenerator,
    TransformersGenerator,
)
from bot.model_file import QWEN_CODER_1_5B, verify
from bot.names import NameSpeller
from bot.settings import Settings
from retrieval.chunking import Chunker
from retrieval.embedding import E5Embeddings, GemmaEmbeddings, LocalEmbeddings
from retrieval.focus import SentenceFocus
from retrieval.indexer import Indexer, IngestReport, Progress
from retrieval.search import HybridRetriever
from retrieval.store import PassageStore
from retrieval.tokens import seed_tiktoken_cache


@cache
def e5() -> E5Embeddings:
    """One e5 per process: the C engine's model is loaded once."""
    return E5Embeddings()


@cache
def gemma(model_path: Path, dims: int, threads: int | None) -> GemmaEmbeddings:
    return GemmaEmbeddings(model_path, dims=dims, threads=threads)


def embedder(settings: Settings | None = None) -> LocalEmbeddings:
    """The passages' embedder (`SANAD_EMBEDDER`), one per process."""
    settings = settings or Settings()
    if settings.embedder == "e5":
        return e5()
    path = verify(settings.models_dir / EMBEDDING_GEMMA.filename, EMBEDDING_GEMMA)
    return gemma(path, settings.embedding_dims, settings.threads)


def sentence_embedder(settings: Settings | None = None) -> LocalEmbeddings:
    """The sentence windows' embedder: they embed every sentence of the found passages while
    the user waits, so the fastest model that picks them well (`SANAD_WINDOW_EMBEDDER`)."""
    settings = settings or Settings()
    if settings.window_embedder == "e5":
        return e5()
    return embedder(settings)


def build_store(settings: Settings, corpus: str | None = None) -> PassageStore:
    """The passages of `corpus` (default: the chat's), in the embedded store or the server."""
    return PassageStore(
        settings.index_dir,
        embedder(settings),
        corpus=corpus or settings.corpus,
        url=settings.chroma_url,
    )


def build_indexer(settings: Settings, store: PassageStore | None = None) -> Indexer:
    seed_tiktoken_cache()
    emb = embedder(settings)
    chunker = Chunker(
        chunk_tokens=settings.chunk_tokens,
        overlap_tokens=settings.chunk_overlap_tokens,
        window_tokens=emb.window_tokens,
        window_count=emb.token_count,
    )
    return Indexer(store or build_store(settings), chunker,
                   max_file_bytes=settings.max_upload_mb << 20)  # fmt: skip


def model_path(settings: Settings) -> Path:
    """The configured model, or the packaged GGUF, checked against its pinned sha256."""
    if settings.model_path:
        return settings.model_path
    return verify(settings.models_dir / QWEN_CODER_1_5B.filename, QWEN_CODER_1_5B)


def build_generator(settings: Settings) -> Generator:
    if settings.llm_url:
        return OpenAIGenerator(settings.llm_url, settings.llm_model, settings.llm_api_key)
    path = model_path(settings)
    if settings.generator == "transformers":
        return TransformersGenerator(path)
    return LlamaCppGenerator(path, context_tokens=settings.context_tokens, threads=settings.threads,
                             n_batch=settings.batch_tokens)  # fmt: skip


def build_bot(
    settings: Settings, generator: Generator | None = None, store: PassageStore | None = None
) -> Bot:
    store = store or build_store(settings)
    retriever = HybridRetriever(
        store=store,
        k=settings.top_k,
        fetch_k=settings.fetch_k,
        mode=settings.retriever,
        keyword_weight=settings.keyword_weight,
    )
    focus = (
        SentenceFocus(sentence_embedder(settings), max_windows=settings.max_windows,
                      min_windows=settings.min_windows, margin=settings.window_margin,
                      lead=settings.window_lead, other=settings.window_other,
                      lexical=settings.window_lexical)
        if settings.sentence_windows else None
    )  # fmt: skip
    generator = generator or build_generator(settings)
    return Bot(
        retriever,
        generator,
        settings.max_new_tokens,
        focus=focus,
        min_relevance=settings.relevance_floors,
        rewriter=QuestionRewriter(generator),
        # measured on EmbeddingGemma's scale; e5's is another
        min_grounding=settings.min_grounding if settings.embedder == "gemma" else 0.0,
        min_confidence={"ar": settings.min_confidence_ar, "en": settings.min_confidence_en},
        min_topic=settings.min_topic,
        resamples=settings.resamples,
        resample_below=settings.resample_below,
        min_agreement=settings.min_agreement,
        copy_arabic=settings.copy_arabic,
        english_letters=settings.english_letters,
        mark_words=settings.mark_words,
        names=NameSpeller() if settings.english_names else None,
    )


def ensure_index(
    settings: Settings, progress: Progress | None = None, store: PassageStore | None = None
) -> IngestReport | None:
    """Index the default corpus (seeds/) and the articles added in the chat (kept in uploads/)
    when the index is empty, as it is after a change of embedder; None when it was not."""
    store = store or build_store(settings)
    if store.count() > 0:
        return None
    paths = [settings.seeds_dir]
    if settings.uploads_dir.is_dir() and any(settings.uploads_dir.iterdir()):
        paths.append(settings.uploads_dir)
    return build_indexer(settings, store).ingest(paths, progress=progress)
