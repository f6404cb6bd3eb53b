"""spaCy components, registered with ``@Language.factory`` so any spaCy pipeline can use them.

``propos_sentences`` (before the parser) makes paragraphs hard sentence boundaries and keeps
quotations whole. ``propos_attributions`` (last) puts the attributions on
``doc._.attributions``::

    nlp = spacy.load("fr_core_news_md")
    nlp.add_pipe("propos_sentences", before="parser")
    nlp.add_pipe("propos_attributions")
    doc = nlp(text)
    doc._.attributions  # list[propos.Attribution]
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from .about import assign_about
from .attribute import find_attributions
from .gender import assign_genders
from .cuetype import CueTyper
from .profile import DEFAULT_LANG, LanguageProfile, load_profile
from .quotes import Quote, find_quotes
from .resolve import resolve_speakers
from .sentences import apply_hints, boundary_hints
from .tagger import AttributionTagger

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)
if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)
if not Doc.has_extension("sentence_hints"):  # computed before the parser, applied again after
    Doc.set_extension("sentence_hints", default=None)


class SentenceRules:
    """Paragraph breaks start sentences; a quotation is never cut in two (before the parser)."""

    def __init__(self, profile: LanguageProfile):
        self.profile = profile

    def __call__(self, doc: Doc) -> Doc:
        quotes = find_quotes(doc.text, self.profile)
        doc._.quotes = quotes
        doc._.sentence_hints = boundary_hints(doc, quotes)
        apply_hints(doc, doc._.sentence_hints)
        return doc


class AttributionFinder:
    """Finds and resolves the attributions (after the parser).

    With a trained tagger, the rules' findings become features of the tagger, whose spans
    are the attributions; otherwise the rules' findings are.
    """

    def __init__(self, profile: LanguageProfile, tagger: AttributionTagger | None = None):
        self.profile = profile
        self.tagger = tagger
        self.cue_typer = CueTyper(profile)

    def __call__(self, doc: Doc) -> Doc:
        quotes = self.quotes(doc)
        text = doc.text  # a property that joins every token: read once, for every stage
        with ud_labels(doc, self.profile):
            found = find_attributions(doc, quotes, self.profile, text)
            if self.tagger is not None:
                found = self.tagger.candidates(doc, quotes, found, text)
            resolved = resolve_speakers(doc, found, self.profile, text)
            types = self.cue_typer.types_of(doc, found, text)  # one attribution per candidate
            resolved = [replace(a, cue_type=t) for a, t in zip(resolved, types)]
            # Who is quoted is known now: their gender, then whom each statement is about.
            resolved = assign_genders(doc, resolved, self.profile)
            doc._.attributions = assign_about(doc, resolved, self.profile)
        return doc

    def quotes(self, doc: Doc) -> list[Quote]:
        """The doc's quotations, and the parser's cuts inside them undone."""
        if doc._.quotes is None:  # a pipeline without propos_sentences
            doc._.quotes = find_quotes(doc.text, self.profile)
            doc._.sentence_hints = None
        hints = doc._.sentence_hints
        apply_hints(doc, hints if hints is not None else boundary_hints(doc, doc._.quotes))
        return doc._.quotes


@contextmanager
def ud_labels(doc: Doc, profile: LanguageProfile) -> Iterator[None]:
    """The rules read Universal Dependencies labels; a model with another scheme has its
    labels renamed by the profile for the time of the block, then given back."""
    mapping = profile.get("dependencies", {})
    renamed = [(t, t.dep_) for t in doc if t.dep_ in mapping] if mapping else []
    for token, label in renamed:
        token.dep_ = mapping[label]
    try:
        yield
    finally:
        for token, label in renamed:
            token.dep_ = label


@Language.factory("propos_sentences", default_config={"lang": DEFAULT_LANG})
def make_sentence_component(nlp: Language, name: str, lang: str) -> SentenceRules:
    return SentenceRules(load_profile(lang))


@Language.factory("propos_attributions", default_config={"lang": DEFAULT_LANG, "use_tagger": True})
def make_attribution_component(nlp: Language, name: str, lang: str, use_tagger: bool
                               ) -> AttributionFinder:
    profile = load_profile(lang)
    path = profile.tagger_path if use_tagger else None  # the profile's ``tagger`` file
    return AttributionFinder(profile, AttributionTagger(profile, path) if path else None)
