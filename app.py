"""Start Sanad's web chat: index seeds/ when there is no index yet, then serve on loopback."""

from __future__ import annotations

import os

# Offline by design: no usage analytics, no update checks, no hub look-ups.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def main() -> None:
    import gradio as gr

    from bot.settings import Settings
    from bot.ui import CSS, build_ui
    from bot.wiring import build_bot, build_store, ensure_index

    settings = Settings()
    print(f"Sanad: data in {settings.data_dir}")

    def progress(done: int, total: int, name: str) -> None:
        print(f"  indexing {done}/{total} {name}", flush=True)

    store = build_store(settings)  # one store: indexed here, then searched by the bot
    report = ensure_index(settings, progress=progress, store=store)
    if report is not None:
        print(f"Indexed {len(report.added)} articles ({report.passages} passages) "
              f"in {report.seconds:.1f}s")  # fmt: skip
    bot = build_bot(settings, store=store)
    print("Loading the language model…", flush=True)
    bot.warm_up()
    theme = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])
    build_ui(bot).launch(server_name=settings.host, server_port=settings.port, css=CSS, theme=theme)


if __name__ == "__main__":
    main()
