"""What the drivers (``propos ingest``, ``reextract``, ``load``) ask the store and tell it.

Only the store writes SQL: the runs table, what is already stored, what is out of date, the
failure and undated listings, each a function here over an open connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .db import connect, transaction
from .writer import utc_now


def start_run(conn: sqlite3.Connection, paths: str, workers: int) -> int:
    """A new row in ``runs``; its id, for :func:`finish_run`."""
    with transaction(conn):
        return conn.execute("INSERT INTO runs (started_at, paths, workers) VALUES (?, ?, ?)",
                            (utc_now(), paths, workers)).lastrowid


def finish_run(conn: sqlite3.Connection, run_id: int, counts: Mapping[str, int],
               interrupted: bool) -> None:
    with transaction(conn):
        conn.execute(
            "UPDATE runs SET finished_at = ?, n_read = ?, n_new = ?, n_present = ?, "
            "n_near_dup = ?, n_failed = ?, n_attributions = ?, status = ? WHERE id = ?",
            (utc_now(), counts["read"], counts["new"], counts["present"],
             counts["near_duplicates"], counts["failed"], counts["attributions"],
             "interrupted" if interrupted else "done", run_id))


def known_articles(conn: sqlite3.Connection, hashes: list[str]) -> dict[str, tuple[str, str]]:
    """hash → (status, lang) for the hashes already in the store."""
    if not hashes:
        return {}
    marks = ",".join("?" * len(hashes))
    return {row[0]: (row[1], row[2]) for row in conn.execute(
        f"SELECT hash, status, lang FROM articles WHERE hash IN ({marks})", hashes)}


def has_article_at(conn: sqlite3.Connection, location: str) -> bool:
    return conn.execute("SELECT 1 FROM articles WHERE location = ?",
                        (location,)).fetchone() is not None


def has_failure(conn: sqlite3.Connection, location: str, reason: str) -> bool:
    return conn.execute("SELECT 1 FROM failures WHERE location = ? AND reason = ?",
                        (location, reason)).fetchone() is not None


def add_names(conn: sqlite3.Connection, names: Iterable[str]) -> None:
    """Number ``names`` in this order (a name already stored keeps its id)."""
    with transaction(conn):
        conn.executemany("INSERT OR IGNORE INTO names (name) VALUES (?)",
                         [(name,) for name in names])


def stale_counts(conn: sqlite3.Connection, engine: str, langs: list[str]
                 ) -> tuple[int, int, int]:
    """Extracted articles in ``langs``: how many, how many not extracted by ``engine``, and
    how many attributions those have."""
    marks = ",".join("?" * len(langs))
    return tuple(conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(engine IS NULL OR engine != ?), 0), "
        "COALESCE(SUM(CASE WHEN engine IS NULL OR engine != ? THEN n_attributions END), 0) "
        f"FROM articles WHERE status = 'extracted' AND lang IN ({marks})",
        [engine, engine, *langs]).fetchone())


def stale_articles(conn: sqlite3.Connection, engine: str, langs: list[str], batch: int
                   ) -> Iterator[tuple[str, list[sqlite3.Row]]]:
    """Batches of articles not extracted by ``engine``, one language per batch, by id (a
    resumable order): (lang, rows of id, hash, title, text, n_attributions)."""
    marks = ",".join("?" * len(langs))
    for lang in langs:
        last = 0
        while True:
            rows = conn.execute(
                "SELECT id, hash, title, text, n_attributions FROM articles "
                f"WHERE status = 'extracted' AND lang = ? AND lang IN ({marks}) "
                "AND (engine IS NULL OR engine != ?) AND id > ? ORDER BY id LIMIT ?",
                [lang, *langs, engine, last, batch]).fetchall()
            if not rows:
                break
            last = rows[-1]["id"]
            yield lang, rows


def _listing(db_path: str, sql: str, limit: int | None) -> list[dict[str, Any]]:
    conn = connect(db_path, create=False)
    try:
        params: tuple = ()
        if limit:
            sql += " LIMIT ?"
            params = (limit,)
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


def list_failures(db_path: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Recorded failures, most recent first: location, path, reason, times seen."""
    return _listing(db_path, "SELECT location, path, reason, times, first_seen, last_seen "
                    "FROM failures ORDER BY last_seen DESC, path, location", limit)


def list_undated(db_path: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Stored articles without a date, by location: location, title, source, URL."""
    return _listing(db_path, "SELECT location, title, source, url FROM articles "
                    "WHERE date IS NULL ORDER BY path, location", limit)
