"""The one settings object: environment variables prefixed SANAD_, with defaults that just work."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from dotenv import dotenv_values
from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_data_dir() -> Path:
    """Where Sanad keeps its index, models and feedback: $SANAD_DATA_DIR, else the user's
    data folder (~/.local/share/sanad), shared by every checkout on the machine."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "sanad"


class ConfigError(ValueError):
    """A setting Sanad cannot use: the config file named by SANAD_CONFIG is missing or names
    settings Sanad does not have, or a value is not one the setting takes."""


def config_file() -> Path | None:
    """The file named by $SANAD_CONFIG (lines `SANAD_NAME=value`, as in the environment),
    checked: it must exist and name only settings Sanad has (a typo is an error, not ignored)."""
    if not (name := os.environ.get("SANAD_CONFIG", "").strip()):
        return None
    path = Path(name).expanduser()
    if not path.is_file():
        raise ConfigError(f"SANAD_CONFIG={name}: no such file")
    known = {f"SANAD_{field.upper()}" for field in Settings.model_fields} | {"SANAD_CONFIG"}
    unknown = sorted(key for key in dotenv_values(path) if key.upper() not in known)
    if unknown:
        raise ConfigError(f"{path}: no such setting {', '.join(unknown)} "
                          f"(the settings are listed in README.md)")  # fmt: skip
    return path


class Settings(BaseSettings):
    """Every knob of Sanad; each can be set as SANAD_<NAME> in the environment, or in the
    file $SANAD_CONFIG names (the environment wins where both set one)."""

    model_config = SettingsConfigDict(env_prefix="SANAD_", env_file=None, extra="ignore")

    def __init__(self, **values: Any) -> None:
        if "_env_file" not in values and (path := config_file()) is not None:
            values["_env_file"] = path
        try:
            super().__init__(**values)
        except ValidationError as exc:  # one line a setting, by the name the user set
            raise ConfigError("; ".join(
                f"SANAD_{'_'.join(map(str, e['loc'])).upper()}={e['input']!r}: {e['msg']}"
                for e in exc.errors()
            )) from None  # fmt: skip

    data_dir: Path = default_data_dir()
    model_dir: Path | None = None  # default: <data_dir>/models
    corpus: str = "seeds"
    seeds_dir: Path = PROJECT_ROOT / "seeds"

    # Retrieval
    # Passages' embedder: EmbeddingGemma-300M (llama.cpp, Q8_0) finds Arabic passages for
    # English questions far better; e5-small embeds ~3x faster, for very large corpora.
    # Each has an index (Chroma collection) of its own.
    embedder: Literal["gemma", "e5"] = "gemma"
    embedding_dims: int = 768  # EmbeddingGemma's vectors cut to 512, 256 or 128 (Matryoshka)
    window_embedder: Literal["e5", "passages"] = "e5"  # the sentence windows' (see wiring)
    retriever: Literal["hybrid", "dense", "keyword"] = "hybrid"
    # the keyword (BM25) list's weight in the hybrid fusion for an Arabic question (scaled down
    # by the share of non-Arabic letters: none for an English one). Tuned on XQuAD and ARCD
    # train with bench/fusion.py: 0.25 lifts recall@5 over dense alone on both, recall@1 on XQuAD.
    keyword_weight: float = 0.25
    top_k: int = 5
    fetch_k: int = 20
    chunk_tokens: int = 192
    chunk_overlap_tokens: int = 96
    sentence_windows: bool = True  # give the model each passage's best sentences, not all of it
    # Sentence windows the model reads: `min_windows` always, up to `max_windows` while as
    # close to the question as the last taken (within `window_margin`, e5 cosine)
    min_windows: int = 2
    max_windows: int = 4
    window_margin: float = 0.005
    window_lead: float = 0.03  # …and only the best one when it beats the next by this much
    window_other: float = 0.02  # …and another article's best when all are of one and it is close
    # weight of each sentence's share of the question's rarer words, added to its cosine.
    # Off: at 0.2 the windows hold the answer more often (bench.windows, ARCD 0.633→0.750,
    # XQuAD 0.850→0.850) but the model read them no better (bench.reading: 38 vs 41 of 80)
    window_lexical: float = 0.0
    # Decline without generating when the best sentence is less similar than this to the
    # question (e5 cosine), by the question's language. An English question over Arabic
    # sentences scores lower: plain answerable English questions on short news articles
    # (bench/sets/new-articles) scored 0.764–0.776. Measured with the verification checks
    # after the model (XQuAD English, 2 × 200 spread questions, and those articles; see
    # bench/results/reading.md): 0.74 for English instead of 0.78 answers 10 more right, shows
    # 5 more wrong and 4 more answers to unanswerable questions; below 0.74 nothing changes.
    # No Arabic question of these sets falls under 0.78. 0 turns it off.
    min_relevance_ar: float = 0.78
    min_relevance_en: float = 0.74
    # Verification: a draft is declined when the question is less similar than this to every
    # passage it cites (EmbeddingGemma cosine, question vs passage prompts; measured on XQuAD
    # English-over-Arabic: right drafts median 0.53, drafts for unanswerable questions 0.36).
    # Each passage is read with its article's title (the model card's "title: … | text: …"):
    # on 381 dev questions (seed 3) the same floor shows as many right answers, two wrong ones
    # fewer and one more to an unanswerable question (bench/results/reading.md, 8th session).
    # With SANAD_EMBEDDER=e5 the scale differs: measure before setting it. 0 turns it off.
    min_grounding: float = 0.33
    # Verification: a draft is declined when the geometric mean of the probabilities the model
    # gave its tokens is below this (models run here; a server's drafts are not scored).
    # Measured on the dev sets (XQuAD 80 seed 7 and 200 seed 1, 20% unanswerable; ARCD train
    # 80 seed 7 the same and 200 seed 1; drafts the other checks let through; see
    # bench/results/reading.md): Arabic 0.6 throws away 2 of 195 right drafts and stops 14 of
    # 183 wrong ones and 1 of 23 for unanswerable questions (0.7: 16, 41 and 4);
    # English over Arabic 0.8 throws away 2 of 34 right and stops 83 of 109 wrong (a name it
    # cannot spell from the Arabic is written unsurely). 0 turns it off.
    min_confidence_ar: float = 0.6
    min_confidence_en: float = 0.8
    # Verification: a draft the model was less sure of than `resample_below` (the mean above)
    # that passes every other check is written again `resamples` times with some freedom
    # (temperature 0.8, each from its own seed), and declined when fewer than `min_agreement`
    # of them give its figures, or half its words that are not the question's. Measured on the
    # dev sets (bench/results/reading.md, fifteenth session; drafts no other check stops):
    # below 0.85 it throws away 12 right drafts and stops 35 wrong ones and 4 for unanswerable
    # questions (40 × 3 spread questions seed 7; the 200 of XQuAD Arabic, XQuAD English and
    # ARCD, seed 1; the new articles); below 0.9, 24 and 49 and 4 (the drafts between are a
    # coin toss). It costs the samples' time after the draft, for the drafts asked. 0
    # resamples turns it off.
    resamples: int = 3
    resample_below: float = 0.85
    min_agreement: int = 2
    # Verification: an Arabic draft is declined when the sentences its answer comes from hold
    # less than this share of the question's words (interrogatives left out). On XQuAD Arabic
    # and ARCD (200 spread seed 1 and 120 seed 3, drafts the other checks let through) 0.25
    # throws away 3 of 221 right drafts and stops 15 of 198 wrong ones and 6 of 13 for
    # unanswerable questions (0.3: 6, 21 and 7); none of the short news articles' right ones
    # (bench/results/reading.md, ninth session). 0 turns it off.
    min_topic: float = 0.25
    # Arabic answers copied from the passages: the model (run here, llama.cpp or transformers)
    # may write only spans of their words, each with its passage's marker, or the refusal.
    # Off: more exact answers (SQuAD F1, 40 XQuAD Arabic 0.381→0.500, 40 ARCD 0.348→0.384)
    # but not more right ones (contains 21→21 and 20→12: a bare span, where the gold is a
    # longer phrase) and fewer declined, so more wrong answers shown (bench.reading "copy")
    copy_arabic: bool = False
    # English answers written in English letters only: the tokens that write Arabic letters are
    # kept out while the model (run here) writes one (bot/script_ban.py). Off: where the model
    # quotes its passage in an English answer ("… is "الهلال الذهبي" [1]"), the quote is
    # nearly always right, and kept to English letters it mostly writes an unsure
    # transliteration the confidence check declines (XQuAD English 200: 4 quoting answers
    # became 1 translated and 3 declined, right answers 27 either way; bench.english_letters).
    # On: for readers who read no Arabic at all.
    english_letters: bool = False
    # The Arabic question's words written in bold in the passages the model reads
    # (bot/marking.py). Off: on 100 spread questions each (seed 5, bench.marked) XQuAD Arabic
    # gained 4 right answers (28 -> 32) and ARCD lost 6 (34 -> 28): the model then gives the
    # bare figure or word ("7 [1]" for "7 مواسِم"), where people's answers are phrases
    mark_words: bool = False
    # People's names in an English question's passages followed by their usual English
    # spelling, where an index of names in both scripts has every word of them (bot/names.py):
    # the model copies "Samer Al-Khatib" where it guessed "Samer Al-Hassan". Foreign names the
    # index does not hold are left to the model.
    english_names: bool = True

    # A Chroma server (`chroma run`, `make chroma`), e.g. http://127.0.0.1:8000; unset: the
    # embedded store under <data_dir>/index
    chroma_url: str | None = None

    # Generation
    # An OpenAI-compatible server (llama.cpp's, vLLM, TGI), e.g. http://127.0.0.1:8080/v1;
    # unset: the packaged model, run in this process by llama.cpp
    llm_url: str | None = None
    llm_model: str = "sanad"  # the model name the server is asked for
    llm_api_key: str = "none"  # sent as a bearer token; local servers ignore it
    generator: Literal["llama-cpp", "transformers"] = "llama-cpp"
    model_path: Path | None = None  # a GGUF file (llama.cpp) or HF model directory (transformers)
    context_tokens: int = 4096
    # Prompt tokens read per step: 64, 256 and 512 read as fast on two cores (68–69 tokens/s);
    # 64 keeps less resident (llama.cpp holds n_batch × 151,936 logits) and lets a follow-up
    # keep its shared passages in finer blocks (bot/prompt_states.py)
    batch_tokens: int = 64
    max_new_tokens: int = 256
    threads: int | None = None

    # Web chat and HTTP API
    host: str = "127.0.0.1"
    port: int = 7860
    # Who may use it (bot/access.py; with none of the first three set, everything is open).
    # Keys, "name:key" comma-separated (a bare key is named key-1, key-2…): /api/* wants
    # "Authorization: Bearer <key>". Users, "name:password" comma-separated: the web chat asks
    # them to sign in. Auth header: the header in which a trusted proxy in front of Sanad puts
    # the signed-in user's name (the proxy must drop it from what clients send). Editors: the
    # user names that may add articles from the web chat.
    api_keys: str = ""
    users: str = ""
    auth_header: str = ""
    editors: str = ""
    # Requests that make the bot work, for each key or user, and for each client address
    # (`limits` syntax: "30/minute", "500/hour"); over it: 429 with Retry-After. Empty: no
    # limit. Behind a proxy every request comes from the proxy's address: raise the second.
    rate_limit: str = "30/minute"
    rate_limit_address: str = "120/minute"
    log_questions: bool = False  # the answer's log line carries the question's text
    # CORS origins, comma-separated: the portal pages allowed to call the API from a browser.
    cors_origins: str = ""
    max_upload_mb: int = 50  # uploads, and any file ingested: this size or more is refused

    @property
    def relevance_floors(self) -> dict[str, float]:
        """The relevance floor of a question in each language."""
        return {"ar": self.min_relevance_ar, "en": self.min_relevance_en}

    @property
    def models_dir(self) -> Path:
        return self.model_dir or self.data_dir / "models"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def feedback_db(self) -> Path:
        return self.data_dir / "feedback.sqlite3"

    @property
    def conversations_db(self) -> Path:
        return self.data_dir / "conversations.sqlite3"

    @property
    def uploads_dir(self) -> Path:
        """Articles added from the web chat are kept here."""
        return self.data_dir / "uploads"

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"

    @property
    def corpora_dir(self) -> Path:
        """Corpora made from test sets (SQuAD paragraphs)."""
        return self.data_dir / "corpora"

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]
