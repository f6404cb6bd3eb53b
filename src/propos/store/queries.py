"""The one search engine over the store: the CLI, the JSON API and the pages all call
:func:`search`.

**Safe text.** Whatever a user types is safe as a query. Values are bound parameters, and the
FTS5 expression is rebuilt from the words of the query, each one a double-quoted FTS5
string, so ``AND``, ``NOT``, ``*``, ``:``, ``(``, ``-`` and quote marks are just characters.
A ``"quoted phrase"`` or ``« phrase »`` stays a phrase, a trailing ``*`` keeps its meaning of
prefix search, and an upper-case ``OR`` between words means either. Text with no word in it
cannot match anything, and the caller gets a message saying so.

**Cost of a page.** The full-text index's rowid is the attribution's sort key (publication
day, then id: :mod:`.keys`), so the default order, newest first, is a backwards walk of the
index that stops when the page is full, whatever the number of matches. Filters are terms of
the index's ``facets`` column (kind, speaker type, speaker names, outlet), matched in the
same walk, and dates are a rowid range. Later pages start after a cursor (keyset
pagination), the total stops counting at :data:`COUNT_CAP`, and relevance (BM25) ranks a
bounded set of candidates (the newest :data:`RELEVANCE_CANDIDATES` matches).

**One hit per quote.** The same words by the same speaker in several articles (wire copies)
are one hit, shown where its first matching copy comes in the order asked for, with
``copies`` saying how many copies match.

**Adding a filter.** A filter is a field of :class:`propos.query.SearchQuery` and a function in
:data:`FILTERS` that turns it into a :class:`Narrowing`: facet terms (fast: they narrow
inside the index), a rowid range, or an SQL condition on the attribution row ``a`` (checked
on each match as the index is walked). Nothing else in the engine needs to change.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

from ..model import CUE_TYPES, KINDS, SPEAKER_TYPES
from ..query import ORDERS, BadQuery, SearchQuery, Term, highlights, index_form, parse_words, period
from ..text import fold_words
from . import keys
from .about import about_clause
from .provenance import ALTERED_CONDITION
from .speakers import find_speakers

log = logging.getLogger(__name__)

MAX_PER_PAGE = 10_000          # the CLI's --limit; the API allows less
COUNT_CAP = 1_000              # totals above this are given as "1,000+"
RELEVANCE_CANDIDATES = 1_000   # relevance ranks the newest this many matches
MAX_NAME_TERMS = 200           # a speaker filter with more names is an SQL condition
MAX_PREFIX_WORDS = 64          # a prefix standing for more words is left to FTS5
# bm25 column weights: content and speaker over title; the facets column never ranks.
_BM25 = "bm25(quotes_fts, 1.0, 1.0, 0.5, 0.0)"
_CURSOR = re.compile(r"^(k|r)(\d{1,19})$")


# --------------------------------------------------------------------------- the words


def _fts(term: Term) -> str:
    """A term as an FTS5 string: ``"transition énergétique"``, ``"énerg"*``."""
    return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")


Expand = Callable[[Term], "tuple[str, ...] | None"]


def _expression(groups: tuple[tuple[Term, ...], ...], expand: Expand | None = None) -> str:
    def term(t: Term) -> str:
        words = expand(t) if expand and t.prefix and len(t.words) == 1 else None
        if not words:
            return _fts(t)
        return words[0] if len(words) == 1 else "(" + " OR ".join(words) + ")"

    if len(groups) == 1:
        return " AND ".join(term(t) for t in groups[0])
    return " OR ".join("(" + " AND ".join(term(t) for t in g) + ")" for g in groups)


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for any user text, or None when it has no word.

    >>> fts_query('budget "transition énergétique" énerg* OR \\'; DROP TABLE')
    '("budget" AND "transition énergétique" AND "énerg"*) OR ("DROP" AND "TABLE")'
    """
    groups = parse_words(text)
    return _expression(groups) if groups else None


def _vocabulary(conn: sqlite3.Connection) -> Expand:
    """Prefix → the indexed words it stands for (at most :data:`MAX_PREFIX_WORDS`, else
    None and FTS5's own prefix query): FTS5 walks an OR of words incrementally, where a
    prefix query first merges every posting of every such word."""
    def expand(term: Term) -> tuple[str, ...] | None:
        prefix = index_form(term.words[0])
        rows = conn.execute("SELECT term FROM quotes_vocab WHERE term >= ? AND term < ? "
                            "LIMIT ?", (prefix, prefix + "\U0010ffff",
                                        MAX_PREFIX_WORDS + 1)).fetchall()
        if not rows or len(rows) > MAX_PREFIX_WORDS:
            return None
        return tuple(f'"{row[0]}"' for row in rows)

    return expand


# --------------------------------------------------------------------------- the query


@dataclass(frozen=True)
class Narrowing:
    """What one filter adds to a search (see the module's "Adding a filter")."""

    facets: str | None = None          # an FTS5 expression over the facets column
    where: str | None = None           # an SQL condition on the attribution row `a`
    params: tuple[Any, ...] = ()
    low: int | None = None             # sort keys in [low, high)
    high: int | None = None
    nothing: str | None = None         # this filter can match nothing: say why


def _quoted(term: str) -> str:
    return f'"{term}"'


def _speaker(conn: sqlite3.Connection, query: SearchQuery) -> Narrowing | None:
    if not query.speaker.strip():
        return None
    ids = find_speakers(conn, query.speaker)
    if not ids:
        return Narrowing(nothing=f"no speaker matching {query.speaker!r} in the directory "
                                 f"(see `propos speakers`)")
    return _names_of(conn, ids)


def _speaker_id(conn: sqlite3.Connection, query: SearchQuery) -> Narrowing | None:
    if query.speaker_id is None:
        return None
    return _names_of(conn, [query.speaker_id])


def _names_of(conn: sqlite3.Connection, speaker_ids: list[int]) -> Narrowing:
    marks = ",".join("?" * len(speaker_ids))
    names = [r[0] for r in conn.execute(
        f"SELECT id FROM names WHERE speaker_id IN ({marks})", speaker_ids)]
    if not names:
        return Narrowing(nothing="no quote matches")
    if len(names) > MAX_NAME_TERMS:
        return Narrowing(where=f"a.name_id IN (SELECT id FROM names WHERE speaker_id IN "
                               f"({marks}))", params=tuple(speaker_ids))
    return Narrowing(facets=" OR ".join(_quoted(f"n{n}") for n in names))


def _speaker_type(conn: sqlite3.Connection, query: SearchQuery) -> Narrowing | None:
    if not query.speaker_type:
        return None
    if query.speaker_type not in SPEAKER_TYPES:
        raise BadQuery(f"unknown speaker type {query.speaker_type!r} "
                       f"(one of {', '.join(SPEAKER_TYPES)})")
    return Narrowing(facets=_quoted(f"t{query.speaker_type}"))


def _kind(conn: sqlite3.Connection, query: SearchQuery) -> Narrowing | None:
    if not query.kind:
        return None
    if query.kind not in KINDS:
        raise BadQuery(f"unknown kind {query.kind!r} (one of {', '.join(KINDS)})")
    return Narrowing(facets=_quoted(f"k{query.kind}"))


def _cue_type(conn: sqlite3.Connection, query: SearchQuery) -> Narrowing | None:
    if not query.cue_type:
        return None
    if query.cue_type not in CUE_TYPES:
        raise BadQuery(f"unknown cue type {query.cue_type!r} (one of {', '.join(CUE_TYPES)})")
    return Narrowing(facets=_quoted(f"c{query.cue_type}"))


def _outlet(conn: sqlite3.Connection, query: SearchQuery) -> Narrowing | None:
    if not query.outlet:
        return None
    row = conn.execute("SELECT id FROM outlets WHERE name = ?", (query.outlet,)).fetchone()
    if row is None:
        return Narrowing(nothing="no quote matches")
    return Narrowing(facets=_quoted(f"o{row[0]}"))


def _dates(conn: sqlite3.Connection, query: SearchQuery) -> Narrowing | None:
    """``since`` and ``until`` include the whole period they name ("2024-03": March) and
    leave undated articles out."""
    if not (query.since.strip() or query.until.strip()):
        return None
    try:
        low = keys.day_key(period(query.since)[0]) if query.since.strip() else 1 << keys.DAY_SHIFT
        high = keys.day_key(period(query.until)[1]) if query.until.strip() else None
    except ValueError as exc:
        raise BadQuery(str(exc)) from exc
    return Narrowing(low=low, high=high)


def _altered(conn: sqlite3.Connection, query: SearchQuery) -> Narrowing | None:
    """Statements some outlet changed the words of (statement groups)."""
    return Narrowing(where=ALTERED_CONDITION) if query.altered else None


def _about(conn: sqlite3.Connection, query: SearchQuery) -> Narrowing | None:
    """Statements about someone or something (:mod:`.about`): an SQL condition on ``a``."""
    if not query.about.strip():
        return None
    clause = about_clause(conn, query.about)
    if clause is None:
        return Narrowing(nothing=f"nothing to look for in --about {query.about!r}")
    return Narrowing(where=clause[0], params=tuple(clause[1]))


FILTERS: list[Callable[[sqlite3.Connection, SearchQuery], Narrowing | None]] = [
    _speaker, _speaker_id, _speaker_type, _kind, _cue_type, _outlet, _dates, _altered, _about]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SpeakerRef:
    id: int | None
    name: str
    type: str
    gender: str = "unknown"
    gender_source: str | None = None


@dataclass(frozen=True)
class AboutRef:
    """One person or organisation the quote's content mentions (table ``about``)."""

    name: str
    type: str


@dataclass(frozen=True)
class ArticleRef:
    id: str          # the article key
    title: str | None
    date: str | None
    source: str | None
    url: str | None


@dataclass(frozen=True)
class Hit:
    """One matching quote with what a reader needs to judge and find it; ``highlights``
    are offsets into ``content`` of the words matched there."""

    id: int
    kind: str
    content: str
    start: int
    end: int
    speaker: SpeakerRef
    speaker_as_written: str
    article: ArticleRef
    copies: int = 1
    highlights: tuple[tuple[int, int], ...] = ()
    about: tuple[AboutRef, ...] = ()
    cue_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["highlights"] = [{"start": s, "end": e} for s, e in self.highlights]
        return out


@dataclass(frozen=True)
class SearchResult:
    """One page of hits. ``total`` counts hits exactly up to :data:`COUNT_CAP`; beyond,
    ``total`` is the cap and ``total_exact`` is false ("1,000+"). ``next`` is the cursor of
    the following page (None on the last); ``searched`` is false when there was nothing to
    search for (no words and no filter), which ``message`` explains."""

    query: SearchQuery
    hits: tuple[Hit, ...] = ()
    total: int = 0
    total_exact: bool = True
    next: str | None = None
    message: str | None = None
    searched: bool = True

    @property
    def pages(self) -> int | None:
        return -(-self.total // self.query.per_page) if self.total_exact else None

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query.to_dict(), "total": self.total,
                "total_exact": self.total_exact, "page": self.query.page,
                "per_page": self.query.per_page, "pages": self.pages, "next": self.next,
                "hits": [h.to_dict() for h in self.hits], "message": self.message}


# --------------------------------------------------------------------------- the engine


@dataclass(frozen=True)
class _Plan:
    """The SQL of one search: a match expression (or none), a key range, conditions."""

    match: str | None
    low: int
    high: int
    where: tuple[str, ...] = ()
    params: tuple[Any, ...] = ()
    words: tuple[tuple[Term, ...], ...] = ()

    def rows(self, *, below: int, limit: int, score: bool = False) -> tuple[str, list[Any]]:
        """Matches with a sort key under ``below``, newest first: (key, group, [score])."""
        conditions = list(self.where)
        if self.match is not None:
            head = ("SELECT quotes_fts.rowid AS key, a.group_key AS grp"
                    + (f", {_BM25} AS score" if score else "")
                    + " FROM quotes_fts CROSS JOIN attributions a "
                      "ON a.sort_key = quotes_fts.rowid "
                      "WHERE quotes_fts MATCH ? AND quotes_fts.rowid >= ? "
                      "AND quotes_fts.rowid < ?")
            order = "quotes_fts.rowid"
            args: list[Any] = [self.match, self.low, min(below, self.high)]
        else:
            head = ("SELECT a.sort_key AS key, a.group_key AS grp FROM attributions a "
                    "WHERE a.sort_key >= ? AND a.sort_key < ?")
            order = "a.sort_key"
            args = [self.low, min(below, self.high)]
        sql = head + "".join(f" AND ({c})" for c in conditions) + \
            f" ORDER BY {order} DESC LIMIT ?"
        return sql, args + list(self.params) + [limit]

    def matches_key(self, key: int) -> tuple[str, list[Any]]:
        """Whether the attribution with sort key ``key`` matches (one index lookup)."""
        conditions = list(self.where)
        if self.match is not None:
            sql = ("SELECT 1 FROM quotes_fts CROSS JOIN attributions a "
                   "ON a.sort_key = quotes_fts.rowid "
                   "WHERE quotes_fts MATCH ? AND quotes_fts.rowid = ?")
            args: list[Any] = [self.match, key]
        else:
            sql = "SELECT 1 FROM attributions a WHERE a.sort_key = ?"
            args = [key]
        return sql + "".join(f" AND ({c})" for c in conditions), args + list(self.params)

    def count(self) -> tuple[str, list[Any]]:
        """Matching rows and distinct hits among the first ``COUNT_CAP + 1`` matches."""
        inner, args = self.rows(below=self.high, limit=COUNT_CAP + 1)
        return f"SELECT COUNT(*), COUNT(DISTINCT grp) FROM ({inner})", args


def _plan(conn: sqlite3.Connection, query: SearchQuery
          ) -> tuple[_Plan | None, SearchResult | None]:
    """The plan of ``query``, or the answer when there is nothing to run."""
    if query.order not in ORDERS:
        raise BadQuery(f"unknown order {query.order!r} (one of {', '.join(ORDERS)})")
    text = query.q.strip()
    words = parse_words(text)
    if text and not words:
        return None, SearchResult(query, message=f"nothing to search for: {query.q!r} has "
                                                 f"no words (letters or digits) in it",
                                  searched=False)
    narrowings = [n for n in (f(conn, query) for f in FILTERS) if n is not None]
    if not words and not narrowings:
        return None, SearchResult(query, message="give words to search for, or a filter "
                                                 "(speaker, speaker type, kind, dates, "
                                                 "outlet, about)", searched=False)
    for narrowing in narrowings:
        if narrowing.nothing:
            return None, SearchResult(query, message=narrowing.nothing)
    parts = []
    if words:
        columns = "{content}" if query.content_only else "{content speaker title}"
        parts.append(f"{columns} : ({_expression(words, _vocabulary(conn))})")
    parts += [f"{{facets}} : ({n.facets})" for n in narrowings if n.facets]
    low = max([0] + [n.low for n in narrowings if n.low is not None])
    high = min([1 << 62] + [n.high for n in narrowings if n.high is not None])
    return _Plan(" AND ".join(parts) or None, low, high,
                 tuple(n.where for n in narrowings if n.where),
                 tuple(p for n in narrowings for p in n.params), words), None


def search(conn: sqlite3.Connection, query: SearchQuery | str = "", **values: Any
           ) -> SearchResult:
    """One page of quotes matching ``query`` (a :class:`SearchQuery`, or the words, with
    the other fields as keywords), newest first unless ``order="relevance"``.

    Raises :class:`BadQuery` for an unusable kind, cue type, speaker type, order, date or cursor.
    """
    if isinstance(query, str):
        query = SearchQuery(q=query, **values)
    query = replace(query, per_page=max(1, min(int(query.per_page), MAX_PER_PAGE)),
                    page=max(1, int(query.page)))
    plan, answer = _plan(conn, query)
    if answer is not None:
        return answer
    assert plan is not None
    try:
        if query.order == "relevance" and plan.words:
            keys_, next_cursor = _relevance_page(conn, plan, query)
        else:
            keys_, next_cursor = _newest_page(conn, plan, query)
        rows, distinct = conn.execute(*plan.count()).fetchone()
        copies = {k: _copies(conn, plan, k) for k in keys_}
    except sqlite3.OperationalError as exc:
        if "fts5" not in str(exc):  # a locked or unreadable database is the caller's to report
            raise
        log.error("search failed for %r (%s): %s", query.q, plan.match, exc)  # a bug: the
        return SearchResult(query, message="search failed")  # expression is rebuilt
    exact = rows <= COUNT_CAP
    total = distinct if exact else COUNT_CAP
    hits = tuple(replace(h, copies=copies[k], highlights=highlights(h.content, plan.words))
                 for k, h in zip(keys_, _hits(conn, keys_)))
    message = None
    if not hits:
        message = "no quote matches" if not total else f"page {query.page} is past the last page"
    return SearchResult(query, hits, total, exact, next_cursor, message)


def dated_counts(conn: sqlite3.Connection, query: SearchQuery) -> dict[str, int]:
    """Every quote matching ``query`` (copies included) counted by its article's date
    (``""`` for undated articles): the search page's timeline chart, over the same
    narrowing as :func:`search`. Empty when there is nothing to search for."""
    plan, answer = _plan(conn, query)
    if answer is not None or plan is None:
        return {}
    inner, args = plan.rows(below=plan.high, limit=-1)
    sql = (f"SELECT ar.date, COUNT(*) FROM ({inner}) m "
           "JOIN attributions a ON a.sort_key = m.key "
           "JOIN articles ar ON ar.id = a.article_id GROUP BY ar.date")
    try:
        return {row[0] or "": row[1] for row in conn.execute(sql, args)}
    except sqlite3.OperationalError as exc:
        if "fts5" not in str(exc):
            raise
        log.error("timeline failed for %r (%s): %s", query.q, plan.match, exc)
        return {}


def _walk(conn: sqlite3.Connection, plan: _Plan, below: int,
          batch: int) -> Iterator[sqlite3.Row]:
    """Matching rows under ``below``, newest first, fetched in growing batches."""
    while True:
        rows = conn.execute(*plan.rows(below=below, limit=batch)).fetchall()
        yield from rows
        if len(rows) < batch:
            return
        below = rows[-1]["key"]
        batch = min(batch * 4, 4096)


def _newest_page(conn: sqlite3.Connection, plan: _Plan, query: SearchQuery
                 ) -> tuple[list[int], str | None]:
    """The sort keys of the page's hits (each hit at its newest matching copy), and the
    cursor of the next page."""
    start = plan.high
    skip = (query.page - 1) * query.per_page
    if query.after:
        start, skip = _cursor(query.after, "k"), 0
    wanted = skip + query.per_page
    seen: set[int] = set()
    found: list[int] = []
    for row in _walk(conn, plan, start, min(wanted + 1, 4096) + 8):
        if row["grp"] in seen:
            continue
        seen.add(row["grp"])
        # A copy newer than where this walk started, if it matches, showed this hit on an
        # earlier page.
        if start < plan.high and _newer_copy_matches(conn, plan, row, start):
            continue
        found.append(row["key"])
        if len(found) > wanted:
            break
    page = found[skip:wanted]
    more = len(found) > wanted
    return page, (f"k{page[-1]}" if more and page else None)


def _newer_copy_matches(conn: sqlite3.Connection, plan: _Plan, row: sqlite3.Row,
                        start: int) -> bool:
    newer = [r[0] for r in conn.execute(
        "SELECT sort_key FROM attributions WHERE group_key = ? AND sort_key >= ? "
        "AND sort_key < ?", (row["grp"], start, plan.high))]
    return any(conn.execute(*plan.matches_key(k)).fetchone() for k in newer)


def _relevance_page(conn: sqlite3.Connection, plan: _Plan, query: SearchQuery
                    ) -> tuple[list[int], str | None]:
    """BM25 over the newest :data:`RELEVANCE_CANDIDATES` matches: best first, ties newest
    first, each hit at its best-ranked copy; the cursor is a rank offset."""
    offset = (query.page - 1) * query.per_page
    if query.after:
        offset = _cursor(query.after, "r")
    rows = conn.execute(*plan.rows(below=plan.high, limit=RELEVANCE_CANDIDATES,
                                   score=True)).fetchall()
    ranked: list[int] = []
    seen: set[int] = set()
    for row in sorted(rows, key=lambda r: (r["score"], -r["key"])):
        if row["grp"] not in seen:
            seen.add(row["grp"])
            ranked.append(row["key"])
    page = ranked[offset:offset + query.per_page]
    more = len(ranked) > offset + query.per_page
    return page, (f"r{offset + query.per_page}" if more and page else None)


def _cursor(text: str, kind: str) -> int:
    match = _CURSOR.match(text.strip())
    if not match or match[1] != kind or int(match[2]) >= 1 << 62:
        raise BadQuery(f"not a cursor of this order: {text!r} (use the `next` value of "
                       f"the previous page)")
    return int(match[2])


def _copies(conn: sqlite3.Connection, plan: _Plan, key: int) -> int:
    """How many copies of the hit at ``key`` (itself included) match the query."""
    others = [r[0] for r in conn.execute(
        "SELECT b.sort_key FROM attributions a JOIN attributions b "
        "ON b.group_key = a.group_key AND b.sort_key >= ? AND b.sort_key < ? "
        "WHERE a.sort_key = ? AND b.sort_key != ?", (plan.low, plan.high, key, key))]
    return 1 + sum(1 for k in others if conn.execute(*plan.matches_key(k)).fetchone())


_HIT_COLUMNS = (
    "SELECT a.id, a.sort_key, a.kind, a.cue_type, a.content, a.content_start, a.content_end, "
    "a.speaker_name, a.speaker_type, s.id AS speaker_id, s.name AS speaker, "
    "s.type AS directory_type, COALESCE(s.gender, a.speaker_gender) AS gender, "
    "CASE WHEN s.id IS NULL THEN a.speaker_gender_source ELSE s.gender_source END "
    "AS gender_source, ar.hash, ar.title, ar.date, ar.source, ar.url "
    "FROM attributions a JOIN articles ar ON ar.id = a.article_id "
    "LEFT JOIN names n ON n.id = a.name_id LEFT JOIN speakers s ON s.id = n.speaker_id ")


def _hits(conn: sqlite3.Connection, sort_keys: list[int]) -> list[Hit]:
    """The hits at ``sort_keys``, in that order."""
    if not sort_keys:
        return []
    rows = conn.execute(_HIT_COLUMNS + f"WHERE a.sort_key IN ({','.join('?' * len(sort_keys))})",
                        sort_keys).fetchall()
    by_key = {row["sort_key"]: row for row in rows}
    ids = [row["id"] for row in rows]
    about: dict[int, list[AboutRef]] = {}
    for attribution_id, name, type_ in conn.execute(
            f"SELECT attribution_id, name, type FROM about WHERE attribution_id IN "
            f"({','.join('?' * len(ids))}) ORDER BY attribution_id, seq", ids):
        about.setdefault(attribution_id, []).append(AboutRef(name, type_))
    return [_hit(by_key[k], tuple(about.get(by_key[k]["id"], ()))) for k in sort_keys]


def _hit(row: sqlite3.Row, about: tuple[AboutRef, ...] = ()) -> Hit:
    return Hit(
        row["id"], row["kind"], row["content"], row["content_start"], row["content_end"],
        SpeakerRef(row["speaker_id"], row["speaker"] or row["speaker_name"],
                   row["directory_type"] or row["speaker_type"],
                   row["gender"] or "unknown", row["gender_source"]),
        row["speaker_name"],
        ArticleRef(row["hash"], row["title"], row["date"], row["source"], row["url"]),
        about=about,
        cue_type=row["cue_type"])


def format_hits(result: SearchResult) -> str:
    """Search results for people: speaker, date, title and source, the quote, and where to
    read it (the article's URL, else its key)."""
    blocks = []
    for hit in result.hits:
        article = hit.article
        where = " · ".join(x for x in (article.date, f"« {article.title} »" if article.title
                                       else None, article.source) if x)
        also = f" (+{hit.copies - 1} near-identical cop{'y' if hit.copies == 2 else 'ies'})" \
            if hit.copies > 1 else ""
        mention = (f" [as « {hit.speaker_as_written} »]"
                   if fold_words(hit.speaker_as_written) != fold_words(hit.speaker.name) else "")
        content = f"« {hit.content} »" if hit.kind == "direct" else hit.content
        link = article.url or f"article {article.id}"
        blocks.append(f"[{hit.kind}] {hit.speaker.name} ({hit.speaker.type}){mention} — "
                      f"{where or 'undated'}{also}\n    {content}\n    {link}")
    return "\n".join(blocks)


def outlets(conn: sqlite3.Connection, limit: int = 200) -> list[str]:
    """Outlet names, most articles first (the search form's list)."""
    return [r[0] for r in conn.execute(
        "SELECT name FROM outlets ORDER BY n_articles DESC, name LIMIT ?", (limit,))]
