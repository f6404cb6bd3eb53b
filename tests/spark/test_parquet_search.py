"""Searching a Spark run's Parquet output in place with DuckDB (propos.spark.search), tested
at small size: the partitions are the export rows of a small store written in the job's
layout (``attributions/lang=…/date=…/part-*.parquet``, undated articles under
``__HIVE_DEFAULT_PARTITION__``), and every search must find what the store's engine finds.
"""

from __future__ import annotations

import sqlite3

import pytest
from ingest_helpers import document

from propos.store.db import connect
from propos.store.export import rows
from propos.query import BadQuery, SearchQuery
from propos.store.queries import search
from propos.store.speakers import rebuild_directory
from propos.store.writer import write_document

duckdb = pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")

ARTICLES = [
    ("digue", "2024-03-05", "Le Courrier", "Digue : la ministre promet",
     "« La digue sera rehaussée avant l'hiver », a déclaré Hélène Garnier. Selon la "
     "préfecture, la transition énergétique attendra.",
     [("La digue sera rehaussée avant l'hiver", "Hélène Garnier", "person", "direct"),
      ("la transition énergétique attendra", "la préfecture", "organization", "indirect")]),
    ("rugby", "2024-03-07", "L'Écho", "Rugby : le club privé de stade",
     "« Nos joueurs n'ont pas à payer pour la météo », a lancé Paul Garnier.",
     [("Nos joueurs n'ont pas à payer pour la météo", "Paul Garnier", "person", "direct")]),
    ("usine", "2024-04-02", "Ouest Matin", "Textile : 120 emplois menacés",
     "La déléguée Nadia Cherif a estimé que l'énergie coûtait « trop cher » à l'usine.",
     [("l'énergie coûtait « trop cher » à l'usine", "Nadia Cherif", "person", "mixed")]),
    ("crue", None, "Ouest Matin", "La crue",
     "« La digue a tenu », a assuré Nadia Cherif.",
     [("La digue a tenu", "Nadia Cherif", "person", "direct")]),
]


@pytest.fixture(scope="module")
def store_and_parquet(tmp_path_factory) -> tuple[sqlite3.Connection, str]:
    root = tmp_path_factory.mktemp("parquet")
    conn = connect(root / "s.db")
    for key, day, source, title, text, quotes in ARTICLES:
        write_document(conn, document(key, text, quotes), title=title, date=day,
                       source=source)
    key, day, source, title, text, quotes = ARTICLES[0]
    write_document(conn, document("digue-apo", text + " Fin de la dépêche.", quotes),
                   title=title, date=day, source="APO")
    rebuild_directory(conn)
    from propos.spark.load import export_schema

    table = pa.Table.from_pylist(list(rows(conn)), schema=export_schema())
    import pyarrow.dataset as ds

    ds.write_dataset(table, root / "out" / "attributions", format="parquet",
                     partitioning=ds.partitioning(
                         pa.schema([("lang", pa.string()), ("date", pa.string())]),
                         flavor="hive"),
                     basename_template="part-{i}.parquet")
    return conn, str(root / "out")


def found(result) -> list[tuple]:
    return sorted((h.article.date or "", h.content, h.copies) for h in result.hits)


def parquet_found(result) -> list[tuple]:
    return sorted((r["date"] or "", r["content"], r["copies"]) for r in result["rows"])


@pytest.mark.parametrize("values", [
    {"q": "digue"}, {"q": "ENERG*"}, {"q": '"trop cher"'}, {"q": "meteo OR usine"},
    {"q": "textile"}, {"q": "textile", "content_only": True}, {"q": "Garnier"},
    {"speaker": "Cherif"}, {"kind": "direct"}, {"speaker_type": "organization"},
    {"outlet": "APO"}, {"q": "digue", "since": "2024-03", "until": "2024-03"},
    {"until": "2024-03-06"}, {"q": "zzzz"},
], ids=lambda v: " ".join(f"{k}={v[k]}" for k in v))
def test_parquet_search_finds_what_the_store_finds(store_and_parquet, values) -> None:
    from propos.spark.search import search_parquet

    conn, root = store_and_parquet
    expected = search(conn, SearchQuery(**values, per_page=100))
    got = search_parquet(root, SearchQuery(**values, per_page=100))
    assert parquet_found(got) == found(expected)
    assert got["total"] == expected.total
    dates = [r["date"] for r in got["rows"] if r["date"]]
    assert dates == sorted(dates, reverse=True)


def test_parquet_search_pages_and_refusals(store_and_parquet) -> None:
    from propos.spark.search import search_parquet

    _, root = store_and_parquet
    whole = search_parquet(root, SearchQuery(kind="direct", per_page=100))["rows"]
    pages = [r for p in (1, 2, 3) for r in search_parquet(
        root, SearchQuery(kind="direct", per_page=1, page=p))["rows"]]
    assert [r["content"] for r in pages] == [r["content"] for r in whole]
    assert whole[-1]["date"] is None  # undated last
    for values in ({"order": "relevance", "q": "digue"}, {"speaker_id": 1}, {"q": "«»"},
                   {}, {"since": "hier"}):
        with pytest.raises(BadQuery):
            search_parquet(root, SearchQuery(**values))


def test_the_date_folders_prune_the_scan(store_and_parquet) -> None:
    from propos.spark.search import parquet_sql

    _, root = store_and_parquet
    sql, args = parquet_sql(root, SearchQuery(q="digue", since="2024-04"))
    with duckdb.connect() as con:   # not the module's shared default connection
        plan = " ".join(str(c) for row in con.execute("EXPLAIN ANALYZE " + sql, args).fetchall()
                        for c in row)
    assert "Scanning Files: 1/4" in plan   # of lang=fr/date=… folders, only 2024-04-02


@pytest.mark.parametrize("text, term, matches", [
    ("L'État paiera", ("etat",), True), ("Les écoles ferment", ("coles",), False),
    ("Les écoles ferment", ("ECOLES",), True), ("la transition énergétique", ("énerg",), False),
    ("la transition énergétique", ("transition", "energetique"), True),
    ("Noël à Montréal", ("noel",), True), ("budgétaire", ("budget",), False),
])
def test_word_patterns_ignore_case_and_accents_and_respect_word_edges(text, term, matches
                                                                     ) -> None:
    from propos.spark.search import _pattern
    from propos.query import Term

    with duckdb.connect() as con:   # not the module's shared default connection
        found = con.execute("SELECT regexp_matches(?, ?)", [text, _pattern(Term(term))]
                            ).fetchall()[0][0]
        assert found is matches
        if term == ("énerg",):
            assert con.execute("SELECT regexp_matches(?, ?)",
                               [text, _pattern(Term(term, prefix=True))]).fetchall()[0][0]
