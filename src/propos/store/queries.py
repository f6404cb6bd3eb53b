"""Questions over the store: full-text search of quotes, with speaker, date, kind and cue type
filters.

Whatever a user types is safe as a query. The text never reaches SQL: values are bound
parameters, and the FTS5 expression is rebuilt from the words of the query, each one a
double-quoted FTS5 string (so ``AND``, ``NOT``, ``*``, ``:``, ``(``, ``-`` and quote marks are
just characters). A ``"quoted phrase"`` or ``« phrase »`` stays a phrase, and a trailing
``*`` keeps its meaning of prefix search. Text with no word in it cannot match anything, and
the caller gets a message saying so instead of an FTS syntax error.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from ..ingest.dates import parse_bound
from ..model import CUE_TYPES, KINDS
from .speakers import find_speakers, fold

log = logging.getLogger(__name__)

MAX_TERMS = 32
MAX_LIMIT = 10_000
_SEGMENTS = re.compile(r'("[^"]*"|«[^»]*»)')
_TERM = re.compile(r"(\w+)(\*)?")
_WORD = re.compile(r"\w+")


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for any user text, or None when it has no word.

    >>> fts_query('budget "transition énergétique" énerg* OR \\'; DROP TABLE')
    '"budget" "transition énergétique" "énerg"* "OR" "DROP" "TABLE"'
    """
    parts: list[str] = []
    for segment in _SEGMENTS.split(text or ""):
        if len(segment) >= 2 and segment[0] + segment[-1] in ('""', "«»"):
            words = _WORD.findall(segment[1:-1])
            if words:
                parts.append('"' + " ".join(words) + '"')
            continue
        for match in _TERM.finditer(segment):
            parts.append(f'"{match[1]}"' + ("*" if match[2] else ""))
    return " ".join(parts[:MAX_TERMS]) or None


@dataclass(frozen=True)
class Hit:
    """One matching quote with what a reader needs to judge and find it."""

    attribution_id: int
    kind: str
    content: str
    speaker: str
    speaker_type: str
    mention: str
    date: str | None
    title: str | None
    source: str | None
    url: str | None
    article: str
    start: int
    end: int
    copies: int = 1
    cue_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "content": self.content, "speaker": self.speaker,
                "speaker_type": self.speaker_type, "speaker_as_written": self.mention,
                "date": self.date, "title": self.title, "source": self.source, "url": self.url,
                "article": self.article, "start": self.start, "end": self.end,
                "copies": self.copies, "cue_type": self.cue_type}


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[Hit, ...]
    message: str | None = None   # why nothing can match, for the user


def search(conn: sqlite3.Connection, query: str, *, speaker: str | None = None,
           since: str | None = None, until: str | None = None, kind: str | None = None,
           cue_type: str | None = None, limit: int = 20) -> SearchResult:
    """Quotes matching ``query`` (content, speaker name or article title), best first.

    The same quote carried by several near-identical copies of a wire story is shown once,
    with ``copies`` saying how many articles carry it.
    """
    match = fts_query(query)
    filters = any(v for v in (speaker, since, until, kind, cue_type))
    if match is None and (query or "").strip() and not filters:
        return SearchResult((), f"nothing to search for: {query!r} has no words "
                                f"(letters or digits) in it")
    if match is None and not filters:
        return SearchResult((), "give words to search for, or a filter "
                                "(--speaker, --since, --until, --kind, --cue-type)")
    if kind is not None and kind not in KINDS:
        return SearchResult((), f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    if cue_type is not None and cue_type not in CUE_TYPES:
        return SearchResult((), f"unknown cue type {cue_type!r} (one of {', '.join(CUE_TYPES)})")
    limit = max(1, min(int(limit), MAX_LIMIT))
    where: list[str] = []
    params: list[Any] = []
    if match is not None:
        where.append("quotes_fts MATCH ?")
        params.append(match)
    if speaker:
        ids = find_speakers(conn, speaker)
        if not ids:
            return SearchResult((), f"no speaker matching {speaker!r} in the directory "
                                    f"(see `propos speakers`)")
        where.append(f"n.speaker_id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    if kind:
        where.append("a.kind = ?")
        params.append(kind)
    if cue_type:
        where.append("a.cue_type = ?")
        params.append(cue_type)
    try:
        if since:
            where.append("ar.date >= ?")
            params.append(parse_bound(since))
        if until:
            bound = parse_bound(until)
            where.append("substr(ar.date, 1, ?) <= ?")
            params.extend([len(bound), bound])
    except ValueError as exc:
        return SearchResult((), str(exc))
    source = ("quotes_fts JOIN attributions a ON a.id = quotes_fts.rowid"
              if match is not None else "attributions a")
    order = ("bm25(quotes_fts, 1.0, 1.0, 0.5), ar.date DESC, a.id" if match is not None
             else "ar.date DESC, a.id")
    sql = (
        "SELECT a.id, a.kind, a.content, a.content_start, a.content_end, a.speaker_name, "
        "a.speaker_type, a.cue_type, s.id AS speaker_id, s.name AS speaker, s.type AS directory_type, "
        "ar.hash, ar.title, ar.date, ar.source, ar.url "
        f"FROM {source} JOIN articles ar ON ar.id = a.article_id "
        "LEFT JOIN names n ON n.id = a.name_id LEFT JOIN speakers s ON s.id = n.speaker_id "
        f"WHERE {' AND '.join(where) or '1'} ORDER BY {order} LIMIT ?")
    params.append(min(limit * 5, MAX_LIMIT))
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:  # should not happen: the expression is rebuilt
        log.error("search failed for %r (%s): %s", query, match, exc)
        return SearchResult((), f"search failed: {exc}")
    hits = _collapse(rows, limit)
    if not hits:
        return SearchResult((), "no quote matches")
    return SearchResult(tuple(hits))


def _collapse(rows: list[sqlite3.Row], limit: int) -> list[Hit]:
    """One hit per (speaker, quote text): wire copies of one story repeat the same quotes."""
    seen: dict[tuple[Any, str], int] = {}
    hits: list[Hit] = []
    for row in rows:
        key = (row["speaker_id"] or row["speaker_name"], fold(row["content"]))
        if key in seen:
            index = seen[key]
            hits[index] = _with_copies(hits[index], hits[index].copies + 1)
            continue
        if len(hits) >= limit:
            continue
        seen[key] = len(hits)
        hits.append(Hit(
            row["id"], row["kind"], row["content"], row["speaker"] or row["speaker_name"],
            row["directory_type"] or row["speaker_type"], row["speaker_name"], row["date"],
            row["title"], row["source"], row["url"], row["hash"], row["content_start"],
            row["content_end"], cue_type=row["cue_type"]))
    return hits


def _with_copies(hit: Hit, copies: int) -> Hit:
    from dataclasses import replace

    return replace(hit, copies=copies)


def format_hits(result: SearchResult) -> str:
    """Search results for people: speaker, date, title and source, then the quote."""
    blocks = []
    for hit in result.hits:
        where = " · ".join(x for x in (hit.date, f"« {hit.title} »" if hit.title else None,
                                       hit.source) if x)
        also = f" (+{hit.copies - 1} near-identical cop{'y' if hit.copies == 2 else 'ies'})" \
            if hit.copies > 1 else ""
        mention = f" [as « {hit.mention} »]" if fold(hit.mention) != fold(hit.speaker) else ""
        content = f"« {hit.content} »" if hit.kind == "direct" else hit.content
        blocks.append(f"[{hit.kind}] {hit.speaker} ({hit.speaker_type}){mention} — "
                      f"{where or 'undated'}{also}\n    {content}")
    return "\n".join(blocks)
