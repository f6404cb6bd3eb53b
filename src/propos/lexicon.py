"""The words the readers need to read pages and their dates, from every language's data.

A page's language is detected only after it is read (from its text), so the readers use the
words of every language at once: ``lang/<code>/dates.toml`` (month and weekday names, the
labels of publication stamps) and ``lang/<code>/page.toml`` (the class words of standfirsts
and of blocks that are not the article, the "Lire aussi" labels, paywall notices).

``dates.toml`` is read here only, once per language (:func:`calendar`): the readers' words
(:func:`date_words`), the dates and amounts of a text (:mod:`propos.mentions`) and the
resolver's "a month names no one" (:mod:`propos.resolve.plausible`) all come from it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .text import fold

CALENDAR_FILE = "dates.toml"


@dataclass(frozen=True)
class Calendar:
    """One language's ``dates.toml``, as written (neither folded nor lower-cased)."""

    lang: str
    months: tuple[tuple[str, ...], ...]  # calendar order: each name with its abbreviations
    weekdays: tuple[str, ...]            # the seven full names, Monday first; then abbreviations
    ordinals: tuple[str, ...]            # after a day number: "er", "st", …
    dateline_articles: tuple[str, ...]
    numeric_order: str                   # "dmy" or "mdy"
    published: tuple[str, ...]           # publication-stamp labels
    updated: tuple[str, ...]


@dataclass(frozen=True)
class StampLabels:
    """One language's publication-stamp labels and how it orders a numeric date."""

    lang: str
    numeric_order: str            # "dmy" or "mdy"
    published: tuple[str, ...]    # folded, longest first
    updated: tuple[str, ...]


@dataclass(frozen=True)
class DateWords:
    months: dict[str, int]        # folded name or abbreviation → 1..12
    weekdays: frozenset[str]      # folded
    ordinals: tuple[str, ...]     # "er", "st", …
    dateline_articles: frozenset[str]
    stamps: tuple[StampLabels, ...]


@dataclass(frozen=True)
class PageWords:
    standfirst_classes: tuple[str, ...]   # folded phrases, words separated by one space
    boilerplate_classes: tuple[str, ...]
    not_standfirst_classes: tuple[str, ...]
    read_also: tuple[str, ...]            # folded labels
    paywall: tuple[str, ...]              # folded phrases


def _languages() -> list[str]:
    root = resources.files("propos") / "lang"
    return sorted(folder.name for folder in root.iterdir() if folder.is_dir())


def _data(name: str) -> list[tuple[str, dict[str, Any]]]:
    root = resources.files("propos") / "lang"
    found = []
    for lang in _languages():
        file = root / lang / name
        if file.is_file():
            found.append((lang, tomllib.loads(file.read_text(encoding="utf-8"))))
    return found


@lru_cache(maxsize=None)
def calendar(lang: str) -> Calendar | None:
    """The language's ``dates.toml``, read once; None for a language without one."""
    file = resources.files("propos") / "lang" / lang / CALENDAR_FILE
    if not file.is_file():
        return None
    data = tomllib.loads(file.read_text(encoding="utf-8"))

    def words(key: str) -> tuple[str, ...]:
        return tuple(data.get(key, ()))

    return Calendar(lang, tuple(tuple(names) for names in data.get("months", ())),
                    words("weekdays"), words("ordinals"), words("dateline_articles"),
                    data.get("numeric_order", "dmy"), words("published"), words("updated"))


def calendars() -> tuple[Calendar, ...]:
    """Every language's calendar, in the order of their folders."""
    return tuple(c for c in map(calendar, _languages()) if c is not None)


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({fold(w) for w in words}, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def date_words() -> DateWords:
    """The readers' date words, every language's at once, folded."""
    months: dict[str, int] = {}
    weekdays: set[str] = set()
    ordinals: set[str] = set()
    articles: set[str] = set()
    stamps = []
    for cal in calendars():
        for number, names in enumerate(cal.months, start=1):
            for name in names:
                months.setdefault(fold(name), number)
        weekdays.update(fold(w) for w in cal.weekdays)
        ordinals.update(fold(o) for o in cal.ordinals)
        articles.update(fold(a) for a in cal.dateline_articles)
        stamps.append(StampLabels(cal.lang, cal.numeric_order, _longest_first(cal.published),
                                  _longest_first(cal.updated)))
    return DateWords(months, frozenset(weekdays), _longest_first(ordinals),
                     frozenset(articles), tuple(stamps))


def _phrases(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted({" ".join(re.split(r"[\s_-]+", fold(w))).strip() for w in words}))


@lru_cache(maxsize=1)
def page_words() -> PageWords:
    merged: dict[str, list[str]] = {"standfirst_classes": [], "boilerplate_classes": [],
                                    "not_standfirst_classes": [], "read_also": [],
                                    "paywall": []}
    for _, data in _data("page.toml"):
        for key, values in merged.items():
            values.extend(data.get(key, []))
    return PageWords(_phrases(merged["standfirst_classes"]),
                     _phrases(merged["boilerplate_classes"]),
                     _phrases(merged["not_standfirst_classes"]),
                     _longest_first(merged["read_also"]),
                     _longest_first(merged["paywall"]))
