"""What a statement is about: persons and organisations named or designated in its content,
resolved within the article as speakers are, without the speaker."""

from __future__ import annotations

import pytest
from helpers import extract

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]


def about_of(text: str, content_start: str, lang: str = "fr") -> list[tuple[str, str]]:
    doc = extract(text, lang)
    found = [a for a in doc.attributions if a.content.text.startswith(content_start)]
    assert len(found) == 1, [(a.speaker.name, a.content.text) for a in doc.attributions]
    return [(r.name, r.type) for r in found[0].about]


def test_a_person_named_in_the_quote():
    assert about_of("« Claire Dumoutier a fait son travail », a déclaré Marc Olivier.",
                    "Claire Dumoutier") == [("Claire Dumoutier", "person")]


def test_a_surname_stands_for_the_fullest_name():
    text = ("La maire, Claire Dumoutier, a présenté le budget. "
            "« Dumoutier nous a trompés », a lancé Marc Olivier.")
    assert about_of(text, "Dumoutier nous") == [("Claire Dumoutier", "person")]


def test_a_role_the_article_gives_to_one_person():
    text = ("La ministre de l'Intérieur, Hélène Garnier, s'est rendue sur place. "
            "Le maire, Paul Roy, a estimé que la ministre « devrait venir plus souvent ».")
    assert about_of(text, "la ministre") == [("Hélène Garnier", "person")]


def test_a_pronoun_in_a_direct_quote_is_the_person_named_before():
    text = ("Hélène Garnier a quitté la réunion. "
            "« Elle nous a menti », a lancé Paul Roy.")
    assert about_of(text, "Elle nous") == [("Hélène Garnier", "person")]


def test_an_impersonal_il_is_nobody():
    text = "Marc Olivier est resté. « Il faut agir vite », a déclaré Paul Roy."
    assert about_of(text, "Il faut") == []


def test_the_speaker_is_not_what_they_speak_about():
    assert about_of("« Claire Dumoutier ne reculera pas », a déclaré Claire Dumoutier.",
                    "Claire Dumoutier ne") == []


def test_an_organisation():
    text = "Le syndicat a affirmé que la société Acme avait rompu ses promesses."
    names = about_of(text, "la société")
    assert names and all(t == "organization" for _, t in names)
    assert any("Acme" in n for n, _ in names)


def test_english_pronoun_and_name():
    text = ('Ms. Ellen Ward spoke first. "She has done a great job," said Tom Baker. '
            '"Tom Baker is wrong," said Robert Lane.')
    assert about_of(text, "She has", "en") == [("Ellen Ward", "person")]
    assert about_of(text, "Tom Baker is", "en") == [("Tom Baker", "person")]
