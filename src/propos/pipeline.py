"""Load a language pipeline (spaCy model + propos components) and run it over texts.

This is the one place that turns raw text into :class:`propos.model.Document`:
normalise (same-length) → parse (spaCy, with propos' sentence rules) → attribute → resolve.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language

from .mentions import with_mentions
from .model import ENTITY_LABEL_OF, Document, Entity, Failure
from .profile import DEFAULT_LANG, LanguageProfile, load_profile
from .read import lone_surrogate
from .text import normalise

log = logging.getLogger(__name__)

# spaCy's own default; beyond it the parser's memory grows past what a batch should risk.
DEFAULT_MAX_CHARS = 1_000_000


class Pipeline:
    """A loaded language: its profile, its spaCy pipeline with the propos components."""

    def __init__(self, profile: LanguageProfile, nlp: Language, max_chars: int = DEFAULT_MAX_CHARS):
        self.profile = profile
        self.nlp = nlp
        self.max_chars = max_chars
        nlp.max_length = max(nlp.max_length, max_chars + 1)

    @property
    def lang(self) -> str:
        return self.profile.lang

    def check(self, doc_id: str, text: object) -> Failure | None:
        """Why this text cannot be processed, or None."""
        if not isinstance(text, str):
            return Failure(doc_id, f"text is {type(text).__name__}, not a string")
        if not text.strip():
            return Failure(doc_id, "empty document")
        if len(text) > self.max_chars:
            return Failure(doc_id, f"document too long: {len(text):,} characters "
                                   f"(limit {self.max_chars:,})")
        if "\x00" in text:
            return Failure(doc_id, "binary content (NUL bytes) in text")
        if problem := lone_surrogate(text):
            return Failure(doc_id, f"text is {problem}")
        return None

    def extract(self, text: str, doc_id: str = "", date: str | None = None) -> Document:
        """``date`` (ISO), the article's, resolves the relative dates it mentions."""
        failure = self.check(doc_id, text)
        if failure:
            raise ValueError(f"{doc_id or 'document'}: {failure.reason}")
        doc = self.nlp(self._prepare(text))
        return self._to_document(doc_id, text, doc, date)

    def extract_many(
        self, items: Iterable[tuple[str, str] | tuple[str, str, str | None]],
        batch_size: int = 16, n_process: int = 1,
    ) -> Iterator[Document | Failure]:
        """Extract from ``(id, text)`` pairs (or ``(id, text, date)``: the article's ISO date
        resolves relative dates), yielding one result per input, in input order.

        A document that fails yields a :class:`Failure`; the others are not affected.
        """
        pending: list[tuple[str, str, str | None]] = []
        for item in items:
            doc_id, text = item[0], item[1]
            failure = self.check(doc_id, text)
            if failure:
                yield from self._run(pending, batch_size, n_process)
                pending = []
                yield failure
                continue
            pending.append((doc_id, text, item[2] if len(item) > 2 else None))
            if len(pending) >= batch_size * max(1, n_process) * 4:
                yield from self._run(pending, batch_size, n_process)
                pending = []
        yield from self._run(pending, batch_size, n_process)

    def _run(self, batch: list[tuple[str, str, str | None]], batch_size: int, n_process: int
             ) -> Iterator[Document | Failure]:
        if not batch:
            return
        texts = (self._prepare(text) for _, text, _ in batch)
        try:
            docs = list(self.nlp.pipe(texts, batch_size=batch_size, n_process=n_process))
        except Exception:  # one bad document must not sink its batch: retry one by one
            log.debug("batch failed, retrying documents one by one", exc_info=True)
            for doc_id, text, date in batch:
                try:
                    yield self._to_document(doc_id, text, self.nlp(self._prepare(text)), date)
                except Exception as exc:  # noqa: BLE001 - reported, not hidden
                    log.debug("extraction failed for %s", doc_id, exc_info=True)
                    yield Failure(doc_id, f"extraction failed: {type(exc).__name__}: {exc}")
            return
        for (doc_id, text, date), doc in zip(batch, docs):
            yield self._to_document(doc_id, text, doc, date)

    @staticmethod
    def _prepare(text: str) -> str:
        return normalise(text)

    def _to_document(self, doc_id: str, original: str, doc, date: str | None = None
                     ) -> Document:
        attributions = tuple(
            a.within(original) for a in doc._.attributions
        )
        entities = tuple(
            Entity(ENTITY_LABEL_OF[ent.label_], ent.start_char, ent.end_char,
                   original[ent.start_char:ent.end_char])
            for ent in doc.ents if ent.label_ in ENTITY_LABEL_OF
        )
        return with_mentions(Document(doc_id, self.lang, original, attributions, entities), date)


def adapt_tokenizer(nlp: Language, profile: LanguageProfile) -> None:
    """Make the tokenizer robust to how news is really typed.

    - A quotation mark is always a token of its own, even glued between a word and a comma
      ("trahis»,a déclaré", "«Non»,dit-il"), and an elided word before an opening mark is
      cut off it ("qu'« aucune"): otherwise the reporting verb and its clause are lost in a
      token like ``trahis»,a``.
    - With ``split_hyphenated_words = false`` (French), a hyphen between letters no longer
      splits a compound ("centre-ville", "Hôtel-Dieu", "Dupont-Aignan"), as in the treebanks
      the models learnt from; inverted clitics ("a-t-il", "dit-elle") are suffixes and are
      still split off.
    """
    from spacy.attrs import ORTH
    from spacy.lang.char_classes import ALPHA, HYPHENS
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes or [])
    if not profile.get("split_hyphenated_words", True):
        hyphens = "(?:" + HYPHENS + ")"
        without = "(?:" + "|".join(h for h in HYPHENS.split("|") if h != "-") + ")"
        infixes = [p.replace(hyphens, without) if hyphens in p else p for p in infixes]
    # single characters only: the tokenizer already splits a two-character mark such as ''
    ambiguous = [m for m in profile.get("quote_ambiguous", []) if len(m) == 1]
    marks = {m for pair in profile.get("quote_pairs", []) for m in pair} | set(ambiguous)
    if marks:
        cls = "[" + "".join(re.escape(m) for m in sorted(marks)) + "]"
        openers = "[" + "".join(re.escape(p[0]) for p in profile.get("quote_pairs", [])) + \
            "".join(re.escape(m) for m in ambiguous) + "]"
        elision = "".join(re.escape(e) for e in profile.get("elision_marks", []))
        infixes.append(cls)
        infixes.append(r"(?<=" + cls + r")[,;:](?=[" + ALPHA + "])")
        if elision:
            infixes.append(r"(?<=[" + ALPHA + "][" + elision + r"])(?=" + openers + ")")
            # "qu'« aucune »": with a space after the mark, the suffix rules would otherwise
            # split "qu", "'", "«".
            elided = {w for key in ("complementisers", "determiners", "relative_pronouns")
                      for w in profile.get(key, []) if w[-1:] in profile.get("elision_marks", [])}
            for word in elided:
                for opener in [p[0] for p in profile.get("quote_pairs", [])] + ambiguous:
                    for form in {word, word[:1].upper() + word[1:]}:
                        nlp.tokenizer.add_special_case(form + opener, [{ORTH: form}, {ORTH: opener}])
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def build_nlp(profile: LanguageProfile, use_tagger: bool = True) -> Language:
    """The profile's spaCy model with the propos components added (``use_tagger=False``:
    rules only, even where the profile has a trained tagger)."""
    from . import component  # noqa: F401  registers the factories

    try:
        nlp = spacy.load(profile.model)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {profile.model!r} for language {profile.lang!r} is not installed; "
            f"install it with: pip install {profile.model_package}"
        ) from exc
    adapt_tokenizer(nlp, profile)
    nlp.add_pipe("propos_sentences", before="parser", config={"lang": profile.lang})
    nlp.add_pipe("propos_attributions", last=True,
                 config={"lang": profile.lang, "use_tagger": use_tagger})
    return nlp


AUTO = "auto"
FALLBACK_LANG = DEFAULT_LANG


def choose_language(text: str, requested: str | None = AUTO) -> str:
    """The language to extract ``text`` in: ``requested``, or when it is "auto" (or empty), the
    one detected from the text (offline, with the ingest detector); DEFAULT_LANG when undecidable."""
    if requested and requested != AUTO:
        return requested
    from .langdetect import UNDETERMINED, detect_language

    detected = detect_language(text) if isinstance(text, str) else UNDETERMINED
    return FALLBACK_LANG if detected == UNDETERMINED else detected


@lru_cache(maxsize=None)
def load(lang: str = DEFAULT_LANG) -> Pipeline:
    """The pipeline for ``lang``, loaded once per process."""
    profile = load_profile(lang)
    return Pipeline(profile, build_nlp(profile))
