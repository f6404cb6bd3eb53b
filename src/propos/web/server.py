"""Running the web app under uvicorn: what ``propos serve`` and the tests and bench call.

Defaults are for one person on their own machine: bind to 127.0.0.1, database read-only,
no access log (it costs more than a search). The request line and headers are bounded by
h11 (:data:`MAX_HEAD_BYTES`) and bodies by the app's own :class:`~propos.web.limits.BodyLimit`.

A refusal sent before the request was read whole (headers too long, a body over the limit)
must reach the client: closing a socket with unread data in it makes the kernel answer with
a reset, and the client sees that instead of the 400 or 413. So connections close the
lingering way (:class:`LingeringH11Protocol`): send the answer, shut down the sending side,
and read and discard what is still coming for a moment before closing.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import socket
import threading
import time
from collections.abc import Collection
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import create_app
from .limits import HEADERS, LOOPBACK_HOSTS, MAX_HEAD_BYTES

log = logging.getLogger(__name__)


def url_for(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


LINGER_SECONDS = 2.0            # how long a closing connection may still be read from…
LINGER_BYTES = 16 * 1024 * 1024  # …and how much of it is discarded at most


class _LingeringTransport:
    """A transport whose ``close()`` first shuts down the sending side (the answer goes out,
    then a FIN), then waits for the client's end (or :data:`LINGER_SECONDS`)."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self.transport = transport
        self.loop = loop
        self.draining = False
        self.discarded = 0
        self._timer: asyncio.TimerHandle | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)

    def is_closing(self) -> bool:
        return self.draining or self.transport.is_closing()

    def close(self) -> None:
        if self.draining:
            return
        if self.transport.is_closing() or not self.transport.can_write_eof():
            self.transport.close()
            return
        self.draining = True
        try:
            self.transport.write_eof()
            self.transport.resume_reading()
        except (OSError, RuntimeError):
            self.close_now()
            return
        self._timer = self.loop.call_later(LINGER_SECONDS, self.close_now)

    def discard(self, data: bytes) -> None:
        self.discarded += len(data)
        if self.discarded > LINGER_BYTES:
            self.close_now()

    def close_now(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.transport.close()


class LingeringH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections the lingering way (see the module doc)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.lingering = _LingeringTransport(transport, self.loop)
        super().connection_made(self.lingering)  # type: ignore[arg-type]

    def data_received(self, data: bytes) -> None:
        if self.lingering.draining:
            self.lingering.discard(data)
            return
        super().data_received(data)

    def eof_received(self) -> None:
        if self.lingering.draining:
            self.lingering.close_now()

    def connection_lost(self, exc: Exception | None) -> None:
        self.lingering.draining = False
        self.lingering.close_now()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        """h11's own refusal of a request it cannot parse (a head too long in pieces), with
        the app's security headers like every other answer."""
        body = b"400: request line or headers malformed or too long\n"
        headers = [(b"content-type", b"text/plain; charset=utf-8"),
                   (b"content-length", str(len(body)).encode()), (b"connection", b"close"),
                   *HEADERS]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=body), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()


def allowed_hosts(host: str, extra: Collection[str] = ()) -> tuple[str, ...]:
    """The names a server bound to ``host`` answers to: the loopback names, ``host`` itself
    (unless it is every interface), this machine's name when it is, and ``extra`` (the names
    a reverse proxy forwards, ``--allowed-host``)."""
    names = [*LOOPBACK_HOSTS]
    if host in ("0.0.0.0", "::", ""):
        names.append(socket.gethostname())
    else:
        names.append(host)
    return tuple(dict.fromkeys([*names, *extra]))


def config(db: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 8000,
           allow_store: bool = False, access_log: bool = False,
           log_level: str = "info", allowed_host: Collection[str] = (),
           **app_options: Any) -> uvicorn.Config:
    """A uvicorn configuration for the app over ``db`` (raises StoreError when the database
    cannot be opened, before anything listens). The app answers to the names of
    :func:`allowed_hosts` only."""
    app = create_app(db, allow_store=allow_store,
                     allowed_hosts=allowed_hosts(host, allowed_host), **app_options)
    if not is_loopback(host):
        log.warning("listening on %s: anyone who can reach this machine can read the "
                    "database%s", host, " and store texts in it" if allow_store else "")
    return uvicorn.Config(app, host=host, port=port, access_log=access_log,
                          log_level=log_level, server_header=False, timeout_keep_alive=5,
                          timeout_graceful_shutdown=5, http=LingeringH11Protocol,
                          h11_max_incomplete_event_size=MAX_HEAD_BYTES)


def run(db: str | os.PathLike[str], **options: Any) -> None:
    """Serve in the foreground until Ctrl-C."""
    uvicorn.Server(config(db, **options)).run()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class BackgroundServer:
    """The app served from a thread on a free local port (tests, benchmarks, screenshots).

    >>> with BackgroundServer("out/sample.db") as server:   # doctest: +SKIP
    ...     server.url  # 'http://127.0.0.1:41237/'
    """

    def __init__(self, db: str | os.PathLike[str], **options: Any):
        options.setdefault("log_level", "warning")
        self.port = free_port()
        self.server = uvicorn.Server(config(db, port=self.port, **options))
        self.thread = threading.Thread(target=self.server.run, name="propos-web", daemon=True)
        self.url = url_for("127.0.0.1", self.port)

    def __enter__(self) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the web server did not start on port {self.port}")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
