"""The evaluation metrics on hand-made gold and predictions: no model needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propos.evaluate import (
    GoldError,
    format_report,
    read_gold,
    score,
    speaker_matches,
    speaker_words,
    word_f1,
)
from propos.evaluate.gold import GoldAttribution, GoldDocument, locate, parse_document
from propos.model import Attribution, Document, Failure, Span, Speaker

TEXT = (
    "« Nous tiendrons bon », a déclaré la maire, Léa Martin. "
    "Le préfet a estimé que la situation était sous contrôle. "
    "Selon le syndicat, les salaires doivent augmenter."
)


def span(text: str, needle: str, occurrence: int = 0) -> Span:
    found = locate(text, needle, occurrence)
    assert found is not None, needle
    return found


def gold(kind: str, content: str, speaker: str, aliases: tuple[str, ...] = (),
         text: str = TEXT) -> GoldAttribution:
    return GoldAttribution(kind=kind, content=span(text, content), speaker=speaker,
                           speaker_aliases=aliases)


def pred(kind: str, content: str, speaker: str, text: str = TEXT) -> Attribution:
    return Attribution(kind=kind, content=span(text, content), speaker=Speaker(speaker))  # type: ignore[arg-type]


def gold_doc(*attributions: GoldAttribution, doc_id: str = "d1", text: str = TEXT) -> GoldDocument:
    return GoldDocument(doc_id, "fr", text, tuple(attributions))


def pred_doc(*attributions: Attribution, doc_id: str = "d1", text: str = TEXT) -> Document:
    return Document(doc_id, "fr", text, tuple(attributions))


G_DIRECT = gold("direct", "Nous tiendrons bon", "Léa Martin")
G_INDIRECT = gold("indirect", "la situation était sous contrôle", "le préfet", ("préfet du Nord",))
G_MIXED = gold("mixed", "les salaires doivent augmenter", "syndicat")


# ------------------------------------------------------------------ gold reading


def test_gold_offsets_are_derived_at_word_boundaries() -> None:
    text = "Paula a dit que la plan la."
    # "la" inside "Paula" and "plan" must not count
    first, second = span(text, "la"), span(text, "la", 1)
    assert text[first.start:first.end] == "la" and first.start == text.index("que la") + 4
    assert second.start == text.rindex("la.")
    assert locate(text, "la", 2) is None


def test_gold_span_after_apostrophe_matches() -> None:
    text = "Il a dit qu'il viendrait."
    found = span(text, "il viendrait")
    assert found.start == text.index("il viendrait")


def test_read_gold_file(tmp_path: Path) -> None:
    record = {
        "id": "x1", "text": "Paul dit qu'il part. Paul dit qu'il part.",
        "attributions": [{"kind": "indirect", "content": "il part", "content_occurrence": 1,
                          "cue": "dit", "cue_occurrence": 1, "source": "Paul",
                          "source_occurrence": 1, "speaker": "Paul", "speaker_type": "person",
                          "speaker_aliases": ["Paul Durand"], "via": "quelqu'un d'autre"}],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n\n", encoding="utf-8")
    [doc] = read_gold(path)
    [attribution] = doc.attributions
    assert doc.lang == "fr"
    assert attribution.content == Span(33, 40, "il part")
    assert attribution.cue is not None and attribution.cue.start == 26
    assert attribution.source is not None and attribution.source.start == 21
    assert attribution.speaker_names == ("Paul", "Paul Durand")
    # via may paraphrase the text: kept as words, located only when it is a substring
    assert attribution.via == "quelqu'un d'autre" and attribution.via_span is None


def test_missing_gold_span_is_an_error_naming_the_record() -> None:
    record = {"id": "fr-x", "text": "Paul a parlé.", "attributions": [
        {"kind": "direct", "content": "Paul", "speaker": "Paul"},
        {"kind": "direct", "content": "absent", "speaker": "Paul"}]}
    with pytest.raises(GoldError, match=r"fr-x.*attribution 1.*content 'absent' not found"):
        parse_document(record, "gold.jsonl line 3")


def test_occurrence_beyond_matches_is_an_error() -> None:
    record = {"id": "fr-y", "text": "Paul a parlé.", "attributions": [
        {"kind": "direct", "content": "Paul", "content_occurrence": 1, "speaker": "Paul"}]}
    with pytest.raises(GoldError, match="occurrence 1, found 1"):
        parse_document(record)


def test_bad_kind_is_an_error() -> None:
    record = {"id": "fr-z", "text": "Paul a parlé.", "attributions": [
        {"kind": "quoted", "content": "Paul", "speaker": "Paul"}]}
    with pytest.raises(GoldError, match="fr-z.*kind"):
        parse_document(record)


# ------------------------------------------------------------------ word F1


def test_word_f1_counts_positions_not_spellings() -> None:
    text = "de la de la"
    assert word_f1(Span(0, 5, "de la"), Span(6, 11, "de la")) == 0.0
    assert word_f1(Span(0, 5, "de la"), Span(0, 11, text)) == pytest.approx(2 * 2 / 6)


def test_word_f1_splits_on_apostrophes_and_hyphens() -> None:
    text = "l'Europe porte-parole"
    assert word_f1(Span(0, 21, text), Span(2, 8, "Europe")) == pytest.approx(2 * 1 / 5)


def test_threshold_is_inclusive_at_one_half() -> None:
    text = "un deux trois quatre cinq six"
    g = GoldAttribution("direct", Span(0, len(text), text), "Paul")  # 6 words
    # 2 shared words of 2 predicted: F1 = 2*2/(2+6) = 0.5 -> match
    at = Attribution("direct", span(text, "un deux"), Speaker("Paul"))
    # 1 shared word of 1 predicted: F1 = 2/(1+6) < 0.5 -> no match
    below = Attribution("direct", span(text, "un"), Speaker("Paul"))
    assert word_f1(g.content, at.content) == 0.5
    report = score([gold_doc(g, text=text)], [pred_doc(at, text=text)])
    assert report.matched == 1
    report = score([gold_doc(g, text=text)], [pred_doc(below, text=text)])
    assert report.matched == 0
    assert report.missed[0].best_overlap == pytest.approx(2 / 7)
    assert report.spurious[0].best_overlap == pytest.approx(2 / 7)


# ------------------------------------------------------------------ speakers


@pytest.mark.parametrize("predicted, gold_name", [
    ("Lea Martin", "Léa Martin"),                      # accents
    ("LÉA MARTIN", "léa martin"),                      # case
    ("Martin", "Léa Martin"),                          # predicted nested in gold
    ("la maire Léa Martin", "Léa Martin"),             # gold nested in predicted
    ("M. Darmanin", "Gérald Darmanin"),                # title
    ("Mme Borne", "Élisabeth Borne"),
    ("Me Dupond-Moretti", "Éric Dupond-Moretti"),
    ("Dr Fauci", "Anthony Fauci"),
    ("The Times", "Times"),                            # English determiner
    ("l'Élysée", "Élysée"),                            # elided determiner
    ("les syndicats", "des syndicats"),
    ("une source proche de l'enquête", "source proche de l'enquête"),
])
def test_speaker_normalisation_matches(predicted: str, gold_name: str) -> None:
    assert speaker_matches(predicted, [gold_name])


@pytest.mark.parametrize("predicted, gold_name", [
    ("Martine", "Léa Martin"),                         # words, not substrings
    ("Jean Martin", "Léa Martin"),                     # overlap but no nesting
    ("le", "le préfet"),                               # only a determiner: no words left
    ("source non précisée", "une source"),             # giving up is not right
    ("unspecified source", "a source"),                # in English either (lang/en's placeholder)
    ("", "Paul"),
])
def test_speaker_normalisation_mismatches(predicted: str, gold_name: str) -> None:
    assert not speaker_matches(predicted, [gold_name])


def test_unknown_speaker_matches_itself() -> None:
    assert speaker_matches("source non précisée", ["source non précisée"])
    assert speaker_matches("unspecified source", ["Unspecified source"])


def test_speaker_aliases_count() -> None:
    assert not speaker_matches("préfet du Nord", ["Georges Dupuis"])
    assert speaker_matches("préfet du Nord", ["Georges Dupuis", "le préfet du Nord"])


def test_speaker_words() -> None:
    assert speaker_words("M. Jean-Luc Mélenchon") == {"jean", "luc", "melenchon"}
    assert speaker_words("L'Union européenne") == {"union", "europeenne"}


def test_speaker_stop_words_are_every_profiles_lists() -> None:
    """The determiners and titles dropped are the profiles' ``speaker_match_*`` lists, every
    language's for every name: "Mrs Ward" in French news is "Ward"."""
    from propos.evaluate import speaker_stop_lists
    from propos.profile import load_profile

    assert speaker_stop_lists()["fr"].titles == tuple(load_profile("fr").get("speaker_match_titles"))
    assert speaker_stop_lists()["en"].determiners == ("the", "a", "an")
    assert speaker_words("Mrs Ellen Ward") == speaker_words("Mme Ellen Ward") == {"ellen", "ward"}
    assert speaker_words("le Times") == speaker_words("The Times") == {"times"}


# ------------------------------------------------------------------ scores


def test_perfect_prediction() -> None:
    predictions = [pred("direct", "Nous tiendrons bon", "Martin"),
                   pred("indirect", "la situation était sous contrôle", "Le préfet du Nord"),
                   pred("mixed", "les salaires doivent augmenter", "le syndicat")]
    report = score([gold_doc(G_DIRECT, G_INDIRECT, G_MIXED)], [pred_doc(*predictions)])
    assert (report.content.precision, report.content.recall, report.content.f1) == (1, 1, 1)
    assert report.speaker_accuracy == 1.0
    assert report.end_to_end.f1 == 1.0


def test_exact_precision_recall_f1() -> None:
    # 3 gold; 4 predictions: 2 content matches (one with the wrong speaker), 2 spurious
    predictions = [
        pred("direct", "Nous tiendrons bon", "Léa Martin"),                       # right
        pred("indirect", "la situation était sous contrôle", "Léa Martin"),        # wrong speaker
        pred("direct", "Le préfet", "Le préfet"),                                  # spurious
        pred("indirect", "a déclaré la maire", "Léa Martin"),                      # spurious
    ]
    report = score([gold_doc(G_DIRECT, G_INDIRECT, G_MIXED)], [pred_doc(*predictions)])
    assert (report.gold, report.predicted, report.matched, report.speaker_right) == (3, 4, 2, 1)
    assert report.content.precision == pytest.approx(2 / 4)
    assert report.content.recall == pytest.approx(2 / 3)
    assert report.content.f1 == pytest.approx(2 * 2 / (4 + 3))
    assert report.speaker_accuracy == pytest.approx(1 / 2)
    assert report.end_to_end.precision == pytest.approx(1 / 4)
    assert report.end_to_end.recall == pytest.approx(1 / 3)
    assert report.end_to_end.f1 == pytest.approx(2 * 1 / (4 + 3))
    assert [m.gold.kind for m in report.missed] == ["mixed"]
    assert len(report.spurious) == 2
    [wrong] = report.speaker_wrong
    assert wrong.gold is G_INDIRECT and wrong.predicted.speaker.name == "Léa Martin"


def test_micro_average_over_documents() -> None:
    text2 = "« Je pars », a dit Paul. « Je reste », a dit Anne."
    g2 = [gold("direct", "Je pars", "Paul", text=text2), gold("direct", "Je reste", "Anne", text=text2)]
    p2 = [pred("direct", "Je pars", "Paul", text=text2)]
    report = score(
        [gold_doc(G_DIRECT), gold_doc(*g2, doc_id="d2", text=text2)],
        [pred_doc(pred("direct", "Nous tiendrons bon", "Léa Martin")),
         pred_doc(*p2, doc_id="d2", text=text2)],
    )
    # micro: 2 matched of 3 gold and 2 predicted (not the mean of per-document recalls 1 and .5)
    assert report.content.recall == pytest.approx(2 / 3)
    assert report.content.precision == 1.0


def test_matching_is_one_to_one_best_overlap_first() -> None:
    text = "un deux trois quatre cinq six sept huit"
    g_long = GoldAttribution("direct", Span(0, len(text), text), "A")          # 8 words
    g_short = GoldAttribution("direct", span(text, "un deux trois quatre cinq"), "B")  # 5 words
    # the prediction overlaps both; best is g_short (F1 1.0) even though g_long comes first
    p = Attribution("direct", span(text, "un deux trois quatre cinq"), Speaker("B"))
    report = score([gold_doc(g_long, g_short, text=text)], [pred_doc(p, text=text)])
    assert report.matched == 1
    assert report.pairs[0].gold is g_short and report.pairs[0].speaker_right
    assert report.missed[0].gold is g_long
    assert report.missed[0].best_overlap == pytest.approx(2 * 5 / 13)


def test_one_prediction_cannot_match_two_gold() -> None:
    text = "un deux trois quatre"
    g1 = GoldAttribution("direct", span(text, "un deux trois"), "A")
    g2 = GoldAttribution("direct", span(text, "deux trois quatre"), "A")
    p = Attribution("direct", Span(0, len(text), text), Speaker("A"))
    report = score([gold_doc(g1, g2, text=text)], [pred_doc(p, text=text)])
    assert (report.matched, len(report.missed), len(report.spurious)) == (1, 1, 0)
    assert report.pairs[0].gold is g1  # equal overlap: the earlier gold span wins


def test_duplicate_predictions_are_spurious() -> None:
    p = pred("direct", "Nous tiendrons bon", "Léa Martin")
    report = score([gold_doc(G_DIRECT)], [pred_doc(p, p)])
    assert (report.matched, len(report.spurious)) == (1, 1)
    assert report.content.precision == 0.5


def test_recall_and_precision_by_kind() -> None:
    predictions = [
        pred("direct", "Nous tiendrons bon", "Léa Martin"),                   # direct, right
        pred("direct", "la situation était sous contrôle", "Léa Martin"),      # kind wrong, speaker wrong
        pred("indirect", "Le préfet", "x"),                                    # spurious
    ]
    report = score([gold_doc(G_DIRECT, G_INDIRECT, G_MIXED)], [pred_doc(*predictions)])
    kinds = report.by_kind
    assert list(kinds) == ["direct", "indirect", "mixed"]
    assert (kinds["direct"].gold, kinds["direct"].recall, kinds["direct"].end_to_end_recall) == (1, 1.0, 1.0)
    assert (kinds["indirect"].gold, kinds["indirect"].recall) == (1, 1.0)
    assert kinds["indirect"].end_to_end_recall == 0.0
    assert (kinds["mixed"].gold, kinds["mixed"].recall) == (1, 0.0)
    # precision by predicted kind
    assert (kinds["direct"].predicted, kinds["direct"].precision) == (2, 1.0)
    assert kinds["direct"].end_to_end_precision == 0.5
    assert (kinds["indirect"].predicted, kinds["indirect"].precision) == (1, 0.0)
    assert kinds["mixed"].predicted == 0 and kinds["mixed"].precision == 0.0


def test_failed_and_missing_documents_count_as_missed() -> None:
    text2 = "« Je pars », a dit Paul."
    report = score(
        [gold_doc(G_DIRECT), gold_doc(gold("direct", "Je pars", "Paul", text=text2),
                                      doc_id="d2", text=text2)],
        [Failure("d1", "boom"), pred_doc(doc_id="other")],
    )
    assert report.gold == 2 and report.matched == 0
    assert [f.id for f in report.failures] == ["d1", "d2"]


def test_empty_corpus_scores_zero_not_error() -> None:
    report = score([], [])
    assert report.content.f1 == 0.0 and report.speaker_accuracy == 0.0


# ------------------------------------------------------------------ output


def test_to_dict_and_format_report() -> None:
    predictions = [pred("direct", "Nous tiendrons bon", "Paul"),
                   pred("indirect", "Le préfet", "x")]
    report = score([gold_doc(G_DIRECT, G_MIXED)], [pred_doc(*predictions)], source="gold.jsonl")
    data = report.to_dict()
    assert "errors" not in data
    assert data["content"]["precision"] == 0.5 and data["end_to_end"]["f1"] == 0.0
    assert data["by_kind"]["mixed"]["recall"] == 0.0
    json.dumps(data)  # JSON-ready
    errors = report.to_dict(errors=True)["errors"]
    assert [e["id"] for e in errors["missed"]] == ["d1"]
    assert errors["spurious"][0]["predicted_speaker"] == "x"
    assert errors["speaker_wrong"][0]["gold_speaker"] == "Léa Martin"
    assert errors["speaker_wrong"][0]["predicted_speaker"] == "Paul"

    text = format_report(report)
    assert "content" in text and "end-to-end" in text and "Missed" not in text
    text = format_report(report, errors=True)
    assert "Missed gold attributions (1)" in text
    assert "Spurious predictions (1)" in text
    assert "Speaker wrong (1)" in text and "gold: Léa Martin  |  predicted: Paul" in text


def test_wrong_speakers_are_told_apart_by_cause():
    from propos.evaluate.metrics import speaker_cause
    from propos.model import Attribution, Span, Speaker

    text = "« Oui », a-t-il dit. « Non », a dit le maire. « Si », a dit Paul Roux. « Peut-être »"
    def attribution(source, speaker, stype="person", rule="incise"):
        span = Span.of(text, text.index(source), text.index(source) + len(source)) if source else None
        return Attribution("direct", Span.of(text, 2, 5), Speaker(speaker, stype), None, span, rule=rule)
    assert speaker_cause(attribution("-il", "Paul Roux")) == "pronoun"
    assert speaker_cause(attribution("le maire", "Paul Roux")) == "role"
    assert speaker_cause(attribution("Paul Roux", "Paul Roux")) == "name"
    assert speaker_cause(attribution(None, "Paul Roux", rule="continuation")) == "no source"
    assert speaker_cause(attribution(None, "source non précisée", "unknown", "unattributed")) == "unknown"
