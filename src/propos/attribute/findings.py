"""What the rules find: a :class:`Candidate` per attribution, before its speaker is resolved,
and the parse labels and marks every rule family reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span as TokenSpan

from ..quotes import Quote

_SUBJECT_DEPS = {"nsubj", "nsubj:pass", "expl:subj", "csubj"}
_CLAUSE_DEPS = {"ccomp", "xcomp", "obj", "advcl", "obl:arg", "parataxis", "dep", "acl", "conj"}
_CONTENT_TRIM = " \t\n,;:.–—-"
_DASHES = ("—", "–")  # dashes that open and close an incise
_WORD = re.compile(r"\w+")
_SENTENCE_ENDS = (".", "!", "?")


@dataclass
class Candidate:
    """An attribution before speaker resolution. Offsets index ``doc.text``."""

    kind: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    source: TokenSpan | None
    rule: str
    confidence: float
    via: TokenSpan | None = None
    follows: Candidate | None = None  # continuation: the attribution whose speaker is reused
    quotes: list[Quote] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.content[0]
