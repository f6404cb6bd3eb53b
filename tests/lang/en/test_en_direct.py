"""English direct quotes: curly and straight marks, `` '' wire marks, "X said" and "said X"
incises, a colon or comma introduction, continuation quotes."""

import pytest
from helpers import describe, expect, extract


def test_straight_quote_then_name_apposition_said():
    doc = extract('"We will not back down," Hugh Hill, a doctor, said on Monday.', "en")
    expect(doc, "We will not back down", speaker="Hugh Hill", type="person", kind="direct",
           cue="said", source="Hugh Hill, a doctor")


def test_curly_quote_said_then_title_and_name():
    doc = extract("“The bridge is safe,” said Mayor Ellen Ward.", "en")
    expect(doc, "The bridge is safe", speaker="Ellen Ward", type="person", kind="direct", cue="said")


def test_wire_marks():
    doc = extract("``The budget is a disaster,'' Sen. Tom Baker said.", "en")
    expect(doc, "The budget is a disaster", speaker="Tom Baker", type="person", kind="direct")


def test_doubled_apostrophe_marks():
    # the New York Times archive writes ''…'' for "…"
    doc = extract("''Some courses are adapting, others are just not,'' said Paul Chipok, a lawyer "
                  "in Orlando.", "en")
    expect(doc, "Some courses are adapting, others are just not", speaker="Paul Chipok",
           type="person", kind="direct", cue="said")


def test_doubled_apostrophe_quote_reopened_at_next_paragraph():
    doc = extract("''We won the vote,'' Ellen Ward said.\n\n''We will win again in the fall.\n\n"
                  "''The voters know us.''", "en")
    expect(doc, "We won the vote", speaker="Ellen Ward", type="person", kind="direct", cue="said")
    # the quote that runs over the next paragraphs continues it, with no cue and the same
    # speaker (the tagger may give its last paragraph as a piece of its own)
    [*_, last] = doc.attributions
    assert last.content.text.endswith("The voters know us.") and last.cue is None
    assert last.speaker.name == "Ellen Ward"


def test_colon_introduction():
    doc = extract('Ellen Ward spoke first. She wrote: "We have waited long enough for this decision."',
                  "en")
    expect(doc, "We have waited long enough for this decision.", speaker="Ellen Ward",
           type="person", kind="direct", cue="wrote", source="She")


@pytest.mark.parametrize("text", [
    'Ellen Ward said:\n"We cannot afford this bridge."',
    'The council met on Monday.\n\nEllen Ward said:\n\n“We cannot afford this bridge.”',
])
def test_colon_introduction_on_the_line_before(text):
    doc = extract(text, "en")
    expect(doc, "We cannot afford this bridge.", speaker="Ellen Ward", type="person",
           kind="direct", cue="said", source="Ellen Ward")


def test_comma_introduction():
    doc = extract('Mr. Trump said, "We will win big."', "en")
    expect(doc, "We will win big.", speaker="Trump", type="person", kind="direct", cue="said")


def test_continuation_quote_keeps_the_speaker():
    doc = extract('Tom Baker left the room. "We are ready," he said. "The team has trained all winter."',
                  "en")
    expect(doc, "We are ready", speaker="Tom Baker", type="person", kind="direct", cue="said")
    expect(doc, "The team has trained all winter.", speaker="Tom Baker", type="person",
           kind="direct", cue=None)


def test_continuation_after_the_rest_of_the_attribution_sentence():
    # "he told reporters." ends the sentence: the next quote is still his
    doc = extract('Rep. Daniel Ortiz was less enthusiastic. "It is a stopgap, nothing more," he '
                  'told reporters. "We will be back here in March."', "en")
    expect(doc, "It is a stopgap, nothing more", speaker="Daniel Ortiz", type="person",
           kind="direct", cue="told", source="he")
    expect(doc, "We will be back here in March.", speaker="Daniel Ortiz", type="person",
           kind="direct", cue=None)
    # his quote continued, not a quote of its own whose speaker the rules had to guess
    assert [a.rule for a in doc.attributions] == ["crf", "crf:continuation"]


def test_short_continuation_quote_in_the_same_paragraph():
    doc = extract('"If you stay, we cannot come get you," Lisa Grant said at a news conference. '
                  '"Please, leave now."', "en")
    expect(doc, "Please, leave now.", speaker="Lisa Grant", type="person", kind="direct",
           cue=None)


@pytest.mark.parametrize("text, source", [
    ('"It is a stopgap," Daniel Ortiz told reporters.', "Daniel Ortiz"),
    ('"It is a stopgap," he told reporters on Friday.', "he"),
    ('"It is a stopgap," said Daniel Ortiz.', "Daniel Ortiz"),
])
def test_rules_take_the_subject_not_the_addressee(text, source):
    from propos.pipeline import build_nlp
    from propos.profile import load_profile

    [a] = build_nlp(load_profile("en"), use_tagger=False)(text)._.attributions
    assert (a.content.text, a.source.text) == ("It is a stopgap", source)


def test_a_quoted_object_after_its_determiner_stays_the_object():
    """'Bemoaning the "phony system,"': the words before a lower-case quote are no subject."""
    doc = extract('Bemoaning the "phony system," Trump accused Holt of being a Democrat.', "en")
    assert not any(a.content.text.startswith("Bemoaning") for a in doc.attributions), describe(doc)
