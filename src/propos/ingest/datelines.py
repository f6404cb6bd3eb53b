"""An article's date when its metadata has none: its dateline, its page's stamp, its name.

Dates drive ``--since``/``--until``, the charts and the Spark partitions, so the readers look
for the date where the press prints it, in this order:

1. a dateline opening one of the first paragraphs, with its year: ``27 août 2012. -``,
   ``21 septembre 2012, France. -``, ``PARIS, 3 mars 2024 (AFP) -``,
   ``LONDON, March 3, 2024 (Reuters) -``;
2. the stamp a page prints near the headline: ``Publié le 12/03/2024 à 10h05``,
   ``Published March 12, 2024`` (the publication date; ``Mis à jour le …`` /
   ``Updated …`` only when there is none);
3. a date in the file name or URL: ``2024-03-05-crue.txt``, ``…/2024/03/05/…``;
4. a dateline without a year (``PARIS, 3 mars (Reuters) -``) with the year taken from other
   evidence: a year in the file name or URL, or the container's own date (a WARC record's
   crawl date: the latest such day not after it). With no evidence, nothing is guessed.

The headline is never searched: a date in it is what the article is about, not when it was
written. Words (months, weekdays, stamp labels) are language data, ``lang/<code>/dates.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..lexicon import DateWords, date_words
from ..text import fold

# Paragraphs searched for a dateline, and lines of text for a stamp.
DATELINE_PARAGRAPHS = 3
STAMP_LINES = 12
# A stamp line is short; a longer line with a stamp label is prose ("le rapport, publié le…").
STAMP_LINE_CHARS = 160
# Words a stamp line may have besides its stamps and times ("EDT", "Lecture 3 min").
_STAMP_WORDS = 3
_TIME = re.compile(r"\d{1,2}\s*[h:]\s*\d{0,2}\s*(?:[ap]\.?m\.?)?")
_WORDS_LEFT = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class PartialDate:
    """A day and month, and the year when the text gave one."""

    day: int
    month: int
    year: int | None = None

    def iso(self, year: int | None = None) -> str | None:
        year = self.year if self.year is not None else year
        if year is None or not 1900 <= year <= 2100:
            return None
        try:
            return date(year, self.month, self.day).isoformat()
        except ValueError:
            return None


_WORD = r"[^\W\d_]"


def _word_date(suffix: str, ordinals: str) -> str:
    """``3 mars [2024]`` or ``March 3[, 2024]``; group names get ``suffix`` + a or b."""
    def day(side: str) -> str:
        return rf"(?P<d{suffix}{side}>\d{{1,2}})(?:{ordinals})?"

    def month(side: str) -> str:
        return rf"(?P<m{suffix}{side}>{_WORD}{{3,10}})\.?"

    return (rf"(?:{day('a')}\s+{month('a')}(?:\s+(?P<y{suffix}a>\d{{4}}))?"
            rf"|{month('b')}\s+{day('b')}(?:,?\s+(?P<y{suffix}b>\d{{4}}))?)(?![\w/])")


@dataclass(frozen=True)
class _Patterns:
    dateline: re.Pattern[str]
    stamps: tuple[tuple[str, str, re.Pattern[str]], ...]  # (kind, numeric order, pattern)
    anywhere: re.Pattern[str]                         # a complete date, for dates_in()


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    words = date_words()
    ordinals = "|".join(re.escape(o) for o in words.ordinals) or "(?!)"
    # [Place[ (Region)], ][article/weekday ]date[, Place][.] [(Agency)] -
    dateline = re.compile(
        rf"\s*(?:(?P<place>{_WORD}[^\n,()]{{0,40}}?(?:\s*\([^()\n]{{1,30}}\))?)\s*,\s*)?"
        rf"(?P<lead>(?:{_WORD}{{1,9}}\.?,?\s+){{0,2}})"
        rf"{_word_date('', ordinals)}(?:,\s*[A-ZÀ-ÖØ-Ý][^\W\d_][^\n,()\d]{{0,38}}?)?"
        rf"\s*\.?\s*(?:\([^()\n]{{1,30}}\)\s*)?[-–—]")
    numeric = (r"(?P<n1>\d{1,2})[/.-](?P<n2>\d{1,2})[/.-](?P<n3>\d{4}|\d{2})(?![\d/])"
               r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?!\d)")
    stamps = []
    for labels in words.stamps:
        for kind, names in (("published", labels.published), ("updated", labels.updated)):
            if not names:
                continue
            alternatives = "|".join(re.escape(n) for n in names)
            stamps.append((kind, labels.numeric_order, re.compile(
                rf"(?:^|[|·•—–]\s*)\W{{0,2}}(?:{alternatives})\b\s*:?\s*[^\n]{{0,25}}?"
                rf"(?:{numeric}|{_word_date('s', ordinals)})")))
    anywhere = re.compile(rf"(?<![\w/])(?:{numeric}|{_word_date('s', ordinals)})")
    return _Patterns(dateline, tuple(stamps), anywhere)


def _word_match(match: re.Match[str], suffix: str, words: DateWords) -> PartialDate | None:
    for side in "ab":
        month_name = match.group(f"m{suffix}{side}")
        if month_name is None:
            continue
        month = words.months.get(fold(month_name))
        if month is None:
            return None
        year = match.group(f"y{suffix}{side}")
        return PartialDate(int(match.group(f"d{suffix}{side}")), month,
                           int(year) if year else None)
    return None


def find_dateline(paragraphs: Iterable[str]) -> PartialDate | None:
    """The dateline opening one of the first paragraphs (headline excluded), if any."""
    words = date_words()
    pattern = _patterns().dateline
    for paragraph in list(paragraphs)[:DATELINE_PARAGRAPHS]:
        match = pattern.match(paragraph[:200])
        if match is None:
            continue
        lead = [fold(w.strip(".,")) for w in match.group("lead").split()]
        if any(w not in words.weekdays and w not in words.dateline_articles for w in lead):
            continue
        if found := _word_match(match, "", words):
            return found
    return None


def _two_digit_year(year: str) -> int:
    value = int(year)
    if len(year) == 4:
        return value
    return 2000 + value if value < 70 else 1900 + value


def _stamp_date(match: re.Match[str], order: str, words: DateWords) -> str | None:
    if match.group("iy"):
        return PartialDate(int(match.group("id")), int(match.group("im")),
                           int(match.group("iy"))).iso()
    if match.group("n1"):
        first, second = int(match.group("n1")), int(match.group("n2"))
        day, month = (second, first) if order == "mdy" else (first, second)
        return PartialDate(day, month, _two_digit_year(match.group("n3"))).iso()
    found = _word_match(match, "s", words)
    return found.iso() if found else None


def _residue_words(folded: str) -> int:
    """How many words a line has besides its stamps and times: a stamp line has few, a
    paragraph opening with "Publié le 3 mars 2023, le rapport…" has many."""
    for _, _, pattern in _patterns().stamps:
        folded = pattern.sub(" ", folded)
    return len(_WORDS_LEFT.findall(_TIME.sub(" ", folded)))


def find_stamp(lines: Iterable[str]) -> str | None:
    """The date of a publication stamp (``Publié le 12/03/2024 à 10h05``) among ``lines``;
    an update stamp (``Mis à jour le …``) only when no line has a publication stamp. A stamp
    opens its line or follows a separator (``Par J. Marchand | Publié le …``)."""
    words = date_words()
    updated: str | None = None
    for line in lines:
        if len(line) > STAMP_LINE_CHARS or not any(ch.isdigit() for ch in line):
            continue
        folded = fold(line)
        for kind, order, pattern in _patterns().stamps:
            match = pattern.search(folded)
            if match is None or (match.start() == 0 and _residue_words(folded) > _STAMP_WORDS):
                continue
            found = _stamp_date(match, order, words)
            if found and kind == "published":
                return found
            if found and updated is None:
                updated = found
    return updated


def dates_in(text: str) -> set[str]:
    """Every complete date written in ``text`` (``14 juillet 2023``, ``14/07/2023``), for
    telling a headline's date from the article's."""
    words = date_words()
    found = set()
    for match in _patterns().anywhere.finditer(text):
        for order in ("dmy", "mdy"):
            if iso := _stamp_date(match, order, words):
                found.add(iso)
    return found


def is_stamp(line: str) -> bool:
    """A line that only stamps the page (``Publié le …``), not a paragraph of the text."""
    if len(line) > STAMP_LINE_CHARS:
        return False
    folded = fold(line)
    return any(pattern.match(folded) for _, _, pattern in _patterns().stamps) \
        and _residue_words(folded) <= _STAMP_WORDS


_NAME_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_/.]?(\d{2})[-_/.]?(\d{2})(?!\d)")
_NAME_DMY = re.compile(r"(?<!\d)(\d{2})[-_.](\d{2})[-_.]((?:19|20)\d{2})(?!\d)")
_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _name_part(name: str) -> str:
    """What of a name can hold a date: a URL's path (not its host), a file's own name."""
    if "://" in name:
        return name.split("://", 1)[1].partition("/")[2]
    return re.split(r"[\\/]", name)[-1]


def date_in_name(name: str) -> str | None:
    """``2024-03-05-crue.txt``, ``20240305_crue.txt``, ``…/2024/03/05/digue`` → ISO date."""
    part = _name_part(name)
    for match in _NAME_YMD.finditer(part):
        if found := PartialDate(int(match[3]), int(match[2]), int(match[1])).iso():
            return found
    for match in _NAME_DMY.finditer(part):
        if found := PartialDate(int(match[1]), int(match[2]), int(match[3])).iso():
            return found
    return None


def year_in_name(name: str) -> int | None:
    match = _NAME_YEAR.search(_name_part(name))
    return int(match[1]) if match else None


def _year_before(day: PartialDate, reference: str) -> int | None:
    """The year that puts ``day`` latest on or before the ISO ``reference`` date."""
    try:
        ref = date.fromisoformat(reference[:10])
    except ValueError:
        return None
    return ref.year if (day.month, day.day) <= (ref.month, ref.day) else ref.year - 1


def body_paragraphs(text: str, title: str | None) -> list[str]:
    """A plain text's non-empty lines, its title line left out (a date there is not the
    article's)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[1:] if title and lines and lines[0] == title else lines


def date_from_text(paragraphs: Sequence[str], *, stamp_lines: Iterable[str] | None = None,
                   names: Sequence[str] = (), reference: str | None = None) -> str | None:
    """The article's date from its text and names, in the order of the module doc.

    ``paragraphs``: the text's paragraphs, headline excluded. ``stamp_lines``: where to look
    for a publication stamp (a page's visible lines; by default the first paragraphs).
    ``names``: file name, URL. ``reference``: the container's ISO date (WARC crawl date).
    """
    dateline = find_dateline(paragraphs)
    if dateline is not None and dateline.year is not None and (found := dateline.iso()):
        return found
    lines = stamp_lines if stamp_lines is not None else paragraphs[:STAMP_LINES]
    if found := find_stamp(lines):
        return found
    for name in names:
        if found := date_in_name(name):
            return found
    if dateline is None:
        return None
    for name in names:
        if (year := year_in_name(name)) and (found := dateline.iso(year)):
            return found
    if reference and (year := _year_before(dateline, reference)):
        return dateline.iso(year)
    return None
