"""The English tagger's weights and the code's features agree: the tagger reads the rules'
findings as features, so a change to the rules, the feature code, the cue lexicons or the
parse silently shifts what the shipped weights see. Their sidecar records the fingerprint
of the features they were trained on; these tests fail when the code now computes others
(retrain with `make train-en`), and check that training is reproducible."""

from __future__ import annotations

import pytest

from propos.evaluate.gold import GoldAttribution, GoldDocument
from propos.model import Span
from propos.profile import load_profile
from propos.training import feature_fingerprint, metadata_path, read_metadata, train_tagger

pytestmark = pytest.mark.model

CHECKED = ("feature_version", "lexicon_sha256", "probe_features_sha256")


def test_shipped_weights_were_trained_on_the_features_the_code_computes():
    profile = load_profile("en")
    weights = profile.tagger_path
    assert weights is not None, "the English profile names no tagger weights"
    recorded = read_metadata(weights)
    assert recorded is not None, f"{metadata_path(weights).name} is missing: run make train-en"
    now = feature_fingerprint(profile)
    changed = [key for key in CHECKED if recorded.get(key) != now[key]]
    assert not changed, (
        f"the shipped tagger weights were trained on other features ({', '.join(changed)} "
        f"changed since; the rules, tagger.py, the cue lexicons or the spaCy model moved): "
        f"retrain with `make train-en` and ship the weights with their sidecar")


def test_the_fingerprint_moves_with_the_features():
    profile = load_profile("en")
    one = feature_fingerprint(profile, probe="Ann Lee said the plan would fail.")
    other = feature_fingerprint(profile, probe="Ann Lee said the plan would work.")
    assert one["feature_version"] == other["feature_version"]
    assert one["lexicon_sha256"] == other["lexicon_sha256"]
    assert one["probe_features_sha256"] != other["probe_features_sha256"]


def _article(doc_id: str, text: str, content: str, cue: str, source: str) -> GoldDocument:
    def span(part: str) -> Span:
        start = text.index(part)
        return Span(start, start + len(part), part)

    return GoldDocument(doc_id, "en", text, (GoldAttribution(
        "indirect", span(content), source, cue=span(cue), source=span(source)),))


def test_training_twice_gives_the_same_weights_and_records_them(tmp_path):
    articles = [
        _article("a1", "Tom Baker said the repairs would cost more than planned.",
                 "the repairs would cost more than planned", "said", "Tom Baker"),
        _article("a2", "The mayor believes the bridge is not safe.",
                 "the bridge is not safe", "believes", "The mayor"),
    ]
    first, second = tmp_path / "one.crfsuite", tmp_path / "two.crfsuite"
    for out in (first, second):
        train_tagger(articles, out, max_iterations=5)
    assert first.read_bytes() == second.read_bytes()
    recorded = read_metadata(first)
    assert recorded == read_metadata(second)
    assert recorded["trained_on"]["articles"] == 2
    now = feature_fingerprint(load_profile("en"))
    assert {k: recorded[k] for k in CHECKED} == {k: now[k] for k in CHECKED}
