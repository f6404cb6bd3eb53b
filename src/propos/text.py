"""Offset-preserving normalisation, and the one way words are folded for comparing.

Real news comes with curly apostrophes, no-break and narrow no-break spaces before French
punctuation, carriage returns and stray control characters. The parser does better on a tidy
text, but every offset propos returns must point into the ORIGINAL text. So normalisation here
only ever replaces one character by one character: the normalised string has the same length as
the original, and an index into one is an index into the other.

Folding (:func:`fold`, :func:`fold_words`, :func:`strip_accents`) is for comparing words,
never for text that offsets point into.
"""

from __future__ import annotations

import re
import unicodedata

# One character in, one character out.
_APOSTROPHES = "\u2019\u02bc\u2032\u00b4"  # ’ ʼ ′ ´  (apostrophes written as quotes or primes)
_SPACES = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000\t\x0b\x0c"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

_TABLE = {ord(c): "'" for c in _APOSTROPHES}
_TABLE.update({ord(c): " " for c in _SPACES + _INVISIBLE})
_TABLE[ord("\r")] = "\n"
_TABLE[ord("\u2028")] = "\n"
_TABLE[ord("\u2029")] = "\n"
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def normalise(text: str) -> str:
    """Return a tidied copy of ``text`` of exactly the same length."""
    return _CONTROL.sub(" ", text.translate(_TABLE))


def is_space(ch: str) -> bool:
    return ch.isspace() or ch in _SPACES


def strip_accents(text: str) -> str:
    """``text`` without combining marks ("Élisabeth" -> "Elisabeth"). NFKD, so ligatures and
    other compatibility forms ("ﬁ") read as their plain letters too."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Case- and accent-insensitive form, for comparing words: "Publié", "PUBLIE", "publie"."""
    if text.isascii():
        return text.lower()
    return strip_accents(text.casefold())


def fold_words(text: str) -> str:
    """:func:`fold`, with a curly apostrophe read as a straight one and any run of spaces as
    one space: for comparing names and phrases as written by different hands."""
    return " ".join(fold(text.replace("\u2019", "'")).split())


def contains_run(outer: list[str], inner: list[str]) -> bool:
    """Whether the words ``inner`` occur in ``outer`` as a run of consecutive words."""
    n = len(inner)
    return any(outer[i:i + n] == inner for i in range(len(outer) - n + 1))
