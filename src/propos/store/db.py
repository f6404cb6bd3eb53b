"""Opening the store: WAL journal, foreign keys, migrations; read-only access for apps.

WAL lets readers (a search, a web app, the ingest workers checking which articles are known)
run while an ingest writes, and makes each commit one append to the log. With
``synchronous=NORMAL`` a commit survives the process being killed (SIGKILL included): the
data is in the OS page cache; only a power cut can drop the last few commits, and even then
the database stays consistent. Transactions are explicit (``BEGIN IMMEDIATE … COMMIT``)
so that the code says where an article starts and ends.

A reader that never stops (a web server during an ingest) keeps SQLite's automatic
checkpoints from ever restarting the log, so the WAL file would grow with everything written
(hundreds of MB). Writers therefore call :func:`checkpoint` now and then: it waits, briefly,
for the readers of the moment to finish, copies the log into the database and truncates it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from .schema import SCHEMA_VERSION, SchemaError, current_version, migrate


BUSY_TIMEOUT_MS = 30_000
CHECKPOINT_WAIT_MS = 2_000


class StoreError(RuntimeError):
    """The database cannot be opened or used, in words a user can act on."""


def _configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    return conn


def checkpoint(conn: sqlite3.Connection, wait_ms: int = CHECKPOINT_WAIT_MS) -> bool:
    """Copy the WAL into the database and truncate it, waiting up to ``wait_ms`` for the
    readers of the moment; True when it could (False: readers kept it busy, try later)."""
    conn.execute(f"PRAGMA busy_timeout = {wait_ms:d}")
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:  # locked for longer than wait_ms
        busy = 1
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    return not busy


def connect(path: str | os.PathLike[str], *, readonly: bool = False,
            create: bool = True) -> sqlite3.Connection:
    """A connection to the store at ``path``, migrated to the current schema.

    ``readonly`` opens without any write (for a web app or a worker); the database must then
    exist and already be at the current schema version. ``create=False`` refuses to create a
    new empty database (for commands that only read).
    """
    target = Path(path)
    if (readonly or not create) and not target.exists():
        raise StoreError(f"no database at {target}: run `propos ingest PATH --db {target}` first")
    try:
        if readonly:
            uri = f"file:{quote(str(target.resolve()))}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30,
                                   check_same_thread=False)
            _configure(conn)
            version = current_version(conn)
            if version != SCHEMA_VERSION:
                conn.close()
                raise StoreError(f"{target} is at schema version {version}, this propos uses "
                                 f"{SCHEMA_VERSION}: open it once read-write to migrate it")
            return conn
        if target.parent and not target.parent.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(target), isolation_level=None, timeout=30)
        _configure(conn)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn)
        return conn
    except SchemaError as exc:
        raise StoreError(f"{target}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{target} is not a usable propos database: {exc}") from exc


def open_existing(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Read-write connection to a database that must already exist (search, export…)."""
    return connect(path, create=False)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any exception (including a
    KeyboardInterrupt): what is inside is stored entirely or not at all."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def get_meta(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))
