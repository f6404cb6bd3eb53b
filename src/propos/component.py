"""spaCy components: register with ``@Language.factory`` so any spaCy pipeline can use them.

``propos_sentences`` (before the parser) makes paragraphs hard sentence boundaries and forbids
cutting a sentence inside a quotation. ``propos_attributions`` (last) puts the attributions on
``doc._.attributions``::

    nlp = spacy.load("fr_core_news_md")
    nlp.add_pipe("propos_sentences", before="parser")
    nlp.add_pipe("propos_attributions")
    doc = nlp(text)
    doc._.attributions  # list[propos.Attribution]
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .attribute import find_attributions
from .profile import LanguageProfile, load_profile
from .quotes import find_quotes
from .resolve import resolve_speakers

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)
if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


class SentenceRules:
    """Paragraph breaks start sentences; a quotation is never cut in two."""

    def __init__(self, profile: LanguageProfile):
        self.profile = profile

    def __call__(self, doc: Doc) -> Doc:
        quotes = find_quotes(doc.text, self.profile)
        doc._.quotes = quotes
        inside = bytearray(len(doc.text) + 1)
        for quote in quotes:
            # Inside the quote, its closing mark, and a comma or lower-case word right after it
            # ("», a-t-elle ajouté") all belong to the sentence the quote is in.
            end = quote.end
            rest = doc.text[end:end + 3].lstrip(" ")
            if rest[:1] in (",", ";", ":") or rest[:1].islower():
                end = end + (len(doc.text[end:end + 3]) - len(rest)) + 1
            inside[quote.open_end:end] = b"\x01" * (end - quote.open_end)
        # One bulk write: setting token.is_sent_start one by one costs O(n) each in spaCy.
        starts = numpy.zeros((len(doc), 1), dtype="int64")
        text = doc.text
        for token in doc[1:]:
            previous = doc[token.i - 1]
            gap = text[previous.idx + len(previous.text):token.idx]
            if "\n" in gap or "\n" in previous.text:
                starts[token.i, 0] = 1
            elif inside[token.idx] and not token.is_space:
                starts[token.i, 0] = -1
        doc.from_array([SENT_START], starts.view("uint64"))  # spaCy's own encoding of -1
        return doc


class AttributionFinder:
    def __init__(self, profile: LanguageProfile):
        self.profile = profile

    def __call__(self, doc: Doc) -> Doc:
        quotes = doc._.quotes if doc._.quotes is not None else find_quotes(doc.text, self.profile)
        found = find_attributions(doc, quotes, self.profile)
        doc._.attributions = resolve_speakers(doc, found, self.profile)
        return doc


@Language.factory("propos_sentences", default_config={"lang": "fr"})
def make_sentence_component(nlp: Language, name: str, lang: str) -> SentenceRules:
    return SentenceRules(load_profile(lang))


@Language.factory("propos_attributions", default_config={"lang": "fr"})
def make_attribution_component(nlp: Language, name: str, lang: str) -> AttributionFinder:
    return AttributionFinder(load_profile(lang))
