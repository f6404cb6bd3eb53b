"""French cue types: what the cue lexicon says of each cue (speech, belief, perception), and
a continuation's, which is its attribution's (tests/test_cue_types.py: the store and the API)."""

from __future__ import annotations

import pytest
from helpers import extract, find


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
