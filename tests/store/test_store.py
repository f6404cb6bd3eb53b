"""The store: schema and migrations, atomic writes, near-duplicate links, failures, exports.

Documents are hand-made and written through the writer: nothing here depends on extraction.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from ingest_helpers import document, table_count

from propos.article import Article
from propos.model import Failure
from propos.store import schema
from propos.store.db import StoreError, connect
from propos.columns import COLUMNS
from propos.store.export import export
from propos.store.writer import Writer, write_document

TEXT_A = ("« La digue sera rehaussée avant l'hiver », a déclaré la ministre Hélène Garnier. "
          "Selon la préfecture, 412 habitations ont été endommagées par la crue de la Lère.")
TEXT_B = ("Le président du club, Paul Garnier, a estimé que la saison était compromise. "
          "« Nos joueurs n'ont pas à payer pour la météo », a-t-il ajouté.")


def doc_a(doc_id: str = "a"):
    return document(doc_id, TEXT_A, [
        ("La digue sera rehaussée avant l'hiver", "Hélène Garnier", "person", "direct",
         "la ministre Hélène Garnier"),
        ("412 habitations ont été endommagées par la crue de la Lère", "la préfecture",
         "organization", "indirect", "la préfecture"),
    ], entities=("Hélène Garnier",))


def doc_b(doc_id: str = "b"):
    return document(doc_id, TEXT_B, [
        ("la saison était compromise", "Paul Garnier", "person", "indirect", "Paul Garnier"),
        ("Nos joueurs n'ont pas à payer pour la météo", "Paul Garnier", "person", "direct",
         "-il"),
    ], entities=("Paul Garnier",))


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    return connect(tmp_path / "store.db")


def test_new_database_is_at_current_version_in_wal_mode(conn: sqlite3.Connection) -> None:
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION >= 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "attributions", "speakers", "names", "entities", "failures",
            "near_duplicates", "minhash_bands", "quotes_fts", "runs", "meta"} <= tables


def test_migrations_apply_once_and_in_order(tmp_path: Path) -> None:
    assert [m.version for m in schema.migrations()] == list(range(1, schema.SCHEMA_VERSION + 1))
    db = tmp_path / "m.db"
    connect(db).close()
    again = connect(db)  # re-opening applies nothing and loses nothing
    assert schema.migrate(again) == schema.SCHEMA_VERSION


def test_statement_splitter_keeps_triggers_whole() -> None:
    parts = schema.statements("-- c\nCREATE TABLE t (a);\nCREATE TRIGGER x AFTER DELETE ON t "
                              "BEGIN\n DELETE FROM t WHERE a = old.a;\nEND;\n")
    assert len(parts) == 2 and parts[1].endswith("END;")


def test_newer_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreError, match="newer"):
        connect(db)


def test_not_a_database_and_missing_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable"):
        connect(junk)
    with pytest.raises(StoreError, match="propos ingest"):
        connect(tmp_path / "missing.db", create=False)
    with pytest.raises(StoreError, match="propos ingest"):
        connect(tmp_path / "missing.db", readonly=True)


def test_readonly_connection_reads_but_cannot_write(tmp_path: Path) -> None:
    db = tmp_path / "ro.db"
    write_document(connect(db), doc_a())
    ro = connect(db, readonly=True)
    assert table_count(ro, "attributions") == 2
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.execute("DELETE FROM articles")


def test_document_is_stored_with_offsets(conn: sqlite3.Connection) -> None:
    result = write_document(conn, doc_a(), title="La digue", date="2024-03-05",
                            source="Le Courrier", path="a.txt")
    assert (result.status, result.attributions) == ("new", 2)
    row = conn.execute("SELECT * FROM articles").fetchone()
    assert (row["title"], row["date"], row["source"], row["status"], row["n_attributions"]) == \
        ("La digue", "2024-03-05", "Le Courrier", "extracted", 2)
    for a in conn.execute("SELECT * FROM attributions"):
        assert TEXT_A[a["content_start"]:a["content_end"]] == a["content"]
        assert TEXT_A[a["source_start"]:a["source_end"]] == a["source"]
    assert table_count(conn, "quotes_fts") == 2
    assert conn.execute("SELECT text FROM entities").fetchone()[0] == "Hélène Garnier"


def test_same_text_is_stored_once(conn: sqlite3.Connection) -> None:
    first = write_document(conn, doc_a("first"))
    again = write_document(conn, doc_a("second"))
    assert (first.status, again.status) == ("new", "present")
    assert again.article_id == first.article_id
    assert (table_count(conn, "articles"), table_count(conn, "attributions")) == (1, 2)


def test_article_write_is_all_or_nothing(conn: sqlite3.Connection, monkeypatch) -> None:
    writer = Writer(conn)

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writer, "_write_entities", explode)
    article = Article(TEXT_A, "a.txt", "a.txt", "txt", "a")
    with pytest.raises(RuntimeError):
        writer.write_article(article, doc_a(), lang="fr", signature=None)
    for table in ("articles", "attributions", "quotes_fts", "names", "entities"):
        assert table_count(conn, table) == 0, table
    monkeypatch.undo()
    assert writer.write_article(article, doc_a(), lang="fr").status == "new"
    assert table_count(conn, "attributions") == 2


def test_unsupported_language_then_upgrade(conn: sqlite3.Connection) -> None:
    writer = Writer(conn)
    article = Article(TEXT_A, "a.txt", "a.txt", "txt", "a")
    stored = writer.write_article(article, None, lang="xx")
    row = conn.execute("SELECT status, lang, n_attributions FROM articles").fetchone()
    assert (stored.status, tuple(row)) == ("new", ("unsupported_lang", "xx", 0))
    upgraded = writer.write_article(article, doc_a(), lang="fr")
    row = conn.execute("SELECT status, lang, n_attributions FROM articles").fetchone()
    assert (upgraded.status, tuple(row)) == ("upgraded", ("extracted", "fr", 2))
    assert writer.write_article(article, doc_a(), lang="fr").status == "present"


def test_near_duplicates_are_linked_both_ways(conn: sqlite3.Connection) -> None:
    long_a = " ".join([TEXT_A] * 3) + " Le préfet a salué la mobilisation des pompiers."
    copy = "LÈRE (APO) - " + long_a + " Le prochain bilan est attendu mardi."
    one = write_document(conn, document("one", long_a, []))
    other = write_document(conn, document("other", TEXT_B, []))
    two = write_document(conn, document("two", copy, []))
    assert (one.near_duplicates, other.near_duplicates) == ((), ())
    assert two.near_duplicates == (one.article_id,)
    pairs = {(r[0], r[1]) for r in conn.execute("SELECT article_id, other_id "
                                                "FROM near_duplicates")}
    assert pairs == {(one.article_id, two.article_id), (two.article_id, one.article_id)}


def test_failures_are_counted_and_cleared_on_success(conn: sqlite3.Connection) -> None:
    writer = Writer(conn)
    failure = Failure("dump.jsonl:3", "malformed JSON line", path="dump.jsonl")
    writer.record_failure(failure)
    writer.record_failure(failure)
    assert conn.execute("SELECT times FROM failures").fetchone()[0] == 2
    writer.write_article(Article(TEXT_A, "dump.jsonl", "dump.jsonl:3", "jsonl", "x"), doc_a(),
                         lang="fr")
    assert table_count(conn, "failures") == 0


# --------------------------------------------------------------------------- exports

def _filled(conn: sqlite3.Connection) -> sqlite3.Connection:
    write_document(conn, doc_b(), title="Rugby", date="2024-03-07", source="L'Écho",
                   url="https://example.org/rugby", path="b.html")
    write_document(conn, doc_a(), title="La digue", date="2024-03-05", source="Le Courrier",
                   path="a.txt")
    return conn


def test_export_jsonl_one_row_per_attribution(conn: sqlite3.Connection, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert export(_filled(conn), "jsonl", str(out)) == 4
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [list(r) for r in rows] == [[c for c, _, _ in COLUMNS]] * 4
    assert [r["date"] for r in rows] == ["2024-03-05", "2024-03-05", "2024-03-07", "2024-03-07"]
    first = rows[0]
    assert (first["title"], first["source"], first["kind"], first["speaker"],
            first["speaker_type"]) == ("La digue", "Le Courrier", "direct", "Hélène Garnier",
                                       "person")
    assert TEXT_A[first["content_start"]:first["content_end"]] == first["content"]
    assert first["duplicate_group"] == first["article"]
    assert rows[3]["speaker"] == "Paul Garnier" and rows[3]["mention"] == "-il"


def test_export_csv_matches_jsonl(conn: sqlite3.Connection, tmp_path: Path) -> None:
    _filled(conn)
    export(conn, "jsonl", str(tmp_path / "o.jsonl"))
    export(conn, "csv", str(tmp_path / "o.csv"))
    with (tmp_path / "o.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text("utf-8").split("\n")
                if line]
    assert [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in expected] == rows


def test_export_parquet_typed(conn: sqlite3.Connection, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    _filled(conn)
    assert export(conn, "parquet", str(tmp_path / "o.parquet")) == 4
    table = pq.read_table(tmp_path / "o.parquet")
    assert table.column_names == [c for c, _, _ in COLUMNS]
    assert str(table.schema.field("content_start").type) == "int64"
    assert str(table.schema.field("confidence").type) == "double"
    assert table.num_rows == 4
    empty = tmp_path / "empty.parquet"
    assert export(connect(tmp_path / "empty.db"), "parquet", str(empty)) == 0
    assert pq.read_table(empty).num_rows == 0


def test_export_readable_by_pandas_and_duckdb(conn: sqlite3.Connection, tmp_path: Path) -> None:
    _filled(conn)
    for fmt in ("jsonl", "csv", "parquet"):
        export(conn, fmt, str(tmp_path / f"o.{fmt}"))
    pandas = pytest.importorskip("pandas")
    assert len(pandas.read_json(tmp_path / "o.jsonl", lines=True)) == 4
    assert len(pandas.read_csv(tmp_path / "o.csv")) == 4
    assert len(pandas.read_parquet(tmp_path / "o.parquet")) == 4
    duckdb = pytest.importorskip("duckdb")
    for reader, fmt in (("read_json_auto", "jsonl"), ("read_csv_auto", "csv"),
                        ("read_parquet", "parquet")):
        assert duckdb.sql(f"SELECT COUNT(*) FROM {reader}('{tmp_path}/o.{fmt}')"
                          ).fetchall() == [(4,)]


def test_export_duplicate_groups(conn: sqlite3.Connection, tmp_path: Path) -> None:
    long_a = " ".join([TEXT_A] * 3)
    quotes = [("La digue sera rehaussée avant l'hiver", "Hélène Garnier")]
    write_document(conn, document("one", long_a, quotes))
    write_document(conn, document("two", "(APO) " + long_a + " Fin.", quotes))
    export(conn, "jsonl", str(tmp_path / "d.jsonl"))
    rows = [json.loads(x) for x in (tmp_path / "d.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) == 2 and rows[0]["article"] != rows[1]["article"]
    assert rows[0]["duplicate_group"] == rows[1]["duplicate_group"] == min(
        r["article"] for r in rows)


def test_export_refuses_parquet_on_stdout(conn: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="stdout"):
        export(conn, "parquet", "-")


def test_the_articles_own_claims_take_its_outlets_name(conn: sqlite3.Connection) -> None:
    """"Selon nos informations": extraction names the outlet by a placeholder, the store by
    the article's outlet."""
    text = "Selon nos informations, le maire démissionnera lundi."
    doc = document("own", text, [("le maire démissionnera lundi", "la rédaction", "media",
                                  "indirect", "nos informations")])
    write_document(conn, doc, title="Le maire", date="2024-03-05", source="Le Courrier",
                   path="own.txt")
    row = conn.execute("SELECT speaker_name, speaker_type FROM attributions").fetchone()
    assert (row["speaker_name"], row["speaker_type"]) == ("Le Courrier", "media")
