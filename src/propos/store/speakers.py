"""The speaker directory: one entry per person or body quoted anywhere in the corpus.

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

The directory is a pure function of the set of names (:func:`cluster_names`), so it does not
depend on the order articles were ingested in; :func:`rebuild_directory` recomputes it after
each ingest run, keeping the ids of entries whose key did not change.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import fold_words
from .db import get_meta, set_meta, transaction

log = logging.getLogger(__name__)

# Leading honorifics, with the gender they carry ('' when they carry none).
HONORIFICS: dict[str, str] = {
    "m.": "m", "m": "m", "mr": "m", "mr.": "m", "monsieur": "m", "mgr": "m", "mgr.": "m",
    "sir": "m", "mme": "f", "mme.": "f", "madame": "f", "mlle": "f", "mlle.": "f",
    "mademoiselle": "f", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "lady": "f",
    "dr": "", "dr.": "", "pr": "", "pr.": "", "me": "", "me.": "", "maître": "", "maitre": "",
}
# Lower-case words that start a surname ("de Gaulle", "von der Leyen", "Le Pen").
PARTICLES = frozenset({
    "de", "du", "des", "d'", "la", "le", "les", "von", "van", "der", "den", "da", "di", "del",
    "della", "dos", "das", "ten", "ter", "zu", "al", "el", "bin", "ben", "ibn", "mac", "y",
})
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


@lru_cache(maxsize=1)
def default_first_names() -> Mapping[str, str]:
    """Usual gender of common first names, from every language's profile (a directory mixes
    languages; the default language's list first), for rule 3."""
    try:
        from ..profile import DEFAULT_LANG, available_languages, load_profile

        names: dict[str, str] = {}
        for lang in sorted(available_languages(), key=lambda code: code != DEFAULT_LANG):
            for name, gender in load_profile(lang).first_names.items():
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
    gender = ""
    honorific = False
    while tokens and tokens[0].casefold() in HONORIFICS:
        gender = HONORIFICS[tokens[0].casefold()] or gender
        honorific = True
        tokens = tokens[1:]
    if not tokens or len(tokens) > 6 or any(ch.isdigit() for t in tokens for ch in t):
        return None
    if not _is_capitalised(tokens[-1]):
        return None
    starts_with_particle = fold_words(tokens[0]) in PARTICLES
    if len(tokens) == 1 or (starts_with_particle and (honorific or len(tokens) == 2
                                                      or not _is_capitalised(tokens[0]))):
        return PersonName((), fold_words(" ".join(tokens)), gender, False)
    if not all(_is_capitalised(t) or fold_words(t) in PARTICLES for t in tokens):
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
        if fold_words(word.strip(",;:.")) == fold_words(name) and HONORIFICS.get(previous.casefold()):
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


# --------------------------------------------------------------------------- store side


def load_name_stats(conn: sqlite3.Connection) -> list[NameStats]:
    rows = conn.execute(
        "SELECT n.id, n.name, n.n_entity, a.speaker_type, COUNT(a.id) "
        "FROM names n LEFT JOIN attributions a ON a.name_id = n.id "
        "GROUP BY n.id, a.speaker_type ORDER BY n.id")
    by_id: dict[int, tuple[str, int, list[tuple[str, int]]]] = {}
    for name_id, name, n_entity, stype, count in rows:
        entry = by_id.setdefault(name_id, (name, n_entity, []))
        if stype is not None and count:
            entry[2].append((stype, count))
    return [NameStats(i, name, tuple(types), n_entity)
            for i, (name, n_entity, types) in by_id.items()]


def rebuild_directory(conn: sqlite3.Connection,
                      first_names: Mapping[str, str] | None = None) -> int:
    """Recompute the speakers table from the names; returns the number of entries."""
    stats = load_name_stats(conn)
    entries = cluster_names(stats, first_names)
    names = {stat.id: stat.name for stat in stats}
    votes = _gender_votes(conn)
    with transaction(conn):
        conn.execute("UPDATE names SET speaker_id = NULL WHERE speaker_id IS NOT NULL")
        assignments = []
        for entry in entries:
            gender, gender_source = entry_gender(entry, names, votes, first_names)
            speaker_id = conn.execute(
                "INSERT INTO speakers (key, name, type, gender, gender_source) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET name = excluded.name, "
                "type = excluded.type, gender = excluded.gender, "
                "gender_source = excluded.gender_source RETURNING id",
                (entry.key, entry.name, entry.type, gender, gender_source)).fetchone()[0]
            assignments.extend((speaker_id, name_id) for name_id in entry.name_ids)
        conn.executemany("UPDATE names SET speaker_id = ? WHERE id = ?", assignments)
        conn.execute("DELETE FROM speakers WHERE id NOT IN "
                     "(SELECT speaker_id FROM names WHERE speaker_id IS NOT NULL)")
        conn.execute(
            "WITH counts AS (SELECT n.speaker_id AS sid, COUNT(*) AS total, "
            "SUM(a.kind = 'direct') AS d, SUM(a.kind = 'indirect') AS i, "
            "SUM(a.kind = 'mixed') AS m, COUNT(DISTINCT a.article_id) AS arts "
            "FROM attributions a JOIN names n ON n.id = a.name_id "
            "WHERE n.speaker_id IS NOT NULL GROUP BY n.speaker_id) "
            "UPDATE speakers SET n_attributions = counts.total, n_direct = counts.d, "
            "n_indirect = counts.i, n_mixed = counts.m, n_articles = counts.arts "
            "FROM counts WHERE counts.sid = speakers.id")
        set_meta(conn, "directory_stale", "0")
    return len(entries)


# name id → (gender, gender source, number of attributions) of its attributions
GenderVotes = Mapping[int, Iterable[tuple[str, str | None, int]]]


def entry_gender(entry: DirectoryEntry, names: Mapping[int, str], votes: GenderVotes,
                 first_names: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """A person entry's (gender, gender_source): what the texts say of it across its
    attributions (``votes``: name id → (gender, source, count)) and the honorifics of its
    names, both ``text``; failing that, first names (``first_name``: the articles' own,
    then the display name's). Other entries are ``unknown``."""
    from ..gender import CLUE_OF, decide

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
        honorific = HONORIFICS.get(words[0].casefold(), "") if len(words) > 1 else ""
        if honorific:
            text.append(honorific)
    if not given and len(entry.name.split()) > 1:
        given = [first_names.get(fold_words(entry.name.split()[0]).split("-")[0], "")]
    return decide(text, given)


def _gender_votes(conn: sqlite3.Connection) -> dict[int, list[tuple[str, str | None, int]]]:
    votes: dict[int, list[tuple[str, str | None, int]]] = defaultdict(list)
    for name_id, gender, source, count in conn.execute(
            "SELECT name_id, speaker_gender, speaker_gender_source, COUNT(*) "
            "FROM attributions GROUP BY 1, 2, 3"):
        votes[name_id].append((gender, source, count))
    return votes


def ensure_directory(conn: sqlite3.Connection) -> None:
    """Rebuild the directory if articles were written since the last rebuild (for instance
    by an ingest that was killed before its end)."""
    if get_meta(conn, "directory_stale") == "1":
        rebuild_directory(conn)


@dataclass(frozen=True)
class SpeakerSummary:
    id: int
    name: str
    type: str
    n_attributions: int
    n_direct: int
    n_indirect: int
    n_mixed: int
    n_articles: int
    variants: tuple[str, ...]
    gender: str = "unknown"
    gender_source: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "type": self.type, "gender": self.gender,
                "gender_source": self.gender_source, "attributions": self.n_attributions,
                "direct": self.n_direct, "indirect": self.n_indirect, "mixed": self.n_mixed,
                "articles": self.n_articles, "first_seen": self.first_seen,
                "last_seen": self.last_seen, "variants": list(self.variants)}


SORTS = {"quotes": "quotes", "articles": "articles", "name": "s.name",
         "first_seen": "first_seen", "last_seen": "last_seen"}
SORT_DEFAULT_DESC = {"quotes": True, "articles": True, "name": False, "first_seen": False,
                     "last_seen": True}


@dataclass(frozen=True)
class SpeakerFilters:
    """What a directory listing asks for; empty strings mean "no filter". Counts and first
    and last seen are over the quotes that pass the article filters (outlet, lang, dates)."""

    type: str = ""
    gender: str = ""
    outlet: str = ""
    lang: str = ""
    since: str = ""
    until: str = ""
    sort: str = "quotes"
    descending: bool | None = None   # None: the sort's natural direction

    def problems(self) -> str | None:
        from ..model import GENDERS, SPEAKER_TYPES

        if self.type and self.type not in SPEAKER_TYPES:
            return f"unknown speaker type {self.type!r} (one of {', '.join(SPEAKER_TYPES)})"
        if self.gender and self.gender not in GENDERS:
            return f"unknown gender {self.gender!r} (one of {', '.join(GENDERS)})"
        if self.sort not in SORTS:
            return f"unknown sort {self.sort!r} (one of {', '.join(SORTS)})"
        return None


def list_speakers(conn: sqlite3.Connection, filters: SpeakerFilters = SpeakerFilters(), *,
                  limit: int = 20, offset: int = 0) -> tuple[int, list[SpeakerSummary]]:
    """(total, one page) of the directory, filtered and sorted. Speakers of type
    ``unknown`` (each language's placeholder for unattributed quotes, whatever its spelling)
    are not speakers and are left out unless asked for by type. Raises ValueError for an
    unusable filter or date."""
    from ..dates import parse_bound

    problem = filters.problems()
    if problem:
        raise ValueError(problem)
    where = ["s.type = ?" if filters.type else "s.type != 'unknown'"]
    args: list[object] = [filters.type] if filters.type else []
    for column, value in (("s.gender", filters.gender), ("ar.source", filters.outlet),
                          ("ar.lang", filters.lang)):
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    if filters.since:
        where.append("ar.date >= ?")
        args.append(parse_bound(filters.since))
    if filters.until:
        where.append("ar.date <= ?")
        args.append(parse_bound(filters.until) + "~")  # "2024-03" includes 2024-03-31
    descending = SORT_DEFAULT_DESC[filters.sort] if filters.descending is None \
        else filters.descending
    direction = "DESC" if descending else "ASC"
    order = f"{SORTS[filters.sort]} {direction}, quotes DESC, articles DESC, s.name"
    if not (filters.outlet or filters.lang or filters.since or filters.until) \
            and filters.sort in ("quotes", "articles", "name"):
        # Every quote counts: the directory's own counts, the dates for one page only.
        rows = conn.execute(
            "SELECT s.id, s.name, s.type, s.gender, s.gender_source, "
            "s.n_attributions AS quotes, s.n_direct AS direct, s.n_indirect AS indirect, "
            "s.n_mixed AS mixed, s.n_articles AS articles, NULL AS first_seen, "
            "NULL AS last_seen, COUNT(*) OVER () AS total FROM speakers s "
            f"WHERE {' AND '.join(where)} AND s.n_attributions > 0 "
            f"ORDER BY {order} LIMIT ? OFFSET ?",
            args + [max(0, limit), max(0, offset)]).fetchall()
        rows = [dict(row) for row in rows]
        for row in rows:
            row["first_seen"], row["last_seen"] = conn.execute(
                "SELECT MIN(ar.date), MAX(ar.date) FROM names n "
                "JOIN attributions a ON a.name_id = n.id "
                "JOIN articles ar ON ar.id = a.article_id WHERE n.speaker_id = ?",
                (row["id"],)).fetchone()
        return _summaries(conn, filters, rows, limit, offset)
    rows = conn.execute(
        "SELECT s.id, s.name, s.type, s.gender, s.gender_source, COUNT(*) AS quotes, "
        "SUM(a.kind = 'direct') AS direct, SUM(a.kind = 'indirect') AS indirect, "
        "SUM(a.kind = 'mixed') AS mixed, COUNT(DISTINCT a.article_id) AS articles, "
        "MIN(ar.date) AS first_seen, MAX(ar.date) AS last_seen, COUNT(*) OVER () AS total "
        "FROM attributions a JOIN names n ON n.id = a.name_id "
        "JOIN speakers s ON s.id = n.speaker_id JOIN articles ar ON ar.id = a.article_id "
        f"WHERE {' AND '.join(where)} GROUP BY s.id "
        f"ORDER BY {order} LIMIT ? OFFSET ?",
        args + [max(0, limit), max(0, offset)]).fetchall()
    return _summaries(conn, filters, rows, limit, offset)


def _summaries(conn: sqlite3.Connection, filters: SpeakerFilters, rows: list,
               limit: int, offset: int) -> tuple[int, list[SpeakerSummary]]:
    total = int(rows[0]["total"]) if rows else 0
    if not rows and offset:
        total = list_speakers(conn, filters, limit=1)[0]
    out = []
    for row in rows:
        variants = tuple(r[0] for r in conn.execute(
            "SELECT n.name FROM names n LEFT JOIN attributions a ON a.name_id = n.id "
            "WHERE n.speaker_id = ? GROUP BY n.id ORDER BY COUNT(a.id) DESC, n.name",
            (row["id"],)))
        out.append(SpeakerSummary(row["id"], row["name"], row["type"], row["quotes"],
                                  row["direct"], row["indirect"], row["mixed"],
                                  row["articles"], variants, row["gender"],
                                  row["gender_source"], row["first_seen"], row["last_seen"]))
    return total, out


def top_speakers(conn: sqlite3.Connection, top: int = 20) -> list[SpeakerSummary]:
    """The most quoted speakers, with counts by kind and the names they appear under."""
    return list_speakers(conn, limit=top)[1]


def find_speakers(conn: sqlite3.Connection, query: str) -> list[int]:
    """Directory entries a user's ``--speaker`` text designates.

    Generous on purpose (a filter, not an identification): an entry matches when the query's
    words (honorifics aside, case and accents ignored) occur in sequence in its name or in
    one of its variants, so "Kallas" finds every Kallas and "Kaja Kallas" only her.
    """
    words = fold_words(query).split()
    while words and words[0] in HONORIFICS:
        words = words[1:]
    if not words:
        return []
    needle = " " + " ".join(words) + " "
    found: set[int] = set()
    for speaker_id, name in conn.execute(
            "SELECT s.id, s.name FROM speakers s UNION ALL "
            "SELECT speaker_id, name FROM names WHERE speaker_id IS NOT NULL"):
        if speaker_id not in found and needle in " " + fold_words(name).replace("'", "' ") + " ":
            found.add(speaker_id)
    return sorted(found)


def format_speakers(rows: list[SpeakerSummary]) -> str:
    """A table of the most quoted speakers for people."""
    width = min(32, max([len("speaker")] + [len(r.name) for r in rows]))
    lines = [f"{'#':>3}  {'speaker':<{width}}  {'type':<12} {'gender':<8} {'quotes':>6} "
             f"{'direct':>6} {'indir.':>6} {'mixed':>5} {'articles':>8}  also written"]
    for rank, row in enumerate(rows, start=1):
        others = [v for v in row.variants if v != row.name]
        name = row.name if len(row.name) <= width else row.name[:width - 1] + "…"
        gender = row.gender if row.gender != "unknown" else "-"
        if row.gender_source == "first_name":
            gender += "*"
        lines.append(f"{rank:>3}  {name:<{width}}  {row.type:<12} {gender:<8} "
                     f"{row.n_attributions:>6} "
                     f"{row.n_direct:>6} {row.n_indirect:>6} {row.n_mixed:>5} "
                     f"{row.n_articles:>8}  {', '.join(others[:4])}".rstrip())
    if any(row.gender_source == "first_name" for row in rows):
        lines.append("  * gender from the first name only (the texts do not say)")
    return "\n".join(lines)
