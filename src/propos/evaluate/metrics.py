"""The metrics of ``shared/eval/README.md``, computed without any model.

Everything here is a pure function of gold documents and predicted documents, so the metrics
can be checked on hand-made data and any system's output (not only propos') can be scored.

Definitions (micro-averaged over all attributions of the corpus):

* **words** of a span: the maximal runs of ``\\w`` characters (Unicode letters, digits, ``_``)
  in the span's text, each identified by its character offsets in the document. Apostrophes,
  hyphens and punctuation separate words ("l'Europe" -> "l", "Europe"). Words are compared by
  position, not by spelling, so two spans that merely share common words ("de", "la") in
  different places of the article do not overlap.
* **word F1** of two spans: ``2 * shared / (words(a) + words(b))``.
* **content match**: word F1 >= 0.5. Gold and predicted attributions of a document are paired
  one-to-one, best word F1 first (ties: earlier gold, then earlier prediction).
* **content P/R/F1**: matched pairs / predictions, matched pairs / gold, their harmonic mean.
* **speaker accuracy**: share of matched pairs whose speaker is right (see
  :func:`speaker_matches`).
* **end-to-end P/R/F1**: as content P/R/F1, counting only pairs whose speaker is right.
* **recall by kind** (gold kind) and **precision by kind** (predicted kind), for content and
  end to end.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from ..model import KINDS, UNKNOWN_SPEAKER_NAME, Attribution, Document, Failure, Span
from ..profile import available_languages, load_profile
from ..text import fold
from .gold import GoldAttribution, GoldDocument

log = logging.getLogger(__name__)

MATCH_THRESHOLD = 0.5
"""Minimum word F1 between a predicted and a gold content span for them to match."""

_WORD = re.compile(r"\w+")


# --------------------------------------------------------------------------------------------
# Content overlap


def span_words(span: Span) -> frozenset[tuple[int, int]]:
    """The words of ``span`` as ``(start, end)`` document offsets (see module docstring)."""
    return frozenset(
        (span.start + m.start(), span.start + m.end()) for m in _WORD.finditer(span.text)
    )


def word_f1(a: Span, b: Span) -> float:
    """Word-level F1 between two spans of the same document (0.0 when either has no word)."""
    words_a, words_b = span_words(a), span_words(b)
    if not words_a or not words_b:
        return 0.0
    return 2 * len(words_a & words_b) / (len(words_a) + len(words_b))


# --------------------------------------------------------------------------------------------
# Speaker names


@dataclass(frozen=True)
class SpeakerStopList:
    """Words of one language dropped before comparing speaker names, written as in text."""

    determiners: tuple[str, ...]
    titles: tuple[str, ...]


@lru_cache(maxsize=1)
def speaker_stop_lists() -> Mapping[str, SpeakerStopList]:
    """The README's lists, one per language, from each profile's ``speaker_match_determiners``
    and ``speaker_match_titles``. Names mix languages ("The Times" in French news), so every
    list applies to every name; they are kept per language only to be easy to review and
    extend."""
    lists = {}
    for lang in available_languages():
        profile = load_profile(lang)
        lists[lang] = SpeakerStopList(tuple(profile.get("speaker_match_determiners", ())),
                                      tuple(profile.get("speaker_match_titles", ())))
    return MappingProxyType(lists)


def _raw_words(name: str) -> list[str]:
    return _WORD.findall(fold(name))


def _build_stop_words(stop_lists: Mapping[str, SpeakerStopList]) -> frozenset[str]:
    """Stop entries normalised exactly like names ("l'" -> "l", "M." -> "m")."""
    words: set[str] = set()
    for stop_list in stop_lists.values():
        for entry in (*stop_list.determiners, *stop_list.titles):
            words.update(_raw_words(entry))
    return frozenset(words)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return _build_stop_words(speaker_stop_lists())


@lru_cache(maxsize=1)
def _unknown_words() -> frozenset[frozenset[str]]:
    """The words of each "unknown speaker" placeholder: the gold files' (``shared/eval``'s
    "source non précisée") and every profile's ``unknown_speaker`` ("unspecified source")."""
    names = {UNKNOWN_SPEAKER_NAME} | {load_profile(lang).get("unknown_speaker", UNKNOWN_SPEAKER_NAME)
                                      for lang in available_languages()}
    return frozenset(frozenset(_raw_words(name)) for name in names)


def speaker_words(name: str) -> frozenset[str]:
    """A speaker name as a set of comparable words.

    Casefolded, accents stripped, split into ``\\w+`` words, determiners and titles dropped:
    "M. Gérald Darmanin" and "gerald darmanin" give the same words.
    """
    stop_words = _stop_words()
    return frozenset(w for w in _raw_words(name) if w not in stop_words)


def names_nest(a: str, b: str) -> bool:
    """Whether one name's words are all among the other's (and neither is empty).

    An "unknown speaker" placeholder only matches a placeholder: without this guard, a system
    that gives up ("source non précisée", "unspecified source") would be right whenever the
    gold is "une source" or "a source".
    """
    words_a, words_b = speaker_words(a), speaker_words(b)
    if not words_a or not words_b:
        return False
    unknown = _unknown_words()
    if (words_a in unknown) != (words_b in unknown):
        return False
    return words_a <= words_b or words_b <= words_a


def speaker_matches(predicted: str, gold_names: Iterable[str]) -> bool:
    """Whether the predicted speaker nests with the gold speaker or any of its aliases."""
    return any(names_nest(predicted, gold) for gold in gold_names)


# --------------------------------------------------------------------------------------------
# Scores


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 from counts; 0.0 where a denominator is zero."""

    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.gold)

    @property
    def f1(self) -> float:
        return _ratio(2 * self.true_positives, self.predicted + self.gold)

    def to_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "true_positives": self.true_positives,
                "predicted": self.predicted, "gold": self.gold}


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass(frozen=True)
class Pair:
    """A gold attribution and the prediction its content matched."""

    doc_id: str
    gold: GoldAttribution
    predicted: Attribution
    overlap: float
    speaker_right: bool


@dataclass(frozen=True)
class Miss:
    """A gold attribution no prediction matched; ``best_overlap`` says how close one came."""

    doc_id: str
    gold: GoldAttribution
    best_overlap: float = 0.0


@dataclass(frozen=True)
class Spurious:
    """A prediction that matched no gold attribution; ``best_overlap`` as for :class:`Miss`."""

    doc_id: str
    predicted: Attribution
    best_overlap: float = 0.0


@dataclass(frozen=True)
class KindCounts:
    """Counts for one kind: gold side by gold kind, predicted side by predicted kind."""

    gold: int = 0
    gold_matched: int = 0
    gold_end_to_end: int = 0
    predicted: int = 0
    predicted_matched: int = 0
    predicted_end_to_end: int = 0

    @property
    def recall(self) -> float:
        return _ratio(self.gold_matched, self.gold)

    @property
    def end_to_end_recall(self) -> float:
        return _ratio(self.gold_end_to_end, self.gold)

    @property
    def precision(self) -> float:
        return _ratio(self.predicted_matched, self.predicted)

    @property
    def end_to_end_precision(self) -> float:
        return _ratio(self.predicted_end_to_end, self.predicted)

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "recall": round(self.recall, 4),
                "end_to_end_recall": round(self.end_to_end_recall, 4),
                "predicted": self.predicted, "precision": round(self.precision, 4),
                "end_to_end_precision": round(self.end_to_end_precision, 4)}


@dataclass(frozen=True)
class Report:
    """The scores of one corpus, with every pair, miss and spurious prediction behind them."""

    documents: int
    pairs: tuple[Pair, ...] = ()
    missed: tuple[Miss, ...] = ()
    spurious: tuple[Spurious, ...] = ()
    failures: tuple[Failure, ...] = ()
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def gold(self) -> int:
        return len(self.pairs) + len(self.missed)

    @property
    def predicted(self) -> int:
        return len(self.pairs) + len(self.spurious)

    @property
    def matched(self) -> int:
        return len(self.pairs)

    @property
    def speaker_right(self) -> int:
        return sum(pair.speaker_right for pair in self.pairs)

    @property
    def content(self) -> PRF:
        return PRF(self.matched, self.predicted, self.gold)

    @property
    def speaker_accuracy(self) -> float:
        """Right speakers among matched pairs (0.0 when nothing matched)."""
        return _ratio(self.speaker_right, self.matched)

    @property
    def end_to_end(self) -> PRF:
        return PRF(self.speaker_right, self.predicted, self.gold)

    @property
    def speaker_wrong(self) -> tuple[Pair, ...]:
        return tuple(pair for pair in self.pairs if not pair.speaker_right)

    @property
    def speaker_causes(self) -> dict[str, int]:
        """Wrong speakers by what the prediction was resolved from (:func:`speaker_cause`)."""
        causes: dict[str, int] = {cause: 0 for cause in SPEAKER_CAUSES}
        for pair in self.speaker_wrong:
            cause = speaker_cause(pair.predicted)
            causes[cause] = causes.get(cause, 0) + 1
        return causes

    @property
    def by_kind(self) -> dict[str, KindCounts]:
        """Per kind counts; kinds outside ``KINDS`` (from another system) are kept too."""
        counts: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}

        def bump(kind: str, key: str) -> None:
            bucket = counts.setdefault(kind, {})
            bucket[key] = bucket.get(key, 0) + 1

        for pair in self.pairs:
            for key in ("gold", "gold_matched") + (("gold_end_to_end",) if pair.speaker_right else ()):
                bump(pair.gold.kind, key)
            for key in ("predicted", "predicted_matched") + (
                    ("predicted_end_to_end",) if pair.speaker_right else ()):
                bump(pair.predicted.kind, key)
        for miss in self.missed:
            bump(miss.gold.kind, "gold")
        for spurious in self.spurious:
            bump(spurious.predicted.kind, "predicted")
        return {kind: KindCounts(**values) for kind, values in counts.items()}

    def to_dict(self, errors: bool = False) -> dict[str, Any]:
        """JSON-ready scores; with ``errors``, every miss, spurious prediction and wrong speaker."""
        out: dict[str, Any] = {
            "source": self.source,
            "documents": self.documents,
            "failures": [failure.to_dict() for failure in self.failures],
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "content": self.content.to_dict(),
            "speaker_accuracy": round(self.speaker_accuracy, 4),
            "speaker_right": self.speaker_right,
            "end_to_end": self.end_to_end.to_dict(),
            "by_kind": {kind: counts.to_dict() for kind, counts in self.by_kind.items()},
            "losses": {"missed": len(self.missed), "spurious": len(self.spurious),
                       "speaker_wrong": len(self.speaker_wrong),
                       "speaker_wrong_by_cause": self.speaker_causes},
        }
        if errors:
            out["errors"] = {
                "missed": [_miss_dict(miss) for miss in self.missed],
                "spurious": [_spurious_dict(spurious) for spurious in self.spurious],
                "speaker_wrong": [_pair_dict(pair) for pair in self.speaker_wrong],
            }
        return out


# Why a speaker came out wrong, told from the prediction alone (any language): the source
# mention was a pronoun, a role or description, a name; there was no source in the sentence
# (continuation, heading, unattributed); or nothing was resolved (the unknown speaker).
SPEAKER_CAUSES = ("pronoun", "role", "name", "no source", "unknown")


def speaker_cause(predicted: Attribution) -> str:
    if predicted.speaker.type == "unknown" and predicted.source is None:
        return "unknown" if predicted.rule == "unattributed" else "no source"
    if predicted.source is None:
        return "no source"
    if predicted.speaker.type == "unknown":
        return "unknown"
    words = predicted.source.text.replace("-", " ").split()
    if len(words) <= 2 and all(w[:1].islower() for w in words):
        return "pronoun" if len(words) == 1 or len(words[0]) > 3 else "role"
    if any(w[:1].isupper() for w in words[1:]) or (words and words[0][:1].isupper() and len(words) == 1):
        return "name"
    return "role"


def _miss_dict(miss: Miss) -> dict[str, Any]:
    return {"id": miss.doc_id, "kind": miss.gold.kind, "content": miss.gold.content.to_dict(),
            "gold_speaker": miss.gold.speaker, "best_overlap": round(miss.best_overlap, 4)}


def _spurious_dict(spurious: Spurious) -> dict[str, Any]:
    predicted = spurious.predicted
    return {"id": spurious.doc_id, "kind": predicted.kind, "content": predicted.content.to_dict(),
            "predicted_speaker": predicted.speaker.name, "rule": predicted.rule,
            "best_overlap": round(spurious.best_overlap, 4)}


def _pair_dict(pair: Pair) -> dict[str, Any]:
    return {"id": pair.doc_id, "kind": pair.gold.kind, "predicted_kind": pair.predicted.kind,
            "content": pair.gold.content.to_dict(), "gold_speaker": pair.gold.speaker,
            "gold_aliases": list(pair.gold.speaker_aliases),
            "predicted_speaker": pair.predicted.speaker.name, "rule": pair.predicted.rule,
            "overlap": round(pair.overlap, 4)}


# --------------------------------------------------------------------------------------------
# Matching


def match_contents(
    gold: Sequence[GoldAttribution], predicted: Sequence[Attribution],
    threshold: float = MATCH_THRESHOLD,
) -> tuple[list[tuple[int, int, float]], list[list[float]]]:
    """One-to-one content matching of one document, best word F1 first.

    Returns the matched ``(gold index, predicted index, word F1)`` triples and the full
    gold x predicted word F1 matrix (used to say how close a miss came).
    """
    overlaps = [[word_f1(g.content, p.content) for p in predicted] for g in gold]
    candidates = sorted(
        ((overlaps[gi][pj], gi, pj) for gi in range(len(gold)) for pj in range(len(predicted))
         if overlaps[gi][pj] >= threshold),
        key=lambda c: (-c[0], gold[c[1]].content.start, predicted[c[2]].content.start, c[1], c[2]),
    )
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    matches: list[tuple[int, int, float]] = []
    for overlap, gi, pj in candidates:
        if gi in used_gold or pj in used_predicted:
            continue
        used_gold.add(gi)
        used_predicted.add(pj)
        matches.append((gi, pj, overlap))
    return matches, overlaps


@dataclass
class _Tally:
    pairs: list[Pair] = field(default_factory=list)
    missed: list[Miss] = field(default_factory=list)
    spurious: list[Spurious] = field(default_factory=list)


def _score_document(tally: _Tally, doc_id: str, gold: Sequence[GoldAttribution],
                    predicted: Sequence[Attribution]) -> None:
    """Add one document's pairs, misses and spurious predictions to ``tally``."""
    matches, overlaps = match_contents(gold, predicted)
    matched_gold = {gi: (pj, overlap) for gi, pj, overlap in matches}
    matched_predicted = {pj for _, pj, _ in matches}
    for gi, gold_attribution in enumerate(gold):
        if gi in matched_gold:
            pj, overlap = matched_gold[gi]
            right = speaker_matches(predicted[pj].speaker.name, gold_attribution.speaker_names)
            tally.pairs.append(Pair(doc_id, gold_attribution, predicted[pj], overlap, right))
        else:
            tally.missed.append(Miss(doc_id, gold_attribution, max(overlaps[gi], default=0.0)))
    for pj, prediction in enumerate(predicted):
        if pj not in matched_predicted:
            best = max((row[pj] for row in overlaps), default=0.0)
            tally.spurious.append(Spurious(doc_id, prediction, best))


def score(
    gold_docs: Iterable[GoldDocument], predicted_docs: Iterable[Document | Failure],
    source: str = "",
) -> Report:
    """Score predicted documents against gold ones, matched by document id.

    A gold document with no prediction, or whose prediction is a :class:`Failure`, counts all
    its gold attributions as missed (and is listed in ``failures``): a system must not gain by
    failing. Predictions for documents absent from the gold are ignored with a warning.
    """
    gold_list = list(gold_docs)
    by_id: dict[str, Document | Failure] = {}
    for prediction in predicted_docs:
        by_id[prediction.id] = prediction
    unknown = set(by_id) - {g.id for g in gold_list}
    if unknown:
        log.warning("ignoring predictions for %d document(s) not in the gold: %s",
                    len(unknown), ", ".join(sorted(unknown)[:5]))
    tally = _Tally()
    failures: list[Failure] = []
    for gold_doc in gold_list:
        prediction = by_id.get(gold_doc.id)
        if prediction is None:
            prediction = Failure(gold_doc.id, "no prediction for this document")
        if isinstance(prediction, Failure):
            failures.append(prediction)
            _score_document(tally, gold_doc.id, gold_doc.attributions, ())
            continue
        if prediction.text and prediction.text != gold_doc.text:
            log.warning("%s: predicted text differs from the gold text; offsets may not agree",
                        gold_doc.id)
        _score_document(tally, gold_doc.id, gold_doc.attributions, prediction.attributions)
    return Report(
        documents=len(gold_list), pairs=tuple(tally.pairs), missed=tuple(tally.missed),
        spurious=tuple(tally.spurious), failures=tuple(failures), source=source,
    )
