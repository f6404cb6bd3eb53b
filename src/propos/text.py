"""Offset-preserving normalisation.

Real news comes with curly apostrophes, no-break and narrow no-break spaces before French
punctuation, carriage returns and stray control characters. The parser does better on a tidy
text, but every offset propos returns must point into the ORIGINAL text. So normalisation here
only ever replaces one character by one character: the normalised string has the same length as
the original, and an index into one is an index into the other.
"""

from __future__ import annotations

import re

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
