"""Running the web app under uvicorn: what ``propos serve`` and the tests and bench call.

Defaults are for one person on their own machine: bind to 127.0.0.1, database read-only,
no access log (it costs more than a search). Header sizes are bounded by h11 (16 KiB by
default) and bodies by the app's own :class:`~propos.web.limits.BodyLimit`.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import threading
import time
from typing import Any

import uvicorn

from .app import create_app

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


def config(db: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 8000,
           allow_store: bool = False, access_log: bool = False,
           log_level: str = "info", **app_options: Any) -> uvicorn.Config:
    """A uvicorn configuration for the app over ``db`` (raises StoreError when the database
    cannot be opened, before anything listens)."""
    app = create_app(db, allow_store=allow_store, **app_options)
    if not is_loopback(host):
        log.warning("listening on %s: anyone who can reach this machine can read the "
                    "database%s", host, " and store texts in it" if allow_store else "")
    return uvicorn.Config(app, host=host, port=port, access_log=access_log,
                          log_level=log_level, server_header=False, timeout_keep_alive=5,
                          timeout_graceful_shutdown=5)


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
