"""English indirect and mixed speech: "said (that)", "told reporters that", stance verbs,
"according to", "in a statement", quoted fragments inside a paraphrase."""

import pytest

from helpers import expect, extract


@pytest.mark.parametrize("text, content, speaker, stype, cue", [
    pytest.param("Tom Baker, the senator, said the budget would fail.", "the budget would fail",
                 "Tom Baker", "person", "said", id="said-no-that"),
    pytest.param("Ellen Ward told reporters that the roads would reopen on Friday.",
                 "the roads would reopen on Friday", "Ellen Ward", "person", "told",
                 id="told-reporters-that"),
    pytest.param("Police warned that the road would stay closed.", "the road would stay closed",
                 "Police", "organization", "warned", id="warned"),
    pytest.param("The company said in a statement that it would appeal the ruling.",
                 "it would appeal the ruling", "company", "organization", "said",
                 id="in-a-statement"),
    pytest.param("Sales were great, Ellen Ward said.", "Sales were great", "Ellen Ward", "person",
                 "said", id="x-said-after"),
])
def test_indirect(text, content, speaker, stype, cue):
    doc = extract(text, "en")
    expect(doc, content, speaker=speaker, type=stype, kind="indirect", cue=cue)


def test_according_to():
    doc = extract("According to Ellen Ward, the plant will close next year.", "en")
    expect(doc, "the plant will close next year", speaker="Ellen Ward", type="person",
           kind="indirect", cue="According to", source="Ellen Ward")


def test_according_to_over_a_whole_attribution_is_the_outer_speaker():
    # the officials say that Baker agreed; Baker's own attribution stays inside
    doc = extract("Tom Baker agreed not to run for the seat, according to two officials.", "en")
    expect(doc, "Tom Baker agreed not to run for the seat", speaker="two officials",
           type="anonymous", kind="indirect", cue="according to", source="two officials")
    expect(doc, "not to run for the seat", speaker="Tom Baker", type="person", kind="indirect",
           cue="agreed")


def test_mixed_fragment():
    doc = extract('Ellen Ward argued that the tax was "unfair and badly drafted."', "en")
    expect(doc, 'the tax was "unfair and badly drafted."', speaker="Ellen Ward", type="person",
           kind="mixed", cue="argued")


@pytest.mark.parametrize("text, content, speaker, stype, cue", [
    pytest.param("Most Republicans believe the economy is getting worse.",
                 "the economy is getting worse", "Most Republicans", "anonymous", "believe",
                 id="belief"),
    pytest.param("A new Gallup poll shows that Clinton leads Trump by four points.",
                 "Clinton leads Trump by four points", "Gallup", "organization", "shows",
                 id="poll-shows"),
    pytest.param("The governor wants to raise taxes on the wealthy.",
                 "to raise taxes on the wealthy", "governor", "anonymous", "wants",
                 id="intention"),
    pytest.param("Trump tweeted that the election was rigged.", "the election was rigged",
                 "Trump", "person", "tweeted", id="tweeted"),
    pytest.param("According to two people familiar with the matter, the company plans to cut "
                 "500 jobs.", "the company plans to cut 500 jobs",
                 "two people familiar with the matter", "anonymous", "According to",
                 id="anonymous-according-to"),
])
def test_stance_thought_and_intention(text, content, speaker, stype, cue):
    """PolNeAR counts beliefs, intentions and what polls show as attributions; so does the
    English tagger trained on it."""
    doc = extract(text, "en")
    expect(doc, content, speaker=speaker, type=stype, kind="indirect", cue=cue)


def test_apposition_is_in_the_source_not_its_commas():
    doc = extract("Ellen Ward, a doctor at the clinic, said the hospital had run out of beds. "
                  "She warned that the situation could get worse.", "en")
    expect(doc, "the hospital had run out of beds", speaker="Ellen Ward", type="person",
           kind="indirect", cue="said", source="Ellen Ward, a doctor at the clinic")
    expect(doc, "the situation could get worse", speaker="Ellen Ward", type="person",
           kind="indirect", cue="warned", source="She")
