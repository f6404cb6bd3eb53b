"""Evaluation harness: score propos (or any system) against gold attribution files.

Kept apart from the unit tests on purpose: tests say whether code behaves as written, this says
how well extraction does on annotated news, which is a number to track, not a pass/fail.

    >>> from propos.evaluate import evaluate_file, format_report
    >>> print(format_report(evaluate_file("../shared/eval/fr/dev.jsonl"), errors=True))

:func:`score` needs no model: it compares gold documents with already predicted ones.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ..model import Document, Failure
from ..resolve.outlet import with_outlet
from .gold import GoldAttribution, GoldDocument, GoldError, read_gold
from .metrics import (
    MATCH_THRESHOLD,
    PRF,
    KindCounts,
    Miss,
    Pair,
    Report,
    Spurious,
    score,
    speaker_matches,
    speaker_stop_lists,
    speaker_words,
    word_f1,
)
from .report import format_report

__all__ = [
    "GoldAttribution", "GoldDocument", "GoldError", "KindCounts", "MATCH_THRESHOLD", "Miss",
    "PRF", "Pair", "Report", "Spurious", "evaluate_file", "format_report", "predict",
    "read_gold", "score", "speaker_matches", "speaker_stop_lists", "speaker_words", "word_f1",
]


def predict(gold_docs: Sequence[GoldDocument], batch_size: int = 16
            ) -> Iterator[Document | Failure]:
    """Run ``propos.extract_many`` over the gold texts, one stream per run of same-language docs.

    Grouping consecutive documents keeps spaCy batching while honouring each record's ``lang``.
    """
    import propos

    start = 0
    while start < len(gold_docs):
        lang = gold_docs[start].lang
        end = start
        while end < len(gold_docs) and gold_docs[end].lang == lang:
            end += 1
        items = [(doc.id, doc.text) for doc in gold_docs[start:end]]
        for gold, result in zip(gold_docs[start:end], propos.extract_many(items, lang=lang,
                                                                           batch_size=batch_size)):
            # the article's own claims ("selon nos informations") are its outlet's
            outlet = (gold.meta.get("provenance") or {}).get("outlet")
            yield with_outlet(result, outlet) if isinstance(result, Document) else result
        start = end


def evaluate_file(path: str | Path, batch_size: int = 16, cofenet: str | Path | None = None
                  ) -> Report:
    """Extract from every text of the gold file at ``path`` and score the result.

    ``path`` may also be a PolNeAR compartment (``text/`` + ``attributions/``): then the speaker
    is judged by source-span overlap, and with ``cofenet`` (CofeNet's ``valid.txt``) the
    token-level exact/begin-match scores are added to ``report.meta["cofenet"]``.
    """
    from .polnear import is_polnear, joined_per_cue, predictions, read_polnear, score_polnear

    if is_polnear(path):
        gold_docs = read_polnear(path)
        pieces = list(predictions(gold_docs, batch_size=batch_size))
        report = score_polnear(gold_docs, [joined_per_cue(p) for p in pieces], source=str(path))
        if cofenet is not None:
            from .cofenet import score_cofenet

            texts = {d.id: d.text for d in gold_docs}
            documents = [p for p in pieces if isinstance(p, Document)]
            report.meta["cofenet"] = score_cofenet(cofenet, documents, texts)
            report.meta["cofenet_source"] = str(cofenet)
        return report
    gold_docs = read_gold(path)
    return score(gold_docs, predict(gold_docs, batch_size=batch_size), source=str(path))
