"""The unknown speaker: each language names its own placeholder (lang data), and the store
and the web know it by its type, whatever its spelling, so it is never a top speaker."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from ingest_helpers import quote

from propos.model import Document
from propos.profile import available_languages, load_profile
from propos.store.db import connect
from propos.store.speakers import list_speakers, rebuild_directory, top_speakers
from propos.store.writer import write_document

BRIDGE = '"Nobody knows who wrote this letter." "It was sent twice," said Ellen Ward.'
PONT = "« Personne ne sait qui a écrit cette lettre. »"


def test_every_language_has_its_placeholder_in_its_data():
    names = {lang: load_profile(lang).get("unknown_speaker") for lang in available_languages()}
    assert names["fr"] == "source non précisée" and names["en"] == "unspecified source"
    assert all(names.values())


def test_placeholders_are_not_speakers_whatever_their_spelling(tmp_path: Path):
    conn = connect(tmp_path / "u.db")
    for lang, text, content in (("en", BRIDGE, "Nobody knows who wrote this letter."),
                                ("fr", PONT, "Personne ne sait qui a écrit cette lettre.")):
        placeholder = load_profile(lang).get("unknown_speaker")
        quotes = [quote(text, content, placeholder, type="unknown")] * 3
        if lang == "en":
            quotes.append(quote(text, "It was sent twice,", "Ellen Ward", cue="said"))
        write_document(conn, Document(lang, lang, text, tuple(quotes)), title=lang)
    rebuild_directory(conn)
    assert [s.name for s in top_speakers(conn)] == ["Ellen Ward"]
    total, rows = list_speakers(conn)
    assert total == 1
    from propos.store.speakers import SpeakerFilters

    _, unknown = list_speakers(conn, SpeakerFilters(type="unknown"))
    assert {s.name for s in unknown} == {"unspecified source", "source non précisée"}
    conn.close()

    from propos.web.app import create_app

    with TestClient(create_app(tmp_path / "u.db"), base_url="http://127.0.0.1") as client:
        stats = client.get("/api/stats").json()
        assert stats["speakers"] == 1
        assert [s["name"] for s in stats["top_speakers"]] == ["Ellen Ward"]
