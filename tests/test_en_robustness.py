"""Odd marks in English never crash nor swallow the article; language chosen per document."""

from helpers import assert_offsets, extract

from propos.pipeline import choose_language


def test_inch_marks_and_apostrophes():
    text = "He said it was 5″ long and the plan's \"cost\" was fine. Don't worry, she added."
    doc = extract(text, "en")
    assert_offsets(doc, text)
    assert all(len(a.content.text) < len(text) for a in doc.attributions)


def test_unclosed_quote_stays_in_its_paragraph():
    text = '"This never closes, said Tom Baker.\n\nThe council met on Monday and voted the budget.'
    doc = extract(text, "en")
    assert all("council met" not in a.content.text for a in doc.attributions)


def test_stray_wire_closer():
    doc = extract("It ends here'' and nobody said anything more about it.", "en")
    assert_offsets(doc)


def test_language_detection():
    assert choose_language("The mayor said the bridge would reopen next week.", "auto") == "en"
    assert choose_language("La maire a déclaré que le pont rouvrirait la semaine prochaine.") == "fr"
    assert choose_language("anything", "en") == "en"


def test_unclosed_doubled_apostrophes_stay_in_their_paragraph():
    text = "''This never closes, said Tom Baker.\n\nThe council met on Monday and voted the budget."
    doc = extract(text, "en")
    assert_offsets(doc, text)
    assert all("council met" not in a.content.text for a in doc.attributions)


def test_doubled_apostrophes_inside_a_wire_quote_close_it():
    # ``…'' is one quote even though '' alone could also open one
    text = "``We will rebuild the bridge,'' Mayor Ellen Ward said. ''It will take a year.''"
    doc = extract(text, "en")
    assert_offsets(doc, text)
    assert [a.content.text for a in doc.attributions][:1] == ["We will rebuild the bridge"]
