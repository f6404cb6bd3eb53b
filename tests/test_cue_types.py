"""Cue types: what a cue says of its content (speech, belief, perception, stance, nominal),
from the language's lexicons, on every attribution; stored, exported, searched and served."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers import extract, find
from web_helpers import build_web_db

from propos.cuetype import CueTyper
from propos.model import CUE_TYPES, Attribution
from propos.pipeline import build_nlp
from propos.profile import load_profile
from propos.store import schema
from propos.store.db import connect
from propos.store.export import rows
from propos.query import BadQuery
from propos.store.queries import search
from propos.web.app import create_app


# --------------------------------------------------------------------------- the lexicons


@pytest.mark.model
@pytest.mark.parametrize("text, content, cue_type", [
    ('"The bridge is not safe," said Mayor Ellen Ward.', "The bridge is not safe", "speech"),
    ("Tom Baker believes the closure came too late.", "the closure came too late", "belief"),
    ("A poll released on Monday shows that most residents oppose new tolls.",
     "most residents oppose new tolls", "perception"),
    ("According to the transport agency, the span has lost a fifth of its strength.",
     "the span has lost a fifth of its strength", "speech"),
])
def test_english_cue_types(text, content, cue_type):
    assert find(extract(text, "en"), content).cue_type == cue_type


@pytest.mark.model
@pytest.mark.parametrize("text, cue, cue_type", [
    # a noun heads the cue: nominal, whatever its word
    ("The council's criticism of the plan delayed the vote.", "criticism of", "nominal"),
    ("Critics voiced criticism of the plan.", "voiced criticism of", "nominal"),
    # a verb in neither lexicon (one only the tagger finds): the profile's default, stance
    ("The union strongly opposes the new contract.", "opposes", "stance"),
    ("The senator lobbied for a tax cut.", "lobbied for", "stance"),
    # cue_types.tsv: words the rules do not use
    ("The mayor wants the bridge rebuilt.", "wants", "belief"),
    ("Records demonstrate that the span was never inspected.", "demonstrate", "perception"),
    ("Most voters support the tolls.", "support", "stance"),
    ("Ward has repeatedly said that the bridge was unsafe.", "has repeatedly said", "speech"),
])
def test_english_cue_type_of_a_cue_span(text, cue, cue_type):
    profile = load_profile("en")
    doc = _parse(profile, text)
    start = text.index(cue)
    assert CueTyper(profile).of_cue(doc, (start, start + len(cue)), text) == cue_type


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
@pytest.mark.parametrize("text, content, cue_type", [
    ("« Nous tiendrons nos promesses », a déclaré la maire, Léa Martin.",
     "Nous tiendrons nos promesses", "speech"),
    ("Le président du club, Paul Garnier, a estimé que la saison était compromise.",
     "la saison était compromise", "belief"),
    ("Selon la préfecture, 412 habitations ont été endommagées par la crue.",
     "412 habitations ont été endommagées par la crue", "speech"),
    ("Le syndicat a constaté que les effectifs avaient baissé.",
     "les effectifs avaient baissé", "perception"),
])
def test_french_cue_types_from_the_cue_lexicon(text, content, cue_type):
    assert find(extract(text), content).cue_type == cue_type


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
def test_a_continuation_has_the_type_of_the_attribution_it_continues():
    text = ("« Nous ne fermerons pas la piscine », a affirmé la maire, Claire Dumoutier.\n"
            "« Les familles comptent sur nous. »")
    doc = extract(text)
    continuation = find(doc, "Les familles comptent sur nous.")
    assert continuation.cue is None and continuation.cue_type == "speech"


@pytest.mark.model
def test_a_quotation_signed_after_a_dash_is_speech():
    doc = extract("“We cannot afford this bridge.” — Ellen Ward, the mayor", "en")
    signed = find(doc, "We cannot afford this bridge.")
    assert signed.cue is None and signed.cue_type == "speech"


def test_every_cue_lexicon_row_has_a_known_type():
    for lang in ("fr", "en"):
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


def _parse(profile, text):
    from propos.component import ud_labels

    nlp = build_nlp(profile, use_tagger=False)
    doc = nlp(text)
    with ud_labels(doc, profile):
        return doc


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
