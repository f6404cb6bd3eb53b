"""PolNeAR reader (brat standoff, first annotator, newline inside a text field) and CofeNet
token scores, on hand-made files."""

import json

from propos.evaluate.cofenet import score_cofenet, spans_of
from propos.evaluate.polnear import in_polnear_convention, read_polnear, score_polnear
from propos.model import Attribution, Document, Span, Speaker

TEXT = "Tom Baker said the plan\nwould fail. It rained."


def _write_article(root, article, text, ann):
    """A PolNeAR-style compartment: text/ARTICLE.txt and a first annotator's brat file."""
    (root / "text").mkdir(exist_ok=True)
    (root / "attributions").mkdir(exist_ok=True)
    (root / "text" / f"{article}.txt").write_text(text, encoding="utf-8")
    (root / "attributions" / f"{article}_aaaa.ann").write_text(ann, encoding="utf-8")
    return root


def _corpus(tmp_path):
    ann = ("T1\tSource 0 9\tTom Baker\nT2\tCue 10 14\tsaid\nT3\tContent 15 34\tthe plan\n"
           "would fail\nT4\tAttribution 10 14\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n")
    _write_article(tmp_path, "a1", TEXT, ann)
    (tmp_path / "attributions" / "a1_bbbb.ann").write_text("", encoding="utf-8")
    return tmp_path


def test_reader_first_annotator_and_newline(tmp_path):
    docs = read_polnear(_corpus(tmp_path))
    assert len(docs) == 1 and docs[0].lang == "en"
    [g] = docs[0].attributions
    assert g.content.text == "the plan\nwould fail" and g.source.text == "Tom Baker"
    assert g.cue.text == "said"


def test_speaker_by_source_overlap(tmp_path):
    docs = read_polnear(_corpus(tmp_path))
    pred = Attribution("indirect", Span.of(TEXT, 15, 34), Speaker("whoever"), Span.of(TEXT, 10, 14),
                       Span.of(TEXT, 4, 9))
    report = score_polnear(docs, [Document("a1", "en", TEXT, (pred,))])
    assert report.content.f1 == 1.0 and report.end_to_end.f1 == 1.0


def test_cofenet_exact_and_begin(tmp_path):
    tokens = ["Tom", "Baker", "said", "the", "plan", "would", "fail", ".", "It", "rained", "."]
    labels = ["B-source", "I-source", "B-cue", "B-content", "I-content", "I-content", "I-content",
              "O", "O", "O", "O"]
    valid = tmp_path / "valid.txt"
    valid.write_text(json.dumps({"tokens": tokens, "labels": labels, "id": "a1_aaaa"}) + "\n")
    pred = Attribution("indirect", Span.of(TEXT, 15, 27), Speaker("x"), Span.of(TEXT, 10, 14),
                       Span.of(TEXT, 0, 9))
    result = score_cofenet(valid, [Document("a1", "en", TEXT, (pred,))], {"a1": TEXT})
    assert result["exact"]["source"].f1 == 1.0 and result["exact"]["cue"].f1 == 1.0
    assert result["exact"]["content"].f1 == 0.0 and result["begin"]["content"].f1 == 1.0
    assert spans_of(["B-cue", "I-cue", "O", "I-content"]) == {("cue", 0, 1), ("content", 3, 3)}


QUOTED = "“We won,” Tom Baker said. “We will win again.”"


def test_reader_keeps_the_pieces_of_a_content(tmp_path):
    ann = ("T1\tSource 10 19\tTom Baker\nT2\tCue 20 24\tsaid\n"
           "T3\tContent 0 9;26 46\t“We won,” “We will win again.”\n"
           "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n")
    [g] = read_polnear(_write_article(tmp_path, "q1", QUOTED, ann))[0].attributions
    assert g.content.text == QUOTED[:46]
    assert [p.text for p in g.content_pieces] == ["“We won,”", "“We will win again.”"]


def test_cofenet_scores_each_piece_of_a_content(tmp_path):
    tokens = ["``", "We", "won", ",", "''", "Tom", "Baker", "said", ".", "``", "We", "will",
              "win", "again", ".", "''"]
    labels = (["B-content"] + ["I-content"] * 4 + ["B-source", "I-source", "B-cue", "O",
                                                    "B-content"] + ["I-content"] * 6)
    valid = tmp_path / "valid.txt"
    valid.write_text(json.dumps({"tokens": tokens, "labels": labels, "id": "q1_aaaa"}) + "\n")
    cue, source = Span.of(QUOTED, 20, 24), Span.of(QUOTED, 10, 19)
    first = Attribution("direct", Span.of(QUOTED, 1, 7), Speaker("Tom Baker"), cue, source)
    rest = Attribution("direct", Span.of(QUOTED, 27, 45), Speaker("Tom Baker"), None, None)
    doc = Document("q1", "en", QUOTED, (first, rest))

    def exact_content(document):
        result = score_cofenet(valid, [document], {"q1": QUOTED})
        return result["exact"]["content"].found

    assert exact_content(in_polnear_convention(doc, one_per_cue=False)) == 2
    # joined into one extent, the second piece would start at the full stop after "said"
    assert exact_content(in_polnear_convention(doc)) == 1
