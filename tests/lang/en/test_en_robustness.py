"""Odd marks in English never crash nor swallow the article; language chosen per document."""

import pytest
from helpers import assert_offsets, expect, extract

from propos.pipeline import choose_language
from propos.text import normalise


def test_inch_marks_and_apostrophes():
    text = "He said it was 5″ long and the plan's \"cost\" was fine. Don't worry, she added."
    doc = extract(text, "en")
    assert_offsets(doc, text)
    assert doc.attributions, "the marks must not hide the reported clause"
    assert all(len(a.content.text) < len(text) for a in doc.attributions)


def test_unclosed_quote_stays_in_its_paragraph():
    text = '"This never closes, said Tom Baker.\n\nThe council met on Monday and voted the budget.'
    doc = extract(text, "en")
    expect(doc, "This never closes", speaker="Tom Baker", type="person", kind="direct",
           cue="said")
    assert all("council met" not in a.content.text for a in doc.attributions)


def test_stray_wire_closer():
    doc = extract("It ends here'' and nobody said anything more about it.", "en")
    assert_offsets(doc)
    assert not doc.attributions  # the stray closer opens no quote, and nobody spoke


def test_language_detection():
    assert choose_language("The mayor said the bridge would reopen next week.", "auto") == "en"
    assert choose_language("La maire a déclaré que le pont rouvrirait la semaine prochaine.") == "fr"
    assert choose_language("anything", "en") == "en"


def test_unclosed_doubled_apostrophes_stay_in_their_paragraph():
    text = "''This never closes, said Tom Baker.\n\nThe council met on Monday and voted the budget."
    doc = extract(text, "en")
    assert_offsets(doc, text)
    expect(doc, "This never closes", speaker="Tom Baker", type="person", kind="direct",
           cue="said")
    assert all("council met" not in a.content.text for a in doc.attributions)


def test_doubled_apostrophes_inside_a_wire_quote_close_it():
    # ``…'' is one quote even though '' alone could also open one
    text = "``We will rebuild the bridge,'' Mayor Ellen Ward said. ''It will take a year.''"
    doc = extract(text, "en")
    assert_offsets(doc, text)
    assert [a.content.text for a in doc.attributions][:1] == ["We will rebuild the bridge"]


@pytest.mark.parametrize("text, quoted", [
    ("‘We will fight,’ he said.", ["We will fight,"]),
    # the apostrophe of a plural possessive does not close the quote
    ("‘The players’ union is strong,’ she said.", ["The players’ union is strong,"]),
    ("In the ‘90s, prices rose. It’s over, and the boys’ club knows it.", []),
    ("Rock‘n’roll never dies.", []),
    ("“He told me ‘never’,” she said.", ["He told me ‘never’,"]),
    ("‘We are not going anywhere’: Residents defy evacuation order", ["We are not going anywhere"]),
])
def test_single_quotation_marks(text, quoted):
    from propos.profile import load_profile
    from propos.quotes import find_quotes

    for version in (text, normalise(text)):  # the component sees ’ as '
        found = find_quotes(version, load_profile("en"))
        assert [text[q.content_start:q.content_end] for q in found] == quoted


def test_british_single_quotes_with_a_possessive_inside():
    doc = extract("‘We will fight to the end,’ said Ann Lee, the union leader. ‘The players’ "
                  "union is strong.’", "en")
    expect(doc, "We will fight to the end", speaker="Ann Lee", type="person", kind="direct",
           cue="said")
    expect(doc, "The players’ union is strong.", speaker="Ann Lee", type="person",
           kind="direct", cue=None)


@pytest.mark.parametrize("text, content", [
    # no closing mark, and the incise ends the paragraph: what was said stops at it
    ('"We will fight to the end, said Ann Lee, the union leader.\n\nThe vote is on Friday.',
     "We will fight to the end"),
    # words of hers after the incise: the whole paragraph stays her quote
    ('"We will fight, said Ann Lee, and we will win.\n\nThe vote is on Friday.',
     "We will fight, said Ann Lee, and we will win."),
])
def test_unclosed_quote_and_its_incise(text, content):
    doc = extract(text, "en")
    expect(doc, content, speaker="Ann Lee", type="person", kind="direct", cue="said")
