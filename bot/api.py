"""The HTTP API for the portal: JSON and server-sent events over the same Bot as the web chat."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.access import Access, ApiKeyGate
from bot.core import (
    UNAVAILABLE,
    Answer,
    Bot,
    QuestionError,
    Queued,
    Sources,
    Token,
    check_question,
    passage_dict,
    unavailable_code,
)
from bot.generation import GeneratorUnavailable
from bot.library import Library
from bot.texts import TEXT
from retrieval.dates import FilterError, Filters
from retrieval.store import StoreUnavailable

STATUS = {"empty": 422, "too_long": 413}


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class ArticleFilter(BaseModel):
    """Keep to the articles of a range of days (inclusive) and/or of one outlet."""

    model_config = ConfigDict(populate_by_name=True)

    start: str | None = Field(None, alias="from", description="First day, YYYY-MM-DD.")
    end: str | None = Field(None, alias="to", description="Last day, YYYY-MM-DD.")
    outlet: str | None = Field(None, description="An outlet as /api/articles names it.")


class AskRequest(BaseModel):
    question: str = Field(description="The question, in Arabic or English (up to 2000 characters).")
    history: list[Turn] = Field(
        default_factory=list,
        max_length=40,
        description="Earlier turns, oldest first, so that a follow-up can lean on them.",
    )
    filters: ArticleFilter | None = Field(
        None, description="Answer only from these articles (by date and outlet)."
    )


def error(status: int, code: str, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


def unavailable_error(exc: Exception) -> dict[str, Any]:
    """The error body for a service that is down, in both languages."""
    code = unavailable_code(exc)
    return {"error": {"code": code, "message": f"{TEXT['en'][code]} / {TEXT['ar'][code]}",
                      "detail": str(exc)}}  # fmt: skip


def sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


class ClosingStream(StreamingResponse):
    """A StreamingResponse over a sync iterator that is closed the moment the response ends,
    however it ends. A client that drops the stream must stop the model at once: left to the
    garbage collector, the half-read answer held the model's lock for minutes."""

    def __init__(self, content: Iterator[str], **kwargs: Any) -> None:
        self._source = content
        super().__init__(self._pull(), **kwargs)

    async def _pull(self) -> AsyncIterator[str]:
        # one next() at a time in a worker thread; cancelling waits for the step in progress
        while (item := await run_in_threadpool(next, self._source, None)) is not None:
            yield item

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            # GeneratorExit runs through Bot.stream into the model's stream: it stops writing
            # and lets go of its lock. Quick: no further token is made.
            close = getattr(self._source, "close", None)
            if close is not None:
                close()


def create_api(
    bot: Bot,
    library: Library,
    access: Access | None = None,
    ready: threading.Event | None = None,
) -> FastAPI:
    """A FastAPI app with Sanad's /api routes (the web chat is mounted beside them); with
    `access` enabled, /api/* but /api/health needs a credential (bot/access.py)."""
    app = FastAPI(
        title="Sanad API",
        version="1.0",
        description="Cited answers about Arabic news articles, in Arabic or English.",
    )
    app.add_middleware(ApiKeyGate, access=access or Access())
    api = APIRouter(prefix="/api")

    @api.get("/health")
    def health() -> JSONResponse:
        """Ready when the language model is loaded; 503 while it loads."""
        loading = ready is not None and not ready.is_set()
        try:
            articles, passages = len(library.articles()), library.store.count()
        except UNAVAILABLE as exc:
            return JSONResponse({"status": "unavailable", **unavailable_error(exc)}, 503)
        body = {"status": "loading" if loading else "ok", "articles": articles,
                "passages": passages}  # fmt: skip
        return JSONResponse(body, 503 if loading else 200)

    @api.get("/articles")
    def articles() -> dict[str, list[dict[str, Any]]]:
        """Every indexed article: doc_id, title, file, date (and where it was found: metadata,
        name, text or ingested), outlet, passages."""
        return {"articles": [a.to_dict() for a in library.articles()]}

    def filters_of(request: AskRequest) -> Filters | None:
        """The request's filters, checked: days that are days, an outlet that is indexed."""
        if request.filters is None:
            return None
        found = Filters.parse(request.filters.start, request.filters.end, request.filters.outlet)
        known = library.outlets()
        if found.outlet and found.outlet not in known:
            listed = ", ".join(known) or "none"
            raise FilterError(f"No indexed article is from '{found.outlet}' (outlets: {listed}). "
                              f"/ لا مقال مفهرس من '{found.outlet}'.")  # fmt: skip
        return found or None

    @api.post("/ask")
    def ask(request: AskRequest) -> dict[str, Any]:
        """The whole answer at once: answer, language, citations, unverified numbers, timings."""
        question = check_question(request.question)
        history = [t.model_dump() for t in request.history]
        return bot.ask(question, history, filters_of(request)).to_dict()

    @api.post("/ask/stream")
    def ask_stream(request: AskRequest) -> StreamingResponse:
        """Server-sent events: `sources` (as soon as retrieval is done), `queue` (how many
        questions are ahead of this one, while they are), `token`s, then `answer` (the same
        JSON as /api/ask), or `error`."""
        question = check_question(request.question)  # a bad question is a 4xx, not a stream
        history = [t.model_dump() for t in request.history]
        filters = filters_of(request)

        def events() -> Iterator[str]:
            try:
                for event in bot.stream(question, history, filters):
                    if isinstance(event, Sources):
                        sources = [passage_dict(n, p) for n, p in enumerate(event.passages, 1)]
                        yield sse("sources", {"language": event.language, "query": event.query,
                                              "sources": sources})  # fmt: skip
                    elif isinstance(event, Queued):
                        yield sse("queue", {"ahead": event.ahead})
                    elif isinstance(event, Token):
                        # a draft: the `answer` event says whether it stands
                        yield sse("token", {"text": event.text, "draft": True})
                    elif isinstance(event, Answer):
                        yield sse("answer", event.to_dict())
            except UNAVAILABLE as exc:
                yield sse("error", unavailable_error(exc))
            except Exception as exc:  # the stream has started: the status code is sent
                yield sse("error", {"error": {"code": "internal", "message": str(exc)}})

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return ClosingStream(events(), media_type="text/event-stream", headers=headers)

    @api.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"],
                   include_in_schema=False)  # fmt: skip
    def no_such_route(request: Request) -> None:
        """Under /api, anything else is a 404, or a 405 where the path is right: in Sanad's
        error format, not the web chat's (mounted at /, it would answer otherwise)."""
        path = request.url.path
        allowed = {method for route in api.routes if isinstance(route, APIRoute)
                   and route.endpoint is not no_such_route and route.path_regex.match(path)
                   for method in route.methods}  # fmt: skip
        if allowed:
            raise StarletteHTTPException(405, headers={"Allow": ", ".join(sorted(allowed))})
        raise StarletteHTTPException(404, f"No route {path} in the API (see /docs).")

    app.include_router(api)

    @app.exception_handler(QuestionError)
    def question_error(_: Request, exc: QuestionError) -> JSONResponse:
        return error(STATUS.get(exc.code, 422), exc.code, str(exc))

    @app.exception_handler(FilterError)
    def filter_error(_: Request, exc: FilterError) -> JSONResponse:
        return error(422, "invalid_filter", str(exc))

    @app.exception_handler(StoreUnavailable)
    @app.exception_handler(GeneratorUnavailable)
    def service_down(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(unavailable_error(exc), 503, headers={"Retry-After": "5"})

    @app.exception_handler(RequestValidationError)
    def invalid_body(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = exc.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            return error(400, "malformed", "The request body is not valid JSON.")
        where = "; ".join(
            f"{'.'.join(str(part) for part in p.get('loc', ()) if part != 'body')}: {p.get('msg')}"
            for p in problems
        )
        return error(422, "invalid", f"The request body is not what /api expects: {where}")

    @app.exception_handler(StarletteHTTPException)
    def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else {}
        return error(exc.status_code, HTTP_CODES.get(exc.status_code, "http"), str(exc.detail),
                     **(exc.headers or {}), **headers)  # fmt: skip

    return app


HTTP_CODES = {401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}


def route_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    """For the mounted web chat's app: 404 and 405 in Sanad's error format; its other errors
    (the sign-in page reads its 401s) as Starlette writes them."""
    if exc.status_code in (404, 405):
        return error(exc.status_code, HTTP_CODES[exc.status_code], str(exc.detail),
                     **(exc.headers or {}))  # fmt: skip
    return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
