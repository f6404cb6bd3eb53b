"""Export for analysts: one row per attribution, with its article's metadata.

JSONL, CSV (UTF-8, header, RFC 4180 quoting) or Parquet (pyarrow); pandas
(``read_json(lines=True)``, ``read_csv``, ``read_parquet``) and DuckDB
(``read_json_auto``, ``read_csv_auto``, ``read_parquet``) read them as they are. Rows are
ordered by article date, article hash, then position in the article, so two stores holding
the same articles export identical files whatever order (or how many runs) they were
ingested in. Columns: :data:`COLUMNS`, documented in docs/store.md.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import re
import sqlite3
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from ..columns import COLUMNS
from ..dedupe import duplicate_groups as near_duplicate_groups
from ..mentions import mentions_json
from ..model import Amount, DateMention
from .provenance import ensure_quote_groups
from .speakers import ensure_directory

log = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv", "parquet")
_BATCH = 5000
TEMP_PREFIX = ".propos-export-"
# A temporary file of a killed export: ".propos-export-<pid>-…" whose process is gone, or one
# named the earlier way, without a pid, and left for more than an hour.
_TEMP = re.compile(re.escape(TEMP_PREFIX) + r"(?:(\d+)-)?")
_UNOWNED_TEMP_SECONDS = 3600

_SQL = """
SELECT ar.id AS _article_rowid, ar.hash AS article, ar.doc_id AS article_id, ar.url, ar.title,
       ar.date, ar.source, ar.author, ar.lang, ar.path, ar.location,
       a.seq, a.kind, a.content, a.content_start, a.content_end, a.cue, a.cue_start, a.cue_end,
       a.source AS mention, a.source_start AS mention_start, a.source_end AS mention_end,
       a.via, a.via_start, a.via_end, a.speaker_name, a.speaker_type,
       a.speaker_gender, a.speaker_gender_source,
       s.name AS speaker, s.key AS speaker_key, s.gender AS directory_gender,
       s.gender_source AS directory_gender_source,
       (SELECT COALESCE(group_concat(name, '; '), '') FROM
          (SELECT name FROM about WHERE attribution_id = a.id ORDER BY seq)) AS about,
       a.confidence, a.rule, a.cue_type,
       g.key AS quote_group, g.first_id = a.id AS first_seen, far.hash AS first_article,
       qm.wording, qm.changes
FROM attributions a
JOIN articles ar ON ar.id = a.article_id
LEFT JOIN names n ON n.id = a.name_id
LEFT JOIN speakers s ON s.id = n.speaker_id
LEFT JOIN quote_members qm ON qm.attribution_id = a.id
LEFT JOIN quote_groups g ON g.id = qm.group_id
LEFT JOIN attributions fa ON fa.id = g.first_id
LEFT JOIN articles far ON far.id = fa.article_id
ORDER BY ar.date IS NULL, ar.date, ar.hash, a.seq
"""


def duplicate_groups(conn: sqlite3.Connection) -> dict[int, str]:
    """article rowid → smallest article hash among its near-duplicate component."""
    hashes: dict[int, str] = {}
    links = []
    for a, b, ha, hb in conn.execute(
            "SELECT d.article_id, d.other_id, x.hash, y.hash FROM near_duplicates d "
            "JOIN articles x ON x.id = d.article_id JOIN articles y ON y.id = d.other_id"):
        hashes[a], hashes[b] = ha, hb
        links.append((ha, hb))
    groups = near_duplicate_groups(links)
    return {rowid: groups[key] for rowid, key in hashes.items()}




def article_mentions(conn: sqlite3.Connection, article_rowid: int
                     ) -> tuple[list[DateMention], list[Amount]]:
    """The dates and amounts stored for one article, in text order."""
    dates = [DateMention(r[0], r[1], r[2], r[3]) for r in conn.execute(
        'SELECT start, "end", text, value FROM dates WHERE article_id = ? ORDER BY start',
        (article_rowid,))]
    amounts = [Amount(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in conn.execute(
        'SELECT start, "end", text, value, unit, approx FROM amounts WHERE article_id = ? '
        "ORDER BY start", (article_rowid,))]
    return dates, amounts


def rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Export rows in their stable order, as dicts keyed by :data:`COLUMNS`."""
    groups = duplicate_groups(conn)
    mentions_of: tuple[int, list[DateMention], list[Amount]] = (-1, [], [])
    for row in conn.execute(_SQL):
        record = dict(row)
        rowid = record.pop("_article_rowid")
        record["duplicate_group"] = groups.get(rowid, record["article"])
        record["confidence"] = round(float(record["confidence"]), 3)
        if mentions_of[0] != rowid:  # rows come article by article
            mentions_of = (rowid, *article_mentions(conn, rowid))
        start, end = record["content_start"], record["content_end"]
        record["dates"] = mentions_json(d for d in mentions_of[1]
                                        if start <= d.start and d.end <= end)
        record["amounts"] = mentions_json(m for m in mentions_of[2]
                                          if start <= m.start and m.end <= end)
        if record["first_seen"] is not None:
            record["first_seen"] = bool(record["first_seen"])
        yield {name: record[name] for name, _, _ in COLUMNS}


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_temporaries(folder: str) -> list[str]:
    """Remove what killed exports left in ``folder`` (their hidden temporary files); returns
    the names removed. A running export's file is left alone."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _TEMP.match(name)
        if match is None:
            continue
        full = os.path.join(folder, name)
        try:
            if match[1] is not None:
                if _running(int(match[1])):
                    continue
            elif time.time() - os.stat(full).st_mtime < _UNOWNED_TEMP_SECONDS:
                continue
            os.unlink(full)
        except OSError:
            continue
        log.info("removed %s, left by an interrupted export", full)
        removed.append(name)
    return removed


def _mode_for(path: str) -> int:
    """The mode the export gets: the replaced file's, or what the umask allows a new file."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def _atomic(path: str, binary: bool) -> Iterator[IO[Any]]:
    """Write to a temporary file beside ``path`` and rename it into place at the end, so an
    interrupted export never leaves a truncated file that looks complete. The temporary file
    is named after this process, so the next export can tell a killed export's leftovers from
    a running one's; the result has the mode any new file would have (umask), not
    ``mkstemp``'s private 0600."""
    if path == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    remove_stale_temporaries(folder)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{TEMP_PREFIX}{os.getpid()}-")
    try:
        os.fchmod(fd, _mode_for(path))
        with (os.fdopen(fd, "wb") if binary else
              os.fdopen(fd, "w", encoding="utf-8", newline="")) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def export(conn: sqlite3.Connection, fmt: str, out: str) -> int:
    """Write every attribution to ``out`` (``-`` for stdout, not for parquet); returns rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "parquet" and out == "-":
        raise ValueError("parquet cannot be written to stdout; give a file name")
    try:
        ensure_directory(conn)
        ensure_quote_groups(conn)
    except sqlite3.OperationalError:  # read-only database: export the directory as it is
        pass
    if fmt == "parquet":
        return _parquet(conn, out)
    count = 0
    with _atomic(out, binary=False) as handle:
        if fmt == "jsonl":
            for record in rows(conn):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        else:
            writer = csv.DictWriter(handle, fieldnames=[c for c, _, _ in COLUMNS],
                                    lineterminator="\n")
            writer.writeheader()
            for record in rows(conn):
                writer.writerow(record)
                count += 1
    return count


def _parquet(conn: sqlite3.Connection, out: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([pa.field(name, types[kind], metadata={"description": doc} if doc else None)
                        for name, kind, doc in COLUMNS])
    count = 0
    with _atomic(out, binary=True) as handle:
        writer = pq.ParquetWriter(handle, schema)
        batch: list[dict[str, Any]] = []
        for record in rows(conn):
            batch.append(record)
            if len(batch) >= _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
        writer.close()
    return count
