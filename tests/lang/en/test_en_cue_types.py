"""English cue types: the cue lexicon's, cue_types.tsv's (words only the tagger finds), the
profile's default (stance) for a verb in neither, nominal for a noun cue, speech for a
quotation signed after a dash (tests/test_cue_types.py: the store and the API)."""

from __future__ import annotations

import pytest
from helpers import extract, find

from propos.cuetype import CueTyper
from propos.pipeline import build_nlp
from propos.profile import load_profile


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
def test_a_quotation_signed_after_a_dash_is_speech():
    doc = extract("“We cannot afford this bridge.” — Ellen Ward, the mayor", "en")
    signed = find(doc, "We cannot afford this bridge.")
    assert signed.cue is None and signed.cue_type == "speech"


def _parse(profile, text):
    from propos.component import ud_labels

    nlp = build_nlp(profile, use_tagger=False)
    doc = nlp(text)
    with ud_labels(doc, profile):
        return doc
