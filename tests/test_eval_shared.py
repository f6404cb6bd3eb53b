"""Run the evaluation harness end to end on the shared French gold (loads spaCy).

Only checks that it runs and yields well-formed numbers: the scores themselves are tracked with
``propos eval``, not asserted here, so that improving the engine never breaks this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_EVAL = Path(__file__).parents[1].parent / "shared" / "eval"
DEV = SHARED_EVAL / "fr" / "dev.jsonl"

# Loads fr_core_news_md through propos.load("fr"): a few seconds, no network.
pytestmark = pytest.mark.model


@pytest.mark.skipif(not DEV.is_file(), reason=f"shared gold not found at {DEV} "
                    "(the eval data lives next to the repository, in ../shared/eval)")
def test_evaluate_file_on_shared_dev() -> None:
    spacy = pytest.importorskip("spacy")
    if not spacy.util.is_package("fr_core_news_md"):
        pytest.skip("spaCy model fr_core_news_md is not installed")
    from propos.evaluate import evaluate_file, format_report

    report = evaluate_file(DEV)
    assert report.documents > 0 and report.gold > 0
    assert not report.failures, report.failures
    numbers = [report.content.precision, report.content.recall, report.content.f1,
               report.speaker_accuracy, report.end_to_end.precision, report.end_to_end.recall,
               report.end_to_end.f1]
    numbers += [value for counts in report.by_kind.values()
                for value in (counts.recall, counts.end_to_end_recall, counts.precision)]
    assert all(0.0 <= value <= 1.0 for value in numbers), numbers
    assert report.to_dict(errors=True)["gold"] == report.gold
    assert "end-to-end" in format_report(report, errors=True)


POLNEAR_DEV = SHARED_EVAL / "polnear" / "dev"
COFENET_VALID = SHARED_EVAL / "polnear" / "cofenet" / "valid.txt"


@pytest.mark.skipif(not COFENET_VALID.is_file(), reason=f"CofeNet's tokens not found at "
                    f"{COFENET_VALID} (the eval data lives next to the repository)")
def test_cofenet_scorer_agrees_with_polnear_gold() -> None:
    """PolNeAR's own gold, mapped onto CofeNet's tokens, must score (nearly) perfectly: the
    check that offsets, PTB escapes and contents in pieces are mapped the way CofeNet did."""
    from propos.evaluate.cofenet import score_cofenet
    from propos.evaluate.polnear import read_polnear
    from propos.model import Attribution, Document, Speaker

    gold = read_polnear(POLNEAR_DEV)
    documents = [Document(g.id, "en", g.text, tuple(
        Attribution(a.kind, piece, Speaker(a.speaker), a.cue, a.source)
        for a in g.attributions for piece in (a.content_pieces or (a.content,))))
        for g in gold]
    result = score_cofenet(COFENET_VALID, documents, {g.id: g.text for g in gold})
    # the few left are CofeNet's own conversion (a full stop between two pieces taken in,
    # a word cut differently), not ours to copy
    assert all(result["exact"][c].f1 > 0.95 for c in ("source", "cue", "content")), result
