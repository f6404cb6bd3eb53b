"""The words the readers need to read pages and their dates, from every language's data.

A page's language is detected only after it is read (from its text), so the readers use the
words of every language at once: ``lang/<code>/dates.toml`` (month and weekday names, the
labels of publication stamps) and ``lang/<code>/page.toml`` (the class words of standfirsts
and of blocks that are not the article, the "Lire aussi" labels, paywall notices).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .text import fold


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


def _data(name: str) -> list[tuple[str, dict[str, Any]]]:
    root = resources.files("propos") / "lang"
    found = []
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        file = folder / name
        if file.is_file():
            found.append((folder.name, tomllib.loads(file.read_text(encoding="utf-8"))))
    return found


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted({fold(w) for w in words}, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def date_words() -> DateWords:
    months: dict[str, int] = {}
    weekdays: set[str] = set()
    ordinals: set[str] = set()
    articles: set[str] = set()
    stamps = []
    for lang, data in _data("dates.toml"):
        for number, names in enumerate(data.get("months", []), start=1):
            for name in names:
                months.setdefault(fold(name), number)
        weekdays.update(fold(w) for w in data.get("weekdays", []))
        ordinals.update(fold(o) for o in data.get("ordinals", []))
        articles.update(fold(a) for a in data.get("dateline_articles", []))
        stamps.append(StampLabels(lang, data.get("numeric_order", "dmy"),
                                  _longest_first(data.get("published", [])),
                                  _longest_first(data.get("updated", []))))
    return DateWords(months, frozenset(weekdays), _longest_first(list(ordinals)),
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
