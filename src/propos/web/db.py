"""Database access for the web app: read-only connections per thread, a writer on demand.

Requests run in a thread pool; a ``sqlite3`` connection must not run two statements at once,
so each worker thread gets its own read-only connection (cheap, opened once per thread and
reused). The app never holds a writable connection: the try-it page's "store it" opens one
for that request only, and only when the server was started with ``--allow-store``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..store.db import connect, get_meta

log = logging.getLogger(__name__)


class Database:
    """The store at ``path``, opened read-only (checked at construction)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[sqlite3.Connection] = []
        first = self.reader()  # raises StoreError now, not on the first request
        if get_meta(first, "directory_stale") == "1":
            log.warning("the speaker directory of %s is out of date (an ingest was "
                        "interrupted): run `propos speakers --db %s` once to rebuild it",
                        self.path, self.path)

    def reader(self) -> sqlite3.Connection:
        """This thread's read-only connection (call it in the thread that will use it)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, readonly=True)
            self._local.conn = conn
            with self._lock:
                self._open.append(conn)
        return conn

    @contextmanager
    def writer(self) -> Iterator[sqlite3.Connection]:
        """A read-write connection for one operation, closed after it."""
        conn = connect(self.path, create=False)
        try:
            yield conn
        finally:
            conn.close()

    def close(self) -> None:
        with self._lock:
            for conn in self._open:
                try:
                    conn.close()
                except sqlite3.Error:  # closing from another thread: nothing left to do
                    log.debug("closing a reader failed", exc_info=True)
            self._open.clear()
        self._local = threading.local()
