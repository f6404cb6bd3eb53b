"""What a cue says of its content: speech, belief, perception, stance or nominal.

PolNeAR counts beliefs ("believes"), perceptions and evidence ("a poll shows") and nominal
cues ("criticism of") as attributions, as the English tagger does; analysts need to tell
"said" from "believes" and "shows". The type comes from the language's lexicons (the
``type`` column of ``cues.tsv``, and ``cue_types.tsv`` for cue words only the tagger finds):
a noun heading the cue makes it nominal, an adjunct such as "according to" or "selon" is
speech, a verb in no lexicon gets the profile's ``default_cue_type``; a quotation signed
without a verb ("“…” — Ellen Ward") is speech, and only a content nothing cues or signs has
no type.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from .attribute import Candidate
from .model import CUE_TYPES
from .profile import LanguageProfile

DEFAULT_CUE_TYPE = "speech"
# Words of a cue group that say nothing of its type ("has said", "did not say", "to").
_FUNCTION_POS = frozenset({"AUX", "PART", "ADP", "DET", "PRON", "PUNCT", "SPACE", "SCONJ", "CCONJ"})


class CueTyper:
    """Gives each candidate the type of its cue (a continuation: of the one it continues)."""

    def __init__(self, profile: LanguageProfile):
        self.types = profile.cue_types
        self.verb_forms = frozenset(profile.forms)  # "claims" tagged as a noun is still a verb
        # "est convaincu que": the adjective's own type, not its verb's ("convaincre X de")
        self.adjective_types = {form: entry.type for form, entry in profile.adjective_cues.items()}
        self.adjuncts = tuple(w.lower() for key in ("according_to", "according_to_weak", "learned_from")
                              for w in profile.get(key, []))
        default = profile.get("default_cue_type", DEFAULT_CUE_TYPE)
        if default not in CUE_TYPES:
            raise ValueError(f"profile {profile.lang!r}: default_cue_type {default!r} is not one "
                             f"of {', '.join(CUE_TYPES)}")
        self.default = default

    def types_of(self, doc: Doc, candidates: Sequence[Candidate], text: str | None = None
                 ) -> list[str | None]:
        text = doc.text if text is None else text
        found: dict[int, str | None] = {}
        out = []
        for cand in candidates:
            if cand.cue is not None:
                kind = self.of_cue(doc, cand.cue, text)
            elif cand.follows is not None:
                kind = found.get(id(cand.follows)) or self._followed(doc, cand.follows, text)
            elif cand.source is not None:
                kind = "speech"  # a quotation signed without a verb ("“…” — Ellen Ward")
            else:
                kind = None
            found[id(cand)] = kind
            out.append(kind)
        return out

    def _followed(self, doc: Doc, cand: Candidate, text: str) -> str | None:
        while cand.cue is None and cand.follows is not None:
            cand = cand.follows
        return self.of_cue(doc, cand.cue, text) if cand.cue is not None else None

    def of_cue(self, doc: Doc, cue: tuple[int, int], text: str) -> str:
        """The type of the cue at character offsets ``cue``."""
        words = " ".join(text[cue[0]:cue[1]].lower().split())
        if any(words == a or words.startswith(a + " ") for a in self.adjuncts):
            return "speech"
        span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
        tokens = [t for t in span if t.pos_ not in _FUNCTION_POS] if span is not None else []
        if not tokens:
            return "speech"  # a colon, or only function words ("said:" split oddly)
        head = _head(tokens)
        if head.pos_ in ("NOUN", "PROPN") and head.lower_ not in self.verb_forms:
            return "nominal"
        for token in [head] + [t for t in tokens if t is not head]:
            kind = self.adjective_types.get(token.lower_) or self.types.get(token.lemma_.lower()) \
                or self.types.get(token.lower_)
            if kind is not None and kind != "nominal":  # a verb cue is never nominal
                return kind
        if any(t.pos_ == "NOUN" for t in tokens):
            return "nominal"  # a light verb with its noun: "voiced criticism of"
        return self.default


def _head(tokens: list[Token]) -> Token:
    """The token of the group whose head lies outside it (the first such, else the first)."""
    inside = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])


__all__ = ["CueTyper", "DEFAULT_CUE_TYPE"]
