"""Speakers that the article's flow implies, for quotes whose sentence names nobody.

News writing leaves the speaker out where the reader already knows it:

- a quote standing alone on its line (a headline, a subheading, a pull quote) repeats words
  that the body attributes: « La réforme est morte » over "…« la réforme est morte », a
  déclaré X" is X's;
- an interview-style paragraph of quotes goes on with the speaker of the quotes just before
  it; the next paragraph may go on too, as long as nobody else is given the floor;
- a quote that opens a paragraph may be claimed by the sentence right after it ("« … » Au bout
  du fil, Laure Roy est formelle"): the paragraph's next attribution names the speaker.

These passes run on resolved attributions, in text order, and only fill in quotes that have
no source and no speaker; they never overrule a speaker the sentence gave.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Attribution
from ..quotes import line_around, on_short_line
from ..text import contains_run, fold

# What a quote's words are compared on: letters and digits, case and accents folded.
_WORD = re.compile(r"\w+")
# A headline quote is matched when it has at least this many words, all found in order.
_MIN_HEADLINE_WORDS = 3
# How many paragraph breaks a continuation may cross: the paragraph of the last speaker's quote
# and the one after it.
_MAX_PARAGRAPHS_BACK = 1

_NO_SPEAKER_RULES = frozenset({"unattributed"})
_CUELESS_RULES = frozenset({"unattributed", "continuation", "next_sentence"})


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _alone_on_its_line(text: str, a: Attribution) -> bool:
    rest = line_around(text, a.content.start, a.content.end).replace(a.content.text, "", 1)
    return not _WORD.search(rest)


def _on_a_heading(text: str, a: Attribution) -> bool:
    """A quote that opens a short line with no sentence end: « Tremblement de terre » à la
    paroisse (shorter quotes, or ones with words after them, repeat only a quoted passage)."""
    before = text[text.rfind("\n", 0, a.content.start) + 1:a.content.start]
    return not _WORD.search(before) and on_short_line(text, a.content.start, a.content.end)


def _named(a: Attribution) -> bool:
    return a.speaker.type not in ("unknown",)


def fill_implied_speakers(attributions: list[Attribution], text: str) -> list[Attribution]:
    """The attributions, with quotes that have no speaker given the one the flow implies."""
    out = list(attributions)
    words = [_words(a.content.text) for a in out]
    for k, a in enumerate(out):
        if a.cue is None and a.rule in _CUELESS_RULES:
            # a heading that repeats a body quote is that quote's, whatever came before it
            repeated = _repeated_elsewhere(out, words, k, text)
            if repeated is not None:
                out[k] = replace(a, speaker=repeated[0], rule=repeated[1], confidence=max(a.confidence, 0.5))
                continue
        if a.rule not in _NO_SPEAKER_RULES or a.source is not None:
            continue
        implied = _continued(out, k, text) or _claimed_after(out, k, text)
        if implied is not None:
            speaker, rule = implied
            out[k] = replace(a, speaker=speaker, rule=rule, confidence=max(a.confidence, 0.5))
    return out


def _repeated_elsewhere(out, words, k, text):
    a = out[k]
    if not words[k]:
        return None
    if _alone_on_its_line(text, a):
        short = len(words[k]) < _MIN_HEADLINE_WORDS
    elif _on_a_heading(text, a):
        short = True
    else:
        return None
    for j, other in enumerate(out):
        if j != k and _named(other) and other.rule not in _CUELESS_RULES \
                and len(words[j]) >= len(words[k]) and contains_run(words[j], words[k]) \
                and not (short and other.kind == "indirect"):
            # a few words repeat only what was quoted, never a paraphrase
            return other.speaker, "headline"
    return None


def _continued(out, k, text):
    a = out[k]
    for j in range(k - 1, -1, -1):
        before = out[j]
        if before.content.end > a.content.start:
            continue
        if not _named(before):
            return None  # the floor went to someone the article does not name
        gap = text[before.content.end:a.content.start]
        if gap.count("\n") > _MAX_PARAGRAPHS_BACK:
            return None
        return before.speaker, "continuation"
    return None


def _claimed_after(out, k, text):
    """The paragraph's next attribution, when the quote opens its paragraph and nothing but
    narration stands between them."""
    a = out[k]
    line_start = text.rfind("\n", 0, a.content.start) + 1
    if _WORD.search(text[line_start:a.content.start]):
        return None
    for j in range(k + 1, len(out)):
        after = out[j]
        if after.content.start < a.content.end:
            continue
        if "\n" in text[a.content.end:after.content.start] or not _named(after) or after.source is None:
            return None
        if after.source.start > a.content.end and after.source.start - a.content.end < 200:
            return after.speaker, "next_sentence"
        return None
    return None
