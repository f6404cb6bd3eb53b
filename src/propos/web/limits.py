"""ASGI middleware that refuses what the app should never process, before it is processed.

- :class:`AllowedHosts`: a request whose ``Host`` is not a name the server answers to (its
  bound address, 127.0.0.1, localhost, ``--allowed-host``) gets 400, whatever its method: a
  page on another site that rebinds its DNS name to 127.0.0.1 cannot reach the app.
- :class:`HeadLimit`: a request line and headers over :data:`MAX_HEAD_BYTES` get 400 (h11
  bounds a head that arrives in pieces; this also bounds one that arrives at once).
- :class:`HeadAsGet`: HEAD is answered as GET without the body.
- :class:`BodyLimit`: a request body over the limit gets 413, whether the client announces
  its length (``Content-Length``, refused before reading) or streams it (chunked: refused as
  soon as the count passes the limit). A malformed ``Content-Length`` gets 400.
- :class:`SecurityHeaders`: a strict Content-Security-Policy (no script at all, styles and
  images from the app itself) and the usual hardening headers on every response, errors
  included, so that even a template mistake could not run injected script.
- :class:`Crashes`: an unexpected exception is logged and answered 500 inside
  :class:`SecurityHeaders` (Starlette's own last-resort handler sits outside every
  middleware, so its answer would carry none of the headers).
- :class:`SameOrigin`: a state-changing request (POST…) that a browser sent from another
  site is refused (403): a page on the web must not make a browser store text in a local
  database. See :func:`cross_site` for how that is told.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Collection
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .state import problem_response

log = logging.getLogger(__name__)

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Not no-referrer: with it Chromium sends "Origin: null" on the page's own form posts.
    # same-origin sends nothing to other sites and the page's origin to itself.
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class _TooLarge(HTTPException):
    """Raised from ``receive`` once a streamed body passes the limit. An HTTPException so that
    FastAPI's body parsing re-raises it (anything else it turns into a 400) and the app's
    handler answers 413; if it escapes the app, :class:`BodyLimit` answers itself."""

    def __init__(self, limit: int):
        super().__init__(413, f"request body too large (limit {limit:,} bytes)")


async def refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    """Answer ``status`` with a JSON error under /api/, the app's error page elsewhere (a small
    HTML page when the app is not there to render it)."""
    app = scope.get("app")
    if app is not None and hasattr(getattr(app, "state", None), "propos"):
        response = problem_response(Request(scope), status, message)
        response.headers["connection"] = "close"
        await response(scope, _no_body, send)
        return
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
        passed = False

        async def counted() -> Message:
            nonlocal seen, passed
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    passed = True
                    raise _TooLarge(self.max_bytes)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if passed:  # the rest of the body is not wanted: no keep-alive through it
                    message = {**message, "headers": [
                        *(h for h in message.get("headers") or () if h[0] != b"connection"),
                        (b"connection", b"close")]}
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


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_HEAD_BYTES = 64 * 1024


class HeadLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_HEAD_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            size += sum(len(name) + len(value) + 4 for name, value in scope.get("headers") or ())
            if size > self.max_bytes:
                await refuse(scope, send, 400, f"request line and headers too long "
                                               f"({size:,} bytes; limit {self.max_bytes:,})")
                return
        await self.app(scope, receive, send)


def host_name(value: str) -> str:
    """The name in a ``Host`` header (or an origin's netloc), without port, lower-cased:
    ``[::1]:8000`` → ``::1``, ``Example.org.:80`` → ``example.org``."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


class AllowedHosts:
    def __init__(self, app: ASGIApp, hosts: Collection[str]):
        self.app = app
        self.hosts = frozenset(host_name(h) for h in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers") or ()).get(b"host")
            # No Host at all is HTTP/1.0 from a script, never a browser (which rebinding needs).
            if host is not None and host_name(host.decode("latin-1")) not in self.hosts:
                log.warning("refused a %s for host %r", scope.get("method"),
                            host.decode("latin-1"))
                await refuse(scope, send, 400, "unknown Host: this server answers to "
                                               + ", ".join(sorted(self.hosts)))
                return
        await self.app(scope, receive, send)


class HeadAsGet:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class Crashes:
    def __init__(self, app: ASGIApp,
                 respond: Callable[[Request, Exception], Response | Awaitable[Response]]):
        self.app = app
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # nothing else can be said on this connection
                raise
            response = self.respond(Request(scope), exc)
            if not isinstance(response, Response):
                response = await response
            await response(scope, _no_body, send)


def cross_site(headers: dict[bytes, bytes]) -> str | None:
    """Why a state-changing request came from another site, or None.

    Decided, in this order, by ``Origin`` (its host and port against ``Host``), then, when
    there is no usable origin (none, or ``null``), by ``Sec-Fetch-Site`` (``same-origin`` or
    ``none``, typed by the user, pass), then by ``Referer`` (same host and port). A request
    with none of them comes from a program, not a page in a browser, and passes; an
    ``Origin: null`` with nothing else to go by is refused.
    """
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    origin = headers.get(b"origin", b"").decode("latin-1").strip().lower()
    if origin and origin != "null":
        return None if urlsplit(origin).netloc == host else f"from origin {origin!r}"
    site = headers.get(b"sec-fetch-site", b"").decode("latin-1").strip().lower()
    if site:
        return None if site in ("same-origin", "none") else f"Sec-Fetch-Site {site!r}"
    referer = headers.get(b"referer", b"").decode("latin-1").strip()
    if referer:
        same = urlsplit(referer).netloc.lower() == host
        return None if same else f"from referer {referer[:200]!r}"
    return "Origin: null, with no other sign of where it came from" if origin else None


class SameOrigin:
    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method", "GET") not in self.SAFE:
            why = cross_site(dict(scope.get("headers") or ()))
            if why is not None:
                log.warning("refused a cross-site %s to %s: %s", scope.get("method"),
                            scope.get("path"), why)
                await refuse(scope, send, 403, "cross-site request refused")
                return
        await self.app(scope, receive, send)
