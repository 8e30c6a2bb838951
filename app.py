"""Start Sanad: index seeds/ when there is no index yet, then serve the web chat and the HTTP
API on one port, loading the language model in the background (the page says so meanwhile)."""

from __future__ import annotations

import os
import threading

# Offline by design: no usage analytics, no update checks, no hub look-ups.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def warm_up(bot, ready: threading.Event) -> None:
    try:
        bot.warm_up()
        print("Sanad: the language model is ready.", flush=True)
    except Exception as exc:  # questions will report it; the page must not wait forever
        print(f"Sanad: the language model could not be loaded: {exc}", flush=True)
    finally:
        ready.set()


def main() -> None:
    import uvicorn

    from bot.feedback import FeedbackStore
    from bot.library import Library
    from bot.monitoring import json_logging
    from bot.server import create_app
    from bot.settings import ConfigError, Settings
    from bot.wiring import build_bot, build_indexer, build_store, ensure_index
    from retrieval.store import StoreUnavailable

    try:
        settings = Settings()
    except ConfigError as exc:
        raise SystemExit(f"Sanad: {exc}") from None
    json_logging()  # a JSON line per request and per answer, on stderr
    print(f"Sanad: data in {settings.data_dir}")

    def progress(stage: str, done: int, total: int, name: str) -> None:
        if stage == "embed":
            print(f"  indexing {done}/{total} passages {name}", flush=True)

    store = build_store(settings)  # one store: indexed here, then searched by the bot
    try:
        report = ensure_index(settings, progress=progress, store=store)
    except StoreUnavailable as exc:
        raise SystemExit(
            f"Sanad: {exc}. Start it (make chroma) or unset SANAD_CHROMA_URL."
        ) from None
    if report is not None:
        print(f"Indexed {len(report.added)} articles ({report.passages} passages) "
              f"in {report.seconds:.1f}s")  # fmt: skip
    bot = build_bot(settings, store=store)
    library = Library(store, build_indexer(settings, store), settings.uploads_dir)
    feedback = FeedbackStore(settings.feedback_db)
    ready = threading.Event()
    app = create_app(settings, bot, library, feedback, ready)
    threading.Thread(target=warm_up, args=(bot, ready), daemon=True).start()
    print(f"Sanad: open http://{settings.host}:{settings.port}/ (API: /api, docs: /docs)",
          flush=True)  # fmt: skip
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


if __name__ == "__main__":
    main()
