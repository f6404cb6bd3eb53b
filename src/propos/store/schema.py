"""The store's schema version and its migrations.

Migrations are numbered SQL files in ``migrations/`` (``0001_initial.sql``, ``0002_….sql``);
the version a database is at is SQLite's ``PRAGMA user_version``. Opening a database applies
the missing migrations in order, each in one transaction together with the version bump, so a
crash mid-migration leaves the database at the previous version, never between two.
A database written by a newer propos (a higher version than this code knows) is refused
rather than half-understood.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

log = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_[\w-]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


class SchemaError(RuntimeError):
    """The database's schema cannot be used by this version of propos."""


@lru_cache(maxsize=1)
def migrations() -> tuple[Migration, ...]:
    folder = resources.files("propos.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    expected = list(range(1, len(found) + 1))
    if [m.version for m in found] != expected:
        raise SchemaError(f"migrations are not numbered 1..{len(found)}: "
                          f"{[m.name for m in found]}")
    return tuple(found)


def latest_version() -> int:
    return len(migrations())


SCHEMA_VERSION = latest_version()


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def statements(sql: str) -> list[str]:
    """Split a migration script into statements (trigger bodies kept whole)."""
    out: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise SchemaError(f"incomplete SQL statement at the end of a migration: {buffer[:80]!r}")
    return out


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to :data:`SCHEMA_VERSION`; returns the version it was at.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Concurrent openers are
    serialised by ``BEGIN IMMEDIATE`` and re-read the version inside the transaction.
    """
    before = current_version(conn)
    if before > SCHEMA_VERSION:
        raise SchemaError(f"database schema version {before} is newer than this propos "
                          f"understands ({SCHEMA_VERSION}); upgrade propos")
    if before == SCHEMA_VERSION:
        return before
    for migration in migrations():
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) >= migration.version:
                conn.execute("ROLLBACK")
                continue
            for statement in statements(migration.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migration.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        log.info("store schema migrated to version %d (%s)", migration.version, migration.name)
    return before
