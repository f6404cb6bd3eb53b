"""Read gold attribution files (the JSONL format of ``shared/eval/README.md``).

Gold spans are stored as text, not offsets, so that annotators can write them by hand and a
text edit cannot silently shift them. Offsets are derived here: a span is the
``*_occurrence``-th (0-based) match of its text in the document that starts and ends at word
boundaries. A span that cannot be found is an error naming the file, line, record and field:
a gold file that silently loses attributions would inflate every score computed on it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import KINDS, SPEAKER_TYPES, Span
from ..profile import DEFAULT_LANG

_WORD_CHAR = re.compile(r"\w")
# Fields the README defines as exact substrings of the text. ``via`` is not one: it names the
# relay party and may paraphrase the text (e.g. skip a guillemet), so it is located when possible.
_SPAN_FIELDS: tuple[str, ...] = ("content", "cue", "source")


class GoldError(ValueError):
    """A gold record that cannot be used as written (missing field, span not in the text...)."""


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution, with offsets derived from the document text."""

    kind: str
    content: Span
    speaker: str
    speaker_aliases: tuple[str, ...] = ()
    speaker_type: str = "unknown"
    cue: Span | None = None
    source: Span | None = None
    via: str | None = None
    via_span: Span | None = None
    note: str = ""
    # A content annotated in pieces ("“We won,” she said, “and we will again.”"): the pieces
    # in text order, which ``content`` spans from first to last; empty for a content in one.
    content_pieces: tuple[Span, ...] = ()

    @property
    def speaker_names(self) -> tuple[str, ...]:
        """The gold speaker and its aliases: any of them counts as the right speaker."""
        return (self.speaker, *self.speaker_aliases)


@dataclass(frozen=True)
class GoldDocument:
    """One annotated text and its attributions, in file order."""

    id: str
    lang: str
    text: str
    attributions: tuple[GoldAttribution, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def _is_word_char(ch: str) -> bool:
    return bool(_WORD_CHAR.match(ch))


def at_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` neither starts nor ends inside a word.

    Same meaning as regex ``\\b`` around a span: the edge is a boundary when the characters on
    either side of it are not both word characters. This keeps "la" from matching inside "là-bas"
    or "plan" while letting a span start right after an apostrophe ("qu'|il").
    """
    if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        return False
    if end < len(text) and _is_word_char(text[end - 1]) and _is_word_char(text[end]):
        return False
    return True


def find_matches(text: str, needle: str) -> list[int]:
    """Start offsets of every (possibly overlapping) match of ``needle`` at word boundaries."""
    starts: list[int] = []
    if not needle:
        return starts
    position = text.find(needle)
    while position != -1:
        if at_word_boundaries(text, position, position + len(needle)):
            starts.append(position)
        position = text.find(needle, position + 1)
    return starts


def locate(text: str, needle: str, occurrence: int = 0) -> Span | None:
    """The ``occurrence``-th word-bounded match of ``needle`` in ``text``, or None."""
    starts = find_matches(text, needle)
    if occurrence < 0 or occurrence >= len(starts):
        return None
    start = starts[occurrence]
    return Span(start, start + len(needle), needle)


def _span_field(text: str, data: dict[str, Any], name: str, where: str) -> Span | None:
    """Locate the span of field ``name`` (None when absent or null), or raise GoldError."""
    needle = data.get(name)
    if needle is None:
        return None
    if not isinstance(needle, str) or not needle:
        raise GoldError(f"{where}: {name} must be a non-empty string, got {needle!r}")
    occurrence = data.get(f"{name}_occurrence", 0)
    if not isinstance(occurrence, int):
        raise GoldError(f"{where}: {name}_occurrence must be an integer, got {occurrence!r}")
    span = locate(text, needle, occurrence)
    if span is None:
        found = len(find_matches(text, needle))
        raise GoldError(
            f"{where}: {name} {_shorten(needle)!r} not found in the text at word boundaries "
            f"(wanted occurrence {occurrence}, found {found} match(es))"
        )
    return span


def parse_attribution(text: str, data: dict[str, Any], where: str) -> GoldAttribution:
    """One gold attribution record, its spans located in ``text``."""
    kind = data.get("kind")
    if kind not in KINDS:
        raise GoldError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    speaker = data.get("speaker")
    if not isinstance(speaker, str) or not speaker.strip():
        raise GoldError(f"{where}: speaker must be a non-empty string, got {speaker!r}")
    speaker_type = data.get("speaker_type", "unknown")
    if speaker_type not in SPEAKER_TYPES:
        raise GoldError(f"{where}: speaker_type must be one of {', '.join(SPEAKER_TYPES)}, "
                        f"got {speaker_type!r}")
    aliases = data.get("speaker_aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise GoldError(f"{where}: speaker_aliases must be a list of strings, got {aliases!r}")
    spans = {name: _span_field(text, data, name, where) for name in _SPAN_FIELDS}
    if spans["content"] is None:
        raise GoldError(f"{where}: content is missing")
    via = data.get("via")
    if via is not None and not isinstance(via, str):
        raise GoldError(f"{where}: via must be a string or null, got {via!r}")
    return GoldAttribution(
        kind=kind,
        content=spans["content"],
        speaker=speaker,
        speaker_aliases=tuple(aliases),
        speaker_type=speaker_type,
        cue=spans["cue"],
        source=spans["source"],
        via=via or None,
        via_span=locate(text, via, int(data.get("via_occurrence", 0))) if via else None,
        note=str(data.get("note") or ""),
    )


def parse_document(data: dict[str, Any], where: str = "gold record") -> GoldDocument:
    """One gold JSON record (``id``, ``text``, ``attributions``, optional ``lang``)."""
    if not isinstance(data, dict):
        raise GoldError(f"{where}: expected a JSON object, got {type(data).__name__}")
    doc_id = data.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        raise GoldError(f"{where}: id must be a non-empty string, got {doc_id!r}")
    where = f"{where} ({doc_id})"
    text = data.get("text")
    if not isinstance(text, str):
        raise GoldError(f"{where}: text must be a string")
    records = data.get("attributions") or []
    if not isinstance(records, list):
        raise GoldError(f"{where}: attributions must be a list")
    attributions = tuple(
        parse_attribution(text, record, f"{where}, attribution {index}")
        for index, record in enumerate(records)
    )
    meta = {k: v for k, v in data.items() if k not in ("id", "lang", "text", "attributions")}
    return GoldDocument(doc_id, str(data.get("lang") or DEFAULT_LANG), text, attributions, meta)


def iter_gold(path: str | Path) -> Iterator[GoldDocument]:
    """Gold documents of a JSONL file, in file order; blank lines are skipped."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path.name} line {line_no}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{where}: invalid JSON: {exc}") from exc
            yield parse_document(data, where)


def read_gold(path: str | Path) -> list[GoldDocument]:
    """All gold documents of a JSONL file; document ids must be unique."""
    documents = list(iter_gold(path))
    seen: set[str] = set()
    for document in documents:
        if document.id in seen:
            raise GoldError(f"{Path(path).name}: duplicate document id {document.id!r}")
        seen.add(document.id)
    return documents


def _shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
