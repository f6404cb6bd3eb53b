"""A speaker's gender, only where the text states it, and a first name as a weaker clue.

Clues, read from the language profile (``lang/<code>/profile.toml``: ``titles``,
``pronouns``, ``feminine_determiners``, ``masculine_determiners``; ``heads.tsv``'s gender
column; ``first_names.tsv``):

- ``text``: a title before the name or in the mention (*Mme*, *M.*, *Mrs*); a gendered role
  or a role with a gendered determiner, in the mention or apposed to the name anywhere in the
  article (*la maire, Claire Dumoutier*; *Marc Olivier, le chef de file*); a pronoun mention
  resolved to the speaker (*a-t-elle ajouté*, *she said*); a feminine participle agreeing
  with the speaker in the cue or detached before it (*s'est dite*, *Interrogée, …*).
- ``first_name``: the usual gender of the first given name, used only when the text says
  nothing.

Anything else (how a name sounds, what a person does) is never used. Conflicting text clues
leave the gender ``unknown``. Only persons get a gender; every speaker gets ``gender``
(``female``, ``male``, ``unknown``) and ``gender_source`` (``text``, ``first_name``, None).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from .model import Attribution
from .profile import LanguageProfile
from .text import fold

GENDER_OF = {"f": "female", "m": "male"}
CLUE_OF = {"female": "f", "male": "m"}
# How a detached participle or adjective hangs on the name or the cue verb (UD labels).
DETACHED = ("acl", "advcl", "amod", "appos", "xcomp")


class GenderClues:
    """The profile's gender words, looked up by lower-cased token text."""

    def __init__(self, profile: LanguageProfile):
        self.titles = {k.lower(): v for k, v in profile.get("titles", {}).items() if v}
        # singular pronouns only ("ils" = "mp" says nothing of one speaker)
        self.pronouns = {k.lower(): v for k, v in profile.get("pronouns", {}).items()
                         if v in ("f", "m")}
        self.feminine = profile.words("feminine_determiners")
        self.masculine = profile.words("masculine_determiners")
        self.heads = {w: h for w, h in profile.heads.items() if h.type == "role"}
        self.first_names = {fold(k): v for k, v in profile.first_names.items()}

    def title(self, token: Any) -> str:
        low = token.text.lower()
        return self.titles.get(low) or self.titles.get(low.rstrip(".")) or ""

    def role(self, token: Any, determiner: Any | None) -> str:
        """The gender a role noun tells, by its determiner (*la maire*, *le maire*) or by its
        own feminine form (*l'adjointe*, *préfète*)."""
        head = self.heads.get(token.text.lower()) or self.heads.get(token.lemma_.lower())
        if head is None:
            return ""
        # The determiner first: "la maire" is a woman whatever the noun's usual gender.
        if determiner is not None:
            low = determiner.text.lower()
            if low in self.feminine:
                return "f"
            if low in self.masculine:
                return "m"
        # Alone, only a marked feminine form says it (préfète, directrice): a masculine form
        # is also used for women (maire, professeur, docteur, auteur).
        return "f" if head.gender == "f" else ""

    def mention(self, tokens: list[Any]) -> list[str]:
        """Clues inside a source mention (*-elle*, *Mme Garnier*, *la maire, X*)."""
        words = [t for t in tokens if not t.is_space]
        if len(words) <= 2:
            low = " ".join(t.text.lower().lstrip("-") for t in words)
            if low in self.pronouns:
                return [self.pronouns[low]]
        clues = [g for g in (self.title(t) for t in words) if g]
        for index, token in enumerate(words):
            role = self.role(token, words[index - 1] if index else None)
            if role:
                clues.append(role)
                break  # the mention's head; a complement's noun says nothing of the speaker
        return clues


def _feminine_agreement(token: Any) -> bool:
    morph = token.morph
    return ("Fem" in morph.get("Gender") and "Sing" in morph.get("Number")
            and (token.pos_ == "ADJ" or "Part" in morph.get("VerbForm")))


def _name_clues(doc: Any, name: str, clues: GenderClues) -> list[str]:
    """Titles and apposed roles next to each occurrence of the name's surname."""
    parts = name.split()
    if not parts:
        return []
    surname, given = parts[-1], parts[0] if len(parts) > 1 else None
    found = []
    for token in doc:
        if token.text != surname:
            continue
        start = token.i
        if given is not None and start >= 1 and doc[start - 1].text == given:
            start -= 1
        if start >= 1:
            title = clues.title(doc[start - 1])
            if title:
                found.append(title)
                continue
        # "la maire, Claire Dumoutier" / "la ministre Hélène Garnier"
        at = start - 1
        if at >= 0 and doc[at].text == ",":
            at -= 1
        if at >= 0:
            role = clues.role(doc[at], doc[at - 1] if at >= 1 else None)
            if role:
                found.append(role)
                continue
        # "Marc Olivier, le chef de file" / "Sacha Lenoir, directrice du centre"
        after = token.i + 1
        if after + 1 < len(doc) and doc[after].text == ",":
            role = clues.role(doc[after + 1], None)
            if not role and after + 2 < len(doc):
                role = clues.role(doc[after + 2], doc[after + 1])
            if role:
                found.append(role)
    return found


def _attribution_clues(doc: Any, attribution: Attribution, clues: GenderClues) -> list[str]:
    found: list[str] = []
    if attribution.source is not None:
        span = doc.char_span(attribution.source.start, attribution.source.end,
                             alignment_mode="expand")
        if span is not None:
            found += clues.mention(list(span))
            # "Sacha Lenoir, très attendue": agreeing with the name itself, not with a
            # complement's noun ("le maire de la ville voisine")
            if any(_feminine_agreement(t) and t.head.pos_ == "PROPN" and t.head.i in
                   {u.i for u in span} for t in span):
                found.append("f")
            # "…, a répondu Sacha Lenoir, interrogée sur le calendrier": apposed after it
            after = span.end
            if after + 1 < len(doc) and doc[after].text == "," \
                    and _feminine_agreement(doc[after + 1]):
                found.append("f")
    if attribution.cue is not None:
        cue = doc.char_span(attribution.cue.start, attribution.cue.end, alignment_mode="expand")
        if cue is not None:
            if any(_feminine_agreement(t) for t in cue):
                found.append("f")
            # "Interrogée, la maire a répondu…": a detached participle on the cue verb
            heads = {t.i for t in cue}
            for token in cue.sent:
                if token.head.i in heads and token.i not in heads \
                        and token.dep_ in DETACHED \
                        and token.i < cue.start and _feminine_agreement(token):
                    found.append("f")
                    break
    return found


def decide(text_clues: Iterable[str], first_name_clues: Iterable[str] = ()
           ) -> tuple[str, str | None]:
    """(gender, gender_source) from text clues ('f'/'m'), else first names' usual gender.
    The larger side wins; a tie says nothing, and first names are read only when the text
    says nothing at all."""
    for clues, source in ((text_clues, "text"), (first_name_clues, "first_name")):
        votes = Counter(c for c in clues if c in GENDER_OF)
        if votes:
            ranked = votes.most_common()
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                return GENDER_OF[ranked[0][0]], source
            return "unknown", None
    return "unknown", None


def first_name_gender(name: str, clues: GenderClues) -> str:
    parts = name.split()
    if len(parts) < 2:
        return ""
    given = fold(parts[0]).strip(".")
    return clues.first_names.get(given) or clues.first_names.get(given.split("-")[0], "")


def person_gender(doc: Any, name: str, profile: LanguageProfile) -> str:
    """The gender the article (or, failing it, the first name) gives a person it names
    without quoting them: ``female``, ``male`` or ``unknown``."""
    clues = GenderClues(profile)
    return decide(_name_clues(doc, name, clues), [first_name_gender(name, clues)])[0]


def assign_genders(doc: Any, attributions: list[Attribution],
                   profile: LanguageProfile) -> list[Attribution]:
    """The attributions with each person speaker's gender, from every clue the article
    gives about that speaker (all its mentions, and its name wherever it occurs)."""
    clues = GenderClues(profile)
    per_name: dict[str, list[str]] = defaultdict(list)
    for a in attributions:
        if a.speaker.type == "person":
            per_name[a.speaker.name] += _attribution_clues(doc, a, clues)
    decided: dict[str, tuple[str, str | None]] = {}
    for name, found in per_name.items():
        decided[name] = decide(found + _name_clues(doc, name, clues),
                               [first_name_gender(name, clues)])
    out = []
    for a in attributions:
        gender, source = decided.get(a.speaker.name, ("unknown", None)) \
            if a.speaker.type == "person" else ("unknown", None)
        out.append(replace(a, speaker=replace(a.speaker, gender=gender, gender_source=source)))
    return out
