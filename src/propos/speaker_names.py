"""How speaker names group into directory entries: the pure rules of the speaker directory.

Within an article the engine already resolves "Mme Kallas" and "-elle" to "Kaja Kallas".
Across articles the same person appears as "Kaja Kallas", "Mme Kallas" or "Kallas", and
two people can share a surname. The directory groups the distinct speaker names
(``names`` table) into entries (``speakers`` table) by these rules, in order:

1. Names equal once case, accents, spacing and honorifics (M., Mme, Dr…) are set aside are
   one entry: "Kaja Kallas" = "Mme Kaja Kallas" = "KAJA KALLAS".
2. Two full names (given name + surname) with different given names are never merged:
   "Kaja Kallas" and "Siim Kallas" stay apart.
3. A bare surname ("Kallas", "Mme Kallas", "M. Le Pen") joins a full name only when the
   corpus gives that surname to exactly ONE person: counting full names used as speakers AND
   full person names found by the NER in any article. A gender given by the honorific and
   a given name's usual gender must agree (so "Mme Dupont" can still pick "Marie Dupont"
   over "Pierre Dupont"), and an initial must match ("K. Kallas").
4. A bare surname with no full name in the corpus groups with the same surname, split by the
   honorific's gender ("M. Dupont" and "Mme Dupont" are two people); a genderless "Dupont"
   joins them only when a single gender is in use.
5. Institutions, media and anonymous sources group by their exact (folded) name.

The honorifics, surname particles and first names are language data: the union of every
language profile's ``directory_honorifics``, ``directory_particles`` and ``first_names.tsv``
(a directory mixes languages, so every list applies to every name).

The directory is a pure function of the set of names (:func:`cluster_names`), so it does not
depend on the order articles were ingested in; the store's
:func:`propos.store.speakers.rebuild_directory` recomputes it after each ingest run, and
Spark's directory job applies the same function.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from .text import fold_words

log = logging.getLogger(__name__)

_INITIAL = re.compile(r"^\w\.?(-\w\.?)?$")


@dataclass(frozen=True)
class PersonName:
    """A person's name taken apart: folded given names and surname, gender if any clue."""

    given: tuple[str, ...]
    surname: str
    gender: str          # 'm', 'f' or ''
    initials: bool       # the given names are initials only ("K. Kallas")

    @property
    def full(self) -> bool:
        return bool(self.given) and not self.initials

    @property
    def key(self) -> str:
        return " ".join(self.given + (self.surname,))


def _every_profile() -> list:
    """Every language's profile, the default language's first: a directory mixes languages,
    so its word lists are the union of all of them."""
    from .profile import DEFAULT_LANG, available_languages, load_profile

    return [load_profile(lang)
            for lang in sorted(available_languages(), key=lambda code: code != DEFAULT_LANG)]


@lru_cache(maxsize=1)
def honorifics() -> Mapping[str, str]:
    """Leading honorifics (M., Mme, Mr, Dr…), lower-case, with the gender they carry ('' when
    they carry none): every profile's ``directory_honorifics``."""
    words: dict[str, str] = {}
    for profile in _every_profile():
        for word, gender in profile.get("directory_honorifics", {}).items():
            words.setdefault(word.lower(), gender)
    return words


@lru_cache(maxsize=1)
def particles() -> frozenset[str]:
    """Lower-case words that start a surname ("de Gaulle", "von der Leyen", "Le Pen"), folded:
    every profile's ``directory_particles``."""
    return frozenset(fold_words(word) for profile in _every_profile()
                     for word in profile.get("directory_particles", ()))


@lru_cache(maxsize=1)
def default_first_names() -> Mapping[str, str]:
    """Usual gender of common first names, from every language's profile (the default
    language's list first), for rule 3."""
    try:
        names: dict[str, str] = {}
        for profile in _every_profile():
            for name, gender in profile.first_names.items():
                names.setdefault(fold_words(name), gender)
        return names
    except Exception:  # noqa: BLE001 - the directory works without this clue
        log.debug("no first-name data", exc_info=True)
        return {}


def _is_capitalised(token: str) -> bool:
    first = token.lstrip("'(\"")[:1]
    return first.isalpha() and first.isupper()


def parse_person(name: str, first_names: Mapping[str, str] | None = None) -> PersonName | None:
    """Split a person's name, or None when it does not look like a proper name."""
    first_names = default_first_names() if first_names is None else first_names
    tokens = name.replace("\u2019", "'").split()
    titles, particle_words = honorifics(), particles()
    gender = ""
    honorific = False
    while tokens and tokens[0].casefold() in titles:
        gender = titles[tokens[0].casefold()] or gender
        honorific = True
        tokens = tokens[1:]
    if not tokens or len(tokens) > 6 or any(ch.isdigit() for t in tokens for ch in t):
        return None
    if not _is_capitalised(tokens[-1]):
        return None
    starts_with_particle = fold_words(tokens[0]) in particle_words
    if len(tokens) == 1 or (starts_with_particle and (honorific or len(tokens) == 2
                                                      or not _is_capitalised(tokens[0]))):
        return PersonName((), fold_words(" ".join(tokens)), gender, False)
    if not all(_is_capitalised(t) or fold_words(t) in particle_words for t in tokens):
        return None
    given = [tokens[0]]
    index = 1
    while index < len(tokens) - 1 and (_given_name(tokens[index], first_names)
                                       or _INITIAL.match(tokens[index])):
        given.append(tokens[index])
        index += 1
    initials = all(_INITIAL.match(g) for g in given)
    if not gender and not initials:
        gender = first_names.get(fold_words(given[0]).split("-")[0], "")
    return PersonName(tuple(fold_words(g).rstrip(".") for g in given),
                      fold_words(" ".join(tokens[index:])), gender if gender in ("m", "f") else "",
                      initials)


def _given_name(token: str, first_names: Mapping[str, str]) -> bool:
    return all(part in first_names for part in fold_words(token).split("-") if part)


def directory_name(name: str, mention: str | None) -> str:
    """The name one attribution files in the directory: the engine's speaker name, plus the
    honorific of the mention when the name is a bare surname ("Garnier" mentioned as
    "Mme Garnier" is filed as "Mme Garnier"), so that rule 3 keeps the gender clue."""
    name = " ".join(name.split())
    if not mention or " " in name:
        return name
    words = mention.replace("\u2019", "'").split()
    for previous, word in zip(words, words[1:]):
        if fold_words(word.strip(",;:.")) == fold_words(name) and honorifics().get(previous.casefold()):
            return f"{previous} {name}"
    return name


def looks_like_full_name(text: str) -> bool:
    """A full person name (given name + surname), usable as evidence for rule 3."""
    if len(text) > 60:
        return False
    parsed = parse_person(text)
    return parsed is not None and parsed.full


@dataclass(frozen=True)
class NameStats:
    """One distinct name of the corpus: how often it speaks (by type) and how often the NER
    tags it as a person elsewhere."""

    id: int
    name: str
    types: tuple[tuple[str, int], ...] = ()
    n_entity: int = 0

    @property
    def n_attributions(self) -> int:
        return sum(n for _, n in self.types)

    @property
    def type(self) -> str:
        counts = Counter(dict(self.types))
        known = [(n, t) for t, n in counts.items() if t != "unknown" and n]
        return max(known)[1] if known else "unknown"


@dataclass(frozen=True)
class DirectoryEntry:
    key: str
    name: str
    type: str
    name_ids: tuple[int, ...] = field(default=())


def _compatible(mention: PersonName, gender: str, given: tuple[str, ...]) -> bool:
    if mention.gender and gender and mention.gender != gender:
        return False
    if mention.initials and mention.given:
        if len(mention.given) > len(given):
            return False
        return all(g.startswith(i[:1]) for i, g in zip(mention.given, given))
    return True


def cluster_names(stats: Iterable[NameStats],
                  first_names: Mapping[str, str] | None = None) -> list[DirectoryEntry]:
    """Group the corpus' speaker names into directory entries (rules in the module doc).

    Names with no attribution (NER-only) create no entry; they are evidence for rule 3.
    """
    first_names = default_first_names() if first_names is None else first_names
    speaking: list[tuple[NameStats, PersonName | None]] = []
    evidence: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = defaultdict(dict)
    evidence_names: dict[str, Counter[str]] = defaultdict(Counter)
    speaker_full: set[str] = set()
    for stat in stats:
        person = None
        if stat.n_attributions and stat.type in ("person", "unknown"):
            person = parse_person(stat.name, first_names)
        elif stat.n_entity and not stat.n_attributions:
            person = parse_person(stat.name, first_names)
            if person is None or not person.full:
                continue
        if person is not None and person.full:
            evidence[person.surname].setdefault(person.key, (person.gender, person.given))
            evidence_names[person.key][stat.name] += stat.n_entity or 1
            if stat.n_attributions:
                speaker_full.add(person.key)
        if stat.n_attributions:
            speaking.append((stat, person))

    keys: dict[int, str] = {}
    partial: dict[str, list[tuple[NameStats, PersonName]]] = defaultdict(list)
    for stat, person in speaking:
        if person is None:
            keys[stat.id] = "=" + fold_words(stat.name)
        elif person.full:
            keys[stat.id] = "p:" + person.key
        else:
            candidates = [key for key, (gender, given) in evidence[person.surname].items()
                          if _compatible(person, gender, given)]
            if len(candidates) == 1:
                keys[stat.id] = "p:" + candidates[0]
            elif candidates:  # several people bear this surname: keep it apart
                keys[stat.id] = "s:" + _partial_key(person)
            else:
                partial[person.surname].append((stat, person))
    for surname, group in partial.items():
        genders = {p.gender for _, p in group if p.gender}
        only = genders.pop() if len(genders) == 1 else ""
        for stat, person in group:
            gender = person.gender or only
            keys[stat.id] = "s:" + surname + (f"/{gender}" if gender else "")

    members: dict[str, list[NameStats]] = defaultdict(list)
    parsed = dict((stat.id, person) for stat, person in speaking)
    for stat, _ in speaking:
        members[keys[stat.id]].append(stat)
    entries = []
    for key, group in members.items():
        types: Counter[str] = Counter()
        for stat in group:
            types[stat.type] += stat.n_attributions
        known = [(n, t) for t, n in types.items() if t != "unknown"]
        entries.append(DirectoryEntry(
            key, _display_name(key, group, parsed, evidence_names),
            max(known)[1] if known else "unknown",
            tuple(sorted(stat.id for stat in group))))
    entries.sort(key=lambda e: e.key)
    return entries


def _partial_key(person: PersonName) -> str:
    key = person.surname
    if person.given:
        key += "/" + " ".join(person.given)
    return key + (f"/{person.gender}" if person.gender else "")


def _display_name(key: str, group: list[NameStats], parsed: Mapping[int, PersonName | None],
                  evidence_names: Mapping[str, Counter[str]]) -> str:
    def rank(stat: NameStats) -> tuple:
        person = parsed.get(stat.id)
        is_full = bool(person and person.full)
        return (not is_full, -stat.n_attributions, -len(stat.name), stat.name)

    best = min(group, key=rank)
    person = parsed.get(best.id)
    if key.startswith("p:") and not (person and person.full):
        seen = evidence_names.get(key[2:])
        if seen:  # only surnames speak; the NER saw the full name elsewhere
            return min(seen.items(), key=lambda item: (-item[1], item[0]))[0]
    return best.name



# name id → (gender, gender source, number of attributions) of its attributions
GenderVotes = Mapping[int, Iterable[tuple[str, str | None, int]]]


def entry_gender(entry: DirectoryEntry, names: Mapping[int, str], votes: GenderVotes,
                 first_names: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """A person entry's (gender, gender_source): what the texts say of it across its
    attributions (``votes``: name id → (gender, source, count)) and the honorifics of its
    names, both ``text``; failing that, first names (``first_name``: the articles' own,
    then the display name's). Other entries are ``unknown``."""
    from .gender import CLUE_OF, decide

    if entry.type != "person":
        return "unknown", None
    first_names = default_first_names() if first_names is None else first_names
    text: list[str] = []
    given: list[str] = []
    for name_id in entry.name_ids:
        for gender, source, count in votes.get(name_id, ()):
            target = text if source == "text" else given if source == "first_name" else None
            if target is not None and gender in CLUE_OF:
                target += [CLUE_OF[gender]] * count
        words = names.get(name_id, "").split()
        honorific = honorifics().get(words[0].casefold(), "") if len(words) > 1 else ""
        if honorific:
            text.append(honorific)
    if not given and len(entry.name.split()) > 1:
        given = [first_names.get(fold_words(entry.name.split()[0]).split("-")[0], "")]
    return decide(text, given)


def clean_name(name: str) -> str:
    """A speaker name with its runs of spaces made one."""
    return " ".join(name.split())
