"""The cross-article speaker directory: merge what the evidence supports, never more.

"Kallas", "Kaja Kallas" and "Mme Kallas" in different articles are one speaker when the
surname is unambiguous in the corpus; two people who share a surname are never merged
without evidence. (Within one article, resolution is the engine's job: tests/lang/fr/test_speakers.py.)
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from ingest_helpers import document

from propos.store.db import connect
from propos.speaker_names import NameStats, cluster_names, directory_name, parse_person
from propos.store.speakers import find_speakers, rebuild_directory, top_speakers
from propos.store.writer import write_document

FIRST_NAMES = {"marie": "f", "pierre": "m", "jean": "m", "marine": "f", "helene": "f",
               "paul": "m"}


def groups(*names: str, entities: tuple[str, ...] = (), types: dict[str, str] | None = None
           ) -> list[set[str]]:
    """Cluster speaker names (one attribution each) plus NER-only names; return the groups."""
    types = types or {}
    stats = [NameStats(i, name, ((types.get(name, "person"), 1),)) for i, name in
             enumerate(names)]
    stats += [NameStats(100 + i, name, (), 1) for i, name in enumerate(entities)]
    by_id = {s.id: s.name for s in stats}
    return sorted(({by_id[i] for i in e.name_ids} for e in cluster_names(stats, FIRST_NAMES)),
                  key=lambda g: sorted(g))


def test_full_name_honorific_and_surname_are_one_speaker() -> None:
    assert groups("Kaja Kallas", "Mme Kallas", "Kallas") == [{"Kaja Kallas", "Mme Kallas",
                                                               "Kallas"}]


def test_display_name_is_the_full_name() -> None:
    entries = cluster_names([NameStats(1, "Kallas", (("person", 5),)),
                             NameStats(2, "Kaja Kallas", (("person", 1),))], FIRST_NAMES)
    assert [e.name for e in entries] == ["Kaja Kallas"]


def test_same_full_name_modulo_case_accents_honorific() -> None:
    assert groups("Hélène Garnier", "HELENE GARNIER", "Mme Hélène Garnier") == [
        {"Hélène Garnier", "HELENE GARNIER", "Mme Hélène Garnier"}]


def test_two_people_sharing_a_surname_stay_apart() -> None:
    found = groups("Kaja Kallas", "Siim Kallas", "Kallas")
    assert found == [{"Kaja Kallas"}, {"Kallas"}, {"Siim Kallas"}]


def test_a_person_seen_only_by_the_ner_makes_the_surname_ambiguous() -> None:
    assert groups("Kaja Kallas", "Kallas", entities=("Siim Kallas",)) == [
        {"Kaja Kallas"}, {"Kallas"}]
    assert groups("Kaja Kallas", "Kallas", entities=("Kaja Kallas",)) == [
        {"Kaja Kallas", "Kallas"}]


def test_surname_joins_a_full_name_the_ner_saw() -> None:
    entries = cluster_names([NameStats(1, "Kallas", (("person", 2),)),
                             NameStats(2, "Kaja Kallas", (), 3)], FIRST_NAMES)
    assert [(e.name, e.name_ids) for e in entries] == [("Kaja Kallas", (1,))]


def test_gender_of_honorific_picks_among_namesakes() -> None:
    found = groups("Marie Dupont", "Pierre Dupont", "Mme Dupont", "M. Dupont", "Dupont")
    assert found == [{"Dupont"}, {"M. Dupont", "Pierre Dupont"}, {"Marie Dupont",
                                                                 "Mme Dupont"}]


def test_surnames_without_full_name_split_by_gender() -> None:
    assert groups("M. Dupont", "Mme Dupont") == [{"M. Dupont"}, {"Mme Dupont"}]
    assert groups("Dupont", "Mme Dupont") == [{"Dupont", "Mme Dupont"}]
    assert groups("Dupont", "Mme Dupont", "M. Dupont") == [{"Dupont"}, {"M. Dupont"},
                                                           {"Mme Dupont"}]


def test_initials_must_match() -> None:
    assert groups("Kaja Kallas", "Siim Kallas", "K. Kallas") == [
        {"K. Kallas", "Kaja Kallas"}, {"Siim Kallas"}]


def test_particles_are_part_of_the_surname() -> None:
    assert groups("Marine Le Pen", "Mme Le Pen", "Le Pen") == [
        {"Marine Le Pen", "Mme Le Pen", "Le Pen"}]
    assert groups("Charles de Gaulle", "de Gaulle") == [{"Charles de Gaulle", "de Gaulle"}]
    assert parse_person("Ursula von der Leyen", FIRST_NAMES).surname == "von der leyen"
    assert parse_person("Jean Marie Le Pen", FIRST_NAMES).given == ("jean", "marie")


def test_bodies_group_by_exact_name_only() -> None:
    types = {"la préfecture": "organization", "La Préfecture": "organization",
             "la préfecture de la Haute-Lère": "organization", "une source proche": "anonymous"}
    assert groups(*types, types=types) == [
        {"la préfecture", "La Préfecture"}, {"la préfecture de la Haute-Lère"},
        {"une source proche"}]


def test_clustering_does_not_depend_on_order() -> None:
    names = ["Kaja Kallas", "Mme Kallas", "Siim Kallas", "Marie Dupont", "Pierre Dupont",
             "Mme Dupont", "Dupont", "la police", "Le Pen", "Marine Le Pen"]
    stats = [NameStats(i, n, (("person", 1 + i % 3),)) for i, n in enumerate(names)]
    reference = cluster_names(stats, FIRST_NAMES)
    for seed in range(5):
        shuffled = stats[:]
        random.Random(seed).shuffle(shuffled)
        assert cluster_names(shuffled, FIRST_NAMES) == reference


def test_directory_name_keeps_the_honorific_of_the_mention() -> None:
    assert directory_name("Garnier", "Mme Garnier") == "Mme Garnier"
    assert directory_name("Garnier", "la ministre") == "Garnier"
    assert directory_name("Hélène Garnier", "Mme Garnier") == "Hélène Garnier"


# --------------------------------------------------------------------------- in the store

TEXTS = {
    "a": ("« Nous tiendrons », a déclaré Kaja Kallas à Tallinn.", "Nous tiendrons",
          "Kaja Kallas", "Kaja Kallas"),
    "b": ("« Rien n'est décidé », a dit Mme Kallas jeudi.", "Rien n'est décidé", "Kallas",
          "Mme Kallas"),
    "c": ("Kallas a affirmé que l'accord était proche.", "l'accord était proche", "Kallas",
          "Kallas"),
}


def _write(conn: sqlite3.Connection, key: str, kind: str = "direct") -> None:
    text, content, speaker, mention = TEXTS[key]
    write_document(conn, document(key, text, [(content, speaker, "person", kind, mention)]))


def test_directory_in_the_store(tmp_path: Path) -> None:
    conn = connect(tmp_path / "d.db")
    _write(conn, "a")
    _write(conn, "b")
    _write(conn, "c", "indirect")
    rebuild_directory(conn)
    [top] = top_speakers(conn, 10)
    assert (top.name, top.type, top.n_attributions, top.n_direct, top.n_indirect,
            top.n_articles) == ("Kaja Kallas", "person", 3, 2, 1, 3)
    assert set(top.variants) == {"Kaja Kallas", "Mme Kallas", "Kallas"}
    kept_id = top.id

    # Another Kallas appears: the bare surname is now ambiguous and is split off.
    text = "« Je reste », a déclaré Siim Kallas."
    write_document(conn, document("d", text, [("Je reste", "Siim Kallas", "person", "direct",
                                               "Siim Kallas")]))
    rebuild_directory(conn)
    found = {s.name: s for s in top_speakers(conn, 10)}
    assert set(found) == {"Kaja Kallas", "Siim Kallas", "Mme Kallas", "Kallas"}
    assert found["Kaja Kallas"].id == kept_id, "an entry keeps its id across rebuilds"
    assert found["Kaja Kallas"].n_attributions == 1
    assert find_speakers(conn, "Kaja Kallas") == [kept_id]
    assert len(find_speakers(conn, "kallas")) == 4
    assert find_speakers(conn, "Mme") == [] and find_speakers(conn, "Nobody") == []


def test_directory_is_rebuilt_when_stale(tmp_path: Path) -> None:
    """A killed ingest leaves the directory stale; the next reader rebuilds it."""
    from propos.store.speakers import ensure_directory

    conn = connect(tmp_path / "s.db")
    _write(conn, "a")
    assert conn.execute("SELECT value FROM meta WHERE key = 'directory_stale'"
                        ).fetchone()[0] == "1"
    ensure_directory(conn)
    assert [s.name for s in top_speakers(conn)] == ["Kaja Kallas"]
    assert conn.execute("SELECT value FROM meta WHERE key = 'directory_stale'"
                        ).fetchone()[0] == "0"


ENGLISH_ARTICLE = """Letter puts bridge vote in doubt

The town hall received an unsigned letter on Monday.

"Nobody here knows who wrote this letter or why it was sent."

"We will rebuild the bridge before winter," said Ellen Ward, the mayor.
"""


@pytest.mark.model
def test_an_english_corpus_unknown_speakers_are_never_named_speakers(tmp_path: Path) -> None:
    """An English article ingested with a quote nobody claims: its placeholder speaker
    ("unspecified source") is a directory entry of type unknown, never a named speaker."""
    from propos.ingest.runner import ingest
    from propos.store.speakers import SpeakerFilters, list_speakers

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "letter.txt").write_text(ENGLISH_ARTICLE, encoding="utf-8")
    db = tmp_path / "en.db"
    summary = ingest([str(corpus)], db_path=str(db), workers=1, progress=False)
    assert (summary.new, summary.failed) == (1, 0)
    conn = connect(db)
    assert [tuple(row) for row in conn.execute("SELECT lang FROM articles")] == [("en",)]
    _, unknown = list_speakers(conn, SpeakerFilters(type="unknown"))
    assert [(s.name, s.n_attributions) for s in unknown] == [("unspecified source", 1)], (
        "the article must have a quote nobody claims, or this test checks nothing")
    assert [s.name for s in top_speakers(conn)] == ["Ellen Ward"]
    assert sorted(tuple(row) for row in conn.execute("SELECT name, type FROM speakers")) == [
        ("Ellen Ward", "person"), ("unspecified source", "unknown")]
    conn.close()


@pytest.mark.parametrize("name", ["", "   ", "M.", "Mme", "123", "la police"])
def test_a_name_without_a_person_parses_to_none(name: str) -> None:
    assert parse_person(name, FIRST_NAMES) is None


def test_an_unknown_name_in_capitals_still_parses() -> None:
    person = parse_person("ABC DEF GHI", FIRST_NAMES)
    assert person is not None and (person.given, person.surname) == (("abc",), "def ghi")


def test_first_names_come_from_every_language():
    """The directory mixes languages: an English first name the French list lacks still
    gives its usual gender."""
    from propos.speaker_names import default_first_names

    names = default_first_names()
    assert names["abigail"] == "f" and names["jeanne"] == "f"


def test_honorifics_and_particles_come_from_every_language():
    """The directory's honorifics and surname particles are each profile's
    ``directory_honorifics`` and ``directory_particles``, all languages together."""
    from propos.profile import load_profile
    from propos.speaker_names import honorifics, particles

    assert load_profile("fr").get("directory_honorifics")["mme"] == "f"
    assert load_profile("en").get("directory_honorifics")["mrs"] == "f"
    assert {"mme": "f", "mrs": "f", "m.": "m", "mr": "m", "dr": ""}.items() <= honorifics().items()
    assert {"le", "d'", "von", "ibn"} <= particles()


@pytest.mark.parametrize("name, surname, gender", [
    ("Mrs Thatcher", "thatcher", "f"),
    ("Mme Thatcher", "thatcher", "f"),
    ("Sir Keir Starmer", "starmer", "m"),
    ("Maître Dupond-Moretti", "dupond-moretti", ""),
])
def test_french_and_english_honorifics_tell_the_gender(name: str, surname: str, gender: str) -> None:
    person = parse_person(name, FIRST_NAMES)
    assert person is not None and (person.surname, person.gender) == (surname, gender)


def test_a_particle_of_another_language_starts_a_surname() -> None:
    person = parse_person("Ursula von der Leyen", FIRST_NAMES)
    assert person is not None and (person.given, person.surname) == (("ursula",), "von der leyen")
