"""Whether a source mention can name a speaker at all.

A wrong name is worse than an honest "unknown": a reader who sees "saigne encore parfois" or
"ce" as the speaker stops trusting every other line. A mention with no known head noun and no
name must at least look like a noun phrase: a noun, no verb, and not a bare pronoun, date or
time word.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from ..lexicon import calendar
from ..profile import LanguageProfile

_NOUNS = ("NOUN", "PROPN")
_VERBS = ("VERB", "AUX")


def can_name_speaker(tokens: list[Token], profile: LanguageProfile) -> bool:
    """Whether a mention without a lexicon head or a proper name can still be a speaker's
    description ("une habitante du quartier", "l'employé")."""
    time_words = profile.words("time_words") | calendar_words(profile.lang)
    nouns = [t for t in tokens if t.pos_ in _NOUNS and t.lower_ not in time_words]
    if not nouns:
        return False  # "ce", "celle", "certains", "saigne encore parfois"
    if any(t.pos_ in _VERBS and "Part" not in t.morph.get("VerbForm") for t in tokens):
        return False  # "L'objectif étant", "où il …": a clause, not a noun phrase
    if tokens[0].pos_ in ("ADP", "CCONJ", "SCONJ", "ADV"):
        return False  # "contre les fake news", "an ajoutant": a fragment cut from a clause
    return True


@lru_cache(maxsize=None)
def calendar_words(lang: str) -> frozenset[str]:
    """The month and weekday names of the language's ``dates.toml`` ("avril" speaks for no
    one)."""
    dates = calendar(lang)
    if dates is None:
        return frozenset()
    return frozenset(w.lower() for w in (*(n for names in dates.months for n in names),
                                         *dates.weekdays))
