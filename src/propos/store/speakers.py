"""The speaker directory in the store: the ``names`` and ``speakers`` tables, rebuilt from
the names after each ingest run, and the directory's listings (``propos speakers``, the web's
``/speakers``). Which names make one entry is :mod:`propos.speaker_names`'s pure function
(:func:`~propos.speaker_names.cluster_names`), which Spark applies too.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ..speaker_names import NameStats, cluster_names, entry_gender, honorifics
from ..text import fold_words
from .db import get_meta, set_meta, transaction

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- store side


def load_name_stats(conn: sqlite3.Connection) -> list[NameStats]:
    rows = conn.execute(
        "SELECT n.id, n.name, n.n_entity, a.speaker_type, COUNT(a.id) "
        "FROM names n LEFT JOIN attributions a ON a.name_id = n.id "
        "GROUP BY n.id, a.speaker_type ORDER BY n.id")
    by_id: dict[int, tuple[str, int, list[tuple[str, int]]]] = {}
    for name_id, name, n_entity, stype, count in rows:
        entry = by_id.setdefault(name_id, (name, n_entity, []))
        if stype is not None and count:
            entry[2].append((stype, count))
    return [NameStats(i, name, tuple(types), n_entity)
            for i, (name, n_entity, types) in by_id.items()]


def rebuild_directory(conn: sqlite3.Connection,
                      first_names: Mapping[str, str] | None = None) -> int:
    """Recompute the speakers table from the names; returns the number of entries."""
    stats = load_name_stats(conn)
    entries = cluster_names(stats, first_names)
    names = {stat.id: stat.name for stat in stats}
    votes = _gender_votes(conn)
    with transaction(conn):
        conn.execute("UPDATE names SET speaker_id = NULL WHERE speaker_id IS NOT NULL")
        assignments = []
        for entry in entries:
            gender, gender_source = entry_gender(entry, names, votes, first_names)
            speaker_id = conn.execute(
                "INSERT INTO speakers (key, name, type, gender, gender_source) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET name = excluded.name, "
                "type = excluded.type, gender = excluded.gender, "
                "gender_source = excluded.gender_source RETURNING id",
                (entry.key, entry.name, entry.type, gender, gender_source)).fetchone()[0]
            assignments.extend((speaker_id, name_id) for name_id in entry.name_ids)
        conn.executemany("UPDATE names SET speaker_id = ? WHERE id = ?", assignments)
        conn.execute("DELETE FROM speakers WHERE id NOT IN "
                     "(SELECT speaker_id FROM names WHERE speaker_id IS NOT NULL)")
        conn.execute(
            "WITH counts AS (SELECT n.speaker_id AS sid, COUNT(*) AS total, "
            "SUM(a.kind = 'direct') AS d, SUM(a.kind = 'indirect') AS i, "
            "SUM(a.kind = 'mixed') AS m, COUNT(DISTINCT a.article_id) AS arts "
            "FROM attributions a JOIN names n ON n.id = a.name_id "
            "WHERE n.speaker_id IS NOT NULL GROUP BY n.speaker_id) "
            "UPDATE speakers SET n_attributions = counts.total, n_direct = counts.d, "
            "n_indirect = counts.i, n_mixed = counts.m, n_articles = counts.arts "
            "FROM counts WHERE counts.sid = speakers.id")
        set_meta(conn, "directory_stale", "0")
    return len(entries)




def _gender_votes(conn: sqlite3.Connection) -> dict[int, list[tuple[str, str | None, int]]]:
    votes: dict[int, list[tuple[str, str | None, int]]] = defaultdict(list)
    for name_id, gender, source, count in conn.execute(
            "SELECT name_id, speaker_gender, speaker_gender_source, COUNT(*) "
            "FROM attributions GROUP BY 1, 2, 3"):
        votes[name_id].append((gender, source, count))
    return votes


def ensure_directory(conn: sqlite3.Connection) -> None:
    """Rebuild the directory if articles were written since the last rebuild (for instance
    by an ingest that was killed before its end)."""
    if get_meta(conn, "directory_stale") == "1":
        rebuild_directory(conn)


@dataclass(frozen=True)
class SpeakerSummary:
    id: int
    name: str
    type: str
    n_attributions: int
    n_direct: int
    n_indirect: int
    n_mixed: int
    n_articles: int
    variants: tuple[str, ...]
    gender: str = "unknown"
    gender_source: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "type": self.type, "gender": self.gender,
                "gender_source": self.gender_source, "attributions": self.n_attributions,
                "direct": self.n_direct, "indirect": self.n_indirect, "mixed": self.n_mixed,
                "articles": self.n_articles, "first_seen": self.first_seen,
                "last_seen": self.last_seen, "variants": list(self.variants)}


SORTS = {"quotes": "quotes", "articles": "articles", "name": "s.name",
         "first_seen": "first_seen", "last_seen": "last_seen"}
SORT_DEFAULT_DESC = {"quotes": True, "articles": True, "name": False, "first_seen": False,
                     "last_seen": True}


@dataclass(frozen=True)
class SpeakerFilters:
    """What a directory listing asks for; empty strings mean "no filter". Counts and first
    and last seen are over the quotes that pass the article filters (outlet, lang, dates)."""

    type: str = ""
    gender: str = ""
    outlet: str = ""
    lang: str = ""
    since: str = ""
    until: str = ""
    sort: str = "quotes"
    descending: bool | None = None   # None: the sort's natural direction

    def problems(self) -> str | None:
        from ..model import GENDERS, SPEAKER_TYPES

        if self.type and self.type not in SPEAKER_TYPES:
            return f"unknown speaker type {self.type!r} (one of {', '.join(SPEAKER_TYPES)})"
        if self.gender and self.gender not in GENDERS:
            return f"unknown gender {self.gender!r} (one of {', '.join(GENDERS)})"
        if self.sort not in SORTS:
            return f"unknown sort {self.sort!r} (one of {', '.join(SORTS)})"
        return None


def list_speakers(conn: sqlite3.Connection, filters: SpeakerFilters = SpeakerFilters(), *,
                  limit: int = 20, offset: int = 0) -> tuple[int, list[SpeakerSummary]]:
    """(total, one page) of the directory, filtered and sorted. Speakers of type
    ``unknown`` (each language's placeholder for unattributed quotes, whatever its spelling)
    are not speakers and are left out unless asked for by type. Raises ValueError for an
    unusable filter or date."""
    from ..dates import parse_bound

    problem = filters.problems()
    if problem:
        raise ValueError(problem)
    where = ["s.type = ?" if filters.type else "s.type != 'unknown'"]
    args: list[object] = [filters.type] if filters.type else []
    for column, value in (("s.gender", filters.gender), ("ar.source", filters.outlet),
                          ("ar.lang", filters.lang)):
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    if filters.since:
        where.append("ar.date >= ?")
        args.append(parse_bound(filters.since))
    if filters.until:
        where.append("ar.date <= ?")
        args.append(parse_bound(filters.until) + "~")  # "2024-03" includes 2024-03-31
    descending = SORT_DEFAULT_DESC[filters.sort] if filters.descending is None \
        else filters.descending
    direction = "DESC" if descending else "ASC"
    order = f"{SORTS[filters.sort]} {direction}, quotes DESC, articles DESC, s.name"
    if not (filters.outlet or filters.lang or filters.since or filters.until) \
            and filters.sort in ("quotes", "articles", "name"):
        # Every quote counts: the directory's own counts, the dates for one page only.
        rows = conn.execute(
            "SELECT s.id, s.name, s.type, s.gender, s.gender_source, "
            "s.n_attributions AS quotes, s.n_direct AS direct, s.n_indirect AS indirect, "
            "s.n_mixed AS mixed, s.n_articles AS articles, NULL AS first_seen, "
            "NULL AS last_seen, COUNT(*) OVER () AS total FROM speakers s "
            f"WHERE {' AND '.join(where)} AND s.n_attributions > 0 "
            f"ORDER BY {order} LIMIT ? OFFSET ?",
            args + [max(0, limit), max(0, offset)]).fetchall()
        rows = [dict(row) for row in rows]
        for row in rows:
            row["first_seen"], row["last_seen"] = conn.execute(
                "SELECT MIN(ar.date), MAX(ar.date) FROM names n "
                "JOIN attributions a ON a.name_id = n.id "
                "JOIN articles ar ON ar.id = a.article_id WHERE n.speaker_id = ?",
                (row["id"],)).fetchone()
        return _summaries(conn, filters, rows, limit, offset)
    rows = conn.execute(
        "SELECT s.id, s.name, s.type, s.gender, s.gender_source, COUNT(*) AS quotes, "
        "SUM(a.kind = 'direct') AS direct, SUM(a.kind = 'indirect') AS indirect, "
        "SUM(a.kind = 'mixed') AS mixed, COUNT(DISTINCT a.article_id) AS articles, "
        "MIN(ar.date) AS first_seen, MAX(ar.date) AS last_seen, COUNT(*) OVER () AS total "
        "FROM attributions a JOIN names n ON n.id = a.name_id "
        "JOIN speakers s ON s.id = n.speaker_id JOIN articles ar ON ar.id = a.article_id "
        f"WHERE {' AND '.join(where)} GROUP BY s.id "
        f"ORDER BY {order} LIMIT ? OFFSET ?",
        args + [max(0, limit), max(0, offset)]).fetchall()
    return _summaries(conn, filters, rows, limit, offset)


def _summaries(conn: sqlite3.Connection, filters: SpeakerFilters, rows: list,
               limit: int, offset: int) -> tuple[int, list[SpeakerSummary]]:
    total = int(rows[0]["total"]) if rows else 0
    if not rows and offset:
        total = list_speakers(conn, filters, limit=1)[0]
    out = []
    for row in rows:
        variants = tuple(r[0] for r in conn.execute(
            "SELECT n.name FROM names n LEFT JOIN attributions a ON a.name_id = n.id "
            "WHERE n.speaker_id = ? GROUP BY n.id ORDER BY COUNT(a.id) DESC, n.name",
            (row["id"],)))
        out.append(SpeakerSummary(row["id"], row["name"], row["type"], row["quotes"],
                                  row["direct"], row["indirect"], row["mixed"],
                                  row["articles"], variants, row["gender"],
                                  row["gender_source"], row["first_seen"], row["last_seen"]))
    return total, out


def top_speakers(conn: sqlite3.Connection, top: int = 20) -> list[SpeakerSummary]:
    """The most quoted speakers, with counts by kind and the names they appear under."""
    return list_speakers(conn, limit=top)[1]


def find_speakers(conn: sqlite3.Connection, query: str) -> list[int]:
    """Directory entries a user's ``--speaker`` text designates.

    Generous on purpose (a filter, not an identification): an entry matches when the query's
    words (honorifics aside, case and accents ignored) occur in sequence in its name or in
    one of its variants, so "Kallas" finds every Kallas and "Kaja Kallas" only her.
    """
    words = fold_words(query).split()
    while words and words[0] in honorifics():
        words = words[1:]
    if not words:
        return []
    needle = " " + " ".join(words) + " "
    found: set[int] = set()
    for speaker_id, name in conn.execute(
            "SELECT s.id, s.name FROM speakers s UNION ALL "
            "SELECT speaker_id, name FROM names WHERE speaker_id IS NOT NULL"):
        if speaker_id not in found and needle in " " + fold_words(name).replace("'", "' ") + " ":
            found.add(speaker_id)
    return sorted(found)


def format_speakers(rows: list[SpeakerSummary]) -> str:
    """A table of the most quoted speakers for people."""
    width = min(32, max([len("speaker")] + [len(r.name) for r in rows]))
    lines = [f"{'#':>3}  {'speaker':<{width}}  {'type':<12} {'gender':<8} {'quotes':>6} "
             f"{'direct':>6} {'indir.':>6} {'mixed':>5} {'articles':>8}  also written"]
    for rank, row in enumerate(rows, start=1):
        others = [v for v in row.variants if v != row.name]
        name = row.name if len(row.name) <= width else row.name[:width - 1] + "…"
        gender = row.gender if row.gender != "unknown" else "-"
        if row.gender_source == "first_name":
            gender += "*"
        lines.append(f"{rank:>3}  {name:<{width}}  {row.type:<12} {gender:<8} "
                     f"{row.n_attributions:>6} "
                     f"{row.n_direct:>6} {row.n_indirect:>6} {row.n_mixed:>5} "
                     f"{row.n_articles:>8}  {', '.join(others[:4])}".rstrip())
    if any(row.gender_source == "first_name" for row in rows):
        lines.append("  * gender from the first name only (the texts do not say)")
    return "\n".join(lines)
