"""Robustness: unbalanced, nested and stray quotation marks; odd input.

Nothing here may crash, and a missing closing mark must never swallow the rest of the article:
a quote ends at its paragraph at the latest. Every output also passes the offset invariant
(checked inside ``helpers.extract``).
"""

from __future__ import annotations

import pytest

import propos
from helpers import (
    assert_within_paragraphs,
    describe,
    expect,
    extract,
    find,
    overlapping,
    speaker_ok,
)

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]


def test_unclosed_quote_does_not_swallow_next_paragraph():
    """Paragraph 1 never closes its «; paragraph 2's quote is still found, with its speaker."""
    text = ("Le maire, Paul Garnier, a réagi à la décision du tribunal : « Nous ferons appel "
            "dès lundi.\n"
            "De son côté, l'opposante Sophie Leroy a déclaré : « C'est une victoire pour les "
            "habitants », avant de quitter la salle.")
    doc = extract(text)
    assert_within_paragraphs(doc)
    expect(doc, "C'est une victoire pour les habitants", speaker="Sophie Leroy",
           type="person", kind="direct", cue="déclaré")
    paragraph_break = text.index("\n")
    for a in doc.attributions:
        assert not (a.content.start < paragraph_break < a.content.end), describe(doc)


def test_unclosed_quote_ends_at_its_paragraph():
    """A missing » in paragraph 1: nothing of paragraph 2 is in any quote."""
    text = ("La maire, Léa Martin, a déclaré : « Nous tiendrons bon face à l'État.\n"
            "Le conseil municipal se réunira lundi. Les habitants sont invités à la séance.")
    doc = extract(text)
    assert_within_paragraphs(doc)
    assert not any("conseil municipal" in a.content.text or "habitants" in a.content.text
                   for a in doc.attributions), describe(doc)


def test_unclosed_quote_ending_in_its_incise():
    """« …, a déclaré X, <role>. with no closing mark: what was said stops at the incise."""
    doc = extract("« Nous nous battrons jusqu'au bout, a déclaré Ann Lee, la dirigeante "
                  "syndicale.\nLe vote a lieu vendredi.")
    expect(doc, "Nous nous battrons jusqu'au bout", speaker="Ann Lee", type="person",
           kind="direct", cue="déclaré")


def test_stray_closing_mark_as_bullet():
    """» used as a bullet at a paragraph start is ignored; the real quote is found."""
    text = ("» Les horaires des bus changent lundi.\n"
            "« Nous avons prévenu tous les usagers », a indiqué la directrice du réseau, "
            "Anne Morel.")
    doc = extract(text)
    assert_within_paragraphs(doc)
    expect(doc, "Nous avons prévenu tous les usagers", speaker="Anne Morel", type="person",
           kind="direct", cue="indiqué")


def test_nested_quote_stays_inside_outer_quote():
    """« … “ … ” … »: one attribution, whose content keeps the inner marks."""
    text = "« Quand il m'a dit “on ferme”, je n'y ai pas cru », a raconté l'ouvrier Karim Benali."
    doc = extract(text)
    expect(doc, "Quand il m'a dit “on ferme”, je n'y ai pas cru", speaker="Karim Benali",
           type="person", kind="direct", cue="raconté")
    start = text.index("Quand")
    assert len(overlapping(doc, start, start + 10)) == 1, describe(doc)
    assert not any(a.content.text == "on ferme" for a in doc.attributions), (
        "speech inside a direct quote is not a separate attribution")


def test_quote_in_crlf_text():
    """Windows line endings: paragraphs still split, offsets still into the original."""
    text = ("« Nous tiendrons », a déclaré la maire, Léa Martin.\r\n"
            "« Rien n'est joué », a répondu le préfet, Jean-Luc Perrin.")
    doc = extract(text)
    assert_within_paragraphs(doc)
    expect(doc, "Nous tiendrons", speaker="Léa Martin", type="person", kind="direct")
    expect(doc, "Rien n'est joué", speaker="Jean-Luc Perrin", type="person", kind="direct")


def test_non_bmp_characters_keep_offsets():
    """Emoji inside a quote: offsets are still character offsets into the original."""
    doc = extract("« On a gagné 🎉 », a lancé le capitaine, Hugo Lemaire.")
    a = find(doc, "On a gagné")
    assert a.content.text == "On a gagné 🎉"
    assert speaker_ok(a, "Hugo Lemaire", "person"), a.speaker


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("«", id="lone-opener"),
        pytest.param("»", id="lone-closer"),
        pytest.param("« »", id="empty-guillemets"),
        pytest.param('""', id="empty-straight"),
        pytest.param("Le maire a déclaré : «", id="opener-at-end-of-text"),
        pytest.param("« « « Nous verrons », a dit Paul Garnier.", id="repeated-openers"),
        pytest.param('« Nous verrons ", a dit Paul Garnier.', id="mismatched-marks"),
        pytest.param("« Il m'a dit “on ferme demain, a raconté Karim Benali.",
                     id="nested-unbalanced"),
        pytest.param("« Il m'a dit “on ferme » demain ”, a raconté Karim Benali.",
                     id="crossed-nesting"),
        pytest.param('Le pivot mesure 6\'11" et pèse 110 kg, a précisé son club.',
                     id="inch-mark"),
        pytest.param("« Nous\u200b tiendrons\u00ad », a déclaré\u2028Léa Martin.",
                     id="invisible-and-separator-chars"),
        pytest.param("»\n»\n« « \n» « » «\n\n\n«", id="marks-only-paragraphs"),
        pytest.param('Il a dit "nous verrons.\nLe conseil votera lundi.\n"Peut-être',
                     id="straight-unbalanced-paragraphs"),
    ],
)
def test_unbalanced_marks_never_crash(text):
    """Unbalanced, stray, nested or crossed marks: no crash, valid offsets, no empty content."""
    doc = extract(text)
    for a in doc.attributions:
        if "\n" not in text[a.content.start:a.content.end]:
            continue
        # Only a quote re-opened at the next paragraph's start may cross a paragraph break.
        for line in text[a.content.start:a.content.end].split("\n")[1:]:
            assert line.lstrip()[:1] in "«“\"", describe(doc)


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \n\t\u00a0 "],
                         ids=["empty", "space", "newlines", "mixed-whitespace"])
def test_empty_or_whitespace_text_raises_value_error(text):
    with pytest.raises(ValueError):
        propos.extract(text, lang="fr")


def test_long_text_is_fine():
    """A long article (200 paragraphs) is processed and its last quote is found."""
    names = ["Paul Garnier", "Léa Martin", "Sophie Leroy", "Marc Aubert"]
    paragraphs = []
    for i in range(200):
        name = names[i % len(names)]
        paragraphs.append(f"« Le point numéro {i} est adopté », a déclaré {name}. Le conseil "
                          f"est ensuite passé au sujet suivant.")
    text = "\n".join(paragraphs)
    doc = extract(text)
    assert_within_paragraphs(doc)
    expect(doc, "Le point numéro 199 est adopté", speaker=names[199 % len(names)],
           type="person", kind="direct", cue="déclaré")
    assert len([a for a in doc.attributions if a.kind == "direct"]) >= 190


def test_kind_of_a_content_by_its_quotations():
    """One kind_of for the rules and the tagger: the rules allow one determiner outside the
    marks of a direct quote, the tagger nothing."""
    from propos.profile import load_profile
    from propos.quotes import find_quotes, kind_of

    text = "Il évoque un « moment de faiblesse » et la « crise »."
    quotes = find_quotes(text, load_profile("fr"))
    fragment = (text.index("un «"), text.index("»") + 1)
    assert kind_of(text, *fragment, quotes, frozenset({"un"})) == "direct"
    assert kind_of(text, *fragment, quotes) == "mixed"
    assert kind_of(text, 0, len(text), quotes) == "mixed"
    assert kind_of(text, 0, 8, quotes) == "indirect"
    assert kind_of(text, 0, 8, quotes, unquoted="direct") == "direct"
