"""What an operator watches: one JSON log line per request (and one per answer: who asked,
how long each stage took, the question itself only when SANAD_LOG_QUESTIONS allows), Prometheus
metrics at /metrics, and rate limits per key or user and per client address (429 with
Retry-After). Libraries: prometheus-client, limits, python-json-logger."""

from __future__ import annotations

import contextvars
import logging
import math
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from pythonjsonlogger.json import JsonFormatter
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response

from bot.access import Access
from bot.core import Answer
from bot.texts import TEXT

LOG = logging.getLogger("sanad.requests")
# Routes that make the bot work: counted against the rate limits.
LIMITED = ("/api/ask", "/gradio_api/call/", "/gradio_api/run/", "/gradio_api/queue/join")
SECONDS = (0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60, 120)


@dataclass
class RequestInfo:
    """The request being served, for the answer's log line (set by the middleware; the web
    chat, whose answers run in Gradio's workers, sets `user` itself)."""

    request_id: str = ""
    user: str | None = None
    client: str | None = None


CURRENT: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar("sanad_request")


def json_logging(level: int = logging.INFO) -> None:
    """Sanad's log lines as JSON on stderr (once; a second call changes nothing)."""
    if any(getattr(h, "sanad", False) for h in LOG.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    names = {"asctime": "time", "levelname": "level"}
    handler.setFormatter(JsonFormatter("{asctime}{levelname}{message}", style="{",
                                       rename_fields=names))  # fmt: skip
    handler.sanad = True  # type: ignore[attr-defined]
    LOG.addHandler(handler)
    LOG.setLevel(level)
    LOG.propagate = False


def route_label(path: str) -> str:
    """A few labels, not one per path: /api routes as they are, Gradio's by their second part."""
    if path.startswith("/api/"):
        return path.rstrip("/")
    if path.startswith("/gradio_api/"):
        return "/gradio_api/" + path.split("/")[2]
    if path in ("/", "/config", "/metrics", "/login", "/gradio.js", "/docs", "/openapi.json"):
        return path
    return "other"


class Monitor:
    """Metrics, rate limits and log lines for one server. `bot` and `library` are read when
    /metrics is scraped (queue length, model busy time, index size)."""

    def __init__(
        self,
        access: Access,
        rate_limit: str = "",
        rate_limit_address: str = "",
        log_questions: bool = False,
        queue: Callable[[], tuple[int, float]] | None = None,
        index: Callable[[], tuple[int, int]] | None = None,
    ) -> None:
        self.access = access
        self.log_questions = log_questions
        self.limits = {"user": _limit(rate_limit), "address": _limit(rate_limit_address)}
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.registry = registry = CollectorRegistry()
        self.requests = Counter("sanad_requests", "HTTP requests answered",
                                ["route", "method", "status"], registry=registry)  # fmt: skip
        self.latency = Histogram("sanad_request_seconds", "Time to the end of each response",
                                 ["route"], buckets=SECONDS, registry=registry)  # fmt: skip
        self.limited = Counter("sanad_rate_limited", "Requests refused with 429",
                               ["by"], registry=registry)  # fmt: skip
        stage = "Time from the question to {}"
        self.sources = Histogram("sanad_sources_seconds", stage.format("its sources"),
                                 buckets=SECONDS, registry=registry)  # fmt: skip
        self.first_token = Histogram("sanad_first_token_seconds", stage.format("the first word"),
                                     buckets=SECONDS, registry=registry)  # fmt: skip
        self.answer = Histogram("sanad_answer_seconds", stage.format("the whole answer"),
                                buckets=SECONDS, registry=registry)  # fmt: skip
        self.answers = Counter("sanad_answers", "Answers given", ["language", "outcome"],
                               registry=registry)  # fmt: skip
        registry.register(_StateCollector(queue, index))

    # --- answers ---------------------------------------------------------------------------

    def answered(self, answer: Answer) -> None:
        """A Bot listener: every finished answer is measured and logged."""
        timings = answer.timings
        if "retrieval" in timings:
            self.sources.observe(timings.get("rewrite", 0.0) + timings["retrieval"])
        if "first_token" in timings:
            self.first_token.observe(timings["first_token"])
        if "total" in timings:
            self.answer.observe(timings["total"])
        outcome = "declined" if answer.refused else "answered"
        self.answers.labels(answer.language, outcome).inc()
        info = CURRENT.get(None) or RequestInfo()
        record: dict[str, Any] = {
            "event": "answer", "request_id": info.request_id, "user": info.user,
            "client": info.client, "language": answer.language, "outcome": outcome,
            "checks_failed": answer.checks, "citations": len(answer.citations),
            "timings": {k: round(v, 3) for k, v in timings.items()},
        }  # fmt: skip
        if self.log_questions:
            record["question"] = answer.question
        LOG.info("answer", extra=record)

    # --- rate limits -----------------------------------------------------------------------

    def over_limit(self, user: str | None, client: str | None) -> tuple[str, int] | None:
        """("user"|"address", seconds to wait) when this request is one too many, else None.
        A user (key, sign-in or proxy name) and an address each have their own allowance."""
        over = None
        for by, who in (("user", user), ("address", client)):  # each request counts in both
            limit = self.limits[by]
            if who and limit is not None and not self.limiter.hit(limit, by, who) and not over:
                reset = self.limiter.get_window_stats(limit, by, who).reset_time
                over = by, max(1, math.ceil(reset - time.time()))
        return over

    def metrics(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


def _limit(text: str):
    return parse(text) if text.strip() else None


class _StateCollector:
    """Read at each scrape: questions waiting for the model, the model's busy time, the index."""

    def __init__(self, queue, index) -> None:
        self.queue, self.index = queue, index

    def collect(self):
        if self.queue is not None:
            waiting, busy = self.queue()
            yield GaugeMetricFamily("sanad_queue_length", "Questions waiting for the model",
                                    value=waiting)  # fmt: skip
            yield CounterMetricFamily("sanad_model_busy_seconds", "Time the model spent writing",
                                      value=busy)  # fmt: skip
        if self.index is not None:
            try:
                articles, passages = self.index()
            except Exception:  # the index cannot be reached: no index figures this scrape
                return
            yield GaugeMetricFamily("sanad_index_articles", "Articles indexed", value=articles)
            yield GaugeMetricFamily("sanad_index_passages", "Passages indexed", value=passages)


class RequestMonitor:
    """ASGI middleware, outermost: a request id (the client's X-Request-ID, else a new one,
    echoed back), the rate limits on the routes that make the bot work, metrics and one JSON
    log line per request once its response has ended (a stream: when it ends)."""

    def __init__(self, app: Any, monitor: Monitor) -> None:
        self.app = app
        self.monitor = monitor

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        monitor, path = self.monitor, scope.get("path", "")
        headers = Headers(scope=scope)
        if path == "/metrics":  # wants a key (or the proxy's header) once access is set
            allowed = not monitor.access.enabled or monitor.access.identify(headers)
            response = monitor.metrics() if allowed else JSONResponse(
                {"error": {"code": "unauthorized", "message": "/metrics wants an API key."}},
                401, headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
            await response(scope, receive, send)
            return
        request_id = (headers.get("x-request-id") or "")[:64] or uuid.uuid4().hex
        client = (scope.get("client") or (None,))[0]
        info = RequestInfo(request_id, monitor.access.identify(headers), client)
        CURRENT.set(info)
        started, status = time.perf_counter(), 500
        route = route_label(path)

        async def sending(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            if path.startswith(LIMITED) and (over := monitor.over_limit(info.user, client)):
                by, wait = over
                monitor.limited.labels(by).inc()
                text = {lang: TEXT[lang]["rate_limited"].format(seconds=wait) for lang in TEXT}
                response = JSONResponse(
                    {"error": {"code": "rate_limited", "message": f"{text['en']} / {text['ar']}",
                               "retry_after": wait}},
                    429, headers={"Retry-After": str(wait)},
                )  # fmt: skip
                await response(scope, receive, sending)
            else:
                await self.app(scope, receive, sending)
        finally:
            seconds = time.perf_counter() - started
            monitor.requests.labels(route, scope.get("method", ""), str(status)).inc()
            monitor.latency.labels(route).observe(seconds)
            LOG.info("request", extra={"event": "request", "request_id": request_id,
                                       "method": scope.get("method"), "path": path,
                                       "status": status, "seconds": round(seconds, 3),
                                       "user": info.user, "client": client})  # fmt: skip
