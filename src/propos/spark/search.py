"""Searching a Spark run's ``DIR/attributions`` in place, with DuckDB: no database to load.

At tens of millions of attributions a single SQLite file still searches fast (docs/scale.md),
but loading it takes hours; an analyst who wants to look at a cluster run first can query
its Parquet partitions directly. This is the engine's search (:mod:`propos.store.queries`)
with the same words, filters and order, run as one DuckDB query: the ``lang`` and ``date``
folders prune partitions, the other filters are column predicates, and the words are
regular expressions over the text (case and accents ignored, as the index does). DuckDB scans what
is left on every core, so narrow the dates for interactive use (docs/scale.md has figures).

Rows are the export's (docs/store.md, "Export columns"), newest first (date, article key,
position); the copies of a wire story (same ``duplicate_group``, speaker and words) are one
row with ``copies``. Needs ``duckdb`` (``pip install -e '.[spark]'``).
"""

from __future__ import annotations

import re
from typing import Any

from ..query import BadQuery, SearchQuery, Term, index_form, parse_words, period
from .load import _join

_TEXT_COLUMNS = ("content", "speaker_name", "title")


# A letter and its accented forms: patterns match the text as it is (folding every row with
# strip_accents() costs ten times the scan), case-insensitively.
_ACCENTED = {"a": "aàáâãäå", "c": "cç", "e": "eèéêë", "i": "iìíîï", "n": "nñ",
             "o": "oòóôõö", "u": "uùúûü", "y": "yýÿ"}


def _pattern(term: Term) -> str:
    """A case-insensitive RE2 pattern for a term: its words in sequence, accents ignored,
    the last one a prefix when asked."""
    def word(text: str) -> str:
        return "".join(f"[{_ACCENTED[ch]}]" if ch in _ACCENTED else re.escape(ch)
                       for ch in index_form(text))

    body = r"[^\pL\pN]+".join(word(w) for w in term.words)
    tail = "" if term.prefix else r"([^\pL\pN]|$)"
    return rf"(?i)(^|[^\pL\pN]){body}{tail}"


def search_parquet(root: str, query: SearchQuery, *, lang: str | None = None,
                   connection: Any = None) -> dict[str, Any]:
    """One page of export rows of ``root/attributions`` matching ``query``, newest first:
    ``{"rows": [...], "total": n}``. Speaker filters match the ``speaker`` and
    ``speaker_name`` columns by their words; ``speaker_id``, cursors and relevance need a
    store (``propos load``) and are refused with :class:`BadQuery`."""
    import duckdb

    sql, args = parquet_sql(root, query, lang=lang)
    con = connection or duckdb.connect()
    try:
        result = con.execute(sql, args)
        names = [d[0] for d in result.description]
        rows = [dict(zip(names, r)) for r in result.fetchall()]
    finally:
        if connection is None:
            con.close()
    total = rows[0]["total"] if rows else 0
    for row in rows:
        del row["total"]
    return {"rows": rows, "total": total}


def parquet_sql(root: str, query: SearchQuery, *, lang: str | None = None
                ) -> tuple[str, list[Any]]:
    """The DuckDB statement of :func:`search_parquet`, and its parameters."""
    if query.speaker_id is not None or query.after or query.order != "newest":
        raise BadQuery("speaker_id, after and order=relevance need a propos database "
                       "(propos load DIR --db …)")
    groups = parse_words(query.q)
    if query.q.strip() and not groups:
        raise BadQuery(f"nothing to search for: {query.q!r} has no words in it")
    where: list[str] = []
    args: list[Any] = []
    columns = ("content",) if query.content_only else _TEXT_COLUMNS
    if groups:
        alternatives = []
        for group in groups:
            terms = []
            for term in group:
                terms.append("(" + " OR ".join(f"regexp_matches(coalesce({c}, ''), ?)"
                                               for c in columns) + ")")
                args += [_pattern(term)] * len(columns)
            alternatives.append("(" + " AND ".join(terms) + ")")
        where.append("(" + " OR ".join(alternatives) + ")")
    if query.speaker.strip():
        term = Term(tuple(re.findall(r"\w+", query.speaker)))
        if not term.words:
            raise BadQuery(f"no words in the speaker filter {query.speaker!r}")
        where.append("(regexp_matches(coalesce(speaker, ''), ?) OR "
                     "regexp_matches(coalesce(speaker_name, ''), ?))")
        args += [_pattern(term)] * 2
    for column, value in (("speaker_type", query.speaker_type), ("kind", query.kind),
                          ("cue_type", query.cue_type), ("source", query.outlet), ("lang", lang)):
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    try:
        if query.since.strip():
            where.append("date >= ?")
            args.append(period(query.since)[0].isoformat())
        if query.until.strip():
            where.append("date < ?")
            args.append(period(query.until)[1].isoformat())
    except ValueError as exc:
        raise BadQuery(str(exc)) from exc
    if not where:
        raise BadQuery("give words to search for, or a filter")
    files = _join(root, "attributions", "*", "*", "*.parquet")
    sql = (
        "WITH m AS (SELECT * FROM read_parquet(?, hive_partitioning = true, "
        "hive_types = {'lang': VARCHAR, 'date': VARCHAR}) "
        f"WHERE {' AND '.join(where)}), "
        "g AS (SELECT *, count(*) OVER (PARTITION BY duplicate_group, speaker_name, content) "
        "AS copies, row_number() OVER (PARTITION BY duplicate_group, speaker_name, content "
        "ORDER BY date DESC NULLS LAST, article DESC, seq DESC) AS nth FROM m) "
        "SELECT * EXCLUDE (nth), count(*) OVER () AS total FROM g WHERE nth = 1 "
        "ORDER BY date DESC NULLS LAST, article DESC, seq DESC LIMIT ? OFFSET ?")
    return sql, [files, *args, query.per_page, (query.page - 1) * query.per_page]
