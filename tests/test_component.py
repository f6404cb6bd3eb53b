"""The spaCy components, used in a plain spaCy pipeline:

    nlp = spacy.load("fr_core_news_md")
    nlp.add_pipe("propos_sentences", before="parser")
    nlp.add_pipe("propos_attributions")
    doc._.attributions  # list[propos.Attribution]
"""

from __future__ import annotations

import pytest
import spacy

import propos.component  # noqa: F401  registers the spaCy factories
from helpers import assert_span, describe, same_name
from propos import Attribution, Document

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("fr_core_news_md")
    nlp.add_pipe("propos_sentences", before="parser")
    nlp.add_pipe("propos_attributions")
    return nlp


def _check_offsets(doc) -> None:
    """The shared invariant, on a spaCy Doc: spans point into doc.text."""
    for a in doc._.attributions:
        assert isinstance(a, Attribution)
        assert_span(a.content, doc.text, "content", allow_none=False)
        assert_span(a.cue, doc.text, "cue")
        assert_span(a.source, doc.text, "source")
        assert_span(a.via, doc.text, "via")


def _as_document(doc) -> Document:
    return Document("", "fr", doc.text, tuple(doc._.attributions))


def test_attributions_extension_is_a_list_of_attributions(nlp):
    doc = nlp("« Nous tiendrons nos engagements », a déclaré la maire de Rennes, Léa Martin.")
    assert isinstance(doc._.attributions, list)
    assert doc._.attributions, "the quote must be found through the spaCy component"
    _check_offsets(doc)
    a = next(a for a in doc._.attributions if a.content.text == "Nous tiendrons nos engagements")
    assert a.kind == "direct"
    assert same_name("Léa Martin", a.speaker.name), describe(_as_document(doc))


def test_no_speech_gives_empty_list(nlp):
    doc = nlp("Le conseil municipal s'est réuni mardi soir à la mairie.")
    assert doc._.attributions == []


def test_newlines_are_sentence_boundaries(nlp):
    """A paragraph break starts a sentence, even without final punctuation."""
    text = ("Le conseil municipal s'est réuni mardi\n"
            "les élus ont voté le budget sans débat\n\n"
            "la séance a été levée peu avant minuit")
    doc = nlp(text)
    starts = {sent.start_char for sent in doc.sents}
    for marker in ("les élus", "la séance"):
        assert text.index(marker) in starts, f"no sentence starts at {marker!r}: {starts}"
    for sent in doc.sents:
        assert "\n" not in sent.text.strip(), f"sentence crosses a paragraph: {sent.text!r}"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("« Nous tiendrons. Nous ne céderons rien. Jamais ! », a déclaré la maire, "
                     "Léa Martin. Le conseil votera lundi.", id="guillemets"),
        pytest.param("Le sélectionneur, Didier Caron, a prévenu : “Le match est fini ? Non. "
                     "Il commence maintenant.” Ses joueurs ont applaudi.", id="curly"),
    ],
)
def test_no_sentence_boundary_inside_a_quote(nlp, text):
    """Sentences inside a quote are never cut apart from their quote."""
    doc = nlp(text)
    open_mark = min(i for i in (text.find("«"), text.find("“")) if i >= 0)
    close_mark = max(text.rfind("»"), text.rfind("”"))
    for sent in doc.sents:
        assert not (open_mark < sent.start_char < close_mark), (
            f"sentence starts inside the quote: {sent.text!r}")
    _check_offsets(doc)


def test_pipe_over_several_texts(nlp):
    """nlp.pipe works and each doc gets its own attributions."""
    texts = ["« Le dossier est complet », a assuré le préfet, Jean-Luc Perrin.",
             "Les températures devraient baisser ce week-end."]
    docs = list(nlp.pipe(texts))
    assert len(docs) == 2
    for doc in docs:
        assert isinstance(doc._.attributions, list)
        _check_offsets(doc)
    assert any(a.content.text == "Le dossier est complet" for a in docs[0]._.attributions)
    assert docs[1]._.attributions == []
