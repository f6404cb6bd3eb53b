"""Search at scale, tested at small size: the same hits whatever the page size and however
pages are reached (numbers or cursors), capped counts, dates as key ranges, the migration
that builds the keys of an existing database, and the query plan of every statement a
search runs, so that a change that falls back to scanning a table fails here.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from ingest_helpers import document

import propos.store.queries as queries
from propos.store import keys
from propos.store.db import connect
from propos.query import SearchQuery
from propos.store.queries import search
from propos.store.schema import SCHEMA_VERSION, migrations, statements
from propos.store.speakers import rebuild_directory
from propos.store.writer import write_document

PEOPLE = [("Hélène Garnier", "person"), ("Paul Garnier", "person"), ("Nadia Cherif", "person"),
          ("la préfecture", "organization"), ("Des habitants", "anonymous")]
OUTLETS = ["Le Courrier", "L'Écho", "Ouest Matin"]
TOPICS = ["la digue", "le budget", "la crue", "le collège", "la piscine", "les travaux"]


def _quote(i: int) -> str:
    topic = TOPICS[i % len(TOPICS)]
    return f"Sur {topic}, le dossier {i} avance et les travaux numéro {i * 7} commencent"


@pytest.fixture(scope="module")
def conn(tmp_path_factory) -> sqlite3.Connection:
    """60 articles of two quotes over 90 days (some on the same day), 3 undated, and 6 wire
    copies (near-identical text in another outlet, the same quotes)."""
    connection = connect(tmp_path_factory.mktemp("scale") / "scale.db")
    first = date(2024, 1, 1)
    for i in range(60):
        speaker, kind = PEOPLE[i % len(PEOPLE)], ("direct", "indirect", "mixed")[i % 3]
        other = PEOPLE[(i + 2) % len(PEOPLE)]
        a, b = _quote(i), _quote(i + 100)
        text = (f"Article {i}. « {a} », a déclaré {speaker[0]}. Selon {other[0]}, {b}. "
                f"La séance {i} s'est terminée tard dans la soirée, après un long débat.")
        doc = document(f"a{i}", text, [(a, speaker[0], speaker[1], kind),
                                       (b, other[0], other[1], "indirect")])
        day = None if i % 20 == 7 else (first + timedelta(days=(i * 37) % 90)).isoformat()
        write_document(connection, doc, title=f"{TOPICS[i % 6].capitalize()} : séance {i}",
                       date=day, source=OUTLETS[i % 3])
        if i % 10 == 3:
            copy = document(f"a{i}-apo", text + " (Avec AFP)", [
                (a, speaker[0], speaker[1], kind), (b, other[0], other[1], "indirect")])
            write_document(connection, copy, title=f"Séance {i} (APO)", date=day, source="APO")
    rebuild_directory(connection)
    return connection


QUERIES = [
    {"q": "travaux"}, {"q": "dossier avance"}, {"q": '"les travaux numéro"'},
    {"q": "trav*"}, {"q": "digue OR crue"}, {"q": "numéro", "content_only": True},
    {"q": "Garnier"}, {"speaker": "Garnier"}, {"kind": "indirect"},
    {"q": "travaux", "speaker_type": "organization"}, {"q": "travaux", "outlet": "APO"},
    {"since": "2024-02", "until": "2024-02"}, {"q": "dossier", "until": "2024-01-20"},
    {"q": "travaux", "order": "relevance"}, {"q": "digue OR budget", "order": "relevance"},
]


def walk_cursors(conn, values: dict, per_page: int) -> list[int]:
    ids: list[int] = []
    after = ""
    for _ in range(1000):
        result = search(conn, SearchQuery(**values, per_page=per_page, after=after))
        ids += [h.id for h in result.hits]
        if not result.next:
            return ids
        after = result.next
    raise AssertionError("the cursors never end")


def walk_pages(conn, values: dict, per_page: int) -> list[int]:
    ids: list[int] = []
    for page in range(1, 1000):
        result = search(conn, SearchQuery(**values, per_page=per_page, page=page))
        if not result.hits:
            return ids
        ids += [h.id for h in result.hits]
    raise AssertionError("the pages never end")


@pytest.mark.parametrize("values", QUERIES, ids=lambda v: " ".join(f"{k}={v[k]}" for k in v))
def test_same_hits_whatever_the_page_size_and_the_way_pages_are_reached(conn, values) -> None:
    whole = search(conn, SearchQuery(**values, per_page=1000))
    expected = [h.id for h in whole.hits]
    assert expected and len(expected) == len(set(expected)) == whole.total
    assert whole.total_exact and whole.next is None
    for per_page in (1, 3, 7, 50):
        assert walk_cursors(conn, values, per_page) == expected, per_page
        assert walk_pages(conn, values, per_page) == expected, per_page


def test_newest_first_and_copies_fold_into_one_hit(conn) -> None:
    hits = search(conn, "travaux", per_page=1000).hits
    keys_ = [conn.execute("SELECT sort_key FROM attributions WHERE id = ?", (h.id,)).fetchone()[0]
             for h in hits]
    assert keys_ == sorted(keys_, reverse=True)
    dated = [h.article.date for h in hits if h.article.date]
    assert dated == sorted(dated, reverse=True)
    assert [h.article.date for h in hits[-6:]] == [None] * 6   # undated come last
    # 120 quotes, 12 of them in wire copies: 120 hits, 12 of them with 2 copies
    assert len(hits) == 120 and sum(h.copies == 2 for h in hits) == 12
    # a filter that only the copy passes shows the copy, alone
    apo = search(conn, "travaux", outlet="APO", per_page=100).hits
    assert len(apo) == 12 and {h.article.source for h in apo} == {"APO"}
    assert {h.copies for h in apo} == {1}


def test_a_later_page_does_not_show_again_a_quote_whose_newer_copy_was_shown(conn) -> None:
    # The copies share a date; with one hit per page every page boundary falls somewhere.
    seen = walk_cursors(conn, {"q": "séance"}, 1)
    groups = [conn.execute("SELECT group_key FROM attributions WHERE id = ?", (i,)).fetchone()[0]
              for i in seen]
    assert len(groups) == len(set(groups))


def test_dates_include_the_whole_period_and_leave_undated_articles_out(conn) -> None:
    def days(**values):
        return {h.article.date for h in search(conn, SearchQuery(**values, per_page=1000)).hits}

    february = days(since="2024-02", until="2024-02")
    assert february and all(d.startswith("2024-02") for d in february)
    assert max(days(until="2024-01-31")) == max(days(until="2024-01")) <= "2024-01-31"
    assert None not in days(until="2024-12") | days(since="2023")
    assert days(since="2024-01-15", until="2024-01-15") <= {"2024-01-15"}
    assert days(until="2023") == set()


def test_counts_stop_at_the_cap(conn, monkeypatch) -> None:
    monkeypatch.setattr(queries, "COUNT_CAP", 10)
    result = search(conn, "travaux", per_page=5)
    assert (result.total, result.total_exact, result.pages) == (10, False, None)
    assert result.to_dict()["total_exact"] is False and result.next
    exact = search(conn, "travaux", outlet="APO", per_page=5, kind="direct")
    assert exact.total_exact and exact.total == len(search(
        conn, "travaux", outlet="APO", kind="direct", per_page=100).hits)


def test_a_prefix_read_from_the_vocabulary_finds_what_fts5_prefixes_find(conn, monkeypatch
                                                                         ) -> None:
    for prefix in ("trav*", "séan*", "SEAN*", "d*", "zzz*", "numéro*"):
        expanded = [h.id for h in search(conn, prefix, per_page=1000).hits]
        with monkeypatch.context() as patch:
            patch.setattr(queries, "MAX_PREFIX_WORDS", 0)   # FTS5's own prefix query
            native = [h.id for h in search(conn, prefix, per_page=1000).hits]
        assert expanded == native, prefix


def test_day_numbers_are_sqlites_julian_days() -> None:
    conn = sqlite3.connect(":memory:")
    for iso in ("2024-03-01", "1999-12-31", "2000-02-29", "0001-01-01", "9999-12-31"):
        expected = conn.execute("SELECT CAST(julianday(?) AS INTEGER)", (iso,)).fetchone()[0]
        assert keys.day_number(iso) == expected, iso
    assert keys.day_number(None) == keys.day_number("") == keys.day_number("mars") == 0
    assert keys.day_key(date(2024, 3, 1)) == keys.day_number("2024-03-01") << keys.DAY_SHIFT


# --------------------------------------------------------------------------- migration


def test_the_migration_builds_the_keys_and_the_index_of_an_existing_database(tmp_path: Path
                                                                            ) -> None:
    db = tmp_path / "v1.db"
    old = sqlite3.connect(db, isolation_level=None)
    for statement in statements(migrations()[0].sql):
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    text = "« La digue tiendra », a déclaré Hélène Garnier."
    for article_id, source, day in ((1, "Le Courrier", "2024-03-05"), (2, "APO", "2024-03-05"),
                                    (3, "Le Courrier", None)):
        old.execute("INSERT INTO articles (id, hash, doc_id, title, date, source, lang, status, "
                    "path, location, format, text, ingested_at) VALUES (?, ?, ?, 'Digue', ?, "
                    "?, 'fr', 'extracted', 'p', ?, 'txt', ?, 'now')",
                    (article_id, f"{article_id:032x}", str(article_id), day, source,
                     f"p:{article_id}", text))
    old.execute("INSERT INTO names (id, name) VALUES (1, 'Hélène Garnier')")
    old.executemany("INSERT INTO near_duplicates VALUES (?, ?, 0.9)", [(1, 2), (2, 1)])
    for attribution_id in (1, 2, 3):
        old.execute("INSERT INTO attributions (id, article_id, seq, kind, content, "
                    "content_start, content_end, name_id, speaker_name, speaker_type, "
                    "confidence, rule) VALUES (?, ?, 0, 'direct', 'La digue tiendra', 2, 18, "
                    "1, 'Hélène Garnier', 'person', 0.9, 'incise')",
                    (attribution_id, attribution_id))
        old.execute("INSERT INTO quotes_fts (rowid, content, speaker, title) VALUES "
                    "(?, 'La digue tiendra', 'Hélène Garnier', 'Digue')", (attribution_id,))
    old.close()

    conn = connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    rows = conn.execute("SELECT id, sort_key, group_key FROM attributions ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [(1, keys.sort_key("2024-03-05", 1), 1),
                                        (2, keys.sort_key("2024-03-05", 2), 1),
                                        (3, keys.sort_key(None, 3), 3)]
    assert [tuple(r) for r in conn.execute("SELECT name, n_articles FROM outlets ORDER BY id")
            ] == [("Le Courrier", 2), ("APO", 1)]
    rebuild_directory(conn)
    hits = search(conn, "digue", per_page=10).hits
    assert [(h.id, h.copies) for h in hits] == [(2, 2), (3, 1)]
    assert [h.id for h in search(conn, "digue", outlet="Le Courrier").hits] == [1, 3]
    # what the writer adds next follows the same rules
    write_document(conn, document("new", text, [("La digue tiendra", "Hélène Garnier")]),
                   date="2024-03-06", source="Le Courrier")
    assert search(conn, "digue").hits[0].article.date == "2024-03-06"
    conn.execute("DELETE FROM articles WHERE id = 1")   # the index row goes with it
    assert conn.execute("SELECT COUNT(*) FROM quotes_fts").fetchone()[0] == 3


# --------------------------------------------------------------------------- query plans

# Tables whose rows grow with the corpus: reading any of them whole is a regression.
_CORPUS_TABLES = r"(attributions|articles|names|entities|near_duplicates|minhash_bands|outlets)"
_ALIASES = {"a": "attributions", "b": "attributions", "ar": "articles", "n": "names",
            "s": "speakers"}


def _plans(conn: sqlite3.Connection, values: dict) -> list[tuple[str, list[str]]]:
    statements_run: list[str] = []
    conn.set_trace_callback(statements_run.append)
    try:
        search(conn, SearchQuery(**values))
        result = search(conn, SearchQuery(**values, per_page=2))
        if result.next:
            search(conn, SearchQuery(**values, per_page=2, after=result.next))
        search(conn, SearchQuery(**values, per_page=2, page=3))
    finally:
        conn.set_trace_callback(None)
    out = []
    for sql in statements_run:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        if "UNION ALL SELECT speaker_id, name FROM names" in sql:
            continue  # find_speakers: reads the speaker directory (people, not quotes)
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        out.append((sql, plan))
    return out


@pytest.mark.parametrize("values", QUERIES + [{"speaker_id": 1}, {"outlet": "APO"}],
                         ids=lambda v: " ".join(f"{k}={v[k]}" for k in v))
def test_no_search_statement_reads_a_corpus_table_whole(conn, values) -> None:
    plans = _plans(conn, values)
    assert plans
    for sql, plan in plans:
        for step in plan:
            match = re.match(r"SCAN (\w+)", step)
            if match and "VIRTUAL TABLE" not in step:
                table = _ALIASES.get(match[1], match[1])
                assert not re.fullmatch(_CORPUS_TABLES, table), (step, sql)
            # Sorting is left to the indexes, but for relevance (it sorts its bounded
            # candidates in Python) and the distinct hits among the first COUNT_CAP + 1.
            if "TEMP B-TREE" in step:
                assert step == "USE TEMP B-TREE FOR count(DISTINCT)" and "LIMIT 1001" in sql, \
                    (step, sql)
        if "FROM quotes_fts" in sql and "ORDER BY quotes_fts.rowid DESC" in sql:
            # FTS5 walks its matches backwards itself (the idxNum's order flags): no sort
            fts = next(step for step in plan if "quotes_fts" in step)
            assert int(re.search(r"INDEX (\d+):", fts)[1]) & 0xC0 == 0xC0, (fts, sql)
            assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), (plan, sql)
        if "FROM attributions a WHERE a.sort_key" in sql:
            assert any("USING" in step and "attributions_sort" in step for step in plan), plan
            assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), (plan, sql)


def test_the_search_forms_outlet_list_is_read_from_an_index(conn) -> None:
    plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN SELECT name FROM outlets "
                                       "ORDER BY n_articles DESC, name LIMIT 200")]
    assert not any("TEMP B-TREE" in step for step in plan), plan
    assert queries.outlets(conn)[0] in OUTLETS


def test_an_upgraded_article_is_searched_by_the_date_it_was_stored_with(tmp_path: Path) -> None:
    from propos.store.writer import Writer, article_for

    conn = connect(tmp_path / "up.db")
    text = "« Wir bleiben », a déclaré Anna Weber."
    doc = document("weber", text, [("Wir bleiben", "Anna Weber")])
    writer = Writer(conn)
    writer.write_article(article_for(doc, date="2024-01-02", source="Der Bote"), None, lang="de")
    result = writer.write_article(article_for(doc, date="2025-06-30", source="Autre"), doc,
                                  lang="fr")
    assert result.status == "upgraded"
    [hit] = search(conn, "bleiben").hits
    assert (hit.article.date, hit.article.source) == ("2024-01-02", "Der Bote")
    assert [h.id for h in search(conn, "", outlet="Der Bote", until="2024-01").hits] == [hit.id]
