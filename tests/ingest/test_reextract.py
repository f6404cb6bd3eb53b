"""Keeping a corpus current: the engine version stored per article, and re-extraction from
the stored text of what an older engine extracted (resumable, no model load when nothing
is out of date)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import quote

from propos.cli import main
from propos.engine import engine_version
from propos.model import Document
from propos.store.db import connect
from propos.store.schema import SCHEMA_VERSION, migrations, statements
from propos.store.speakers import rebuild_directory
from propos.store.writer import write_document

BUDGET = "« Nous tiendrons nos promesses », a déclaré la maire, Léa Martin."
PONT = "Le préfet a affirmé que le pont rouvrirait en juin."


def stale_store(path: Path) -> Path:
    """Two articles as an older engine left them: a wrong speaker, no engine version."""
    conn = connect(path)
    for doc_id, text, content in (("budget", BUDGET, "Nous tiendrons nos promesses"),
                                  ("pont", PONT, "le pont rouvrirait en juin")):
        write_document(conn, Document(doc_id, "fr", text, (
            quote(text, content, "quelqu'un", type="anonymous"),)), title=doc_id)
    conn.execute("UPDATE articles SET engine = NULL")
    rebuild_directory(conn)
    conn.close()
    return path


def engines(path: Path) -> list[str | None]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT engine FROM articles ORDER BY id")]
    finally:
        conn.close()


def test_articles_record_the_engine_that_extracted_them(tmp_path: Path) -> None:
    conn = connect(tmp_path / "e.db")
    write_document(conn, Document("b", "fr", BUDGET, ()))
    conn.close()
    assert engines(tmp_path / "e.db") == [engine_version()]
    assert engine_version().startswith("0.") and "+" in engine_version()


def test_nothing_out_of_date_loads_no_model(tmp_path: Path, monkeypatch) -> None:
    from propos.ingest.reextract import reextract

    conn = connect(tmp_path / "c.db")
    write_document(conn, Document("b", "fr", BUDGET, ()))
    conn.close()

    def no_model(lang: str):
        raise AssertionError("a model was loaded")

    monkeypatch.setattr("propos.pipeline.load", no_model)
    summary = reextract(str(tmp_path / "c.db"))
    assert (summary.articles, summary.current, summary.stale, summary.done) == (1, 1, 0, 0)
    assert "no model loaded" in summary.format()


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
def test_reextract_swaps_old_attributions_from_the_stored_text(tmp_path: Path) -> None:
    from propos.ingest.reextract import reextract

    db = stale_store(tmp_path / "s.db")
    summary = reextract(str(db))
    assert (summary.stale, summary.done, summary.failed) == (2, 2, 0)
    assert engines(db) == [engine_version()] * 2
    conn = connect(db)
    speakers = [tuple(r) for r in conn.execute(
        "SELECT speaker_name, speaker_type, speaker_gender FROM attributions ORDER BY id")]
    assert speakers == [("Léa Martin", "person", "female"), ("Le préfet", "anonymous", "unknown")]
    assert [r[0] for r in conn.execute("SELECT name FROM speakers WHERE type = 'person'")] == [
        "Léa Martin"]
    assert conn.execute("SELECT COUNT(*) FROM quotes_fts WHERE quotes_fts MATCH 'promesses'"
                        ).fetchone()[0] == 1
    conn.close()
    again = reextract(str(db))
    assert (again.stale, again.done) == (0, 0)


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
def test_an_interrupted_run_keeps_what_it_did_and_the_next_one_finishes(tmp_path: Path,
                                                                      monkeypatch) -> None:
    from propos.ingest.reextract import reextract
    from propos.store.writer import Writer

    db = stale_store(tmp_path / "i.db")
    original = Writer.replace_extraction
    calls = []

    def once_then_interrupt(self, *args):
        calls.append(args[0])
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(self, *args)

    monkeypatch.setattr(Writer, "replace_extraction", once_then_interrupt)
    first = reextract(str(db))
    assert first.interrupted and first.done == 1
    assert engines(db).count(engine_version()) == 1
    monkeypatch.setattr(Writer, "replace_extraction", original)
    second = reextract(str(db))
    assert (second.stale, second.done, second.interrupted) == (1, 1, False)
    assert engines(db) == [engine_version()] * 2


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
@pytest.mark.parametrize("command", [["reextract"], ["ingest", "--reextract"]])
def test_cli(tmp_path: Path, command: list[str]) -> None:
    db = stale_store(tmp_path / "cli.db")
    result = CliRunner().invoke(main, [*command, "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "re-extracted                2  of 2 out of date" in result.output
    result = CliRunner().invoke(main, [*command, "--db", str(db), "--no-progress"])
    assert "already current             2" in result.output
    assert "nothing to do: no model loaded" in result.output


def test_a_version_1_store_is_migrated_and_out_of_date(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    raw = sqlite3.connect(path, isolation_level=None)
    for statement in statements(migrations()[0].sql):
        raw.execute(statement)
    raw.execute("PRAGMA user_version = 1")
    raw.execute("INSERT INTO articles (hash, doc_id, lang, status, path, location, format, "
                "text, ingested_at) VALUES ('h', 'd', 'fr', 'extracted', 'p', 'l', 'txt', "
                "'texte', 'now')")
    raw.close()
    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT engine FROM articles").fetchone()[0] is None
    conn.close()


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
@pytest.mark.parametrize("workers", [1, 2])
def test_ingesting_what_is_stored_loads_no_model(tmp_path: Path, monkeypatch,
                                                 workers: int) -> None:
    from propos.ingest import runner

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "budget.txt").write_text(BUDGET, encoding="utf-8")
    (corpus / "pont.txt").write_text(PONT, encoding="utf-8")
    db = str(tmp_path / "i.db")
    first = runner.ingest([str(corpus)], db_path=db, workers=workers, progress=False)
    assert (first.new, first.attributions) == (2, 2) and first.load_seconds > 0

    def no_model() -> float:
        raise AssertionError("the models were loaded")

    monkeypatch.setattr(runner, "_preload", no_model)
    again = runner.ingest([str(corpus)], db_path=db, workers=workers, progress=False)
    assert (again.present, again.new, again.load_seconds) == (2, 0, 0.0)
