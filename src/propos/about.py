"""What a statement is about: the people and organisations its content mentions.

Each attribution's ``about`` lists, in order of first mention and without its own speaker,
the persons and organisations named or designated inside its content, resolved as speakers
are, within the article:

- a named entity (PER, ORG) in the content; a person's surname alone (tagged or not) stands
  for the fullest name the article gives it ("Dumoutier" → "Claire Dumoutier");
- a role with a definite determiner ("la ministre") that the article gives to one person
  ("la ministre Hélène Garnier", "Hélène Garnier, la ministre");
- in a direct quote, a third-person pronoun ("il", "elle"; the speaker says "je") stands for
  the most recent of the last few persons named before it (other than the speaker) whose
  gender agrees (as the article gives it, see :func:`propos.gender.person_gender`). An
  impersonal use ("il faut") is not a person: the profile lists the verbs
  (``impersonal_verbs``) and the parser's expletive label is honoured.

The words come from the language profile: ``pronouns``, ``determiners``, ``indefinite`` (in
``[settings]``), ``impersonal_verbs``, ``titles`` and the role heads of ``heads.tsv``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .gender import person_gender
from .model import ENTITY_LABEL_OF, Attribution, Referent
from .profile import LanguageProfile
from .text import fold_words

PRONOUN_GENDER = {"f": "female", "m": "male"}


class _Article:
    """The people of one article: full names, their genders, the roles given to them."""

    def __init__(self, doc: Any, attributions: list[Attribution], profile: LanguageProfile):
        self.doc = doc
        self.profile = profile
        self.titles = {k.lower().rstrip(".") for k in profile.get("titles", {})}
        self.roles_heads = {w for w, h in profile.heads.items() if h.type == "role"}
        self.determiners = profile.words("determiners")
        self.indefinite = frozenset(w.lower() for w in
                                    profile.get("settings", {}).get("indefinite", ()))
        self.genders: dict[str, str] = {}
        names: list[str] = []
        for a in attributions:
            if a.speaker.type == "person":
                names.append(a.speaker.name)
                if a.speaker.gender != "unknown":
                    self.genders.setdefault(a.speaker.name, a.speaker.gender)
        people = [e for e in doc.ents if ENTITY_LABEL_OF.get(e.label_) == "PER"]
        names += [self.clean(e.text) for e in people]
        self.full_names = sorted({n for n in names if n}, key=lambda n: -len(n.split()))
        # Persons by position of each mention: for pronouns, "the last person named before".
        self.mentions: list[tuple[int, str]] = sorted(
            [(e.start_char, self.fullest(self.clean(e.text))) for e in people]
            + [(a.source.start, a.speaker.name) for a in attributions
               if a.speaker.type == "person" and a.source is not None])
        self.roles = self._roles(attributions)

    def clean(self, text: str) -> str:
        """A name without its titles ("Mme Claire Dumoutier" → "Claire Dumoutier")."""
        words = [w for w in text.split() if w.lower().rstrip(".") not in self.titles]
        return " ".join(words)

    def fullest(self, name: str) -> str:
        """The longest name of the article ending with ``name`` ("Dumoutier")."""
        folded = fold_words(name)
        for full in self.full_names:
            candidate = fold_words(full)
            if candidate == folded or candidate.endswith(" " + folded):
                return full
        return name

    def without_determiner(self, span: Any) -> str:
        """"The Northfield Motors" → "Northfield Motors", as speakers are named."""
        tokens = list(span)
        while len(tokens) > 1 and tokens[0].text.lower() in self.determiners:
            tokens = tokens[1:]
        return self.doc.text[tokens[0].idx:span.end_char]

    def gender(self, name: str) -> str:
        if name not in self.genders:
            self.genders[name] = person_gender(self.doc, name, self.profile)
        return self.genders[name]

    def by_surname(self, token: Any) -> str | None:
        """The one full name of the article whose surname this capitalised word is (the
        model does not always tag a bare surname as a person)."""
        if not token.text[:1].isupper():
            return None
        folded = fold_words(token.text)
        names = {n for n in self.full_names
                 if len(n.split()) > 1 and fold_words(n.split()[-1]) == folded}
        return names.pop() if len(names) == 1 else None

    def _roles(self, attributions: list[Attribution]) -> dict[str, str]:
        """Role noun → the one person the article gives it to (apposed to a PER entity)."""
        found: dict[str, set[str]] = {}
        for ent in self.doc.ents:
            if ENTITY_LABEL_OF.get(ent.label_) != "PER":
                continue
            name = self.fullest(self.clean(ent.text))
            # "la ministre de l'Intérieur, Hélène Garnier" / "Hélène Garnier, la ministre"
            nearby = [t for t in reversed(self.doc[max(0, ent.start - 6):ent.start])]
            if ent.end < len(self.doc) and self.doc[ent.end].text == ",":
                nearby += list(self.doc[ent.end + 1:ent.end + 3])
            for token in nearby:
                if token.pos_ in ("VERB", "AUX") or (token.is_punct and token.text != ","):
                    break
                role = self.role_word(token)
                if role:
                    found.setdefault(role, set()).add(name)
                    break
        return {role: next(iter(names)) for role, names in found.items() if len(names) == 1}

    def role_word(self, token: Any) -> str:
        """The role noun (heads.tsv, type role) this token is, or ""."""
        for word in (token.text.lower(), token.lemma_.lower()):
            if word in self.roles_heads:
                return word
        return ""


def _referents(attribution: Attribution, article: _Article, profile: LanguageProfile
               ) -> tuple[Referent, ...]:
    doc = article.doc
    content = doc.char_span(attribution.content.start, attribution.content.end,
                            alignment_mode="contract")
    if content is None:
        return ()
    found: list[tuple[int, Referent]] = []
    in_entity: set[int] = set()
    for ent in content.ents:
        label = ENTITY_LABEL_OF.get(ent.label_)
        if label == "PER":
            found.append((ent.start, Referent(article.fullest(article.clean(ent.text)),
                                              "person")))
        elif label == "ORG":
            found.append((ent.start, Referent(article.without_determiner(ent), "organization")))
        in_entity.update(range(ent.start, ent.end))
    pronouns = {k.lower(): v for k, v in profile.get("pronouns", {}).items() if v in ("f", "m")}
    impersonal = profile.words("impersonal_verbs")
    for token in content:
        if token.i in in_entity:
            continue
        role = article.role_word(token)
        if role and token.i > 0:
            determiner = doc[token.i - 1].text.lower()
            if determiner in article.determiners and determiner not in article.indefinite \
                    and role in article.roles:
                found.append((token.i, Referent(article.roles[role], "person")))
            continue
        person = article.by_surname(token)
        if person:
            found.append((token.i, Referent(person, "person")))
            continue
        low = token.text.lower()
        if attribution.kind == "direct" and low in pronouns and not token.dep_.startswith(
                "expl") and token.head.lemma_.lower() not in impersonal:
            person = _antecedent(article, token.idx, PRONOUN_GENDER[pronouns[low]],
                                 attribution.speaker.name)
            if person:
                found.append((token.i, Referent(person, "person")))
    out: list[Referent] = []
    for _, referent in sorted(found, key=lambda item: item[0]):
        if referent.name and referent.name != attribution.speaker.name \
                and referent not in out:
            out.append(referent)
    return tuple(out)


MAX_ANTECEDENTS = 3


def _antecedent(article: _Article, position: int, gender: str, speaker: str) -> str | None:
    """The most recent person of that gender among the last few named before ``position``."""
    seen: list[str] = []
    for start, name in reversed(article.mentions):
        if start >= position or name == speaker or name in seen:
            continue
        if article.gender(name) == gender:
            return name
        seen.append(name)
        if len(seen) >= MAX_ANTECEDENTS:
            break
    return None


def assign_about(doc: Any, attributions: list[Attribution],
                 profile: LanguageProfile) -> list[Attribution]:
    """The attributions with ``about`` filled in (see the module docstring)."""
    if not attributions:
        return attributions
    article = _Article(doc, attributions, profile)
    return [replace(a, about=_referents(a, article, profile)) for a in attributions]
