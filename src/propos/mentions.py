"""Dates and amounts mentioned in a text, with offsets and normalised values.

"jusqu'au 15 novembre 2026" gives the date ``2026-11-15``, "mars 2025" ``2025-03``, "en 2026"
``2026``; "hier", "samedi" or "la semaine prochaine" are resolved against the article's date
(``reference``) and have no value without one. "près de 409 millions d'euros" gives the amount
409,000,000 EUR, approximate. The words (months, weekdays, relative dates, number words,
scales, units and currency signs, approximators) are the language's data, in
``lang/<code>/mentions.toml``, and its ``dates.toml`` (month and weekday names, ordinals, the
order of numeric dates), which the readers also date articles with; this module only
assembles them into patterns.

Matching runs on the same-length normalised text (:func:`propos.text.normalise`: curly
apostrophes and no-break spaces made plain), so every offset is an offset into the original,
whose characters each mention's ``text`` keeps.

An amount needs a unit or a currency ("27 %", "20 000 euros", "$1.6 billion"): a bare number
says too little to be worth normalising. Durations ("deux ans") are neither dates nor amounts.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any

from .lexicon import Calendar, calendar
from .model import Amount, DateMention, Document
from .text import fold, normalise

MENTIONS_FILE = "mentions.toml"


def iso_day(year: int, month: int, day: int) -> str | None:
    """``2026-11-15``, or None when there is no such day (31 février)."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, a space matching any run of spaces."""
    ordered = sorted({w.lower() for w in words}, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class MentionWords:
    """One language's words for dates and amounts, and the patterns built from them."""

    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, tuple[str, int]]
    next_words: frozenset[str]
    last_words: frozenset[str]
    numeric_order: str
    number_words: dict[str, Decimal]
    scales: dict[str, Decimal]
    units: dict[str, str]
    decimal_mark: str
    date_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    amount_pattern: re.Pattern[str]

    @classmethod
    def from_data(cls, calendar: Calendar, data: dict[str, Any]) -> MentionWords:
        """``calendar``: the language's ``dates.toml`` (month and weekday names, ordinals,
        numeric order), which the readers also date articles with; ``data``: its
        ``mentions.toml``."""
        months: dict[str, int] = {}
        for number, names in enumerate(calendar.months, start=1):
            for name in names:  # as written, and without accents ("fevrier")
                months.setdefault(name.lower(), number)
                months.setdefault(fold(name), number)
        dates = data["dates"]
        amounts = data["amounts"]
        # Full names only ("sat", "sun" are words too): the first seven, Monday first.
        weekdays = {name.lower(): number
                    for number, name in enumerate(calendar.weekdays[:7])}
        relative = {_key(k): (str(v[0]), int(v[1])) for k, v in dates["relative"].items()}
        next_words = frozenset(w.lower() for w in dates.get("next_words", ()))
        last_words = frozenset(w.lower() for w in dates.get("last_words", ()))
        day = r"(?P<day>[0-3]?\d)(?:" + _alternatives(calendar.ordinals) + r")?"
        # an abbreviation ("nov.", "Sept.") may take a dot; a full name leaves the full stop
        full = [m for m in months if not any(o != m and o.startswith(m) and months[o] == months[m]
                                             for o in months)]
        month = (r"(?P<month>(?:" + _alternatives(full) + r")(?!\w)|(?:"
                 + _alternatives(set(months) - set(full)) + r")\.?)")
        year = r"(?P<year>\d{4})"
        weekday = r"(?P<weekday>" + _alternatives(weekdays) + r")"
        left, right = r"(?<![\w])", r"(?![\w])"
        patterns = [
            # "samedi 15 novembre 2026", "15 novembre", "1er mars 2025"
            ("day_month", left + r"(?:" + weekday + r",?\s+)?" + day + r"\s+" + month
             + r"(?:,?\s+" + year + r")?" + right),
            # "November 15, 2026", "Saturday, Nov. 15"
            ("month_day", left + r"(?:" + weekday + r",?\s+)?" + month + r"\s+" + day
             + r"(?:,\s*|\s+)?" + r"(?:" + year + r")?" + right),
            ("month_year", left + month + r"\s+" + year + right),
            ("iso", left + r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})" + right),
            ("numeric", left + r"(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})" + right),
            ("year", left + r"(?:" + _alternatives(dates.get("year_prepositions", ()))
             + r")\s+(?P<year>(?:19|20)\d{2})" + right),
            ("relative", left + r"(?P<relative>" + _alternatives(relative) + r")" + right),
            ("weekday", left + weekday + r"(?:\s+(?P<direction>"
             + _alternatives(next_words | last_words) + r"))?" + right),
        ]
        number_words = {k.lower(): Decimal(str(v)) for k, v in amounts["number_words"].items()}
        scales = {k.lower(): Decimal(str(int(v))) for k, v in amounts["scales"].items()}
        units = {_key(k): str(v) for k, v in amounts["units"].items()}
        before = list(amounts.get("approximators_before", ()))
        after = list(amounts.get("approximators_after", ()))
        decimal_mark = re.escape(amounts["decimal_mark"])
        groups = "".join(re.escape(m) for m in amounts.get("group_marks", ()))
        grouped = r"\d{1,3}(?:[" + groups + r"]\d{3})+(?:" + decimal_mark + r"\d+)?|" if groups else ""
        numbers = (grouped + r"\d+(?:" + decimal_mark + r"\d+)?|(?<![\w])(?:"
                   + _alternatives(number_words) + r")(?![\w])")
        scale_words = _alternatives(scales)
        links = [w for w in amounts.get("links", ()) if not w.endswith("'")]
        elided = [w for w in amounts.get("links", ()) if w.endswith("'")]
        link_forms = ([r"\s+(?:" + _alternatives(links) + r")\s+"] if links else []) + \
            ([r"\s+(?:" + _alternatives(elided) + r")"] if elided else [])
        # "millions d'euros": a linking word only after a scale word
        link = r"(?(scale)(?:" + "|".join(link_forms) + r")?|)" if link_forms else ""
        signs = _alternatives(u for u in units if not u[:1].isalpha())
        unit_words = _alternatives(units)
        approx_before = (r"(?:(?P<approx>" + _alternatives(before) + r")\s+)?") if before else ""
        approx_after = (r"(?:\s+(?P<approx_after>" + _alternatives(after) + r")(?![\w]))?"
                        if after else "")
        amount = (r"(?<![\w])" + approx_before + r"(?:"
                  # a sign before the number: "$1.6 billion", "€20m"
                  + r"(?P<sign>" + signs + r")\s*(?P<signed_number>" + numbers + r")"
                  + r"(?:\s*(?P<signed_scale>" + scale_words + r")(?![\w]))?"
                  # a unit after it: "27 %", "20 000 euros", "409 millions d'euros"
                  + r"|(?P<number>" + numbers + r")(?:\s*(?P<scale>" + scale_words
                  + r")(?![\w]))?" + link + r"\s*(?P<unit>" + unit_words + r")(?![\w])"
                  + r")" + approx_after)
        return cls(months, weekdays, relative, next_words, last_words,
                   calendar.numeric_order, number_words, scales, units,
                   amounts["decimal_mark"],
                   tuple((name, re.compile(p, re.IGNORECASE)) for name, p in patterns),
                   re.compile(amount, re.IGNORECASE))


@lru_cache(maxsize=None)
def mention_words(lang: str) -> MentionWords | None:
    """The language's mention words, or None for a language without ``mentions.toml`` and
    ``dates.toml``."""
    dates = calendar(lang)
    file = resources.files("propos") / "lang" / lang / MENTIONS_FILE
    if dates is None or not file.is_file():
        return None
    return MentionWords.from_data(dates, tomllib.loads(file.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- dates


def _reference(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _shift_month(day: date, months: int) -> str:
    index = day.year * 12 + day.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _relative_value(unit: str, offset: int, ref: date) -> str:
    if unit == "day":
        return (ref + timedelta(days=offset)).isoformat()
    if unit == "week":
        year, week, _ = (ref + timedelta(weeks=offset)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    if unit == "month":
        return _shift_month(ref, offset)
    return f"{ref.year + offset:04d}"


def _weekday_value(weekday: int, direction: str, words: MentionWords, ref: date) -> str:
    """A weekday named alone is the latest such day up to the article's date (news mostly
    reports what happened); "prochain" and "dernier" say which way otherwise."""
    if direction in words.next_words:
        return (ref + timedelta(days=(weekday - ref.weekday()) % 7 or 7)).isoformat()
    back = (ref.weekday() - weekday) % 7
    if direction in words.last_words:
        back = back or 7
    return (ref - timedelta(days=back)).isoformat()


def _date_value(kind: str, match: re.Match[str], words: MentionWords,
                ref: date | None) -> str | None | bool:
    """The ISO value of one match; False when the match is not a date after all."""
    groups = match.groupdict()
    if kind in ("day_month", "month_day", "iso"):
        month = words.months[groups["month"].lower().rstrip(".")] if kind != "iso" \
            else int(groups["month"])
        if groups.get("year"):
            return iso_day(int(groups["year"]), month, int(groups["day"])) or False
        if ref is None:
            return None if iso_day(2000, month, int(groups["day"])) else False
        return iso_day(ref.year, month, int(groups["day"])) or False
    if kind == "month_year":
        return f"{int(groups['year']):04d}-{words.months[groups['month'].lower().rstrip('.')]:02d}"
    if kind == "numeric":
        first, second = int(groups["first"]), int(groups["second"])
        day, month = (first, second) if words.numeric_order == "dmy" else (second, first)
        return iso_day(int(groups["year"]), month, day) or False
    if kind == "year":
        return groups["year"]
    if kind == "relative":
        unit, offset = words.relative[_key(groups["relative"])]
        return _relative_value(unit, offset, ref) if ref else None
    weekday = words.weekdays[groups["weekday"].lower()]
    direction = (groups.get("direction") or "").lower()
    return _weekday_value(weekday, direction, words, ref) if ref else None


def _span_of(kind: str, match: re.Match[str]) -> tuple[int, int]:
    if kind == "year":  # "en 2026": the year, not its preposition
        return match.start("year"), match.end("year")
    start, end = match.span()
    return start, end


def _without_overlaps(found: list[tuple[int, int, Any]]) -> Iterator[tuple[int, int, Any]]:
    """Leftmost, then longest, of overlapping matches."""
    last_end = -1
    for start, end, item in sorted(found, key=lambda f: (f[0], -f[1])):
        if start >= last_end:
            yield start, end, item
            last_end = end


def find_dates(text: str, lang: str, reference: str | None = None) -> tuple[DateMention, ...]:
    """The dates ``text`` mentions; ``reference`` (ISO) is the article's date."""
    words = mention_words(lang)
    if words is None or not text:
        return ()
    plain = normalise(text)
    ref = _reference(reference)
    found: list[tuple[int, int, Any]] = []
    refused: list[tuple[int, int]] = []  # "31 février 2025" is not "février 2025" either
    for kind, pattern in words.date_patterns:
        for match in pattern.finditer(plain):
            start, end = _span_of(kind, match)
            while end > start and plain[end - 1] in " ,":
                end -= 1
            value = _date_value(kind, match, words, ref)
            if value is False:
                refused.append((start, end))
            elif not any(s < end and start < e for s, e in refused):
                found.append((start, end, value))
    return tuple(DateMention(start, end, text[start:end], value)
                 for start, end, value in _without_overlaps(found))


# --------------------------------------------------------------------------- amounts


def _number(text: str, words: MentionWords) -> Decimal | None:
    word = words.number_words.get(text.lower())
    if word is not None:
        return word
    digits = re.sub(r"\D", lambda m: "." if m[0] == words.decimal_mark else "", text)
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _amount(match: re.Match[str], words: MentionWords) -> tuple[Decimal, str] | None:
    groups = match.groupdict()
    if groups.get("sign"):
        number, scale, unit = groups["signed_number"], groups.get("signed_scale"), \
            words.units[_key(groups["sign"])]
    else:
        number, scale, unit = groups["number"], groups.get("scale"), \
            words.units[_key(groups["unit"])]
    value = _number(number, words)
    if value is None:
        return None
    if scale:
        value *= words.scales[scale.lower()]
    return value, unit


def find_amounts(text: str, lang: str) -> tuple[Amount, ...]:
    """The amounts (with a unit or currency) ``text`` mentions."""
    words = mention_words(lang)
    if words is None or not text:
        return ()
    plain = normalise(text)
    found: list[tuple[int, int, Any]] = []
    for match in words.amount_pattern.finditer(plain):
        parsed = _amount(match, words)
        if parsed is None:
            continue
        value, unit = parsed
        approx = bool(match.groupdict().get("approx") or match.groupdict().get("approx_after"))
        found.append((match.start(), match.end(), (value, unit, approx)))
    out = []
    for start, end, (value, unit, approx) in _without_overlaps(found):
        number = int(value) if value == value.to_integral_value() else float(value)
        out.append(Amount(start, end, text[start:end], number, unit, approx))
    return tuple(out)


# --------------------------------------------------------------------------- documents


def with_mentions(document: Document, reference: str | None = None) -> Document:
    """``document`` with the dates and amounts of its text, and each attribution with those
    inside its content."""
    dates = find_dates(document.text, document.lang, reference)
    amounts = find_amounts(document.text, document.lang)
    if not dates and not amounts:
        return document

    def inside(items: tuple[Any, ...], start: int, end: int) -> tuple[Any, ...]:
        return tuple(m for m in items if start <= m.start and m.end <= end)

    attributions = tuple(
        replace(a, dates=inside(dates, a.content.start, a.content.end),
                amounts=inside(amounts, a.content.start, a.content.end))
        for a in document.attributions)
    return replace(document, attributions=attributions, dates=dates, amounts=amounts)

def mentions_json(items: Iterable[DateMention | Amount]) -> str:
    """The ``dates`` and ``amounts`` columns: a JSON list of the mentions' dicts."""
    return json.dumps([m.to_dict() for m in items], ensure_ascii=False)
