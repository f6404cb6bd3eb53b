"""Training the attribution tagger (:mod:`propos.tagger`) on annotated news.

One command reproduces the shipped English weights (``make train-en``)::

    propos train-tagger ../shared/eval/polnear/train --lang en

It parses every article with the language's spaCy model and propos' rules, labels each token
from the gold spans (BIO over source, cue, content), and fits a CRF (L-BFGS with L1 and L2
penalties, CRFsuite). Where attributions nest, the shorter content is written over the longer
one and sources and cues over contents, as CofeNet's release of PolNeAR does.

``--holdout F`` keeps a share of the articles out of training and scores them with the
shared metric, so features and settings can be chosen without ever looking at the dev set.

The weights' sidecar (``attribution.crfsuite.json``) records what produced them: the feature
version, a hash of the cue lexicon the features read and a hash of the features computed
over a fixed probe article (``lang/<code>/tagger_probe.txt``), which moves with any change
to the feature code, the rules (whose findings are features) or the parse. The test suite
compares it with what the code computes now (:func:`feature_fingerprint`), so weights that
no longer match their features cannot ship unnoticed. Training is deterministic (CRFsuite's
L-BFGS has no random state; articles are read in id order; ``make train-en`` also fixes
Python's hash seed), so the same data, code and settings give the same weights.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from .arrays import OUTSIDE, Arrays
from .attribute import find_attributions
from .component import AttributionFinder, ud_labels
from .evaluate.gold import GoldAttribution, GoldDocument
from .profile import LanguageProfile, load_profile
from .rerank import (EPOCHS, RANKER_VERSION, SEED, Perceptron, content_probabilities, ranker_path,
                     training_groups)
from .tagger import FEATURE_VERSION, AttributionTagger, FeatureExtractor

log = logging.getLogger(__name__)

DEFAULT_C1 = 0.2
DEFAULT_C2 = 1.5
DEFAULT_ITERATIONS = 150
RANKER_CRF_ITERATIONS = 75  # the two half-data CRFs whose output the second stage learns from
PROBE_FILE = "tagger_probe.txt"  # in lang/<code>/: the article the feature fingerprint reads


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
    holdout_report_crf: object | None = None  # the same, the CRF alone (no second stage)


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


def parse(texts: Iterable[str], profile: LanguageProfile,
          progress: Callable[[int], None] | None = None) -> list[Doc]:
    """The texts parsed by the language's pipeline, as the attribution component sees
    them (the rules run later, with the features)."""
    from .pipeline import build_nlp
    from .text import normalise

    nlp = build_nlp(profile, use_tagger=False)
    finder = nlp.get_pipe("propos_attributions")
    docs = []
    with nlp.select_pipes(disable=["propos_attributions"]):
        for doc in nlp.pipe((normalise(t) for t in texts), batch_size=16):
            finder.quotes(doc)  # the parser's cuts inside quotes undone, as the component does
            docs.append(doc)
            if progress:
                progress(1)
    return docs


@dataclass
class _Article:
    """One parsed article as the CRF (and the second stage) sees it."""

    arrays: Arrays
    units: list[list[int]]
    feats: list[list[list[str]]]
    labels: list[list[str]]
    quotes: list


def _article(doc: Doc, profile: LanguageProfile, extractor: FeatureExtractor,
             gold: GoldDocument | None = None) -> _Article:
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
    return _Article(arrays, units, feats, labels, quotes)


def sequences(doc: Doc, profile: LanguageProfile, extractor: FeatureExtractor,
              gold: GoldDocument | None = None) -> tuple[list[list[list[str]]], list[list[str]]]:
    """The CRF's input for one parsed article, with the gold labels when ``gold`` is given."""
    article = _article(doc, profile, extractor, gold)
    return article.feats, article.labels


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
                  profile: LanguageProfile, use_ranker: bool = True):
    """The shared metric on held-out articles, tagged with the freshly trained weights."""
    from .evaluate.polnear import in_polnear_convention, score_polnear
    from .model import Document

    finder = AttributionFinder(profile, AttributionTagger(profile, model, use_ranker))
    predicted = []
    for doc, gold in zip(docs, gold_docs):
        attributions = finder(doc)._.attributions
        predicted.append(in_polnear_convention(Document(
            gold.id, profile.lang, gold.text, tuple(a.within(gold.text) for a in attributions))))
    return score_polnear(gold_docs, predicted, source="holdout")


def train_ranker(articles: Sequence[_Article], out: Path, c1: float, c2: float,
                 max_iterations: int = RANKER_CRF_ITERATIONS) -> dict:
    """The second stage (:mod:`propos.rerank`), trained on CRF output for articles that CRF
    was not trained on: two CRFs, each on half the articles (with fewer iterations: only
    their kind of mistakes matters), tag the other half. Its weights go beside ``out``;
    returns what the sidecar records of it."""
    import tempfile

    import pycrfsuite

    folds = [articles[0::2], articles[1::2]]
    groups = []
    with tempfile.TemporaryDirectory() as folder:
        for k in (0, 1):
            model = Path(folder) / f"fold{k}.crfsuite"
            fit(((f, labels) for a in folds[1 - k] for f, labels in zip(a.feats, a.labels)),
                model, c1, c2, max_iterations)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            for a in folds[k]:
                for unit, feats, labels in zip(a.units, a.feats, a.labels):
                    tags = tagger.tag(feats)
                    if any(t.endswith("content") for t in tags):
                        groups.extend(training_groups(a.arrays, unit, tags,
                                                      content_probabilities(tagger, len(tags)),
                                                      a.quotes, labels))
            tagger.close()
    log.info("training the second stage on %d content runs", len(groups))
    ranker = Perceptron.train(groups)
    info = {"ranker_version": RANKER_VERSION, "groups": len(groups),
            "features": len(ranker.weights), "fold_crf_iterations": max_iterations,
            "epochs": EPOCHS, "seed": SEED}
    ranker.save(ranker_path(out), info)
    return info


def train_tagger(gold_docs: Sequence[GoldDocument], out: Path, lang: str = "en",
                 holdout: float = 0.0, c1: float = DEFAULT_C1, c2: float = DEFAULT_C2,
                 max_iterations: int = DEFAULT_ITERATIONS, ranker: bool = False,
                 progress: Callable[[int], None] | None = None) -> TrainingSummary:
    """Train the tagger of ``lang`` on ``gold_docs`` and write its weights to ``out`` (and,
    with ``ranker``, the second stage's beside them)."""
    started = time.perf_counter()
    profile = load_profile(lang)
    extractor = FeatureExtractor(profile)
    docs = parse((g.text for g in gold_docs), profile, progress)
    train_ids, held_ids = split_holdout(gold_docs, holdout)
    articles = [_article(docs[i], profile, extractor, gold_docs[i]) for i in train_ids]
    data = [(f, labels) for a in articles for f, labels in zip(a.feats, a.labels)]
    log.info("training on %d sequences from %d articles", len(data), len(train_ids))
    out.parent.mkdir(parents=True, exist_ok=True)
    ranker_path(out).unlink(missing_ok=True)  # never beside weights it was not trained with
    ranker_info = train_ranker(articles, out, c1, c2) if ranker else None
    fit(data, out, c1, c2, max_iterations)
    write_metadata(out, {
        **feature_fingerprint(profile),
        "trained_on": {"articles": len(train_ids), "sequences": len(data),
                       "tokens": sum(len(f) for f, _ in data), "holdout": holdout},
        "settings": {"algorithm": "lbfgs", "c1": c1, "c2": c2, "max_iterations": max_iterations},
        "ranker": ranker_info,
    })
    report = report_crf = None
    if held_ids:
        held_docs, held_gold = [docs[i] for i in held_ids], [gold_docs[i] for i in held_ids]
        report = score_holdout(held_docs, held_gold, out, profile)
        if ranker:
            report_crf = score_holdout(held_docs, held_gold, out, profile, use_ranker=False)
    return TrainingSummary(out, len(train_ids), len(data), sum(len(f) for f, _ in data),
                           time.perf_counter() - started, out.stat().st_size, len(held_ids),
                           report, report_crf)


def metadata_path(model: Path) -> Path:
    """The sidecar JSON of a weights file: ``attribution.crfsuite`` → ``….crfsuite.json``."""
    return model.with_name(model.name + ".json")


def write_metadata(model: Path, metadata: dict) -> None:
    metadata_path(model).write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n",
                                    encoding="utf-8")


def read_metadata(model: Path) -> dict | None:
    """The sidecar of ``model``, or None when there is none."""
    path = metadata_path(model)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def feature_fingerprint(profile: LanguageProfile, probe: str | None = None) -> dict:
    """What the tagger's features are, as this code computes them: the feature version, a
    hash of the cue lexicon they read, and a hash of every feature of every token of the
    probe article (the profile's ``tagger_probe.txt`` unless ``probe`` is given), which the
    feature code, the rules and the parse all shape."""
    import spacy

    if probe is None:
        probe = (profile.folder / PROBE_FILE).read_text(encoding="utf-8")
    extractor = FeatureExtractor(profile)
    [doc] = parse([probe], profile)
    feats, _ = sequences(doc, profile, extractor)
    lexicon = sorted(extractor.cue_lemmas) + ["|"] + sorted(extractor.cue_forms)
    return {
        "feature_version": FEATURE_VERSION,
        "lexicon_sha256": _sha256(lexicon),
        "probe_features_sha256": _sha256(feats),
        "probe_features": sum(len(f) for unit in feats for f in unit),
        "spacy_model": profile.model_package,
        "spacy_version": spacy.__version__,
    }


def _sha256(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()


__all__ = ["TrainingSummary", "char_roles", "token_labels", "train_tagger", "split_holdout",
           "feature_fingerprint", "metadata_path", "read_metadata", "write_metadata"]
