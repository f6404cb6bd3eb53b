"""Search: full-text over quote content, speaker names and titles, with filters, newest
first; OR, quote contents only, highlights; and any text, however hostile, is safe as a query
(no crash, no injection, a clear message). Paging and the query plans: test_search_scale.py.
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
from propos.query import BadQuery, highlights, parse_words
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
    result = search(conn, "rehaussée")
    assert result.message is None
    hit = result.hits[0]
    assert (hit.content, hit.speaker.name, hit.kind, hit.article.date) == (
        "La digue sera rehaussée avant l'hiver", "Hélène Garnier", "direct", "2024-03-05")
    # the newest copy first: the APO copy was stored after the original, on the same day
    assert hit.article.source == "APO"
    assert hit.article.title.startswith("Digue des Tanneurs")


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
    assert len(search(conn, "", speaker="Garnier", per_page=1).hits) == 1


def test_clear_messages_when_nothing_can_match(conn) -> None:
    assert "no words" in search(conn, "«»!?").message
    assert "give words" in search(conn, "").message
    assert not search(conn, "").searched and not search(conn, "«»!?").searched
    assert search(conn, "zzzzzz").message == "no quote matches"
    assert search(conn, "zzzzzz").searched
    assert "no speaker matching" in search(conn, "digue", speaker="Personne").message
    assert search(conn, "digue", outlet="Le Monde").message == "no quote matches"


@pytest.mark.parametrize("values, fragment", [
    ({"since": "hier"}, "not a date"), ({"until": "2024-13"}, "not a date"),
    ({"until": "9999"}, "not a date"), ({"kind": "rumour"}, "unknown kind"),
    ({"speaker_type": "robot"}, "unknown speaker type"), ({"order": "best"}, "unknown order"),
    ({"after": "x12"}, "not a cursor"), ({"after": "r3"}, "not a cursor"),
    ({"after": "k9999999999999999999"}, "not a cursor")])
def test_unusable_parameters_are_a_bad_query(conn, values: dict, fragment: str) -> None:
    with pytest.raises(BadQuery, match=fragment):
        search(conn, "digue", **values)


def test_relevance_puts_the_quote_with_the_word_before_the_titles(conn) -> None:
    # the three quotes of the article titled "Digue …", the one saying "digue" first
    assert contents(search(conn, "digue", order="relevance"))[0] == \
        "La digue sera rehaussée avant l'hiver"
    assert contents(search(conn, "digue"))[0] == "la transition énergétique attendra"


def test_newest_first_by_publication_date(conn) -> None:
    dates = [h.article.date for h in search(conn, "", since="2024").hits]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2024-04-02"


def test_or_between_words(conn) -> None:
    assert contents(search(conn, "rehaussée OR météo")) == [
        "Nos joueurs n'ont pas à payer pour la météo", "La digue sera rehaussée avant l'hiver"]
    # "or" in lower case is a word (French "or": now, gold), and a stray OR is dropped
    assert search(conn, "digue or").message == "no quote matches"
    assert len(search(conn, "OR rehaussée OR").hits) == 1
    assert contents(search(conn, '"trop cher" OR "transition énergétique"')) == [
        "l'énergie coûtait « trop cher » à l'usine", "la transition énergétique attendra"]


def test_content_only_leaves_titles_and_speaker_names_out(conn) -> None:
    assert len(search(conn, "textile").hits) == 1        # in the title
    assert search(conn, "textile", content_only=True).message == "no quote matches"
    assert search(conn, "Cherif", content_only=True).message == "no quote matches"
    assert contents(search(conn, "usine", content_only=True)) == [
        "l'énergie coûtait « trop cher » à l'usine"]


def test_matched_words_are_highlighted(conn) -> None:
    [hit] = search(conn, "ENERG* usine").hits
    assert [hit.content[s:e] for s, e in hit.highlights] == ["énergie", "usine"]
    [hit] = search(conn, '"transition énergétique"').hits
    assert [hit.content[s:e] for s, e in hit.highlights] == ["transition énergétique"]
    [hit] = search(conn, "textile").hits                  # matched in the title only
    assert hit.highlights == ()
    groups = parse_words('"la digue" OR hiver')
    assert highlights("La digue, la digue ! L'hiver.", groups) == ((0, 8), (10, 18), (23, 28))


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


def test_fts_expression_is_only_quoted_terms_and_or() -> None:
    terms = r'"[^"]+"\*?( AND "[^"]+"\*?)*'
    shape = re.compile(rf'^({terms}|\({terms}\)( OR \({terms}\))+)$')
    for query in HOSTILE + ["budget 2024", "énerg*", '"a b" c', "a OR b c", "OR OR"]:
        expression = fts_query(query)
        assert expression is None or shape.match(expression), (query, expression)
    assert fts_query("'; DROP TABLE articles; --") == '"DROP" AND "TABLE" AND "articles"'
    assert fts_query("AND OR NOT") == '("AND") OR ("NOT")'
    assert fts_query("digue OR") == '"digue"'
    assert fts_query('"') is None and fts_query("") is None and fts_query("OR") is None


def test_cli_search_and_speakers(conn, tmp_path: Path) -> None:
    db = conn.execute("PRAGMA database_list").fetchone()[2]
    runner = CliRunner()
    out = runner.invoke(main, ["search", "digue", "--db", db])
    assert out.exit_code == 0, out.output
    assert "Hélène Garnier" in out.output and "La digue sera rehaussée" in out.output
    key = conn.execute("SELECT hash FROM articles WHERE source = 'APO'").fetchone()[0]
    assert f"    article {key}" in out.stdout.splitlines()  # each hit says where to read it
    out = runner.invoke(main, ["search", "digue", "--db", db, "--format", "jsonl",
                               "--kind", "direct"])
    [line] = out.stdout.splitlines()
    assert json.loads(line)["speaker"]["name"] == "Hélène Garnier"
    out = runner.invoke(main, ["search", "", "--db", db, "--speaker-type", "organization",
                               "--outlet", "Le Courrier", "--format", "jsonl"])
    assert [json.loads(x)["content"] for x in out.stdout.splitlines()] == [
        "la transition énergétique attendra"]
    out = runner.invoke(main, ["search", "textile", "--db", db, "--content-only"])
    assert out.exit_code == 0 and "no quote matches" in out.stderr
    out = runner.invoke(main, ["search", "", "--db", db, "--speaker", "Garnier", "--limit", "2"])
    assert out.exit_code == 0 and "--after k" in out.stderr
    cursor = out.stderr.split("--after ")[1].split()[0]
    out = runner.invoke(main, ["search", "", "--db", db, "--speaker", "Garnier", "--limit", "2",
                               "--after", cursor])
    assert out.exit_code == 0 and out.stdout.count("\n    article ") == 1
    for query in ("'; DROP TABLE articles; --", "AND OR NOT", "*digue"):
        out = runner.invoke(main, ["search", query, "--db", db])
        assert out.exit_code == 0 and "Traceback" not in out.output
    for query in ('"', "*", "", "«»"):   # nothing to search for: a usage error
        out = runner.invoke(main, ["search", query, "--db", db])
        assert out.exit_code == 2 and "Traceback" not in out.output, query
        assert "nothing to search for" in out.output or "give words" in out.output
    out = runner.invoke(main, ["search", "digue", "--db", db, "--since", "hier"])
    assert out.exit_code == 2 and "not a date" in out.output
    out = runner.invoke(main, ["speakers", "--db", db, "--top", "2"])
    assert out.exit_code == 0
    assert out.output.splitlines()[1].split()[1:3] == ["Hélène", "Garnier"]
    missing = runner.invoke(main, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "propos ingest" in missing.output
