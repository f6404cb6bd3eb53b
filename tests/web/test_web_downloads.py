"""Every result list downloads as CSV and JSON with the same filters (``.csv`` / ``.json``
after the page's path, as datasette does), every row and not one page."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import article_key, build_web_db, speaker_id


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_db(tmp_path_factory.mktemp("downloads") / "web.db")


@pytest.fixture(scope="module")
def client(db: Path):
    from propos.web.app import create_app

    with TestClient(create_app(db), base_url="http://127.0.0.1") as test_client:
        yield test_client


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


def test_search_downloads_every_hit_with_the_filters(client: TestClient) -> None:
    table = rows(client.get("/search.csv", params={"q": "budget", "per_page": 10}))
    assert len(table) == 25  # all of them, not the page of 10
    assert {r["speaker"] for r in table} == {"Nadia Cherif"}
    assert table[0]["speaker_gender"] == "female" and table[0]["article"]
    only_2023 = rows(client.get("/search.csv", params={"q": "budget", "until": "2023"}))
    assert len(only_2023) == 12
    body = client.get("/search.json", params={"q": "budget", "until": "2023"}).json()
    assert body["total"] == 12 and len(body["hits"]) == 12
    assert body["query"]["until"] == "2023"


def test_speakers_download(client: TestClient) -> None:
    table = rows(client.get("/speakers.csv", params={"type": "person"}))
    assert [r["name"] for r in table][:2] == ["Nadia Cherif", "Hélène Garnier"]
    assert all(r["type"] == "person" for r in table)
    body = client.get("/speakers.json", params={"type": "organization"}).json()
    assert [s["name"] for s in body["speakers"]] == ["la préfecture"]


def test_speaker_and_article_downloads(client: TestClient, db: Path) -> None:
    table = rows(client.get(f"/speakers/{speaker_id(db, 'Nadia Cherif')}.csv"))
    assert len(table) == 25
    key = article_key(db, "digue")
    attributions = rows(client.get(f"/articles/{key}.csv"))
    assert [(r["number"], r["kind"], r["speaker"]) for r in attributions] == [
        ("1", "direct", "Hélène Garnier"), ("2", "indirect", "la préfecture")]
    assert attributions[0]["cue"] == "a déclaré" and attributions[0]["content_start"] == "2"
    assert client.get(f"/articles/{key}.json").json()["id"] == key


def test_pages_link_their_downloads(client: TestClient, db: Path) -> None:
    page = client.get("/search", params={"q": "budget", "kind": "direct"}).text
    assert 'href="/search.csv?q=budget&amp;kind=direct"' in page
    assert 'href="/search.json?q=budget&amp;kind=direct"' in page
    assert 'href="/speakers.csv?type=person' in client.get("/speakers?type=person").text
    sid = speaker_id(db, "Nadia Cherif")
    assert f'href="/speakers/{sid}.json' in client.get(f"/speakers/{sid}").text
    key = article_key(db, "digue")
    assert f'href="/articles/{key}.csv"' in client.get(f"/articles/{key}").text


@pytest.mark.parametrize("path, status", [("/search.xml?q=budget", 422),
                                          ("/speakers/999999.csv", 404),
                                          ("/articles/" + "0" * 32 + ".json", 404),
                                          ("/search.csv?kind=spoken", 422)])
def test_bad_downloads(client: TestClient, path: str, status: int) -> None:
    assert client.get(path).status_code == status
