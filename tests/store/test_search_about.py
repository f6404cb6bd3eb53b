"""What X said about Y: the ``about`` filter of ``propos search``, ``/api/search`` and the
search page, over hand-made attributions whose ``about`` is given (so that these tests test
the store and the filters, not extraction; extraction of ``about`` is tests/test_about.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from ingest_helpers import quote

from propos.cli import main
from propos.model import Document, Referent
from propos.store.db import connect
from propos.store.queries import search
from propos.store.speakers import rebuild_directory
from propos.store.writer import write_document

PISCINE = ("« Claire Dumoutier a sauvé la piscine », a déclaré Marc Olivier. "
           "« Dumoutier ment », a répliqué Julien Roche. "
           "Marc Olivier a ajouté que la préfecture de la Haute-Lère tardait.")
DIGUE = ("« La ministre tiendra parole », a assuré Claire Dumoutier. "
         "« Le budget est sincère », a-t-elle ajouté.")


def about(attribution, *names: tuple[str, str]):
    return replace(attribution, about=tuple(Referent(n, t) for n, t in names))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("about") / "about.db"
    conn = connect(path)
    write_document(conn, Document("piscine", "fr", PISCINE, (
        about(quote(PISCINE, "Claire Dumoutier a sauvé la piscine", "Marc Olivier",
                    cue="a déclaré", mention="Marc Olivier"), ("Claire Dumoutier", "person")),
        # an article that only gives the surname: still her, through the directory
        about(quote(PISCINE, "Dumoutier ment", "Julien Roche", cue="a répliqué",
                    mention="Julien Roche"), ("Dumoutier", "person")),
        about(quote(PISCINE, "la préfecture de la Haute-Lère tardait", "Marc Olivier",
                    kind="indirect", cue="a ajouté", mention="Marc Olivier"),
              ("préfecture de la Haute-Lère", "organization")),
    )), title="Piscine sauvée", date="2024-03-04", source="Le Courrier")
    write_document(conn, Document("digue", "fr", DIGUE, (
        about(quote(DIGUE, "La ministre tiendra parole", "Claire Dumoutier",
                    cue="a assuré", mention="Claire Dumoutier"), ("Hélène Garnier", "person")),
        quote(DIGUE, "Le budget est sincère", "Claire Dumoutier", cue="a-t-elle ajouté"),
    )), title="Digue", date="2024-03-05", source="APO")
    rebuild_directory(conn)
    conn.close()
    return path


def contents(result) -> list[str]:
    return sorted(hit.content for hit in result.hits)


def test_about_someone_finds_what_was_said_about_them_and_nothing_else(db: Path) -> None:
    conn = connect(db)
    assert contents(search(conn, "", about="Claire Dumoutier")) == [
        "Claire Dumoutier a sauvé la piscine", "Dumoutier ment"]
    assert contents(search(conn, "", about="Mme Dumoutier")) == [
        "Claire Dumoutier a sauvé la piscine", "Dumoutier ment"]
    assert contents(search(conn, "", about="préfecture")) == [
        "la préfecture de la Haute-Lère tardait"]
    assert contents(search(conn, "", about="Hélène Garnier")) == ["La ministre tiendra parole"]
    assert search(conn, "", about="Paul Garnier").message == "no quote matches"


def test_what_x_said_about_y(db: Path) -> None:
    conn = connect(db)
    assert contents(search(conn, "", speaker="Julien Roche", about="Dumoutier")) == [
        "Dumoutier ment"]
    assert contents(search(conn, "sauvé", about="Dumoutier")) == [
        "Claire Dumoutier a sauvé la piscine"]
    assert search(conn, "", speaker="Claire Dumoutier", about="Dumoutier").hits == ()


def test_about_with_nothing_to_look_for_says_so(db: Path) -> None:
    assert search(connect(db), "", about="Mme").message == "nothing to look for in --about 'Mme'"


def test_cli_search_about(db: Path) -> None:
    result = CliRunner().invoke(main, ["search", "", "--about", "Y", "--db", str(db)])
    assert result.exit_code == 0 and "no quote matches" in result.output
    result = CliRunner().invoke(main, ["search", "", "--about", "Claire Dumoutier", "--db",
                                       str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(h["speaker"]["name"] for h in hits) == ["Julien Roche", "Marc Olivier"]


def test_api_and_page_about_filter(db: Path) -> None:
    from propos.web.app import create_app

    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        body = client.get("/api/search", params={"about": "Dumoutier"}).json()
        assert sorted(h["content"] for h in body["hits"]) == [
            "Claire Dumoutier a sauvé la piscine", "Dumoutier ment"]
        assert body["query"]["about"] == "Dumoutier"
        first = next(h for h in body["hits"] if h["speaker"]["name"] == "Marc Olivier")
        assert first["about"] == [{"name": "Claire Dumoutier", "type": "person"}]
        pair = client.get("/api/search", params={"about": "Dumoutier",
                                                 "speaker": "Marc Olivier"}).json()
        assert [h["content"] for h in pair["hits"]] == ["Claire Dumoutier a sauvé la piscine"]
        page = client.get("/search", params={"about": "Hélène Garnier"}).text
        assert 'name="about" value="Hélène Garnier"' in page
        assert page.count('class="hit"') == 1 and "La ministre tiendra parole" in page
        assert 'href="/search?about=H%C3%A9l%C3%A8ne%20Garnier"' in page
        article = client.get("/api/articles/" + body["hits"][0]["article"]["id"]).json()
        assert [a["about"] for a in article["attributions"]][0] == [
            {"name": "Claire Dumoutier", "type": "person"}]
