"""One web server: the HTTP API under /api, the web chat at /, and Gradio's web component
script at /gradio.js for portals that embed the chat (served here: the portal is offline)."""

from __future__ import annotations

import threading
from importlib import resources

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount

from bot.access import Access
from bot.api import create_api, route_error
from bot.conversations import ConversationStore
from bot.core import Bot
from bot.feedback import FeedbackStore
from bot.library import Library
from bot.monitoring import Monitor, RequestMonitor
from bot.page import CSS, JS
from bot.settings import Settings
from bot.ui import build_ui, load_examples
from retrieval.documents import EXAMPLES_FILE


def web_component_script() -> str:
    """Gradio's own loader of the <gradio-app> element, shipped inside the gradio package."""
    return str(resources.files("gradio").joinpath("templates/frontend/gradio.js"))


def create_app(
    settings: Settings,
    bot: Bot,
    library: Library,
    feedback: FeedbackStore,
    ready: threading.Event | None = None,
) -> FastAPI:
    import gradio as gr

    access = Access.from_settings(settings)
    app = create_api(bot, library, access=access, ready=ready)
    turns = getattr(bot.generator, "turns", None)  # a model in this process has a line
    monitor = Monitor(
        access, settings.rate_limit, settings.rate_limit_address, settings.log_questions,
        queue=(lambda: (turns.waiting, turns.busy_seconds)) if turns is not None else None,
        index=lambda: (len(library.articles()), library.store.count()),
    )  # fmt: skip
    bot.listeners.append(monitor.answered)
    if origins := settings.cors_origin_list:
        # With its own CORS policy set, the parent app's applies to the mounted chat as well.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],  # the embedded chat sends headers of its own
        )

    @app.get("/gradio.js", include_in_schema=False)
    def gradio_js() -> FileResponse:
        return FileResponse(web_component_script(), media_type="text/javascript")

    examples = load_examples(settings.seeds_dir / EXAMPLES_FILE)
    conversations = ConversationStore(settings.conversations_db)
    demo, i18n = build_ui(bot, library, feedback, settings.exports_dir, ready, examples, access,
                          conversations)  # fmt: skip
    theme = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])
    app = gr.mount_gradio_app(
        app,
        demo,
        path="/",
        server_name=settings.host,
        server_port=settings.port,
        i18n=i18n,
        css=CSS,
        js=JS,
        theme=theme,
        footer_links=["api"],
        max_file_size=f"{settings.max_upload_mb}mb",
        allowed_paths=[str(settings.exports_dir)],
        **access.gradio_options(),
    )
    chat = next(route.app for route in app.routes if isinstance(route, Mount))
    chat.add_exception_handler(StarletteHTTPException, route_error)
    app.add_middleware(RequestMonitor, monitor=monitor)  # outermost: sees every request
    return app
