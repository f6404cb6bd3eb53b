"""Which language an article is in, decided offline, per article.

lingua (``lingua-language-detector``) ships its n-gram models inside the wheel, so detection
needs no network and no model download. It is restricted to the languages a European news
corpus plausibly mixes: fewer candidates make it both faster and more accurate on short
texts, and an article in any of them that propos cannot extract yet is stored and marked,
not dropped (see :mod:`propos.ingest.runner`).
"""

from __future__ import annotations

import re
from functools import lru_cache

# ISO 639-1 codes the detector chooses between.
LANGUAGES: tuple[str, ...] = ("fr", "en", "de", "es", "it", "pt", "nl")
# The detector reads this much of an article: plenty to decide, and it bounds the cost.
SAMPLE_CHARS = 1000
# Code stored for an article whose language cannot be determined (numbers, a lone name).
UNDETERMINED = "und"
_THREE_LETTERS = re.compile(r"[^\W\d_](?:.*?[^\W\d_]){2}", re.DOTALL)


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language of ``text``, or ``"und"``."""
    sample = text[:SAMPLE_CHARS]
    if not _THREE_LETTERS.search(sample):
        return UNDETERMINED
    language = _detector().detect_language_of(sample)
    if language is None:
        return UNDETERMINED
    return language.iso_code_639_1.name.lower()
