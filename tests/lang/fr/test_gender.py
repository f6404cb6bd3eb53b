"""A speaker's gender: stated by the text (titles, gendered roles and determiners, pronouns
resolved to the speaker, feminine agreement), else labelled as a first name's usual gender,
else unknown. Never from anything else."""

from __future__ import annotations

import pytest
from helpers import extract, gender_of

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]


@pytest.mark.parametrize("text, speaker, expected", [
    # a title
    ("« Le pont rouvrira en juin », a déclaré Mme Ravel.", "Ravel", ("female", "text")),
    ("« Le pont rouvrira en juin », a déclaré M. Ravel.", "Ravel", ("male", "text")),
    # a role with its determiner, apposed to the name
    ("« Nous ne pouvions pas faire autrement », a déclaré la maire, Dominique Lenoir.",
     "Dominique Lenoir", ("female", "text")),
    ("« Nous ne pouvions pas faire autrement », a déclaré le maire, Dominique Lenoir.",
     "Dominique Lenoir", ("male", "text")),
    ("La ministre Camille Vasseur a affirmé que la digue serait rehaussée.",
     "Camille Vasseur", ("female", "text")),
    # a pronoun resolved to the speaker, the first name saying nothing
    ("« Le budget est voté », a déclaré Sacha Lenoir. « Nous tiendrons nos promesses », "
     "a-t-elle ajouté.", "Sacha Lenoir", ("female", "text")),
    # a title elsewhere in the article
    ("Claude Marin a présidé la séance. « Le budget est voté », a déclaré Claude Marin. "
     "Mme Marin a ensuite levé la séance.", "Claude Marin", ("female", "text")),
    # agreement: a participle detached before the cue, or apposed to the name
    ("Interrogée par nos soins, Sacha Lenoir a affirmé que le pont rouvrirait en juin.",
     "Sacha Lenoir", ("female", "text")),
    ("« Nous verrons », a répondu Sacha Lenoir, interrogée sur le calendrier.",
     "Sacha Lenoir", ("female", "text")),
    # a marked feminine form needs no determiner
    ("« Nous verrons », a déclaré Sacha Lenoir, directrice du centre.", "Sacha Lenoir",
     ("female", "text")),
])
def test_the_text_states_it(text, speaker, expected):
    assert gender_of(text, speaker) == expected


def test_a_first_name_is_a_weaker_labelled_source():
    assert gender_of("« Le pont rouvrira en juin », a déclaré Julien Roche.",
                     "Julien Roche") == ("male", "first_name")


def test_the_text_wins_over_the_first_name():
    # Jean is a man's name, but the article says "Mme"
    assert gender_of("« Rien n'est décidé », a déclaré Mme Jean Moreau.",
                     "Jean Moreau") == ("female", "text")


def test_a_masculine_form_alone_says_nothing():
    # "maire", like "professeur" or "auteur", is also written for women
    assert gender_of("« Nous verrons », a déclaré Sacha Lenoir, maire de la commune.",
                     "Sacha Lenoir") == ("unknown", None)


def test_an_adjective_of_a_complement_is_not_the_speaker_s():
    assert gender_of("« Nous verrons », a déclaré le maire de la ville voisine, Sacha Lenoir.",
                     "Sacha Lenoir") == ("male", "text")


def test_no_clue_no_gender():
    assert gender_of("« Le pont rouvrira en juin », a déclaré Kerrigan Ravel.",
                     "Kerrigan Ravel") == ("unknown", None)


def test_organisations_have_no_gender():
    doc = extract("La préfecture a fait savoir qu'elle examinerait le document.")
    (a,) = doc.attributions
    assert a.speaker.type == "organization"
    assert (a.speaker.gender, a.speaker.gender_source) == ("unknown", None)


def test_decide_ties_and_sources():
    from propos.gender import decide

    assert decide(["f", "f", "m"]) == ("female", "text")
    assert decide(["f", "m"], ["m"]) == ("unknown", None)  # the text disagrees with itself
    assert decide([], ["m"]) == ("male", "first_name")
    assert decide([], [""]) == ("unknown", None)


def test_the_directory_and_the_api_say_it(tmp_path):
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from propos.store.db import connect
    from propos.store.speakers import rebuild_directory
    from propos.store.writer import write_document
    from propos.web.app import create_app

    conn = connect(tmp_path / "g.db")
    for doc_id, text in (
            ("a", "« La piscine restera ouverte », a déclaré la maire, Dominique Lenoir."),
            ("b", "« Le pont rouvrira en juin », a affirmé Mme Ravel."),
            ("c", "« Nous ferons appel », a indiqué Julien Roche."),
            ("d", "La préfecture a fait savoir qu'elle examinerait le document.")):
        write_document(conn, replace(extract(text), id=doc_id))
    rebuild_directory(conn)
    conn.close()
    with TestClient(create_app(tmp_path / "g.db"), base_url="http://127.0.0.1") as client:
        rows = client.get("/api/speakers").json()["speakers"]
        assert {r["name"]: (r["gender"], r["gender_source"]) for r in rows} == {
            "Dominique Lenoir": ("female", "text"), "Mme Ravel": ("female", "text"),
            "Julien Roche": ("male", "first_name"), "préfecture": ("unknown", None)}
        organisations = client.get("/api/speakers", params={"type": "organization"}).json()
        assert [r["name"] for r in organisations["speakers"]] == ["préfecture"]


def test_a_feminine_article_on_the_role_beats_the_first_name_for_pronouns():
    """"Claude" is listed as a man's name; "la ministre" says otherwise, and "-elle" agrees."""
    text = ("Mme la ministre de la Culture, Claude Marin, a affirmé que le budget serait "
            "maintenu. « Nous tiendrons », a-t-elle ajouté.")
    assert [a.speaker.name for a in extract(text).attributions] == ["Claude Marin", "Claude Marin"]
    assert gender_of(text, "Claude Marin") == ("female", "text")
