"""Statement groups (quote provenance): the copies of one statement across articles.

The alignment rules and the in-memory grouper run without the model; the bar corpus
(``tests/data/provenance``: one statement of a minister quoted verbatim by an agency and a
paper, the agency dated first but ingested second, shortened by a third outlet, altered by a
fourth, paraphrased by an editorial, beside another statement of hers and the same words
from a mayor) goes through ingest, the store and the export.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from propos.provenance import (
    MAX_CANDIDATES,
    Change,
    Statement,
    StatementGroups,
    band_keys,
    compare_wording,
    group_statements,
    same_statement,
    words_of,
)

CORPUS = Path(__file__).resolve().parents[1] / "data" / "provenance"
STATEMENT = "Nous ne fermerons aucune maternité dans le département cette année"


def same(a: str, b: str) -> bool:
    return same_statement(words_of(a), words_of(b))


def wording(member: str, kind: str = "direct", first: str = STATEMENT,
            first_kind: str = "direct") -> tuple[str, tuple[Change, ...]]:
    return compare_wording(words_of(first), first_kind, words_of(member), kind)


# --------------------------------------------------------------------------- alignment

def test_case_accents_and_punctuation_do_not_make_another_statement() -> None:
    assert same(STATEMENT, "NOUS NE FERMERONS AUCUNE MATERNITE, dans le département, cette année.")
    assert wording("nous ne fermerons aucune maternite dans le departement cette annee") == (
        "same", ())


def test_a_contiguous_part_is_a_shortened_copy() -> None:
    assert same(STATEMENT, "Nous ne fermerons aucune maternité")
    assert wording("Nous ne fermerons aucune maternité") == ("shortened", ())


def test_too_short_a_part_is_not_enough_to_group() -> None:
    assert not same(STATEMENT, "cette année")
    assert not same("Un engagement clair pour les familles", "un engagement clair")


def test_a_changed_word_is_an_altered_copy_with_its_changes() -> None:
    assert same(STATEMENT, "Nous ne fermerons aucune maternité dans la région cette année")
    assert wording("Nous ne fermerons aucune maternité dans la région cette année") == (
        "altered", (Change("replace", "le département", "la région"),))


def test_dropped_and_added_words_inside_are_listed() -> None:
    member = "Nous ne fermerons vraiment aucune maternité dans le département"
    assert wording(member) == ("altered", (Change("insert", "", "vraiment"),
                                           Change("delete", "cette année", "")))


def test_an_indirect_report_of_a_quote_is_a_paraphrase() -> None:
    report = "aucune maternité ne fermerait dans le département cette année"
    assert same(STATEMENT, report)
    assert wording(report, kind="indirect") == ("paraphrase", ())


def test_another_statement_with_some_shared_words_is_not_grouped() -> None:
    assert not same(STATEMENT, "Nous ouvrirons une nouvelle maternité dans le département "
                               "l'an prochain")


def test_band_keys_are_salted_by_the_speaker() -> None:
    words = words_of(STATEMENT)
    assert not set(band_keys("anne morel", words)) & set(band_keys("paul roux", words))
    assert band_keys("anne morel", words) == band_keys("Anne Morel", words)


# --------------------------------------------------------------------------- grouping

def bar_statements() -> list[Statement]:
    """The bar corpus as statements, in ingest order (the agency's copy comes second)."""
    return [
        Statement(1, "courrier", 0, "anne morel", "direct", STATEMENT, "2026-03-11"),
        Statement(2, "courrier", 1, "anne morel", "direct",
                  "Nous recruterons trente sages-femmes avant l'été", "2026-03-11"),
        Statement(3, "voix", 0, "anne morel", "direct", "Nous ne fermerons aucune maternité",
                  "2026-03-11"),
        Statement(4, "echo", 0, "anne morel", "direct",
                  "Nous ne fermerons aucune maternité dans la région cette année", "2026-03-12"),
        Statement(5, "echo", 1, "paul roux", "direct",
                  "Nous ne fermerons aucune école dans le département cette année", "2026-03-12"),
        Statement(6, "journal", 0, "anne morel", "indirect",
                  "aucune maternité ne fermerait dans le département cette année", "2026-03-13"),
        Statement(7, "agence", 0, "anne morel", "direct", STATEMENT, "2026-03-10"),
    ]


def test_the_bar_corpus_in_memory() -> None:
    groups = group_statements(bar_statements())
    statement = {groups[i].group for i in (1, 3, 4, 6, 7)}
    assert len(statement) == 1
    assert groups[2].group not in statement and groups[5].group not in statement
    assert groups[2].group != groups[5].group
    assert {i: (m.first_seen, m.wording) for i, m in groups.items() if i in (1, 3, 4, 6, 7)} == {
        7: (True, "first"), 1: (False, "same"), 3: (False, "shortened"),
        4: (False, "altered"), 6: (False, "paraphrase")}
    assert {m.first_article for i, m in groups.items() if i in (1, 3, 4, 6, 7)} == {"agence"}
    assert groups[2].first_seen and groups[2].wording == "first"


def test_the_group_key_stays_when_an_earlier_copy_arrives() -> None:
    statements = bar_statements()
    before = group_statements(statements[:-1])
    after = group_statements(statements)
    assert before[1].group == after[1].group == after[7].group
    assert before[1].first_seen and not after[1].first_seen


def test_a_copy_that_links_two_groups_merges_them_under_the_first_founded() -> None:
    groups = StatementGroups()
    long = STATEMENT + " malgré les difficultés de recrutement"
    groups.add(Statement(1, "a", 0, "x", "direct", "Nous ne fermerons aucune maternité"))
    groups.add(Statement(2, "b", 0, "x", "direct", "dans le département cette année malgré "
                                                   "les difficultés de recrutement"))
    assert groups.memberships()[1].group != groups.memberships()[2].group
    groups.add(Statement(3, "c", 0, "x", "direct", long))
    found = groups.memberships()
    assert found[1].group == found[2].group == found[3].group
    assert found[1].group == group_statements([Statement(1, "a", 0, "x", "direct", "")])[1].group


def test_undated_copies_come_after_dated_ones() -> None:
    groups = group_statements([Statement(1, "a", 0, "x", "direct", STATEMENT, None),
                               Statement(2, "b", 0, "x", "direct", STATEMENT, "2026-01-02")])
    assert groups[2].first_seen and not groups[1].first_seen


def test_candidates_per_quote_are_bounded() -> None:
    # the same boilerplate sentence many times: each new copy aligns with at most the cap
    statements = [Statement(i, f"a{i}", 0, "x", "direct", STATEMENT) for i in range(1, 400)]
    groups = group_statements(statements)
    assert len({m.group for m in groups.values()}) == 1
    assert MAX_CANDIDATES < 400


# --------------------------------------------------------------------------- the store

@pytest.fixture(scope="module")
def bar_store(tmp_path_factory, fr_pipeline):
    """The bar corpus ingested in two runs: the outlets, then the agency (dated first)."""
    from propos.ingest import ingest
    from propos.store.db import connect

    db = tmp_path_factory.mktemp("provenance") / "bar.db"
    ingest([str(CORPUS / "outlets.jsonl")], str(db), workers=1, progress=False)
    conn = connect(db)
    before = dict(conn.execute(
        "SELECT a.content, g.key FROM attributions a JOIN quote_members m "
        "ON m.attribution_id = a.id JOIN quote_groups g ON g.id = m.group_id "
        "JOIN articles ar ON ar.id = a.article_id WHERE ar.doc_id = 'courrier-maternites'"))
    conn.close()
    ingest([str(CORPUS / "agency.jsonl")], str(db), workers=1, progress=False)
    return db, before


def exported(db: Path, tmp_path: Path, fmt: str = "jsonl") -> list[dict]:
    from propos.store.db import connect
    from propos.store.export import export

    out = tmp_path / f"out.{fmt}"
    conn = connect(db)
    export(conn, fmt, str(out))
    conn.close()
    if fmt == "jsonl":
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    if fmt == "csv":
        with out.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    import pyarrow.parquet as pq

    return pq.read_table(out).to_pylist()


@pytest.mark.model
def test_the_bar_corpus_through_ingest_and_export(bar_store, tmp_path: Path) -> None:
    db, _ = bar_store
    rows = exported(db, tmp_path)
    by_outlet = {(r["article_id"], r["content"]): r for r in rows}
    members = [r for r in rows if r["content"].startswith(("Nous ne fermerons aucune maternité",
                                                           "aucune maternité"))]
    assert len(members) == 5
    assert len({r["quote_group"] for r in members}) == 1
    assert {r["article_id"]: (r["wording"], r["first_seen"]) for r in members} == {
        "apo-maternites": ("first", True), "courrier-maternites": ("same", False),
        "voix-maternites": ("shortened", False), "echo-maternites": ("altered", False),
        "journal-edito": ("paraphrase", False)}
    agency = next(r for r in members if r["article_id"] == "apo-maternites")
    assert {r["first_article"] for r in members} == {agency["article"]}
    altered = next(r for r in members if r["wording"] == "altered")
    assert json.loads(altered["changes"]) == [
        {"op": "replace", "old": "le département", "new": "la région"}]
    assert all(r["changes"] == "" for r in members if r["wording"] != "altered")
    others = [r for r in rows if r not in members]
    assert len(others) == 2
    assert len({r["quote_group"] for r in others} | {agency["quote_group"]}) == 3
    assert all(r["first_seen"] and r["wording"] == "first" for r in others)
    assert by_outlet[("journal-edito", members[-1]["content"])]["kind"] == "indirect"


@pytest.mark.model
def test_the_agency_copy_ingested_later_takes_over_and_the_key_stays(bar_store) -> None:
    from propos.store.db import connect

    db, before = bar_store
    conn = connect(db)
    key, first_doc, n_members, n_outlets, altered = conn.execute(
        "SELECT g.key, ar.doc_id, g.n_members, g.n_outlets, g.altered FROM quote_groups g "
        "JOIN attributions a ON a.id = g.first_id JOIN articles ar ON ar.id = a.article_id "
        "WHERE g.n_members > 1").fetchone()
    conn.close()
    assert key == before[STATEMENT]
    assert (first_doc, n_members, n_outlets, altered) == ("apo-maternites", 5, 5, 1)


@pytest.mark.model
def test_ingesting_again_changes_no_group(bar_store, tmp_path: Path) -> None:
    from propos.ingest import ingest

    db, _ = bar_store
    before = exported(db, tmp_path)
    ingest([str(CORPUS)], str(db), workers=1, progress=False)
    assert exported(db, tmp_path) == before


@pytest.mark.model
def test_csv_and_parquet_carry_the_same_group_columns(bar_store, tmp_path: Path) -> None:
    db, _ = bar_store
    columns = ("quote_group", "first_article", "wording", "changes", "dates", "amounts")
    reference = exported(db, tmp_path)
    parquet = exported(db, tmp_path, "parquet")
    assert [{c: r[c] for c in columns + ("first_seen",)} for r in parquet] == [
        {c: r[c] for c in columns + ("first_seen",)} for r in reference]
    rows = exported(db, tmp_path, "csv")
    assert [{c: r[c] for c in columns} for r in rows] == [
        {c: r[c] for c in columns} for r in reference]
    assert [r["first_seen"] for r in rows] == [str(r["first_seen"]) for r in reference]


@pytest.mark.model
def test_export_dates_are_those_inside_each_content(bar_store, tmp_path: Path) -> None:
    db, _ = bar_store
    agency = next(r for r in exported(db, tmp_path) if r["article_id"] == "apo-maternites")
    assert json.loads(agency["dates"]) == [
        {"start": 145, "end": 156, "text": "cette année", "value": "2026"}]
    assert json.loads(agency["amounts"]) == []


# --------------------------------------------------------------------------- views

@pytest.fixture(scope="module")
def client(bar_store):
    from fastapi.testclient import TestClient

    from propos.web.app import create_app

    db, _ = bar_store
    # a host the app serves (it refuses others: DNS rebinding)
    with TestClient(create_app(db), base_url="http://127.0.0.1") as test_client:
        yield test_client


def statement_key(client) -> str:
    hits = client.get("/api/search", params={"q": "maternité région"}).json()["hits"]
    return hits[0]["quote"]["group"]


@pytest.mark.model
def test_api_quotes_gives_the_timeline_from_the_first_copy(client) -> None:
    detail = client.get(f"/api/quotes/{statement_key(client)}").json()
    copies = detail["copies"]
    assert [(c["article"]["source"], c["article"]["date"], c["wording"]) for c in copies] == [
        ("Agence Presse Ouest", "2026-03-10", "first"),
        ("Le Courrier de la Lère", "2026-03-11", "same"),
        ("La Voix du Val", "2026-03-11", "shortened"),
        ("L'Écho du Nord", "2026-03-12", "altered"),
        ("Le Journal de Montrevel", "2026-03-13", "paraphrase")]
    assert (detail["members"], detail["outlets"], detail["since"], detail["altered"]) == (
        5, 5, "2026-03-10", True)
    assert detail["first"] == copies[0]
    altered = copies[3]
    assert altered["changes"] == [{"op": "replace", "old": "le département", "new": "la région"}]
    assert altered["pieces"] == [
        {"op": "equal", "text": "Nous ne fermerons aucune maternité dans "},
        {"op": "delete", "text": "le département"}, {"op": "insert", "text": "la région"},
        {"op": "equal", "text": " cette année"}]
    assert copies[4]["reports"] == copies[0]["id"]


@pytest.mark.model
def test_the_statement_page_shows_differences_and_links_articles(client) -> None:
    key = statement_key(client)
    page = client.get(f"/quotes/{key}")
    assert page.status_code == 200
    assert "<del>le département</del>" in page.text and "<ins>la région</ins>" in page.text
    detail = client.get(f"/api/quotes/{key}").json()
    for copy in detail["copies"]:
        assert f'/articles/{copy["article"]["id"]}#q-{copy["id"]}' in page.text
    assert client.get("/quotes/0123456789abcdef").status_code == 404
    assert client.get("/api/quotes/not-a-key").status_code == 422


@pytest.mark.model
def test_hits_and_articles_carry_the_badge(client) -> None:
    hits = client.get("/api/search", params={"q": "maternité région"}).json()["hits"]
    assert hits[0]["quote"] == {"group": statement_key(client), "members": 5, "outlets": 5,
                                "since": "2026-03-10", "altered": True, "wording": "altered"}
    article = client.get(f"/api/articles/{hits[0]['article']['id']}").json()
    mayor = next(a for a in article["attributions"] if a["speaker"]["name"] == "Paul Roux")
    assert mayor["quote"] is None  # a statement seen once has no badge
    page = client.get(f"/articles/{hits[0]['article']['id']}").text
    assert "seen in 5 outlets since 2026-03-10" in page
    assert '<span class="badge altered">altered</span>' in page
    search = client.get("/search", params={"q": "maternité"}).text
    assert "seen in 5 outlets since 2026-03-10" in search
    speaker = hits[0]["speaker"]["id"]
    quotes = client.get(f"/api/speakers/{speaker}").json()["quotes"]["hits"]
    assert {h["quote"]["group"] for h in quotes if h["quote"]} == {statement_key(client)}
    assert "seen in 5 outlets since 2026-03-10" in client.get(f"/speakers/{speaker}").text


@pytest.mark.model
def test_the_altered_filter_lists_only_changed_statements(client) -> None:
    result = client.get("/api/search", params={"altered": "true"}).json()
    assert {h["content"] for h in result["hits"]} == {
        STATEMENT, "Nous ne fermerons aucune maternité",
        "Nous ne fermerons aucune maternité dans la région cette année",
        "aucune maternité ne fermerait dans le département cette année"}
    assert {h["quote"]["group"] for h in result["hits"]} == {statement_key(client)}
    page = client.get("/search", params={"altered": "true"}).text
    assert 'name="altered" value="true" checked' in page


@pytest.mark.model
def test_article_dates_and_amounts_are_highlighted(client) -> None:
    hits = client.get("/api/search", params={"q": "recruterons"}).json()["hits"]
    article = client.get(f"/api/articles/{hits[0]['article']['id']}").json()
    assert [(d["text"], d["value"]) for d in article["dates"]] == [
        ("mardi", "2026-03-10"), ("cette année", "2026")]
    page = client.get(f"/articles/{hits[0]['article']['id']}").text
    assert '<span class="hl hl-date" data-a="">mardi</span>' in page


@pytest.mark.model
def test_cli_search_altered(bar_store) -> None:
    from click.testing import CliRunner

    from propos.cli import main

    db, _ = bar_store
    result = CliRunner().invoke(main, ["search", "--altered", "--db", str(db),
                                       "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    contents = [json.loads(line)["content"] for line in result.output.splitlines()
                if line.startswith("{")]
    assert "Nous ne fermerons aucune maternité dans la région cette année" in contents
    assert all("école" not in c and "sages-femmes" not in c for c in contents)


@pytest.mark.model
def test_api_extract_resolves_relative_dates_against_the_given_date(client) -> None:
    response = client.post("/api/extract", json={
        "text": "« Nous verserons 20 000 euros », a promis hier le maire, Paul Roux.",
        "date": "2025-05-02"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dates"] == [{"start": 42, "end": 46, "text": "hier", "value": "2025-05-01"}]
    assert body["attributions"][0]["amounts"] == [
        {"start": 17, "end": 29, "text": "20 000 euros", "value": 20000, "unit": "EUR",
         "approx": False}]


def test_a_store_from_before_statement_groups_groups_its_quotes_on_first_use(tmp_path) -> None:
    import sqlite3

    from propos.store import schema
    from propos.store.db import connect
    from propos.store.export import rows
    from propos.store.provenance import ensure_quote_groups

    db = tmp_path / "old.db"
    raw = sqlite3.connect(db, isolation_level=None)
    initial = schema.migrations()[0]  # a store as the first release wrote it
    for statement in schema.statements(initial.sql):
        raw.execute(statement)
    raw.execute(f"PRAGMA user_version = {initial.version:d}")
    raw.execute("INSERT INTO names (id, name) VALUES (1, 'Anne Morel')")
    for number, (outlet, date) in enumerate((("B", "2026-03-11"), ("A", "2026-03-10")), 1):
        raw.execute("INSERT INTO articles (id, hash, doc_id, date, source, lang, status, path, "
                    "location, format, text, ingested_at) VALUES (?, ?, ?, ?, ?, 'fr', "
                    "'extracted', 'x', 'x', 'jsonl', ?, '')",
                    (number, f"{number:032x}", outlet, date, outlet, STATEMENT))
        raw.execute("INSERT INTO attributions (article_id, seq, kind, content, content_start, "
                    "content_end, name_id, speaker_name, speaker_type, confidence, rule) "
                    "VALUES (?, 0, 'direct', ?, 0, ?, 1, 'Anne Morel', 'person', 0.9, 'x')",
                    (number, STATEMENT, len(STATEMENT)))
    raw.close()
    conn = connect(db)  # migrates
    # rows() only reads (export() brings the groups up to date first)
    assert {r["article_id"]: r["wording"] for r in rows(conn)} == {"A": None, "B": None}
    ensure_quote_groups(conn)
    found = {r["article_id"]: (r["quote_group"] is not None, r["wording"], r["first_seen"])
             for r in rows(conn)}
    conn.close()
    assert found == {"A": (True, "first", True), "B": (True, "same", False)}
