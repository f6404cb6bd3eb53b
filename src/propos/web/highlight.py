"""Turning stored offsets into non-overlapping, escaped pieces of an article's text.

An article's attributions mark spans of its text by role: what was said (content), the
reporting verb or adjunct (cue), the speaker as mentioned (source) and a relay (via). Spans of
different attributions can overlap and nest (a content can hold another attribution's cue), so
the text is cut at every span boundary into segments, each knowing every role and attribution
covering it. Templates then render each segment as one element with one CSS class per role;
the text of every segment is escaped by Jinja's autoescaping, never assembled as HTML here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ROLES: tuple[str, ...] = ("content", "cue", "source", "via", "date", "amount")
# The number of marks that belong to no attribution (dates and amounts of the text).
NO_ATTRIBUTION = 0


@dataclass(frozen=True)
class Mark:
    """One span to highlight: ``text[start:end]`` plays ``role`` for attribution ``number``."""

    start: int
    end: int
    role: str
    number: int


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same marks from ``start`` to ``end``."""

    start: int
    end: int
    text: str
    roles: tuple[str, ...] = ()
    numbers: tuple[int, ...] = ()
    opens: tuple[int, ...] = ()     # attributions whose content starts here (anchor targets)

    @property
    def css(self) -> str:
        """``hl hl-content hl-cue`` …: one class per role, in :data:`ROLES` order."""
        return " ".join(["hl"] + [f"hl-{role}" for role in self.roles]) if self.roles else ""


def marks_for(attributions: Iterable[dict[str, object]], length: int) -> list[Mark]:
    """The marks of stored attributions (dicts with ``<role>_start``/``<role>_end`` keys and a
    1-based ``number``), dropping spans outside ``0..length`` rather than failing: a page must
    render even for a row that a buggy writer got wrong."""
    marks: list[Mark] = []
    for row in attributions:
        number = int(row["number"])  # type: ignore[arg-type]
        for role in ROLES:
            start, end = row.get(f"{role}_start"), row.get(f"{role}_end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
                marks.append(Mark(start, end, role, number))
    return marks


def mention_marks(mentions: Iterable[dict[str, object]], role: str, length: int) -> list[Mark]:
    """Marks for the text's dates or amounts (``role``: "date" or "amount")."""
    return [Mark(m["start"], m["end"], role, NO_ATTRIBUTION)  # type: ignore[arg-type]
            for m in mentions if isinstance(m.get("start"), int) and isinstance(m.get("end"), int)
            and 0 <= m["start"] < m["end"] <= length]  # type: ignore[operator]


def segments(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """Cut ``text`` at every mark boundary; each segment lists the roles and attributions
    covering it. Concatenating the segments' texts gives ``text`` back exactly."""
    cuts = {0, len(text)}
    for mark in marks:
        cuts.add(mark.start)
        cuts.add(mark.end)
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    starts: dict[int, list[Mark]] = {}
    for mark in marks:
        starts.setdefault(mark.start, []).append(mark)
    active: list[Mark] = []
    out: list[Segment] = []
    for left, right in zip(bounds, bounds[1:]):
        active = [m for m in active if m.end > left] + starts.get(left, [])
        if left == right:
            continue
        roles = tuple(r for r in ROLES if any(m.role == r for m in active))
        numbers = tuple(sorted({m.number for m in active if m.number != NO_ATTRIBUTION}))
        opens = tuple(sorted(m.number for m in starts.get(left, []) if m.role == "content"))
        out.append(Segment(left, right, text[left:right], roles, numbers, opens))
    return out
