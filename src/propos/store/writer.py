"""Writing to the store: one article with everything extracted from it, in ONE transaction.

An article row, its attributions (with every offset), their full-text index rows, its
entities, the speaker names they use, its MinHash bands and its near-duplicate links are
committed together or not at all. A process killed at any instant (SIGKILL included) thus
leaves each article either complete or absent, and the next run, which skips articles by
content hash, carries on where the last commit left off.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from ..article import Article
from ..dedupe import MAX_CANDIDATES, NEAR_DUPLICATE_THRESHOLD, band_keys, similarity
from ..engine import engine_version
from ..model import Attribution, Document, Failure, Span
from ..profile import DEFAULT_LANG
from ..resolve.outlet import with_outlet
from ..text import fold_words
from . import keys
from .db import set_meta, transaction
from .provenance import mark_stale as mark_quote_groups_stale
from ..speaker_names import clean_name, directory_name, looks_like_full_name

log = logging.getLogger(__name__)

_NAME_CACHE_SIZE = 100_000
# Articles between two WAL checkpoints (propos.store.db.checkpoint). With two readers never
# stopping, 600 articles grew the WAL to 81-93 MB without them, 8 MB with one every 25
# (bench/wal_growth.py).
CHECKPOINT_EVERY = 25

Status = Literal["new", "present", "upgraded"]


@dataclass(frozen=True)
class WriteResult:
    """What writing one article did: ``new``, ``present`` (same hash already stored, nothing
    written) or ``upgraded`` (stored earlier in an unsupported language, extracted now)."""

    status: Status
    article_id: int
    attributions: int = 0
    near_duplicates: tuple[int, ...] = ()


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _span(span: Span | None) -> tuple[str | None, int | None, int | None]:
    return (span.text, span.start, span.end) if span else (None, None, None)


class Writer:
    """Stores articles and failures through one connection (autocommit mode), and keeps the
    WAL bounded by checkpointing it every ``checkpoint_every`` articles."""

    def __init__(self, conn: sqlite3.Connection, checkpoint_every: int = CHECKPOINT_EVERY):
        self.conn = conn
        self.checkpoint_every = checkpoint_every
        self._names: dict[str, int] = {}
        self._written = 0

    # ------------------------------------------------------------------ articles

    def write_article(self, article: Article, document: Document | None, *,
                      lang: str, signature: bytes | None = None,
                      now: str | None = None) -> WriteResult:
        """Store ``article`` with ``document``'s attributions and entities.

        ``document`` is None for an article in a language propos does not extract yet: it is
        stored (text, metadata, language) with status ``unsupported_lang``.
        """
        try:
            with transaction(self.conn):
                result = self._write(article, document, lang, signature, now or utc_now())
        except BaseException:
            self._names.clear()  # ids handed out inside the rolled-back transaction are void
            raise
        if result.status != "present":
            self._written += 1
            if self._written % self.checkpoint_every == 0:
                from .db import checkpoint

                checkpoint(self.conn)
        return result

    def write_articles(self, items: list[tuple[Article, Document | None, str, bytes | None]],
                       *, now: str | None = None) -> list[WriteResult]:
        """Store several ``(article, document, lang, signature)`` in ONE transaction: for
        bulk loads (benchmarks, imports) where an article-level resume point is not needed."""
        stamp = now or utc_now()
        try:
            with transaction(self.conn):
                return [self._write(article, document, lang, signature, stamp)
                        for article, document, lang, signature in items]
        except BaseException:
            self._names.clear()
            raise

    def _write(self, article: Article, document: Document | None, lang: str,
               signature: bytes | None, now: str) -> WriteResult:
        conn = self.conn
        key = article.hash
        status = "extracted" if document is not None else "unsupported_lang"
        if document is not None:
            document = with_outlet(document, article.source)  # "selon nos informations"
        row = conn.execute("SELECT id, status FROM articles WHERE hash = ?", (key,)).fetchone()
        if row is not None:
            if not (row["status"] == "unsupported_lang" and document is not None):
                return WriteResult("present", row["id"])
            article_id = row["id"]
            conn.execute("UPDATE articles SET status = ?, lang = ?, engine = ? WHERE id = ?",
                         (status, lang, engine_version(), article_id))
            outcome: Status = "upgraded"
            links: tuple[int, ...] = ()
        else:
            article_id = conn.execute(
                "INSERT INTO articles (hash, doc_id, url, title, date, source, author, lang, "
                "status, path, location, format, text, minhash, ingested_at, engine) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, article.id, article.url, article.title, article.date, article.source,
                 article.author, lang, status, article.path, article.location, article.format,
                 article.text, signature, now,
                 engine_version() if document is not None else None)).lastrowid
            self._count_outlet(article.source)
            outcome = "new"
            links = self._link_near_duplicates(article_id, signature) if signature else ()
        count = 0
        if document is not None:
            count = self._write_attributions(article_id, document.attributions,
                                             copies_of=links)
            self._write_entities(article_id, document)
            self._write_mentions(article_id, document)
            conn.execute("UPDATE articles SET n_attributions = ? WHERE id = ?",
                         (count, article_id))
            if count or document.entities:
                set_meta(conn, "directory_stale", "1")
            if count:
                mark_quote_groups_stale(conn)
        conn.execute("DELETE FROM failures WHERE location = ?", (article.location,))
        return WriteResult(outcome, article_id, count, links)

    def _write_attributions(self, article_id: int, attributions: tuple[Attribution, ...],
                            copies_of: tuple[int, ...] = ()) -> int:
        """``copies_of``: the near-identical articles whose quotes these may be copies of."""
        conn = self.conn
        # Ids are handed out here (inside the article's transaction) because the sort key,
        # which is also the full-text rowid, is made from the id.
        next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM attributions").fetchone()[0]
        # What the store says (an article upgraded from another language keeps the date,
        # outlet and title it was stored with): the keys and the index follow the rows.
        date, outlet, title = conn.execute("SELECT date, source, title FROM articles "
                                           "WHERE id = ?", (article_id,)).fetchone()
        outlet_id = self._outlet_id(outlet)
        for seq, a in enumerate(attributions):
            name = clean_name(a.speaker.name) or "?"
            cue, cue_start, cue_end = _span(a.cue)
            source, source_start, source_end = _span(a.source)
            via, via_start, via_end = _span(a.via)
            attribution_id = next_id + seq
            name_id = self._name_id(directory_name(name, source))
            key = keys.sort_key(date, attribution_id)
            conn.execute(
                "INSERT INTO attributions (id, article_id, seq, kind, content, content_start, "
                "content_end, cue, cue_start, cue_end, source, source_start, source_end, via, "
                "via_start, via_end, name_id, speaker_name, speaker_type, confidence, rule, "
                "sort_key, group_key, speaker_gender, speaker_gender_source, cue_type) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?)",
                (attribution_id, article_id, seq, a.kind, a.content.text, a.content.start,
                 a.content.end, cue, cue_start, cue_end, source, source_start, source_end, via,
                 via_start, via_end, name_id, name, a.speaker.type, float(a.confidence),
                 a.rule, key, self._group_key(attribution_id, name_id, a.content.text,
                                              copies_of),
                 a.speaker.gender, a.speaker.gender_source, a.cue_type))
            conn.executemany(
                "INSERT INTO about (attribution_id, seq, name, type, folded) "
                "VALUES (?, ?, ?, ?, ?)",
                [(attribution_id, i, r.name, r.type, fold_words(r.name))
                 for i, r in enumerate(a.about)])
            conn.execute("INSERT INTO quotes_fts (rowid, content, speaker, title, facets) "
                         "VALUES (?, ?, ?, ?, ?)",
                         (key, a.content.text, name, title or "",
                          keys.facets(a.kind, a.speaker.type, name_id, outlet_id, a.cue_type)))
        return len(attributions)

    def replace_extraction(self, article_id: int, title: str | None,
                           document: Document) -> int:
        """Swap a stored article's attributions and entities for ``document``'s (a newer
        engine's), in one transaction; returns the number of attributions."""
        try:
            with transaction(self.conn):
                conn = self.conn
                conn.execute("DELETE FROM attributions WHERE article_id = ?", (article_id,))
                # the old entities' person names stop counting as evidence (see speakers.py)
                old = [clean_name(r[0]) for r in conn.execute(
                    "SELECT text FROM entities WHERE article_id = ? AND label = 'PER'",
                    (article_id,))]
                conn.executemany("UPDATE names SET n_entity = MAX(0, n_entity - 1) "
                                 "WHERE name = ?", [(p,) for p in old
                                                    if looks_like_full_name(p)])
                conn.execute("DELETE FROM entities WHERE article_id = ?", (article_id,))
                copies_of = tuple(r[0] for r in conn.execute(
                    "SELECT other_id FROM near_duplicates WHERE article_id = ? UNION "
                    "SELECT article_id FROM near_duplicates WHERE other_id = ?",
                    (article_id, article_id)))
                count = self._write_attributions(article_id, document.attributions,
                                                 copies_of=copies_of)
                self._write_entities(article_id, document)
                conn.execute("UPDATE articles SET n_attributions = ?, engine = ? WHERE id = ?",
                             (count, engine_version(), article_id))
                set_meta(conn, "directory_stale", "1")
                return count
        except BaseException:
            self._names.clear()
            raise

    def _group_key(self, attribution_id: int, name_id: int, content: str,
                   copies_of: tuple[int, ...]) -> int:
        """The group of the same words by the same speaker in a near-identical article
        (a wire copy: one search hit), else a group of its own (its id)."""
        if not copies_of:
            return attribution_id
        row = self.conn.execute(
            f"SELECT group_key FROM attributions WHERE article_id IN "
            f"({','.join('?' * len(copies_of))}) AND name_id = ? AND content = ? LIMIT 1",
            (*copies_of, name_id, content)).fetchone()
        return row[0] if row else attribution_id

    def _count_outlet(self, outlet: str | None) -> None:
        if outlet:
            self.conn.execute("INSERT INTO outlets (name, n_articles) VALUES (?, 1) "
                              "ON CONFLICT (name) DO UPDATE SET n_articles = n_articles + 1",
                              (outlet,))

    def _outlet_id(self, outlet: str | None) -> int | None:
        if not outlet:
            return None
        row = self.conn.execute("SELECT id FROM outlets WHERE name = ?", (outlet,)).fetchone()
        if row is None:  # a database whose outlets table was edited by hand
            self._count_outlet(outlet)
            row = self.conn.execute("SELECT id FROM outlets WHERE name = ?",
                                    (outlet,)).fetchone()
        return row[0]

    def _write_entities(self, article_id: int, document: Document) -> None:
        conn = self.conn
        conn.executemany(
            'INSERT OR IGNORE INTO entities (article_id, label, start, "end", text) '
            "VALUES (?, ?, ?, ?, ?)",
            [(article_id, e.label, e.start, e.end, e.text) for e in document.entities])
        # Full person names seen anywhere are the evidence that tells whether a bare surname
        # ("Kallas") is ambiguous in the corpus (see speakers.py).
        people = [clean_name(e.text) for e in document.entities if e.label == "PER"]
        people = [p for p in people if looks_like_full_name(p)]
        conn.executemany(
            "INSERT INTO names (name, n_entity) VALUES (?, 1) "
            "ON CONFLICT (name) DO UPDATE SET n_entity = n_entity + 1", [(p,) for p in people])

    def _write_mentions(self, article_id: int, document: Document) -> None:
        """The dates and amounts of the text (an attribution's are those inside its content)."""
        conn = self.conn
        conn.executemany(
            'INSERT OR IGNORE INTO dates (article_id, start, "end", text, value) '
            "VALUES (?, ?, ?, ?, ?)",
            [(article_id, d.start, d.end, d.text, d.value) for d in document.dates])
        conn.executemany(
            'INSERT OR IGNORE INTO amounts (article_id, start, "end", text, value, unit, approx) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(article_id, m.start, m.end, m.text, m.value, m.unit, int(m.approx))
             for m in document.amounts])

    def _name_id(self, name: str) -> int:
        cached = self._names.get(name)
        if cached is not None:
            return cached
        row = self.conn.execute("SELECT id FROM names WHERE name = ?", (name,)).fetchone()
        name_id = row[0] if row else self.conn.execute(
            "INSERT INTO names (name) VALUES (?)", (name,)).lastrowid
        if len(self._names) >= _NAME_CACHE_SIZE:
            self._names.clear()
        self._names[name] = name_id
        return name_id

    def _link_near_duplicates(self, article_id: int, signature: bytes) -> tuple[int, ...]:
        conn = self.conn
        keys = band_keys(signature)
        marks = ",".join("?" * len(keys))
        candidates = [r[0] for r in conn.execute(
            f"SELECT DISTINCT article_id FROM minhash_bands WHERE band_key IN ({marks}) "
            f"LIMIT {MAX_CANDIDATES:d}", keys)]
        links: list[tuple[int, float]] = []
        for start in range(0, len(candidates), 500):
            chunk = candidates[start:start + 500]
            for other_id, other_sig in conn.execute(
                    f"SELECT id, minhash FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk):
                if other_id != article_id and other_sig:
                    score = similarity(signature, other_sig)
                    if score >= NEAR_DUPLICATE_THRESHOLD:
                        links.append((other_id, round(score, 4)))
        conn.executemany("INSERT OR IGNORE INTO minhash_bands (band_key, article_id) "
                         "VALUES (?, ?)", [(k, article_id) for k in keys])
        conn.executemany(
            "INSERT OR IGNORE INTO near_duplicates (article_id, other_id, similarity) "
            "VALUES (?, ?, ?)",
            [(article_id, o, s) for o, s in links] + [(o, article_id, s) for o, s in links])
        return tuple(sorted(o for o, _ in links))

    # ------------------------------------------------------------------ failures

    def record_failure(self, failure: Failure, now: str | None = None) -> None:
        """Remember an input that gave no article (again: ``times`` counts the sightings)."""
        stamp = now or utc_now()
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO failures (location, path, reason, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (location, reason) DO UPDATE SET "
                "last_seen = excluded.last_seen, times = times + 1",
                (failure.id, failure.path, failure.reason, stamp, stamp))


def article_for(document: Document, **meta: str | None) -> Article:
    """An :class:`Article` around a ready-made Document (tests, and callers that extracted
    text themselves): ``meta`` may give path, url, title, date, source, author."""
    path = meta.pop("path", None) or document.id or "document"
    return Article(text=document.text, path=path, location=meta.pop("location", None) or path,
                   format=meta.pop("format", None) or "document", id=document.id or path,
                   **meta)  # type: ignore[arg-type]


def write_document(conn: sqlite3.Connection, document: Document,
                   **meta: str | None) -> WriteResult:
    """Store one ready-made Document (with its near-duplicate signature) in one transaction."""
    from ..dedupe import signature

    article = article_for(document, **meta)
    return Writer(conn).write_article(article, document, lang=document.lang or DEFAULT_LANG,
                                      signature=signature(article.text))
