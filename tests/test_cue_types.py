"""Cue types: what a cue says of its content (speech, belief, perception, stance, nominal),
from the language's lexicons, on every attribution; stored, exported, searched and served.
Which type each language's cues get: tests/lang/fr/test_cue_types_fr.py and
tests/lang/en/test_en_cue_types.py."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import build_web_db

from propos.model import CUE_TYPES, Attribution
from propos.profile import available_languages, load_profile
from propos.store import schema
from propos.store.db import connect
from propos.store.export import rows
from propos.query import BadQuery
from propos.store.queries import search
from propos.web.app import create_app


# --------------------------------------------------------------------------- the lexicons

def test_every_cue_lexicon_row_has_a_known_type():
    for lang in available_languages():
        profile = load_profile(lang)
        assert set(profile.cue_types.values()) <= set(CUE_TYPES), lang
        assert profile.get("default_cue_type", "speech") in CUE_TYPES


def test_cue_type_in_the_json_shape():
    data = {"kind": "indirect", "content": {"start": 0, "end": 1, "text": "x"},
            "speaker": {"name": "Ann", "type": "person"}, "cue_type": "belief"}
    attribution = Attribution.from_dict(data)
    assert attribution.cue_type == "belief"
    assert attribution.to_dict()["cue_type"] == "belief"
    schema_file = Path(__file__).parents[1] / "src/propos/schema/attribution.schema.json"
    definition = json.loads(schema_file.read_text())["$defs"]["attribution"]
    assert "cue_type" in definition["required"]
    assert definition["properties"]["cue_type"]["enum"] == [*CUE_TYPES, None]


# --------------------------------------------------------------------------- store, export, API


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_db(tmp_path_factory.mktemp("cue-types") / "web.db")


def test_store_keeps_the_cue_type_and_search_filters_on_it(db):
    conn = connect(db)
    try:
        result = search(conn, "", cue_type="belief")
        assert [h.content for h in result.hits] == ["la saison était compromise"]
        assert result.hits[0].to_dict()["cue_type"] == "belief"
        with pytest.raises(BadQuery, match="unknown cue type"):
            search(conn, "", cue_type="shouted")
        exported = [r for r in rows(conn) if r["cue_type"] is not None]
        assert sorted(r["cue_type"] for r in exported) == ["belief", "speech"]
    finally:
        conn.close()


def test_api_and_search_page_filter_on_cue_type(db):
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:  # an allowed Host
        page = client.get("/api/search", params={"cue_type": "belief"}).json()
        assert [h["content"] for h in page["hits"]] == ["la saison était compromise"]
        assert page["hits"][0]["cue_type"] == "belief" and page["query"]["cue_type"] == "belief"
        assert client.get("/api/search", params={"cue_type": "shouted"}).status_code == 422
        html = client.get("/search", params={"cue_type": "belief"}).text
        assert '<option value="belief" selected>belief</option>' in html
        assert "la saison était compromise" in html


def test_a_version_1_database_gains_the_column_empty(tmp_path):
    path = tmp_path / "v1.db"
    raw = sqlite3.connect(path)
    first = schema.migrations()[0]
    for statement in schema.statements(first.sql):
        raw.execute(statement)
    raw.execute("PRAGMA user_version = 1")
    raw.execute("INSERT INTO articles (hash, doc_id, lang, status, path, location, format, text, "
                "ingested_at) VALUES ('h', 'a', 'fr', 'extracted', 'p', 'p', 'txt', 't', 'now')")
    raw.execute("INSERT INTO names (name) VALUES ('Ann')")
    raw.execute("INSERT INTO attributions (article_id, seq, kind, content, content_start, "
                "content_end, name_id, speaker_name, speaker_type, confidence, rule) "
                "VALUES (1, 0, 'direct', 't', 0, 1, 1, 'Ann', 'person', 0.9, 'incise')")
    raw.commit()
    raw.close()
    conn = connect(path)
    try:
        assert schema.current_version(conn) == schema.SCHEMA_VERSION
        assert [tuple(r) for r in conn.execute("SELECT cue_type FROM attributions")] == [(None,)]
    finally:
        conn.close()
