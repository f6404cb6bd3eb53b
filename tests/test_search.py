"""Search: full-text over quote content, speaker names and titles, with filters; and any
text, however hostile, is safe as a query (no crash, no injection, a clear message).
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import document, table_count

from propos.cli import main
from propos.store.db import connect
from propos.store.queries import fts_query, search
from propos.store.speakers import rebuild_directory
from propos.store.writer import write_document

ARTICLES = [
    ("digue", "Digue des Tanneurs : la ministre promet des travaux", "2024-03-05",
     "Le Courrier",
     "« La digue sera rehaussée avant l'hiver », a déclaré Hélène Garnier. L'État paiera, "
     "a-t-elle ajouté. Selon la préfecture, la transition énergétique attendra.",
     [("La digue sera rehaussée avant l'hiver", "Hélène Garnier", "person", "direct"),
      ("L'État paiera", "Hélène Garnier", "person", "indirect"),
      ("la transition énergétique attendra", "la préfecture", "organization", "indirect")]),
    ("rugby", "Rugby : le club privé de stade", "2024-03-07", "L'Écho",
     "« Nos joueurs n'ont pas à payer pour la météo », a lancé Paul Garnier, président.",
     [("Nos joueurs n'ont pas à payer pour la météo", "Paul Garnier", "person", "direct")]),
    ("usine", "Textile : 120 emplois menacés", "2024-04-02", "Ouest Matin",
     "La déléguée Nadia Cherif a estimé que l'énergie coûtait « trop cher » à l'usine.",
     [("l'énergie coûtait « trop cher » à l'usine", "Nadia Cherif", "person", "mixed")]),
]


@pytest.fixture(scope="module")
def conn(tmp_path_factory) -> sqlite3.Connection:
    db = tmp_path_factory.mktemp("search") / "s.db"
    connection = connect(db)
    for key, title, date, source, text, quotes in ARTICLES:
        write_document(connection, document(key, text, quotes), title=title, date=date,
                       source=source)
    # A near-identical copy of the first article from another outlet.
    key, title, date, source, text, quotes = ARTICLES[0]
    copy = text + " Fin de la dépêche."
    write_document(connection, document("digue-copy", copy, quotes), title=title + " (APO)",
                   date=date, source="APO")
    rebuild_directory(connection)
    return connection


def contents(result) -> list[str]:
    return [h.content for h in result.hits]


def test_word_search_finds_the_quote_with_its_context(conn) -> None:
    result = search(conn, "digue")
    assert result.message is None
    hit = result.hits[0]
    assert (hit.content, hit.speaker, hit.kind, hit.date, hit.source) == (
        "La digue sera rehaussée avant l'hiver", "Hélène Garnier", "direct", "2024-03-05",
        "Le Courrier")
    assert hit.title.startswith("Digue des Tanneurs")


def test_wire_copies_are_shown_once(conn) -> None:
    result = search(conn, "rehaussée")
    assert len(result.hits) == 1 and result.hits[0].copies == 2


def test_accents_and_case_are_ignored(conn) -> None:
    assert contents(search(conn, "ETAT")) == ["L'État paiera"]
    assert contents(search(conn, "meteo")) == ["Nos joueurs n'ont pas à payer pour la météo"]


def test_speaker_names_and_titles_are_searched(conn) -> None:
    assert contents(search(conn, "Cherif")) == ["l'énergie coûtait « trop cher » à l'usine"]
    assert contents(search(conn, "textile")) == ["l'énergie coûtait « trop cher » à l'usine"]


def test_phrase_and_prefix(conn) -> None:
    assert contents(search(conn, '"transition énergétique"')) == \
        ["la transition énergétique attendra"]
    assert contents(search(conn, "« énergétique transition »")) == []
    assert set(contents(search(conn, "énerg*"))) == {
        "la transition énergétique attendra", "l'énergie coûtait « trop cher » à l'usine"}


def test_filters(conn) -> None:
    assert len(search(conn, "", speaker="Garnier").hits) == 3
    assert contents(search(conn, "", speaker="Paul Garnier")) == [
        "Nos joueurs n'ont pas à payer pour la météo"]
    assert contents(search(conn, "", since="2024-04")) == [
        "l'énergie coûtait « trop cher » à l'usine"]
    assert len(search(conn, "", until="2024-03").hits) == 4
    assert len(search(conn, "", since="2024-03-06", until="2024-03-07").hits) == 1
    assert contents(search(conn, "", kind="mixed")) == [
        "l'énergie coûtait « trop cher » à l'usine"]
    assert len(search(conn, "", speaker="Garnier", limit=1).hits) == 1


def test_clear_messages_when_nothing_can_match(conn) -> None:
    assert "no words" in search(conn, "«»!?").message
    assert "give words" in search(conn, "").message
    assert search(conn, "zzzzzz").message == "no quote matches"
    assert "no speaker matching" in search(conn, "digue", speaker="Personne").message
    assert "not a date" in search(conn, "digue", since="hier").message
    assert "unknown kind" in search(conn, "digue", kind="rumour").message


HOSTILE = ['"', "'", "*", "AND OR NOT", "'; DROP TABLE articles; --", "", "   ", "()", "NEAR(",
           "content:digue", "^digue", "-digue", '"unbalanced', "«", "»", "« digue", "ü",
           "中文",
           "🙂", "\x00", "digue\x00", "a" * 10_000, "OR", "NOT digue", "digue OR", "%", "_",
           "digue*", "*digue", '""', '"" OR ""', "{speaker}: x", "\\", "digue'); --",
           "SELECT * FROM articles", "1=1", "' OR '1'='1", "\n\t", "d" + "\u0301" * 50]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_safe(conn, query: str) -> None:
    before = table_count(conn, "articles"), table_count(conn, "attributions")
    result = search(conn, query)
    assert result.hits or result.message
    if result.message:
        assert not result.message.startswith("search failed"), result.message
    assert (table_count(conn, "articles"), table_count(conn, "attributions")) == before


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_speaker_filter_is_safe(conn, query: str) -> None:
    result = search(conn, "digue", speaker=query)
    assert result.hits or result.message


def test_fts_expression_is_only_quoted_terms() -> None:
    shape = re.compile(r'^("[^"]+"\*?)( "[^"]+"\*?)*$')
    for query in HOSTILE + ["budget 2024", "énerg*", '"a b" c']:
        expression = fts_query(query)
        assert expression is None or shape.match(expression), (query, expression)
    assert fts_query("'; DROP TABLE articles; --") == '"DROP" "TABLE" "articles"'
    assert fts_query("AND OR NOT") == '"AND" "OR" "NOT"'
    assert fts_query('"') is None and fts_query("") is None


def test_cli_search_and_speakers(conn, tmp_path: Path) -> None:
    db = conn.execute("PRAGMA database_list").fetchone()[2]
    runner = CliRunner()
    out = runner.invoke(main, ["search", "digue", "--db", db])
    assert out.exit_code == 0, out.output
    assert "Hélène Garnier" in out.output and "La digue sera rehaussée" in out.output
    out = runner.invoke(main, ["search", "digue", "--db", db, "--format", "jsonl",
                               "--kind", "direct"])
    [line] = out.stdout.splitlines()
    assert json.loads(line)["speaker"] == "Hélène Garnier"
    for query in ("'; DROP TABLE articles; --", '"', "*", "AND OR NOT", ""):
        out = runner.invoke(main, ["search", query, "--db", db])
        assert out.exit_code == 0 and "Traceback" not in out.output
    out = runner.invoke(main, ["speakers", "--db", db, "--top", "2"])
    assert out.exit_code == 0
    assert out.output.splitlines()[1].split()[1:3] == ["Hélène", "Garnier"]
    missing = runner.invoke(main, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "propos ingest" in missing.output
