"""English speakers: pronouns to the person named before, anonymous sources, relays,
organisations a person only qualifies, sources of participle cues."""

import pytest
from helpers import expect, extract


def test_pronoun_resolves_to_the_person_before():
    doc = extract("Ellen Ward arrived late. She said the council would vote again.", "en")
    expect(doc, "the council would vote again", speaker="Ellen Ward", type="person",
           kind="indirect", source="She")


def test_anonymous_officials():
    doc = extract("Officials said the plant would close next year.", "en")
    expect(doc, "the plant would close next year", speaker="Officials", type="anonymous",
           kind="indirect")


def test_person_familiar_with_the_matter():
    doc = extract("A person familiar with the matter said the talks had stalled.", "en")
    expect(doc, "the talks had stalled", speaker="person familiar with the matter",
           type="anonymous", kind="indirect")


@pytest.mark.parametrize("text, content, speaker, cue, via", [
    ("The Daily Courier, citing two officials, reported that the mayor would resign.",
     "the mayor would resign", "Daily Courier", "reported", "two officials"),
    # a relay after the content is not part of it
    ("The union vowed to fight the plan in court, per a union spokeswoman.",
     "to fight the plan in court", "union", "vowed", "a union spokeswoman"),
])
def test_relay(text, content, speaker, cue, via):
    doc = extract(text, "en")
    expect(doc, content, speaker=speaker, type="organization", kind="indirect", cue=cue, via=via)


def test_unknown_speaker_is_said_in_english():
    doc = extract('"Nobody here knows who wrote this letter or why it was sent."', "en")
    assert doc.attributions and doc.attributions[0].speaker.name == "unspecified source"


def test_source_keeps_its_closing_bracket():
    doc = extract("Sen. Bernie Sanders (I-Vt.) said the plan was dead on arrival.", "en")
    expect(doc, "the plan was dead on arrival", speaker="Bernie Sanders", type="person",
           kind="indirect", cue="said", source="Sen. Bernie Sanders (I-Vt.)")


def test_participle_cue_speaks_through_the_subject_of_its_verb():
    doc = extract("Rubio campaigned in Iowa on Sunday, offering more dire warnings about terrorism.",
                  "en")
    # where the cue ends ("offering" or "offering more dire warnings about") is the
    # tagger's call; whose words they are is the linking's
    [a] = [a for a in doc.attributions if a.cue is not None and "offering" in a.cue.text]
    assert a.content.text.endswith("terrorism") and a.kind == "indirect"
    assert a.speaker.name == "Rubio" and a.source is not None and a.source.text == "Rubio"


def test_subject_of_seem_is_not_its_source():
    # with "seem" the subject belongs to what is perceived, not to who perceives it
    doc = extract("Trump seems to be the classic New York City personality, but he has proved "
                  "popular in the Midwest.", "en")
    assert not any(a.source is not None and a.source.text == "Trump" for a in doc.attributions)


@pytest.mark.parametrize("text, speaker", [
    ("Clinton's campaign said the ads were misleading.", "Clinton's campaign"),
    ("The Trump administration said the rule would take effect in May.", "Trump administration"),
    ("Sen. Tom Baker's office said he would vote against the bill.", "Sen. Tom Baker's office"),
])
def test_organisation_a_person_only_qualifies(text, speaker):
    doc = extract(text, "en")
    [a] = doc.attributions
    assert (a.speaker.name, a.speaker.type) == (speaker, "organization")


def test_person_named_after_an_owned_role_is_the_speaker():
    doc = extract("Clinton's campaign manager, Robby Mook, said the ads were misleading.", "en")
    expect(doc, "the ads were misleading", speaker="Robby Mook", type="person", kind="indirect")


def test_speaker_after_a_dash():
    # the rules know a person by the English model's PERSON entities, not only French PER
    doc = extract("“We cannot afford this bridge.” — Ellen Ward, the mayor", "en")
    expect(doc, "We cannot afford this bridge.", speaker="Ellen Ward", type="person",
           kind="direct", cue=None, source="Ellen Ward, the mayor")


@pytest.mark.parametrize("text, speaker, stype", [
    ("The plan was criticised by the unions, who said it would cost jobs.", "unions",
     "organization"),
    ("The plan angered Ann Lee, a nurse, who said it would cost jobs.", "Ann Lee", "person"),
    # the clause hangs on "leader", not on the noun right before the pronoun
    ("The plan angered the leader of the union, who said it would cost jobs.", "leader",
     "anonymous"),
])
def test_relative_pronoun_speaks_for_its_antecedent(text, speaker, stype):
    doc = extract(text, "en")
    expect(doc, "it would cost jobs", speaker=speaker, type=stype, kind="indirect",
           cue="said", source="who")
