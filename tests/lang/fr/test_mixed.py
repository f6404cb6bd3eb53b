"""Mixed speech: a paraphrase carrying quoted fragments.

``content`` covers the whole paraphrase, fragments and their marks included; the fragments are
not separate direct attributions.
"""

from __future__ import annotations

import pytest

from helpers import expect, extract

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        pytest.param(
            "La conseillère d'opposition Sophie Leroy a jugé que le budget était « insincère "
            "et dangereux ».",
            "le budget était « insincère et dangereux »", "Sophie Leroy", "jugé",
            id="que-clause-final-fragment"),
        pytest.param(
            'Le sélectionneur, Didier Caron, a estimé que son équipe avait livré un match '
            '"presque parfait".',
            'son équipe avait livré un match "presque parfait"', "Didier Caron", "estimé",
            id="straight-quotes-fragment"),
        pytest.param(
            f"Le préfet, Jean-Luc Perrin, a affirmé que la situation était «{NBSP}sous "
            f"contrôle{NBSP}».",
            f"la situation était «{NBSP}sous contrôle{NBSP}»", "Jean-Luc Perrin", "affirmé",
            id="nbsp-fragment-marks-kept"),
        pytest.param(
            "Selon la procureure, Isabelle Nogaret, le prévenu a agi avec « une froideur "
            "glaçante ».",
            "le prévenu a agi avec « une froideur glaçante »", "Isabelle Nogaret", "Selon",
            id="selon-with-fragment"),
        pytest.param(
            "La réforme des retraites est « mal ficelée », a estimé le sénateur Alain Berthier.",
            "La réforme des retraites est « mal ficelée »", "Alain Berthier", "estimé",
            id="clause-with-fragment-then-incise"),
    ],
)
def test_one_fragment(text, content, speaker, cue):
    """A paraphrase with one quoted fragment is one mixed attribution."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="mixed", cue=cue)
    assert len(doc.attributions) == 1, "the fragment is not a separate attribution"


def test_fragment_at_start_of_clause_organization():
    """estime que les « … » … — fragment at the start, an organisation speaking."""
    doc = extract("La CFDT estime que les « prétendues économies » coûteront cher aux usagers.")
    expect(doc, "les « prétendues économies » coûteront cher aux usagers", speaker="CFDT",
           type="organization", kind="mixed", cue="estime")


def test_two_fragments():
    """Two quoted fragments in one paraphrase: ONE mixed attribution covering both."""
    text = ("Le délégué CGT, Marc Aubert, a affirmé que la direction menait une politique "
            "« brutale » et « méprisante » envers les salariés.")
    doc = extract(text)
    expect(doc, "la direction menait une politique « brutale » et « méprisante » envers les "
                "salariés",
           speaker="Marc Aubert", type="person", kind="mixed", cue="affirmé")
    assert len(doc.attributions) == 1
    for fragment in ("brutale", "méprisante"):
        assert not any(a.content.text == fragment for a in doc.attributions)


def test_two_fragments_curly_quotes():
    """Two curly-quoted fragments under one cue."""
    text = ("La ministre de la Culture, Sandrine Vial, a assuré que le festival resterait "
            "“gratuit” et “ouvert à tous”.")
    doc = extract(text)
    expect(doc, "le festival resterait “gratuit” et “ouvert à tous”", speaker="Sandrine Vial",
           type="person", kind="mixed", cue="assuré")


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        pytest.param(
            "L'avocat de la défense, Julien Carrel, a qualifié le réquisitoire de "
            "« disproportionné ».",
            "le réquisitoire de « disproportionné »", "Julien Carrel", "qualifié",
            id="qualifie-de-named"),
        pytest.param(
            "La maire, Léa Martin, a reçu les grévistes mardi. Elle a qualifié leurs "
            "revendications de « légitimes ».",
            "leurs revendications de « légitimes »", "Léa Martin", "qualifié",
            id="qualifie-de-pronoun"),
    ],
)
def test_qualifier_de(text, content, speaker, cue):
    """a qualifié X de « … » — mixed, content from the object to the closing mark."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="mixed", cue=cue)
    assert not any(a.kind == "direct" for a in doc.attributions), (
        "the qualifying fragment is part of the mixed attribution, not a direct quote")


def test_participial_clause_is_no_incise():
    doc = extract("Le grand maître José Gulino a déploré cette destitution, dénonçant un « retour » "
                  "de « l'obscurantisme ».")
    expect(doc, "un « retour » de « l'obscurantisme »", speaker="José Gulino", type="person",
           kind="mixed", cue="dénonçant")


@pytest.mark.parametrize("text, content, speaker", [
    pytest.param("Le maire s'est dit « très inquiet » de la situation.",
                 "« très inquiet » de la situation", "maire", id="quoted-adjective-then-complement"),
    pytest.param('La ministre a jugé "inacceptable" la décision du tribunal.',
                 '"inacceptable" la décision du tribunal', "ministre",
                 id="straight-quotes-before-the-object"),
])
def test_object_opening_with_a_quote_keeps_its_opening_mark(text, content, speaker):
    """The object starts with a quoted word: both marks are in the content, or neither."""
    expect(extract(text), content, speaker=speaker, type="anonymous", kind="mixed")


def test_the_addressee_before_a_quoted_object_is_not_what_was_said():
    doc = extract("Emmanuel Macron a promis aux agriculteurs un « plan de soutien massif ».")
    expect(doc, "plan de soutien massif", speaker="Emmanuel Macron", type="person", kind="direct",
           cue="promis")


@pytest.mark.parametrize("text, content, speaker, cue", [
    pytest.param("Le gouvernement «n'exclut rien», a indiqué son porte-parole.",
                 "Le gouvernement «n'exclut rien»", "porte-parole", "indiqué",
                 id="subject-then-quoted-predicate"),
    pytest.param("Il « regrette profondément », a déclaré son avocat.",
                 "Il « regrette profondément »", "avocat", "déclaré", id="pronoun-subject"),
])
def test_a_quote_opening_in_lower_case_goes_on_from_the_words_before_it(text, content, speaker,
                                                                          cue):
    expect(extract(text), content, speaker=speaker, type="anonymous", kind="mixed", cue=cue)


def test_a_clause_stops_before_what_the_speaker_did_next():
    doc = extract("Emmanuel Macron a estimé jeudi que la France devait « tenir bon », avant d'appeler "
                  "les Français à « l'unité ».")
    expect(doc, "la France devait « tenir bon »", speaker="Emmanuel Macron", type="person",
           kind="mixed", cue="estimé")
    expect(doc, "l'unité", speaker="Emmanuel Macron", type="person", kind="direct", cue="appeler")
