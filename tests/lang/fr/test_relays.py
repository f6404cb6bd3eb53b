"""Relays: the speaker is whoever the sentence makes say the content; ``via`` is the other
party of the relay (whom the source cites, or who relays the speaker's words).

"Le Parisien, citant des sources policières, affirme que…" → speaker Le Parisien, via sources.
"Elle a promis de …, selon un communiqué de la mairie" → speaker her, via the mairie.
"""

from __future__ import annotations

import pytest

from helpers import expect, extract

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]


@pytest.mark.parametrize(
    "text, content, kind, speaker, via",
    [
        pytest.param(
            "Le Parisien, citant des sources policières, affirme que le suspect était connu "
            "des services de renseignement.",
            "le suspect était connu des services de renseignement", "indirect", "Le Parisien",
            "sources policières",
            id="citant-before-cue"),
        pytest.param(
            "L'AFP, citant un rapport confidentiel, a rapporté que douze sites seraient fermés.",
            "douze sites seraient fermés", "indirect", "AFP", "rapport confidentiel",
            id="citant-document"),
        pytest.param(
            "« Les négociations sont rompues », a affirmé Le Figaro, citant un diplomate "
            "européen.",
            "Les négociations sont rompues", "direct", "Le Figaro", "diplomate européen",
            id="citant-after-incise"),
    ],
)
def test_citant(text, content, kind, speaker, via):
    """<Medium>, citant <Y>, …: the medium speaks, via Y."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="media", kind=kind, via=via)


@pytest.mark.parametrize(
    "text, content, speaker, via",
    [
        pytest.param(
            "La maire, Léa Martin, a promis de rénover la piscine municipale, selon un "
            "communiqué de la mairie.",
            "rénover la piscine municipale", "Léa Martin", "mairie",
            id="promis-de-selon-communique"),
        pytest.param(
            "Le président du département, Jean Dufour, a assuré que les routes seraient "
            "dégagées avant lundi, selon un communiqué de la préfecture.",
            "les routes seraient dégagées avant lundi", "Jean Dufour", "préfecture",
            id="assure-que-selon-communique"),
    ],
)
def test_selon_communique_after_cue_with_other_subject(text, content, speaker, via):
    """A cue with its own subject, then "selon un communiqué de …": the subject speaks."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="indirect", via=via)


@pytest.mark.parametrize(
    "text, content, speaker, via",
    [
        pytest.param(
            "L'entreprise va fermer trois usines d'ici 2026, selon Le Monde, qui cite des "
            "documents internes.",
            "L'entreprise va fermer trois usines d'ici 2026", "Le Monde", "documents internes",
            id="selon-medium-qui-cite-end"),
        pytest.param(
            "Selon Reuters, qui cite trois sources proches du dossier, la fusion sera annoncée "
            "lundi.",
            "la fusion sera annoncée lundi", "Reuters", "sources proches du dossier",
            id="selon-medium-qui-cite-start"),
    ],
)
def test_selon_medium_qui_cite(text, content, speaker, via):
    """selon <Medium>, qui cite <Y>: the medium speaks, via Y."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="media", kind="indirect", via=via)


def test_no_via_without_relay():
    """A plain attribution has no via."""
    doc = extract("Le préfet, Jean-Luc Perrin, a déclaré que la route resterait fermée.")
    expect(doc, "la route resterait fermée", speaker="Jean-Luc Perrin", type="person",
           kind="indirect", via=None)
