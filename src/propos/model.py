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
CueType = Literal["speech", "belief", "perception", "stance", "nominal"]

KINDS: tuple[str, ...] = ("direct", "indirect", "mixed")
SPEAKER_TYPES: tuple[str, ...] = ("person", "organization", "media", "anonymous", "unknown")
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
    """Who the sentence makes say the content, resolved to the fullest name the text gives."""

    name: str
    type: SpeakerType = "unknown"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Speaker:
        return cls(str(data["name"]), data.get("type", "unknown"))


UNKNOWN_SPEAKER_NAME = "source non précisée"


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
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "lang": self.lang}
        if include_text:
            out["text"] = self.text
        out["attributions"] = [a.to_dict() for a in self.attributions]
        out["entities"] = [e.to_dict() for e in self.entities]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], text: str | None = None) -> Document:
        return cls(
            id=str(data["id"]),
            lang=str(data.get("lang", "")),
            text=text if text is not None else str(data.get("text", "")),
            attributions=tuple(Attribution.from_dict(a) for a in data.get("attributions", ())),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
        )


@dataclass(frozen=True)
class Failure:
    """A document that could not be processed: which one, and why, in words a user can act on."""

    id: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "error": self.reason}
