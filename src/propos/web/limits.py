"""ASGI middleware that refuses what the app should never process, before it is processed.

- :class:`BodyLimit`: a request body over the limit gets 413, whether the client announces
  its length (``Content-Length``, refused before reading) or streams it (chunked: refused as
  soon as the count passes the limit). A malformed ``Content-Length`` gets 400.
- :class:`SecurityHeaders`: a strict Content-Security-Policy (no script at all, styles and
  images from the app itself) and the usual hardening headers on every response, so that even
  a template mistake could not run injected script.
- :class:`SameOrigin`: a state-changing request (POST…) whose ``Origin`` names another site is
  refused (403): a page on the web must not make a browser store text in a local database.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class _TooLarge(HTTPException):
    """Raised from ``receive`` once a streamed body passes the limit. An HTTPException so that
    FastAPI's body parsing re-raises it (anything else it turns into a 400) and the app's
    handler answers 413; if it escapes the app, :class:`BodyLimit` answers itself."""

    def __init__(self, limit: int):
        super().__init__(413, f"request body too large (limit {limit:,} bytes)")


async def refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    """Answer ``status`` with a JSON error under /api/, a small HTML page elsewhere."""
    if scope.get("path", "").startswith("/api/"):
        body = json.dumps({"status": status, "error": message}).encode()
        kind = b"application/json"
    else:
        from html import escape

        body = (f"<!doctype html><meta charset=utf-8><title>{status}</title>"
                f"<h1>{status}</h1><p>{escape(message)}</p>").encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
                if length < 0:
                    raise ValueError(declared)
            except ValueError:
                await refuse(scope, send, 400, "malformed Content-Length header")
                return
            if length > self.max_bytes:
                await refuse(scope, send, 413, f"request body too large: {length:,} bytes "
                                               f"(limit {self.max_bytes:,})")
                return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if started:
                raise
            await refuse(scope, send, 413, f"request body too large (limit "
                                           f"{self.max_bytes:,} bytes)")


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers") or [])
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in HEADERS if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class SameOrigin:
    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method", "GET") not in self.SAFE:
            headers = dict(scope.get("headers") or ())
            origin = headers.get(b"origin", b"").decode("latin-1")
            host = headers.get(b"host", b"").decode("latin-1")
            if origin and origin != "null" and urlsplit(origin).netloc != host:
                log.warning("refused a %s from origin %r (host %r)", scope.get("method"),
                            origin, host)
                await refuse(scope, send, 403, "cross-site request refused")
                return
            if origin == "null":
                await refuse(scope, send, 403, "cross-site request refused")
                return
        await self.app(scope, receive, send)
