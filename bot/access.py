"""Who may use Sanad, and who may change its index: API keys for the portal's server, a login
or a proxy's header for people in the web chat, and the editors among them.

With none of these set, Sanad is a single-user tool on loopback and everything is open. With
any of them set, every route that runs the bot or changes the index needs a credential:
- /api/* (except /api/health): `Authorization: Bearer <key>` (SANAD_API_KEYS) or the proxy's
  header, checked before anything else about the request (a wrong key with a malformed body
  is a 401, not a 400);
- the web chat and Gradio's own routes (/gradio_api/*, /config, /upload, …): a login through
  Gradio's sign-in page (SANAD_USERS), or the user name a trusted proxy puts in a header
  (SANAD_AUTH_HEADER) — or an API key, for scripts that call the chat's own API;
- adding articles from the web chat: a user named in SANAD_EDITORS.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import Headers

from bot.settings import Settings

OPEN_API_PATHS = frozenset({"/api/health", "/api/health/"})


def _pairs(text: str, default_prefix: str) -> dict[str, str]:
    """`name:secret,name2:secret2` → {name: secret}; an entry without a name is named by place."""
    pairs = {}
    for n, entry in enumerate((e.strip() for e in text.split(",") if e.strip()), 1):
        name, sep, secret = entry.partition(":")
        if not sep:
            name, secret = f"{default_prefix}{n}", entry
        pairs[name.strip()] = secret.strip()
    return pairs


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


@dataclass(frozen=True)
class Access:
    keys: dict[str, str] = field(default_factory=dict)  # key name → key
    users: dict[str, str] = field(default_factory=dict)  # user name → password
    header: str | None = None  # the proxy's header carrying the signed-in user's name
    editors: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> Access:
        editors = (e.strip() for e in settings.editors.split(","))
        return cls(
            keys=_pairs(settings.api_keys, "key-"),
            users=_pairs(settings.users, "user-"),
            header=(settings.auth_header or "").strip() or None,
            editors=frozenset(e for e in editors if e),
        )

    @property
    def enabled(self) -> bool:
        return bool(self.keys or self.users or self.header)

    def key_name(self, authorization: str | None) -> str | None:
        """The name of the API key in an `Authorization: Bearer <key>` header, else None."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        found = None
        for name, key in self.keys.items():  # every key compared: no early exit to time
            if _same(token.strip(), key):
                found = name
        return found

    def check_password(self, name: str, password: str) -> bool:
        expected = self.users.get(name)
        return _same(password, expected if expected is not None else "\0" + password)

    def web_user(self, request: Any) -> str | None:
        """The person behind a request to the web chat (Gradio's auth_dependency)."""
        return self.identify(request.headers)

    def identify(self, headers: Headers) -> str | None:
        """Who sent these (case-insensitive) headers: the user name the proxy's header
        carries, or "key:<name>" for a valid API key; None for nobody known."""
        if self.header and (name := (headers.get(self.header) or "").strip()):
            return name
        if (key := self.key_name(headers.get("authorization"))) is not None:
            return f"key:{key}"
        return None

    def may_edit(self, user: str | None) -> bool:
        """Adding (or removing) articles: anyone on an open install, else editors only."""
        return not self.enabled or (user is not None and user in self.editors)

    def gradio_options(self) -> dict[str, Any]:
        """How the mounted web chat asks who is there: Gradio's sign-in page for SANAD_USERS,
        the proxy's header (or an API key) otherwise; nothing on an open install."""
        if self.users:
            return {"auth": self.check_password, "auth_message": AUTH_MESSAGE}
        if self.enabled:
            return {"auth_dependency": self.web_user}
        return {}


AUTH_MESSAGE = "Sanad · سند — sign in / تسجيل الدخول"


class ApiKeyGate:
    """ASGI middleware: /api/* (but /api/health) wants a credential before routing or reading
    the body. Who sent it is left in scope["state"]["user"] for the logs."""

    def __init__(self, app: Any, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not self.access.enabled:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path.startswith("/api/") or path == "/api":
            user = self.access.identify(Headers(scope=scope))
            if user is None and path not in OPEN_API_PATHS and scope.get("method") != "OPTIONS":
                from bot.api import error

                response = error(401, "unauthorized",
                                 "A valid API key is needed: Authorization: Bearer <key>.",
                                 **{"WWW-Authenticate": "Bearer"})  # fmt: skip
                await response(scope, receive, send)
                return
            scope.setdefault("state", {})["user"] = user
        await self.app(scope, receive, send)
