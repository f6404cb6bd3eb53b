"""Language profiles: everything propos knows about a language, loaded from ``lang/<code>/``.

A profile is data, not code: the spaCy model to use, quotation-mark pairs, the cue lexicon
(reporting verbs and adjuncts), source heads (titles, roles, anonymous and media nouns) and
pronouns with their gender. Adding a language means adding a folder with these files.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CueEntry:
    """A reporting word: its lemma, what it takes, and how much it signals speech."""

    lemma: str
    pos: str                  # VERB, NOUN or ADP
    frames: frozenset[str]    # que, np, inf, quote, incise
    weight: float             # 1.0 pure speech verb … lower for stance/perception verbs
    type: str = "speech"      # speech, belief, perception, stance or nominal (model.CUE_TYPES)
    forms: frozenset[str] = frozenset()  # the inflected forms its row lists


@dataclass(frozen=True)
class HeadEntry:
    """A noun that can head a source mention (le ministre, la police, un porte-parole)."""

    word: str
    type: str                 # person, organization, media, anonymous
    gender: str               # m, f or '' (unknown / both)


@dataclass(frozen=True)
class LanguageProfile:
    lang: str
    model: str
    model_package: str
    settings: dict[str, Any]
    cues: dict[str, CueEntry]
    heads: dict[str, HeadEntry]
    first_names: dict[str, str] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)  # inflected form → cue lemma
    # lemma → cue type, of the cue lexicon and of cue_types.tsv (words only the tagger finds)
    cue_types: dict[str, str] = field(default_factory=dict)
    # the folder the profile was read from (None: the package's ``lang/<lang>``)
    path: Path | None = None
    _word_sets: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def cue(self, lemma: str) -> CueEntry | None:
        return self.cues.get(lemma.lower())

    @cached_property
    def adjective_cues(self) -> dict[str, CueEntry]:
        """Adjectives of belief said of the subject ("est persuadé que"), by each form their
        ``cues.tsv`` row lists: the rules and the cue typer look them up as written."""
        return {form: entry for entry in self.cues.values() if entry.pos == "ADJ"
                for form in (entry.lemma, *entry.forms)}

    def head_of(self, token: Any) -> HeadEntry | None:
        """The ``heads.tsv`` entry of a token (anything with ``lemma_`` and ``lower_``): by
        its lemma, else as written."""
        return self.heads.get(token.lemma_.lower()) or self.heads.get(token.lower_)

    def words(self, key: str) -> frozenset[str]:
        """A word list from profile.toml, lower-cased; built once per profile and key, since
        the rules and the resolver ask for theirs for every document."""
        cache = self._word_sets
        found = cache.get(key)
        if found is None:
            found = cache[key] = frozenset(w.lower() for w in self.settings.get(key, ()))
        return found

    def get(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default)

    @property
    def folder(self) -> Path:
        """Where the profile's files are (``src/propos/lang/<lang>``, or the folder
        :func:`load_profile_from` read)."""
        return self.path or Path(str(resources.files("propos") / "lang" / self.lang))

    @property
    def tagger_path(self) -> Path | None:
        """The trained attribution tagger's weights, when the profile names them
        (``tagger = "file"``) and the file is there."""
        name = self.settings.get("tagger")
        if not name:
            return None
        path = self.folder / name
        return path if path.is_file() else None


# Every key a profile.toml may set, with its type: a misspelt or unknown key, or a value of
# the wrong type, fails at load with the file and key named (a key the code never reads is
# a silent bug). What each key means is said where profile.toml sets it.
_TEXT, _FLAG, _WORDS, _TABLE = str, bool, list, dict
PROFILE_KEYS: dict[str, type] = {
    "lang": _TEXT, "model": _TEXT, "model_package": _TEXT, "tagger": _TEXT,
    "unknown_speaker": _TEXT, "own_outlet": _TEXT, "default_cue_type": _TEXT, "inverted_clitic_prefix": _TEXT,
    "present_participle_suffix": _TEXT,
    "split_hyphenated_words": _FLAG, "incise_subject_first": _FLAG, "complementiser_optional": _FLAG,
    "quote_pairs": _WORDS, "quote_ambiguous": _WORDS, "elision_marks": _WORDS,
    "according_to": _WORDS, "according_to_weak": _WORDS, "learned_from": _WORDS,
    "attribute_prepositions": _WORDS, "side_phrases": _WORDS, "colleague_nouns": _WORDS,
    "quote_pointers": _WORDS,
    "complementisers": _WORDS, "conjunction_que_heads": _WORDS, "light_verbs": _WORDS,
    "light_verb_objects": _WORDS, "light_verb_forms": _WORDS, "so_called": _WORDS,
    "relay_verbs": _WORDS, "relay_forms": _WORDS, "inverted_clitics": _WORDS, "reflexive": _WORDS,
    "preverbal_clitics": _WORDS, "auxiliaries": _WORDS, "sequence_infinitive_marks": _WORDS,
    "adverbial_infinitive_marks": _WORDS, "purpose_infinitive_marks": _WORDS,
    "carrier_verbs": _WORDS, "protest_verbs": _WORDS, "source_nouns": _WORDS,
    "according_relatives": _WORDS, "relative_pronouns": _WORDS, "subject_relatives": _WORDS,
    "impersonal_pronouns": _WORDS, "impersonal_verbs": _WORDS, "speaking_pronouns": _WORDS,
    "time_words": _WORDS, "mention_trailing": _WORDS, "determiners": _WORDS,
    "possessive_determiners": _WORDS, "coordinators": _WORDS, "connectors": _WORDS,
    "continuing_cues": _WORDS, "comparison_words": _WORDS, "neuter_clitics": _WORDS,
    "latest_mention_pronouns": _WORDS, "dative": _WORDS, "dative_bare": _WORDS,
    "feminine_determiners": _WORDS, "masculine_determiners": _WORDS, "plural_determiners": _WORDS,
    "of_words": _WORDS, "name_particles": _WORDS, "complement_preps": _WORDS,
    "generic_adjectives": _WORDS, "person_noun_suffixes": _WORDS, "first_person_possessives": _WORDS,
    "directory_particles": _WORDS, "participle_coordinators": _WORDS,
    "negative_conjunctions": _WORDS, "speaker_match_determiners": _WORDS, "speaker_match_titles": _WORDS,
    # for a language like German (docs/languages.md): every noun capitalised, so a capital is no
    # name cue; separable verb particles ("teilte … mit"), by their dependency label; adjuncts
    # after their noun phrase ("X zufolge"); the moods that go on reporting without a cue
    # (Konjunktiv I). The last two are read and validated, not yet used by the rules.
    "capitalised_nouns": _FLAG, "separable_particle_deps": _WORDS,
    "postposed_according_to": _WORDS, "reported_speech_moods": _WORDS,
    "pronouns": _TABLE, "titles": _TABLE, "settings": _TABLE, "media": _TABLE,
    "inflection": _TABLE, "dependencies": _TABLE, "directory_honorifics": _TABLE,
}
# Tables of word → gender: each value is "m", "f" or "" (none).
_GENDER_TABLES = ("directory_honorifics",)
# unknown_speaker: a language without its placeholder would name unknown speakers in French
_REQUIRED_KEYS = ("lang", "model", "model_package", "unknown_speaker")


class ProfileError(ValueError):
    """A profile.toml with an unknown key, a missing one or a value of the wrong type."""


def validate_settings(settings: dict[str, Any], path: str) -> None:
    """Fail on the first key of ``settings`` that :data:`PROFILE_KEYS` does not list, on a
    value of the wrong type, and on a missing required key; the error names file and key."""
    for key, value in settings.items():
        expected = PROFILE_KEYS.get(key)
        if expected is None:
            raise ProfileError(f"{path}: unknown key {key!r} (known keys: see propos.profile.PROFILE_KEYS)")
        if not isinstance(value, expected):
            raise ProfileError(f"{path}: {key!r} must be a {expected.__name__}, not "
                               f"{type(value).__name__}")
        if expected is list and key != "quote_pairs" and not all(isinstance(w, str) for w in value):
            raise ProfileError(f"{path}: {key!r} must be a list of words")
        if key in _GENDER_TABLES and not all(v in ("m", "f", "") for v in value.values()):
            raise ProfileError(f"{path}: {key!r} must map words to \"m\", \"f\" or \"\"")
        misplaced = next((k for k in value if k in PROFILE_KEYS), None) if expected is dict else None
        if misplaced is not None:  # TOML puts a key written after "[table]" inside the table
            raise ProfileError(f"{path}: {misplaced!r} is inside the table {key!r}: write it "
                               f"before the first [table]")
    for key in _REQUIRED_KEYS:
        if key not in settings:
            raise ProfileError(f"{path}: missing key {key!r}")


# The language a caller gets when it names none (and detection cannot decide).
DEFAULT_LANG = "fr"


def available_languages() -> list[str]:
    root = resources.files("propos") / "lang"
    return sorted(p.name for p in root.iterdir() if (p / "profile.toml").is_file())


def _read_tsv(folder, name: str) -> list[dict[str, str]]:
    file = folder / name
    if not file.is_file():
        return []
    with file.open(encoding="utf-8") as handle:
        rows = (line for line in handle if line.strip() and not line.startswith("#"))
        return [{k: (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(rows, delimiter="\t")]


@lru_cache(maxsize=None)
def load_profile(lang: str) -> LanguageProfile:
    """The profile of a language shipped in the package (``src/propos/lang/<lang>/``)."""
    folder = resources.files("propos") / "lang" / lang
    if not (folder / "profile.toml").is_file():
        raise LookupError(
            f"language {lang!r} is not supported (available: {', '.join(available_languages())})"
        )
    profile = load_profile_from(Path(str(folder)))
    if profile.lang != lang:
        raise ProfileError(f"{folder / 'profile.toml'}: 'lang' is {profile.lang!r}, not {lang!r}")
    return profile


def load_profile_from(folder: Path) -> LanguageProfile:
    """Read and validate the language folder ``folder`` (``profile.toml``, ``cues.tsv``,
    ``heads.tsv``, ``first_names.tsv``, ``cue_types.tsv``), wherever it is: how a new
    language's folder is checked before it goes under ``src/propos/lang/``. Not cached; the
    pipeline loads languages by code, through :func:`load_profile`."""
    folder = Path(folder)
    if not (folder / "profile.toml").is_file():
        raise LookupError(f"{folder}: no profile.toml")
    settings = tomllib.loads((folder / "profile.toml").read_text(encoding="utf-8"))
    validate_settings(settings, str(folder / "profile.toml"))
    lang = settings["lang"]
    cues = {}
    for row in _read_tsv(folder, "cues.tsv"):
        pos = row.get("pos") or "VERB"
        entry = CueEntry(row["lemma"].lower(), pos,
                         frozenset(f for f in row.get("frames", "").split(",") if f),
                         float(row.get("weight") or 1.0),
                         row.get("type") or ("nominal" if pos == "NOUN" else "speech"),
                         frozenset(f.lower() for f in (row.get("forms") or "").split(",") if f))
        cues[entry.lemma] = entry
    cue_types = {row["lemma"].lower(): row["type"] for row in _read_tsv(folder, "cue_types.tsv")}
    cue_types.update((lemma, entry.type) for lemma, entry in cues.items())
    heads = {}
    for row in _read_tsv(folder, "heads.tsv"):
        entry = HeadEntry(row["word"].lower(), row["type"], row.get("gender", ""))
        heads[entry.word] = entry
    first_names = {row["name"].lower(): row["gender"]
                   for row in _read_tsv(folder, "first_names.tsv")}
    forms: dict[str, str] = {}
    for row in _read_tsv(folder, "cues.tsv"):
        lemma = row["lemma"].lower()
        for form in _inflect(lemma, settings.get("inflection", {})):
            forms.setdefault(form, lemma)
        for form in (row.get("forms") or "").split(","):
            if form:
                forms.setdefault(form.lower(), lemma)
    return LanguageProfile(lang, settings["model"], settings["model_package"], settings,
                           cues, heads, first_names, forms, cue_types, folder)


def _inflect(lemma: str, inflection: dict[str, Any]) -> list[str]:
    """Regular inflected forms of a verb lemma, from the profile's ending tables."""
    verb = lemma.split()[-1]  # "se réjouir" → "réjouir"; the clitic is a separate token
    if verb.startswith("s'"):
        verb = verb[2:]
    soft_before = inflection.get("soft_before", "")
    soft = inflection.get("soft_spelling", {})
    for suffix, endings in inflection.items():
        if not isinstance(endings, list) or not verb.endswith(suffix):
            continue
        stem = verb[: -len(suffix)]
        forms = []
        for ending in endings:
            form_stem = stem
            if ending[:1] in soft_before and stem[-1:] in soft:
                form_stem = stem[:-1] + soft[stem[-1]]
            forms.append(form_stem + ending)
        return forms
    return []
