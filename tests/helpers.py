"""Shared helpers for the behaviour tests of every language (tests/lang/<code>/ and the top).

Every test goes through :func:`extract`, which runs ``propos.extract`` and then checks the
invariants that must hold for ANY output (:func:`assert_offsets`): spans point into the
original text, contents are not empty, kinds and speaker types are known values.

Expectations are written with :func:`expect`, which finds the attribution whose content is
exactly the expected text and checks kind, speaker (name and type), cue, source and via.
Failure messages list every predicted attribution, so a failing case says what came out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import propos
from propos.model import KINDS, SPEAKER_TYPES, Attribution, Document, Span

# Sentinel: "do not check this field" (None means "must be None").
ANY = ...

_DETERMINERS = ("le ", "la ", "les ", "l'", "un ", "une ", "des ", "the ", "a ")
_TITLES = ("m. ", "mme ", "mlle ", "me ", "dr ", "pr ", "maître ", "monsieur ", "madame ",
           "mr. ", "mrs. ", "ms. ", "sen. ", "dr. ")


# --------------------------------------------------------------------------- running


def extract(text: str, lang: str = "fr") -> Document:
    """``propos.extract(text, lang=lang)`` plus the output invariants, for every test."""
    doc = propos.extract(text, lang=lang)
    assert isinstance(doc, Document)
    assert doc.lang == lang
    assert doc.text == text, "Document.text must be the original text"
    assert_offsets(doc, text)
    return doc


def assert_span(span: Span | None, text: str, what: str, allow_none: bool = True) -> None:
    if span is None:
        assert allow_none, f"{what} must not be None"
        return
    assert isinstance(span, Span), f"{what} is {type(span).__name__}, not Span"
    assert 0 <= span.start <= span.end <= len(text), (
        f"{what} offsets out of range: {span.start}..{span.end} (text length {len(text)})")
    assert text[span.start:span.end] == span.text, (
        f"{what} text {span.text!r} != original[{span.start}:{span.end}] "
        f"{text[span.start:span.end]!r}")


def assert_offsets(doc: Document, text: str | None = None) -> None:
    """The invariant of every output: each span's text is the original text at its offsets."""
    text = doc.text if text is None else text
    for a in doc.attributions:
        assert isinstance(a, Attribution), f"{a!r} is not an Attribution"
        assert a.kind in KINDS, f"unknown kind {a.kind!r}"
        assert a.speaker.type in SPEAKER_TYPES, f"unknown speaker type {a.speaker.type!r}"
        assert isinstance(a.speaker.name, str) and a.speaker.name.strip(), "empty speaker name"
        assert_span(a.content, text, "content", allow_none=False)
        assert a.content.text.strip(), f"empty content in {a!r}"
        assert a.content.text == a.content.text.strip(), (
            f"content has edge whitespace: {a.content.text!r}")
        assert_span(a.cue, text, "cue")
        assert_span(a.source, text, "source")
        assert_span(a.via, text, "via")
        assert 0.0 <= a.confidence <= 1.0, f"confidence {a.confidence} out of [0, 1]"


# --------------------------------------------------------------------------- describing


def describe(doc: Document, limit: int = 25) -> str:
    """The predicted attributions, one per line (at most ``limit``), for failure messages."""
    if not doc.attributions:
        return "  (no attributions)"
    lines = []
    shown = doc.attributions[:limit]
    for a in shown:
        lines.append(
            f"  - {a.kind:8} content={a.content.text!r} speaker={a.speaker.name!r} "
            f"({a.speaker.type}) cue={a.cue.text if a.cue else None!r} "
            f"source={a.source.text if a.source else None!r} "
            f"via={a.via.text if a.via else None!r} rule={a.rule!r}")
    if len(doc.attributions) > limit:
        lines.append(f"  … and {len(doc.attributions) - limit} more")
    return "\n".join(lines)


# --------------------------------------------------------------------------- names


def normalise_name(name: str) -> str:
    """Casefold, tidy spaces and apostrophes, drop a leading determiner and title."""
    s = unicodedata.normalize("NFC", name).replace("\u2019", "'").replace("\u00a0", " ")
    s = " ".join(s.split()).casefold()
    changed = True
    while changed:
        changed = False
        for prefix in _DETERMINERS + _TITLES:
            if s.startswith(prefix) and len(s) > len(prefix):
                s = s[len(prefix):].lstrip()
                changed = True
    return s


def same_name(expected: str, predicted: str) -> bool:
    """The predicted speaker is the expected one (determiners, titles and case aside)."""
    return normalise_name(expected) == normalise_name(predicted)


def name_has_words(predicted: str, words: str) -> bool:
    """Every word of ``words`` occurs in the predicted name (for anonymous descriptions)."""
    hay = normalise_name(predicted)
    return all(w.casefold() in hay for w in words.replace("'", " ").split())


def speaker_ok(a: Attribution, name: str, stype: str) -> bool:
    if a.speaker.type != stype:
        return False
    if stype == "anonymous":
        return name_has_words(a.speaker.name, name)
    return same_name(name, a.speaker.name)


# --------------------------------------------------------------------------- finding


def find(doc: Document, content: str) -> Attribution:
    """The attribution whose content contains ``content`` (exact match first, then shortest)."""
    hits = [a for a in doc.attributions if content in a.content.text]
    assert hits, f"no attribution with content containing {content!r}; got:\n{describe(doc)}"
    exact = [a for a in hits if a.content.text == content]
    if exact:
        return exact[0]
    return min(hits, key=lambda a: len(a.content.text))


def find_exact(doc: Document, content: str) -> Attribution:
    """The attribution whose content is exactly ``content``."""
    hits = [a for a in doc.attributions if a.content.text == content]
    assert hits, f"no attribution with content exactly {content!r}; got:\n{describe(doc)}"
    return hits[0]


def gender_of(text: str, speaker: str, lang: str = "fr") -> tuple[str, str | None]:
    """The one (gender, gender_source) the attributions of ``speaker`` in ``text`` carry."""
    doc = extract(text, lang)
    found = {(a.speaker.gender, a.speaker.gender_source) for a in doc.attributions
             if a.speaker.name == speaker}
    assert len(found) == 1, [(a.speaker, a.content.text) for a in doc.attributions]
    return found.pop()


def dates(text: str, lang: str = "fr", reference: str | None = None) -> list[tuple[str, str]]:
    """``(text, value)`` of the dates :func:`propos.mentions.find_dates` finds, offsets checked."""
    from propos.mentions import find_dates

    found = find_dates(text, lang, reference)
    for d in found:
        assert text[d.start:d.end] == d.text
    return [(d.text, d.value) for d in found]


def amounts(text: str, lang: str = "fr") -> list[tuple[str, float, str, bool]]:
    """``(text, value, unit, approx)`` of the amounts :func:`propos.mentions.find_amounts`
    finds, offsets checked."""
    from propos.mentions import find_amounts

    found = find_amounts(text, lang)
    for m in found:
        assert text[m.start:m.end] == m.text
    return [(m.text, m.value, m.unit, m.approx) for m in found]


def overlapping(doc: Document, start: int, end: int) -> list[Attribution]:
    """Attributions whose content overlaps ``[start, end)``."""
    return [a for a in doc.attributions if a.content.start < end and start < a.content.end]


def expect(
    doc: Document,
    content: str,
    *,
    speaker: str,
    type: str,
    kind: str,
    cue: str | None = ANY,
    source: str | None = ANY,
    via: str | None = ANY,
) -> Attribution:
    """Check the attribution whose content is exactly ``content``.

    ``speaker`` is compared with :func:`same_name`, or with :func:`name_has_words` when
    ``type`` is ``anonymous``. ``cue``, ``source`` and ``via`` are checked by containment
    (the cue text must CONTAIN the verb form given), ``None`` means "must be None", and
    ``ANY`` (the default) means "not checked".
    """
    a = find_exact(doc, content)
    where = f"for content {content!r}; all attributions:\n{describe(doc)}"
    assert a.kind == kind, f"kind {a.kind!r}, expected {kind!r} {where}"
    assert a.speaker.type == type, f"speaker type {a.speaker.type!r}, expected {type!r} {where}"
    assert speaker_ok(a, speaker, type), (
        f"speaker {a.speaker.name!r}, expected {speaker!r} {where}")
    _check_part(a.cue, cue, "cue", where)
    _check_part(a.source, source, "source", where)
    _check_part(a.via, via, "via", where)
    return a


def _check_part(span: Span | None, expected, what: str, where: str) -> None:
    if expected is ANY:
        return
    if expected is None:
        assert span is None, f"{what} should be None, got {span.text!r} {where}"
        return
    assert span is not None, f"{what} is None, expected one containing {expected!r} {where}"
    assert expected.casefold() in span.text.casefold(), (
        f"{what} {span.text!r} does not contain {expected!r} {where}")


def assert_none(doc: Document) -> None:
    assert not doc.attributions, f"expected no attributions, got:\n{describe(doc)}"


def assert_no_attribution_on(doc: Document, fragments: Iterable[str]) -> None:
    """No attribution's content is (or contains) any of these quoted fragments."""
    for fragment in fragments:
        hits = [a for a in doc.attributions if fragment in a.content.text]
        assert not hits, f"{fragment!r} should not be reported speech; got:\n{describe(doc)}"


def assert_within_paragraphs(doc: Document) -> None:
    """No attribution's content (or cue/source) crosses a paragraph break."""
    for a in doc.attributions:
        for what, span in (("content", a.content), ("cue", a.cue), ("source", a.source)):
            if span is not None:
                assert "\n" not in span.text, (
                    f"{what} crosses a paragraph break: {span.text!r}\n{describe(doc)}")
