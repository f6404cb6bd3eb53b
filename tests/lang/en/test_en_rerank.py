"""The tagger's second stage (propos.rerank): the candidate contents the parse offers around
a CRF content run, and the averaged perceptron that chooses among them."""

from __future__ import annotations

import pytest

from propos.arrays import paragraphs
from propos.component import ud_labels
from propos.pipeline import build_nlp
from propos.profile import load_profile
from propos.rerank import Candidates, Perceptron, rechoose
from propos.tagger import FeatureExtractor


@pytest.fixture(scope="module")
def english():
    profile = load_profile("en")
    return profile, build_nlp(profile, use_tagger=False), FeatureExtractor(profile)


def _offered(english, text, content, cue="said", source=None):
    """The candidates for a CRF run over ``content``, with ``cue`` (and ``source``) tagged."""
    profile, nlp, extractor = english
    doc = nlp(text)
    with ud_labels(doc, profile):
        arrays = extractor.arrays(doc)
    [unit] = paragraphs(arrays)
    words = [arrays.text[i] for i in unit]

    def run(part):
        start = text.index(part)
        ks = [k for k, i in enumerate(unit) if start <= arrays.idx[i] < start + len(part)]
        return ks[0], ks[-1] + 1

    tags = ["O"] * len(unit)
    for role, part in (("content", content), ("cue", cue), ("source", source)):
        if part is None:
            continue
        s, e = run(part)
        for k in range(s, e):
            tags[k] = ("U-" if e - s == 1 else "B-" if k == s else "L-" if k == e - 1 else "I-") + role
    offered = Candidates(arrays, unit, tags, [0.5] * len(unit), doc._.quotes or [])
    [content_run] = offered.runs
    spans = [" ".join(words[s:e]) for (s, e), _ in offered.for_run(content_run)]
    return arrays, unit, tags, offered, spans, words


def test_a_content_that_runs_on_through_an_adjunct_can_be_cut_back(english):
    text = "Ann Lee said the plan would fail after the vote on Monday."
    *_, spans, _ = _offered(english, text, "the plan would fail after the vote on Monday.",
                            source="Ann Lee")
    assert "the plan would fail after the vote on Monday ." in spans  # the CRF's own run
    assert "the plan would fail" in spans


def test_a_content_one_word_short_can_grow_to_its_clause(english):
    text = "Ann Lee said the plan would fail."
    *_, spans, _ = _offered(english, text, "would fail", source="Ann Lee")
    assert "the plan would fail" in spans


def test_no_candidate_takes_the_cue_or_the_source(english):
    text = "The plan would fail, Ann Lee said on Monday."
    *_, spans, _ = _offered(english, text, "The plan would fail", source="Ann Lee")
    assert spans and not any("said" in s or "Lee" in s for s in spans)


def test_the_perceptron_learns_which_candidate_is_right():
    groups = [([["how=run", "aw=after"], ["how=sub", "aw=."]], 1),
              ([["how=sub", "aw=."], ["how=run", "aw=after"]], 0),
              ([["isrun", "aw=,"], ["aw=on"]], 0)]
    model = Perceptron.train(groups, epochs=5)
    assert [model.best(c) for c, _ in groups] == [1, 0, 0]
    assert Perceptron.train(groups, epochs=5).weights == model.weights  # seeded


def test_rechoosing_rewrites_the_run_as_the_chosen_span(english):
    text = "Ann Lee said the plan would fail after the vote on Monday."
    arrays, unit, tags, _, _, words = _offered(
        english, text, "the plan would fail after the vote on Monday.", source="Ann Lee")
    model = Perceptron({"aw=after": 5.0})  # the span that ends before "after the vote"
    new = rechoose(model, arrays, unit, tags, [0.5] * len(unit), [])
    content = [w for w, t in zip(words, new) if t.endswith("content")]
    assert " ".join(content) == "the plan would fail"
    assert [t for t in new if t.endswith(("cue", "source"))] == ["B-source", "L-source", "U-cue"]
