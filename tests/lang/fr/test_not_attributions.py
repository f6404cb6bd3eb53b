"""Quotation marks that are NOT reported speech, and sentences with no speech at all.

Titles of papers and works, names, nicknames and scare quotes with no cue: no attribution.
"""

from __future__ import annotations

import pytest

from helpers import assert_no_attribution_on, assert_none, expect, extract

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Le journal « Le Courrier de l'Ouest » a changé de propriétaire.",
                     id="newspaper-title"),
        pytest.param("Le magazine “Terre et Mer” consacre sa une aux marées vertes.",
                     id="magazine-title-curly"),
        pytest.param("Son film « La Dernière Marée » sortira en salles le 4 mars.",
                     id="film-title"),
        pytest.param('Le roman "Les Jours tranquilles" a reçu le prix des lecteurs.',
                     id="novel-title-straight"),
        pytest.param("Le rapport, intitulé « Sortir de l'impasse », sera publié lundi.",
                     id="report-title-intitule"),
        pytest.param("L'opération « Ville propre » débutera lundi dans le centre historique.",
                     id="operation-name"),
        pytest.param("L'association « Vivre ensemble à Brest » organise une collecte samedi.",
                     id="association-name"),
        pytest.param("Le navigateur, surnommé « le Loup de mer », a bouclé son tour du monde en "
                     "74 jours.", id="nickname"),
        pytest.param("Le quartier dit « des Capucins » sera entièrement rénové d'ici 2028.",
                     id="dit-so-called"),
    ],
)
def test_titles_and_names(text):
    """Quoted titles and names are not attributions."""
    assert_none(extract(text))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Ce que la direction appelle une « réorganisation » se traduira par "
                     "40 suppressions de postes.", id="scare-quotes-appelle"),
        pytest.param("Le projet de « ville intelligente » divise les habitants du quartier.",
                     id="scare-quotes-noun"),
        pytest.param("La « trêve hivernale » prendra fin le 31 mars.", id="scare-quotes-term"),
    ],
)
def test_scare_quotes(text):
    """Scare quotes with no speech verb are not attributions."""
    assert_none(extract(text))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Le conseil municipal s'est réuni mardi soir à la mairie.",
                     id="local-news"),
        pytest.param("Les températures devraient baisser ce week-end sur la moitié nord du pays.",
                     id="weather"),
        pytest.param("Paul Garnier a été élu maire de Quimper en 2020 avec 54 % des voix.",
                     id="named-person-no-speech"),
        pytest.param("Le tribunal correctionnel de Rennes a condamné le prévenu à deux ans de "
                     "prison ferme.", id="court-ruling-no-speech"),
    ],
)
def test_no_speech(text):
    """Plain narration: no attribution."""
    assert_none(extract(text))


def test_title_inside_attributed_sentence_is_not_a_second_attribution():
    """A speaker talks about a film: the quote is speech, the film title is not."""
    doc = extract("« Ce film a changé ma vie », a déclaré l'actrice Léa Martin à propos de "
                  "« La Dernière Marée ».")
    expect(doc, "Ce film a changé ma vie", speaker="Léa Martin", type="person", kind="direct",
           cue="déclaré")
    assert_no_attribution_on(doc, ["La Dernière Marée"])
    assert len(doc.attributions) == 1


def test_pour_after_a_noun_is_no_according_to():
    doc = extract("Journaliste pour l'agence Line Press, c'est lui qui est à l'origine de la vidéo.")
    assert not doc.attributions, [a.content.text for a in doc.attributions]
