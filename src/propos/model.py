"""The data model: frozen dataclasses shared by the library, the CLI, the store and the API.

Every span carries ``start``/``end`` character offsets into the ORIGINAL input text, so that
``text[span.start:span.end] == span.text`` always holds. ``to_dict``/``from_dict`` give the one
JSON shape described in ``schema/attribution.schema.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

Kind = Literal["direct", "indirect", "mixed"]
SpeakerType = Literal["person", "organization", "media", "anonymous", "unknown"]
Gender = Literal["female", "male", "unknown"]
GenderSource = Literal["text", "first_name"]
CueType = Literal["speech", "belief", "perception", "stance", "nominal"]

KINDS: tuple[str, ...] = ("direct", "indirect", "mixed")
SPEAKER_TYPES: tuple[str, ...] = ("person", "organization", "media", "anonymous", "unknown")
GENDERS: tuple[str, ...] = ("female", "male", "unknown")
GENDER_SOURCES: tuple[str, ...] = ("text", "first_name")
# What the cue says of the content: said (speech), thought or intended (belief), shown or
# seen (perception), another stance or action taken on it (stance: "opposes", "lobbied
# for"), or a noun that carries it (nominal: "criticism of", "the announcement that").
CUE_TYPES: tuple[str, ...] = ("speech", "belief", "perception", "stance", "nominal")
ENTITY_LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")
# What the spaCy models' entity labels (French: WikiNER's; English: OntoNotes') are in ours.
ENTITY_LABEL_OF: dict[str, str] = {
    "PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
    "MISC": "MISC", "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "PRODUCT": "MISC",
    "LAW": "MISC"}


def entity_label(token: Any) -> str:
    """The entity label (one of ENTITY_LABELS) of a spaCy token, "" outside entities."""
    return ENTITY_LABEL_OF.get(token.ent_type_, "")

SCHEMA_VERSION = 1


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of the original text: ``text == original[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, original: str, start: int, end: int) -> Span:
        return cls(start, end, original[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    def within(self, original: str) -> Span:
        """The same offsets, with the text taken from ``original``."""
        return Span(self.start, self.end, original[self.start:self.end])

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Span | None:
        if data is None:
            return None
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(frozen=True)
class Speaker:
    """Who the sentence makes say the content, resolved to the fullest name the text gives.

    ``gender`` is stated by the text (``gender_source`` "text": Mme, la ministre, -elle) or
    only suggested by a first name ("first_name"); "unknown" with source None otherwise.
    """

    name: str
    type: SpeakerType = "unknown"
    gender: Gender = "unknown"
    gender_source: GenderSource | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "gender": self.gender,
                "gender_source": self.gender_source}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Speaker:
        return cls(str(data["name"]), data.get("type", "unknown"),
                   data.get("gender") or "unknown", data.get("gender_source"))


# The fallback for a language profile without its own ``unknown_speaker`` placeholder.
UNKNOWN_SPEAKER_NAME = "source non précisée"


@dataclass(frozen=True)
class Referent:
    """A person or organisation a statement's content mentions, resolved like a speaker."""

    name: str
    type: Literal["person", "organization"] = "person"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Referent:
        return cls(str(data["name"]), data.get("type", "person"))


@dataclass(frozen=True, order=True)
class DateMention:
    """A date the text mentions, ``text == original[start:end]``, with its ISO ``value``:
    ``2026-11-15`` (a day), ``2025-03`` (a month), ``2026`` (a year), ``2026-W47`` (a week);
    None when it is relative ("samedi", "hier") and there was no article date to resolve it."""

    start: int
    end: int
    text: str
    value: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "value": self.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DateMention:
        value = data.get("value")
        return cls(int(data["start"]), int(data["end"]), str(data["text"]),
                   None if value is None else str(value))


@dataclass(frozen=True, order=True)
class Amount:
    """An amount the text mentions: ``value`` in units of ``unit`` (an ISO 4217 currency code
    such as ``EUR``, or ``%``); ``approx`` when the text says it is not exact ("près de")."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    approx: bool = False

    def to_dict(self) -> dict[str, Any]:
        value = int(self.value) if float(self.value).is_integer() else self.value
        return {"start": self.start, "end": self.end, "text": self.text, "value": value,
                "unit": self.unit, "approx": self.approx}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Amount:
        return cls(int(data["start"]), int(data["end"]), str(data["text"]),
                   float(data["value"]), str(data["unit"]), bool(data.get("approx", False)))


@dataclass(frozen=True)
class Attribution:
    """One piece of reported speech: content said by speaker, signalled by cue."""

    kind: Kind
    content: Span
    speaker: Speaker
    cue: Span | None = None
    source: Span | None = None
    via: Span | None = None
    confidence: float = 0.5
    rule: str = ""
    # The dates and amounts mentioned inside ``content`` (propos.mentions).
    dates: tuple[DateMention, ...] = ()
    amounts: tuple[Amount, ...] = ()
    about: tuple[Referent, ...] = ()
    # None only when nothing cues the content (an unattributed quotation); a continuation
    # has the type of the attribution it continues
    cue_type: CueType | None = None

    def within(self, original: str) -> Attribution:
        """The same attribution with every span's text taken from ``original``."""
        return replace(
            self,
            content=self.content.within(original),
            cue=self.cue.within(original) if self.cue else None,
            source=self.source.within(original) if self.source else None,
            via=self.via.within(original) if self.via else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "source": self.source.to_dict() if self.source else None,
            "speaker": self.speaker.to_dict(),
            "via": self.via.to_dict() if self.via else None,
            "confidence": round(self.confidence, 3),
            "rule": self.rule,
            "dates": [d.to_dict() for d in self.dates],
            "amounts": [m.to_dict() for m in self.amounts],
            "about": [r.to_dict() for r in self.about],
            "cue_type": self.cue_type,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribution:
        return cls(
            kind=data["kind"],
            content=Span.from_dict(data["content"]),  # type: ignore[arg-type]
            speaker=Speaker.from_dict(data["speaker"]),
            cue=Span.from_dict(data.get("cue")),
            source=Span.from_dict(data.get("source")),
            via=Span.from_dict(data.get("via")),
            confidence=float(data.get("confidence", 0.5)),
            rule=str(data.get("rule", "")),
            dates=tuple(DateMention.from_dict(d) for d in data.get("dates", ())),
            amounts=tuple(Amount.from_dict(m) for m in data.get("amounts", ())),
            about=tuple(Referent.from_dict(r) for r in data.get("about", ())),
            cue_type=data.get("cue_type"),
        )


@dataclass(frozen=True)
class Entity:
    """A named entity found by the language model (PER, ORG, LOC, MISC)."""

    label: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(str(data["label"]), int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(frozen=True)
class Document:
    """The result of extraction over one text."""

    id: str
    lang: str
    text: str
    attributions: tuple[Attribution, ...] = ()
    entities: tuple[Entity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    amounts: tuple[Amount, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "lang": self.lang}
        if include_text:
            out["text"] = self.text
        out["attributions"] = [a.to_dict() for a in self.attributions]
        out["entities"] = [e.to_dict() for e in self.entities]
        out["dates"] = [d.to_dict() for d in self.dates]
        out["amounts"] = [m.to_dict() for m in self.amounts]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], text: str | None = None) -> Document:
        return cls(
            id=str(data["id"]),
            lang=str(data.get("lang", "")),
            text=text if text is not None else str(data.get("text", "")),
            attributions=tuple(Attribution.from_dict(a) for a in data.get("attributions", ())),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
            dates=tuple(DateMention.from_dict(d) for d in data.get("dates", ())),
            amounts=tuple(Amount.from_dict(m) for m in data.get("amounts", ())),
        )


@dataclass(frozen=True)
class Failure:
    """An input that could not be processed: which one, and why, in words a user can act on.

    The one failure record of ``extract``, ``ingest``, the store and Spark. ``id`` names the
    input: the document's id when it has one, else where it is (``path``, ``path:line`` for a
    JSONL line or CSV row, ``path#offset`` for a WARC record), which is what a corpus keys its
    failures by; ``path`` is the file it came from, when it came from one.
    """

    id: str
    reason: str
    path: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "error": self.reason}
