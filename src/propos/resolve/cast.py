"""The article's cast: the roles it gives the people it names, and how a role finds its person.

A news article introduces a person once with a role ("la ministre de la Santé, Anne Vidal",
"Anne Vidal, ministre de la Santé", "la ministre Anne Vidal", "Anne Vidal est la présidente
de…") and then often names them by the role alone ("la ministre", "la locataire de
l'avenue de Ségur"). A role here is a :class:`Role`: its head noun and the content words of
its complements ("ministre" + {"sante"}); equivalent descriptions of one office ("chef du
gouvernement", "Premier ministre", "locataire de Matignon") share a ``canonical`` name, read
from ``lang/<code>/roles.toml``.

:func:`roles_of_name` finds the roles tied to a name by the parse and the punctuation;
:func:`match` scores how well a role mention fits a person's roles.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span as TokenSpan, Token

from ..model import entity_label
from ..profile import LanguageProfile, load_profile
from ..text import fold


@dataclass(frozen=True)
class Role:
    """A role description: "ministre de la Santé" → head "ministre", words {"sante"}."""

    head: str                  # the head noun's lemma, folded
    words: frozenset[str]      # folded content words of its modifiers and complements
    canonical: str = ""        # the office, when the description is one of an equivalence
    places: frozenset[str] = frozenset()  # the proper names among ``words`` ("lyon")


@dataclass(frozen=True)
class RoleData:
    """``roles.toml``: equivalent descriptions, and role nouns that name no office."""

    canonical_of: dict[str, str]   # folded description → canonical name
    generic: frozenset[str]        # "élu", "intéressé": the person in view, whoever they are
    generic_institutions: frozenset[str] = frozenset()  # "organisme": any organisation in view


def role_data(profile: LanguageProfile) -> RoleData:
    return _role_data(profile.lang)


@lru_cache(maxsize=None)
def _role_data(lang: str) -> RoleData:
    path = load_profile(lang).folder / "roles.toml"
    if not path.is_file():
        return RoleData({}, frozenset(), frozenset())
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    canonical_of: dict[str, str] = {}
    for group in data.get("equivalent", []):
        names = [" ".join(fold(n).split()) for n in group]
        for name in names:
            canonical_of[name] = names[0]
    return RoleData(canonical_of, frozenset(fold(w) for w in data.get("generic", [])),
                    frozenset(w.lower() for w in data.get("generic_institutions", [])))


def _content_word(token: Token) -> bool:
    return token.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and not token.is_punct


def describe(tokens: list[Token] | TokenSpan, profile: LanguageProfile) -> Role | None:
    """The role a noun phrase describes, if its head is a role noun of the lexicon."""
    tokens = [t for t in tokens if not t.is_space]
    head_at = next((k for k, t in enumerate(tokens) if t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB")
                    and _role_entry(t, profile)), None)
    if head_at is None:
        return None
    head = tokens[head_at]
    generic = profile.words("generic_adjectives")
    words = frozenset(fold(t.lemma_ or t.text) for k, t in enumerate(tokens)
                      if k != head_at and _content_word(t) and entity_label(t) != "PER"
                      and t.lower_ not in generic and (t.lemma_ or "").lower() not in generic)
    data = role_data(profile)
    canonical = _canonical(tokens, data)
    places = frozenset(fold(t.lemma_ or t.text) for k, t in enumerate(tokens)
                       if k > head_at and t.pos_ == "PROPN" and t.text[:1].isupper())
    return Role(fold(head.lemma_ or head.text), words, canonical, places & words)


def _role_entry(token: Token, profile: LanguageProfile):
    entry = profile.head_of(token)
    return entry if entry is not None and entry.type == "role" else None


def _canonical(tokens: list[Token], data: RoleData) -> str:
    """The office named by the longest stretch of the description that roles.toml lists."""
    words = [fold(t.text) for t in tokens]
    joined = [" ".join(words[i:j]).replace("' ", "'") for i in range(len(words))
              for j in range(len(words), i, -1)]
    for text in sorted(joined, key=len, reverse=True):
        if text in data.canonical_of:
            return data.canonical_of[text]
    return ""


def match(mention: Role, role: Role, data: RoleData) -> int:
    """How well a role mention fits one of a person's roles: 0 not at all, up to 5.

    The same office under two names fits best; the same head noun fits unless both name a
    complement and they differ ("le maire de Lyon" is not "le maire de Vierzon"); a different
    head sharing a complement ("le représentant du syndicat patronal" for "le patron du
    syndicat patronal") fits weakly; the same head with other complements, weakest of all
    (the caller takes it only from the one person given that head)."""
    if mention.places and role.places and not mention.places & role.places:
        return 0  # "le maire de Lyon" is not the maire de Vierzon
    if mention.canonical and mention.canonical == role.canonical:
        return 5
    if mention.head == role.head:
        if mention.words and role.words and not mention.words & role.words:
            if mention.canonical and mention.canonical != role.canonical:
                return 0  # "l'avocat général", an office of its own, is not "l'avocat des parties civiles"
            return 1  # "le présentateur de BFMTV" may be "présentateur de la tranche horaire"
        return 4 if mention.words & role.words or not mention.words else 3
    if mention.words and len(mention.words & role.words) >= min(2, len(mention.words)):
        return 2
    if mention.head in role.words:
        return 2  # "la jeune communiste" for the "co-responsable des Jeunes communistes"
    return 0


def roles_of_name(ent: TokenSpan, profile: LanguageProfile) -> list[Role]:
    """The roles tied to a name: by apposition in either order, directly before it, or by a
    copula ("X est la présidente de…")."""
    doc = ent.doc
    sent = ent.sent
    roles: list[Role] = []
    # "la ministre de la Santé, Anne Vidal" / "la ministre Anne Vidal": the role phrase ends
    # right before the name (a comma between them at most), and the name is no complement of
    # it ("le directeur de campagne de Marine Le Pen" gives Marine Le Pen no role).
    k = ent.start - 1
    if k >= sent.start and doc[k].text == ",":
        k -= 1
    if k >= sent.start and doc[ent.start - 1].lower_ not in profile.words("complement_preps"):
        phrase = phrase_ending_at(doc, k, sent.start)
        if phrase:
            role = describe(phrase, profile)
            if role is not None:
                roles.append(role)
    # "Anne Vidal, ministre de la Santé, a …": the appositions after the comma, one or more
    # ("Jeanne, étudiante, co-responsable des Jeunes communistes, …").
    at = ent.end
    while at < sent.end and doc[at].text == "," and len(roles) < 4:
        phrase = []
        for t in doc[at + 1:min(sent.end, at + 12)]:
            if t.text in (",", ";", ":", "(", ")") or t.pos_ in ("VERB", "AUX"):
                break
            phrase.append(t)
        role = describe(phrase, profile) if phrase and phrase[0].pos_ != "ADP" else None
        if role is None:
            break
        roles.append(role)
        at += 1 + len(phrase)
    # "Anne Vidal est la présidente de …"
    root = ent.root
    if root.dep_ in ("nsubj",) and any(c.dep_ == "cop" for c in root.head.children):
        predicate = root.head
        phrase = [t for t in predicate.subtree if t.i >= predicate.i - 2 and t.i < predicate.i + 8]
        role = describe(phrase, profile)
        if role is not None:
            roles.append(role)
    return roles


def phrase_ending_at(doc, k: int, floor: int) -> list[Token]:
    """The noun phrase whose last word is ``doc[k]``: back to its determiner, over adjectives,
    nouns and their de-complements, stopping at a verb, a comma or a quotation mark."""
    out: list[Token] = []
    j = k
    while j >= floor and j > k - 10:
        t = doc[j]
        if t.pos_ in ("VERB", "AUX", "PUNCT", "CCONJ", "SCONJ", "PRON") or entity_label(t) == "PER":
            break
        out.insert(0, t)
        if t.pos_ == "DET" and (j == floor or doc[j - 1].pos_ not in ("ADP",)):
            break
        j -= 1
    while out and out[0].pos_ == "ADP":
        out.pop(0)
    return out
