"""What every request to the workbench must show: the per-run token, our Host and Origin, and on
writes the CSRF token. The page is a local web server, so other web pages open in the same
browser (DNS rebinding, cross-site forms and fetches) must not be able to read or change a project.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]
]
SAFE_METHODS = ("GET", "HEAD")
CSRF_HEADER = "x-csrf-token"
LOOPBACK = ("127.0.0.1", "localhost")
# What a person does about a refusal they can meet without any attack: a page or an address kept
# from an earlier run of `brochure serve` (its tokens are new on every run).
NEW_RUN = (
    "this address or page is from another run of `brochure serve` (its token is new every time "
    "it starts): open the address it printed in its terminal"
)
HINTS = {"missing or wrong token": NEW_RUN, "missing or wrong CSRF token": NEW_RUN}


@dataclass(frozen=True)
class Secrets:
    """The per-run secrets and the names this server answers to."""

    host: str
    port: int
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def hosts(self) -> set[str]:
        """Host header values accepted: this server's address (and localhost on loopback)."""
        names = {self.host, *LOOPBACK} if self.host in LOOPBACK else {self.host}
        return {f"{name}:{self.port}" for name in names}

    @property
    def origins(self) -> set[str]:
        """Origin header values accepted: pages this server itself served."""
        return {f"http://{host}" for host in self.hosts}

    def refusal(self, scope: Scope) -> str | None:
        """Why the request `scope` is refused, or None when it may go on."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "") not in self.hosts:
            return "unknown Host"
        origin = headers.get("origin")
        if origin is not None and origin not in self.origins:
            return "foreign Origin"
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if not _same(query.get("token", [""])[0], self.token):
            return "missing or wrong token"
        if scope["method"] not in SAFE_METHODS:
            if origin is None:
                return "a write without Origin"
            if not _same(headers.get(CSRF_HEADER, ""), self.csrf):
                return "missing or wrong CSRF token"
        return None


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


class Guard:
    """ASGI middleware: refuse (403) any request `Secrets.refusal` objects to, saying why and,
    for a page kept from an earlier run, what to do: as plain text, or as the API's JSON
    (`{"error": ...}`) for /api/, so the page's script shows the message instead of failing to
    read it."""

    def __init__(self, app: ASGIApp, keys: Secrets):
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            why = self.keys.refusal(scope)
            if why is not None:
                text = f"Forbidden: {why}" + (f": {HINTS[why]}" if why in HINTS else "")
                if scope.get("path", "").startswith("/api/"):
                    body, kind = json.dumps({"error": text}).encode(), b"application/json"
                else:
                    body, kind = f"{text}\n".encode(), b"text/plain; charset=utf-8"
                await send({"type": "http.response.start", "status": 403, "headers": [
                    (b"content-type", kind),
                    (b"content-length", str(len(body)).encode()),
                ]})  # fmt: skip
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
