"""Training the attribution tagger (:mod:`propos.tagger`) on annotated news.

One command reproduces the shipped English weights (``make train-en``)::

    propos train-tagger ../shared/eval/polnear/train --lang en

It parses every article with the language's spaCy model and propos' rules, labels each token
from the gold spans (BIO over source, cue, content), and fits a CRF (L-BFGS with L1 and L2
penalties, CRFsuite). Where attributions nest, the shorter content is written over the longer
one and sources and cues over contents, as CofeNet's release of PolNeAR does.

``--holdout F`` keeps a share of the articles out of training and scores them with the
shared metric, so features and settings can be chosen without ever looking at the dev set.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from .attribute import find_attributions
from .component import AttributionFinder, ud_labels
from .evaluate.gold import GoldAttribution, GoldDocument
from .profile import LanguageProfile, load_profile
from .tagger import OUTSIDE, AttributionTagger, FeatureExtractor

log = logging.getLogger(__name__)

DEFAULT_C1 = 0.2
DEFAULT_C2 = 1.5
DEFAULT_ITERATIONS = 150


@dataclass(frozen=True)
class TrainingSummary:
    model: Path
    articles: int
    sequences: int
    tokens: int
    seconds: float
    size_bytes: int
    holdout_articles: int = 0
    holdout_report: object | None = None  # propos.evaluate.metrics.Report


def char_roles(text: str, attributions: Sequence[GoldAttribution]) -> list[tuple[str, int] | None]:
    """Per character, (role, span number) of the gold span written last over it."""
    roles: list[tuple[str, int] | None] = [None] * len(text)
    number = 0

    def write(role: str, start: int, end: int) -> None:
        nonlocal number
        number += 1
        for k in range(start, min(end, len(text))):
            roles[k] = (role, number)

    for a in sorted(attributions, key=lambda a: a.content.start - a.content.end):
        # a content in pieces: what lies between them (the cue, a comma) is not content
        for piece in a.content_pieces or (a.content,):
            write("content", piece.start, piece.end)
    for a in attributions:
        if a.source is not None:
            write("source", a.source.start, a.source.end)
        if a.cue is not None:
            write("cue", a.cue.start, a.cue.end)
    return roles


def token_labels(starts: Sequence[int], ends: Sequence[int],
                 roles: list[tuple[str, int] | None]) -> list[str]:
    """BILOU labels of a paragraph's tokens (character starts and ends) from the per-character
    roles: a span's first token B-, its last L-, a one-token span U-, the others I-."""
    marks = [next((r for r in roles[start:end] if r is not None), None)
             for start, end in zip(starts, ends)]
    labels = []
    for k, mark in enumerate(marks):
        if mark is None:
            labels.append(OUTSIDE)
            continue
        first = k == 0 or marks[k - 1] != mark
        last = k + 1 == len(marks) or marks[k + 1] != mark
        prefix = "U-" if first and last else "B-" if first else "L-" if last else "I-"
        labels.append(prefix + mark[0])
    return labels


def parse(gold_docs: Sequence[GoldDocument], profile: LanguageProfile,
          progress: Callable[[int], None] | None = None) -> list[Doc]:
    """The articles parsed by the language's pipeline, as the attribution component sees
    them (the rules run later, with the features)."""
    from .pipeline import build_nlp
    from .text import normalise

    nlp = build_nlp(profile, use_tagger=False)
    finder = nlp.get_pipe("propos_attributions")
    docs = []
    with nlp.select_pipes(disable=["propos_attributions"]):
        for doc in nlp.pipe((normalise(g.text) for g in gold_docs), batch_size=16):
            finder.quotes(doc)  # the parser's cuts inside quotes undone, as the component does
            docs.append(doc)
            if progress:
                progress(1)
    return docs


def sequences(doc: Doc, profile: LanguageProfile, extractor: FeatureExtractor,
              gold: GoldDocument | None = None) -> tuple[list[list[list[str]]], list[list[str]]]:
    """The CRF's input for one parsed article, with the gold labels when ``gold`` is given."""
    quotes = doc._.quotes or []
    with ud_labels(doc, profile):
        rules = find_attributions(doc, quotes, profile)
        arrays = extractor.arrays(doc)
        units, feats = extractor.sequences(arrays, quotes, rules)
    labels: list[list[str]] = []
    if gold is not None:
        roles = char_roles(doc.text, gold.attributions)
        labels = [token_labels([arrays.idx[i] for i in unit], [arrays.end_char(i) for i in unit], roles)
                  for unit in units]
    return feats, labels


def split_holdout(gold_docs: Sequence[GoldDocument], holdout: float
                  ) -> tuple[list[int], list[int]]:
    """Indices of training and held-out articles: every k-th article in id order is held out."""
    if holdout <= 0:
        return list(range(len(gold_docs))), []
    step = max(2, round(1 / holdout))
    order = sorted(range(len(gold_docs)), key=lambda i: gold_docs[i].id)
    held = {i for k, i in enumerate(order) if k % step == step - 1}
    return [i for i in range(len(gold_docs)) if i not in held], sorted(held)


def fit(data: Iterable[tuple[list[list[str]], list[str]]], out: Path, c1: float = DEFAULT_C1,
        c2: float = DEFAULT_C2, max_iterations: int = DEFAULT_ITERATIONS) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in data:
        trainer.append(feats, labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def score_holdout(docs: Sequence[Doc], gold_docs: Sequence[GoldDocument], model: Path,
                  profile: LanguageProfile):
    """The shared metric on held-out articles, tagged with the freshly trained weights."""
    from .evaluate.polnear import in_polnear_convention, score_polnear
    from .model import Document

    finder = AttributionFinder(profile, AttributionTagger(profile, model))
    predicted = []
    for doc, gold in zip(docs, gold_docs):
        attributions = finder(doc)._.attributions
        predicted.append(in_polnear_convention(Document(
            gold.id, profile.lang, gold.text, tuple(a.within(gold.text) for a in attributions))))
    return score_polnear(gold_docs, predicted, source="holdout")


def train_tagger(gold_docs: Sequence[GoldDocument], out: Path, lang: str = "en",
                 holdout: float = 0.0, c1: float = DEFAULT_C1, c2: float = DEFAULT_C2,
                 max_iterations: int = DEFAULT_ITERATIONS,
                 progress: Callable[[int], None] | None = None) -> TrainingSummary:
    """Train the tagger of ``lang`` on ``gold_docs`` and write its weights to ``out``."""
    started = time.perf_counter()
    profile = load_profile(lang)
    extractor = FeatureExtractor(profile)
    docs = parse(gold_docs, profile, progress)
    train_ids, held_ids = split_holdout(gold_docs, holdout)
    data = []
    for i in train_ids:
        feats, labels = sequences(docs[i], profile, extractor, gold_docs[i])
        data.extend(zip(feats, labels))
    log.info("training on %d sequences from %d articles", len(data), len(train_ids))
    fit(data, out, c1, c2, max_iterations)
    report = None
    if held_ids:
        report = score_holdout([docs[i] for i in held_ids], [gold_docs[i] for i in held_ids],
                               out, profile)
    return TrainingSummary(out, len(train_ids), len(data), sum(len(f) for f, _ in data),
                           time.perf_counter() - started, out.stat().st_size, len(held_ids),
                           report)


__all__ = ["TrainingSummary", "char_roles", "token_labels", "train_tagger", "split_holdout"]
