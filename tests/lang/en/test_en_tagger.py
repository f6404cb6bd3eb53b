"""The trained attribution tagger's plumbing: BIO runs, training labels from gold spans
(nesting flattened as CofeNet does), spans handed back in propos' convention and again in
PolNeAR's for scoring. The tagger's accuracy is measured by `propos eval`, not here."""

import re
from dataclasses import replace

import pytest

from propos.arrays import spans_from_tags
from propos.evaluate.gold import GoldAttribution
from propos.evaluate.polnear import in_polnear_convention
from propos.model import Attribution, Document, Span, Speaker
from propos.training import char_roles, split_holdout, token_labels


def test_runs_from_bio():
    tags = ["B-source", "B-cue", "B-content", "I-content", "O", "I-content", "B-content"]
    assert spans_from_tags(tags) == [("source", 0, 1), ("cue", 1, 2), ("content", 2, 4),
                                     ("content", 5, 6), ("content", 6, 7)]


def test_runs_from_bilou():
    tags = ["U-source", "U-cue", "B-content", "I-content", "L-content", "U-content", "L-content"]
    assert spans_from_tags(tags) == [("source", 0, 1), ("cue", 1, 2), ("content", 2, 5),
                                     ("content", 5, 6), ("content", 6, 7)]


def test_training_labels_mark_first_last_and_single_tokens():
    text = "Ann said taxes will rise."
    roles = char_roles(text, [_gold(text, "taxes will rise", "said", "Ann")])
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+|\.", text)]
    assert token_labels([s for s, _ in words], [e for _, e in words], roles) == \
        ["U-source", "U-cue", "B-content", "I-content", "L-content", "O"]


def test_training_labels_leave_out_what_lies_between_the_pieces_of_a_content():
    text = "Taxes will rise, Ann said, and soon."
    gold = replace(_gold(text, "Taxes will rise, Ann said, and soon", "said", "Ann"),
                   content_pieces=(Span.of(text, 0, 15), Span.of(text, 27, 35)))
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+|[.,]", text)]
    labels = token_labels([s for s, _ in words], [e for _, e in words], char_roles(text, [gold]))
    assert labels == ["B-content", "I-content", "L-content", "O", "U-source", "U-cue", "O",
                      "B-content", "L-content", "O"]


def test_role_change_without_b_opens_a_run():
    assert spans_from_tags(["B-cue", "I-content", "I-content"]) == [("cue", 0, 1), ("content", 1, 3)]


def _gold(text, content, cue, source):
    def span(part):
        start = text.index(part)
        return Span(start, start + len(part), part)
    return GoldAttribution("indirect", span(content), source, cue=span(cue), source=span(source))


def test_nested_attribution_is_written_over_the_outer_content():
    text = "Ann said that Bob thinks taxes will rise."
    outer = _gold(text, "that Bob thinks taxes will rise", "said", "Ann")
    inner = _gold(text, "taxes will rise", "thinks", "Bob")
    roles = char_roles(text, [outer, inner])

    def role_at(word):
        mark = roles[text.index(word)]
        return mark[0] if mark else None

    assert [role_at(w) for w in ("Ann", "said", "that", "Bob", "thinks", "taxes", ".")] == \
        ["source", "cue", "content", "source", "cue", "content", None]
    # the inner content is a span of its own, not the outer one's continuation
    assert roles[text.index("taxes")] != roles[text.index("that")]


def test_holdout_split_is_deterministic_and_disjoint():
    class Doc:
        def __init__(self, id):
            self.id = id
    docs = [Doc(f"a{i:02d}") for i in range(20)]
    train, held = split_holdout(docs, 0.1)
    assert held == [9, 19]
    assert sorted(train + held) == list(range(20))
    assert split_holdout(docs, 0.0) == (list(range(20)), [])


@pytest.mark.parametrize("text, content, polnear", [
    pytest.param("Ann said that taxes will rise.", "taxes will rise", "that taxes will rise",
                 id="complementiser"),
    pytest.param("“We won,” Ann said.", "We won", "“We won,”", id="quotation-marks"),
    pytest.param('Ann said: "It is over."', "It is over.", '"It is over."', id="straight-marks"),
    pytest.param("Ann said taxes will rise.", "taxes will rise", "taxes will rise", id="as-is"),
    pytest.param("''We won,'' Ann said.", "We won", "''We won,''", id="doubled-marks"),
    pytest.param("Ann said: “ … it is over.”", "… it is over.", "“ … it is over.”",
                 id="spaced-marks"),
])
def test_contents_in_polnear_convention(text, content, polnear):
    start = text.index(content)
    a = Attribution("indirect", Span(start, start + len(content), content), Speaker("Ann"))
    doc = in_polnear_convention(Document("d", "en", text, (a,)))
    assert doc.attributions[0].content.text == polnear


def test_first_words_of_a_quotation_keep_its_opening_mark_in_polnear_convention():
    text = '"We will fight, said Ann Lee, and we will win."'
    first = Attribution("direct", Span.of(text, 1, 14), Speaker("Ann Lee"),
                        Span.of(text, 16, 20), Span.of(text, 21, 28))
    [a] = in_polnear_convention(Document("d", "en", text, (first,))).attributions
    assert a.content.text == '"We will fight'


def test_source_and_cue_in_polnear_convention():
    # PolNeAR's source takes the comma closing its apposition, its cue the colon after it
    text = "Jo Ray, a lawyer, said: “It is over.” Ann Lee, a nurse, said so."

    def span(part):
        start = text.index(part)
        return Span(start, start + len(part), part)
    a = Attribution("direct", span("It is over."), Speaker("Jo Ray"), cue=span("said"),
                    source=span("Jo Ray, a lawyer"))
    second_said = Span.of(text, text.rindex("said"), text.rindex("said") + 4)
    b = Attribution("indirect", span("so."), Speaker("Ann Lee"), cue=second_said,
                    source=span("Ann Lee, a nurse"))
    [x, y] = in_polnear_convention(Document("d", "en", text, (a, b))).attributions
    assert (x.source.text, x.cue.text) == ("Jo Ray, a lawyer,", "said:")
    assert y.source.text == "Ann Lee, a nurse,"


def _write_article(root, name, text, spans):
    """A PolNeAR-style article: text/NAME.txt and one annotator's brat file."""
    (root / "text").mkdir(exist_ok=True)
    (root / "attributions").mkdir(exist_ok=True)
    (root / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    lines = []
    for k, (source, cue, content) in enumerate(spans):
        ids = []
        for role, part in (("Source", source), ("Cue", cue), ("Content", content)):
            start = text.index(part)
            ids.append(f"T{3 * k + len(ids) + 1}")
            lines.append(f"{ids[-1]}\t{role} {start} {start + len(part)}\t{part}")
        lines.append(f"E{k + 1}\tAttribution:{ids[1]} Content:{ids[2]} Cue:{ids[1]} Source:{ids[0]}")
    (root / "attributions" / f"{name}_ann1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.model
def test_train_tagger_command_writes_weights_that_tag(tmp_path):
    """`propos train-tagger` end to end on a two-article corpus, a few iterations."""
    from click.testing import CliRunner

    from propos.cli import main
    from propos.profile import load_profile
    from propos.tagger import AttributionTagger

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_article(corpus, "a1", "Tom Baker said the bridge would close.\n\nIt rained all day.\n",
                   [("Tom Baker", "said", "the bridge would close")])
    _write_article(corpus, "a2", "Officials warned that fares would rise in May.\n",
                   [("Officials", "warned", "that fares would rise in May")])
    out = tmp_path / "weights.crfsuite"
    result = CliRunner().invoke(main, ["train-tagger", str(corpus), "--lang", "en", "--out", str(out),
                                       "--iterations", "20"])
    assert result.exit_code == 0, result.output
    assert "trained on 2 articles" in result.output
    assert out.stat().st_size > 0
    AttributionTagger(load_profile("en"), out)  # loads


@pytest.mark.model
def test_arrays_read_the_doc_as_spacy_does():
    """The tagger reads a doc once into lists (heads from an unsigned offset column, subtree
    edges rebuilt from the heads); they must say what the Token objects say."""
    import propos
    from propos.arrays import paragraphs
    from propos.tagger import FeatureExtractor

    pipeline = propos.load("en")
    doc = pipeline.nlp("The senator, who spoke to reporters in Ohio, said the plan would fail.\n\n"
                       "“We will fight it,” she added.")
    arrays = FeatureExtractor(pipeline.profile).arrays(doc)
    for t in doc:
        assert (arrays.head[t.i], arrays.left[t.i], arrays.right[t.i]) == \
            (t.head.i, t.left_edge.i, t.right_edge.i), t.text
        assert (arrays.low[t.i], arrays.dep[t.i], arrays.idx[t.i], arrays.ent[t.i]) == \
            (t.lower_, t.dep_, t.idx, t.ent_iob_ + t.ent_type_), t.text
    second = paragraphs(arrays)[1]
    assert [arrays.text[i] for i in second][:2] == ["“", "We"]


def _link(text, tags_by_word):
    """link() over one paragraph tagged by hand: ``tags_by_word`` gives the tag of each
    non-space token in order."""
    import propos
    from propos.quotes import find_quotes
    from propos.arrays import paragraphs
    from propos.tagger import FeatureExtractor, link

    pipeline = propos.load("en")
    doc = pipeline.nlp.make_doc(text)
    for name, proc in pipeline.nlp.pipeline:
        if name != "propos_attributions":
            doc = proc(doc)
    arrays = FeatureExtractor(pipeline.profile).arrays(doc)
    [unit] = paragraphs(arrays)
    assert [arrays.text[i] for i in unit] == [w for w, _ in tags_by_word]
    tags = [t for _, t in tags_by_word]
    return link(arrays, unit, tags, [1.0] * len(tags), find_quotes(text, pipeline.profile),
                pipeline.profile.words("complementisers"))


@pytest.mark.model
def test_link_content_to_its_cue_and_source_without_that():
    text = "Ann Lee said that taxes would rise."
    [cand] = _link(text, [("Ann", "B-source"), ("Lee", "I-source"), ("said", "B-cue"),
                          ("that", "B-content"), ("taxes", "I-content"), ("would", "I-content"),
                          ("rise", "I-content"), (".", "O")])
    assert text[slice(*cand.content)] == "taxes would rise"
    assert text[slice(*cand.cue)] == "said" and cand.source.text == "Ann Lee"
    assert cand.kind == "indirect" and cand.rule == "crf"


@pytest.mark.model
def test_link_quote_without_marks_and_its_continuation():
    text = '"We are ready," he said. "The team has trained."'
    tags = [('"', "B-content"), ("We", "I-content"), ("are", "I-content"), ("ready", "I-content"),
            (",", "I-content"), ('"', "I-content"), ("he", "B-source"), ("said", "B-cue"),
            (".", "O"), ('"', "B-content"), ("The", "I-content"), ("team", "I-content"),
            ("has", "I-content"), ("trained", "I-content"), (".", "I-content"), ('"', "I-content")]
    first, second = _link(text, tags)
    assert text[slice(*first.content)] == "We are ready" and first.kind == "direct"
    assert first.source.text == "he" and text[slice(*first.cue)] == "said"
    assert text[slice(*second.content)] == "The team has trained."
    assert second.rule == "crf:continuation" and second.cue is None and second.follows is first


def test_train_tagger_refuses_bad_or_empty_gold(tmp_path):
    from click.testing import CliRunner

    from propos.cli import main

    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "a", "text"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["train-tagger", str(bad), "--out", str(tmp_path / "w")])
    assert result.exit_code == 1 and "gold.jsonl line 1: invalid JSON" in result.output
    empty = tmp_path / "corpus"
    (empty / "text").mkdir(parents=True)
    (empty / "attributions").mkdir()
    result = CliRunner().invoke(main, ["train-tagger", str(empty), "--out", str(tmp_path / "w")])
    assert result.exit_code == 1 and "no annotated articles to train on" in result.output
    assert not (tmp_path / "w").exists()


def test_polnear_convention_joins_the_pieces_of_one_cue():
    """propos gives each piece of a quote its own record; PolNeAR has one per cue."""
    text = '"We are ready," he said. "The team has trained."'

    def span(part):
        start = text.index(part)
        return Span(start, start + len(part), part)

    first = Attribution("direct", span("We are ready"), Speaker("he"), span("said"), span("he"))
    continuation = Attribution("direct", span("The team has trained."), Speaker("he"))
    [joined] = in_polnear_convention(Document("d", "en", text, (first, continuation))).attributions
    assert joined.content.text == text and joined.cue.text == "said"


@pytest.mark.parametrize("text, joined", [
    ('"No," Ann Lee said at the rally. "Never."', True),
    ('"No," Ann Lee said at the rally.\nThe crowd cheered. "Never."', False),
])
def test_polnear_convention_joins_a_continuation_in_its_paragraph(text, joined):
    def span(part):
        start = text.index(part)
        return Span(start, start + len(part), part)

    first = Attribution("direct", span("No"), Speaker("Ann Lee"), span("said"), span("Ann Lee"))
    continuation = Attribution("direct", span("Never."), Speaker("Ann Lee"))
    result = in_polnear_convention(Document("d", "en", text, (first, continuation))).attributions
    assert len(result) == (1 if joined else 2)
    assert result[0].content.start == 0


def test_rules_give_the_tagger_their_source_and_relay():
    from propos.attribute import Candidate
    from propos.tagger import _with_rule_details

    class Mention:  # the part of a spaCy span these details read
        def __init__(self, start, end):
            self.start_char, self.end_char = start, end

    tagged = Candidate("indirect", (40, 60), (30, 38), None, "crf", 0.9)
    relay_as_attribution = Candidate("indirect", (70, 82), (62, 68), None, "crf", 0.9)
    rule = Candidate("indirect", (40, 60), (30, 38), Mention(0, 10), "clause", 0.8,
                     via=Mention(70, 82))
    found = _with_rule_details([tagged, relay_as_attribution], [rule])
    assert found == [tagged]
    assert tagged.source is rule.source and tagged.via is rule.via


def test_rules_continuation_the_tagger_missed_follows_what_it_found():
    from propos.attribute import Candidate
    from propos.profile import load_profile
    from propos.quotes import find_quotes
    from propos.tagger import _rule_continuations

    text = "“Ann is right,” Bo Li said.\n\n“We will build it.\n\n“And we will pay for it.”"
    quotes = find_quotes(text, load_profile("en"))
    b, c = text.index("We will"), text.index("And we")
    # the tagger found A; the rules found A and its continuation B-C, which the tagger missed
    found_a = Candidate("direct", (1, 13), (24, 28), None, "crf", 0.9)
    rule_a = Candidate("direct", (1, 13), (24, 28), None, "clause", 1.0)
    rule_bc = Candidate("direct", (b - 1, len(text)), None, None, "continuation", 0.6,
                        follows=rule_a)
    [added] = _rule_continuations([found_a], [rule_a, rule_bc], quotes, text)
    assert added.content == rule_bc.content and added.follows is found_a
    # where the tagger found C, B is added alone, without its marks
    found_c = Candidate("direct", (c, len(text) - 1), None, None, "crf:continuation", 0.8,
                        follows=found_a)
    [middle] = _rule_continuations([found_a, found_c], [rule_a, rule_bc], quotes, text)
    assert text[slice(*middle.content)] == "We will build it."
    assert middle.follows is found_a
    # a continuation the tagger covers whole is not added twice
    found_bc = replace(found_c, content=(b, len(text) - 1))
    assert _rule_continuations([found_a, found_bc], [rule_a, rule_bc], quotes, text) == []

@pytest.mark.parametrize("text, subject", [
    ("The storm hit the coast, prompting warnings that the river would flood.", "The storm"),
    # an impersonal subject speaks for no one
    ("It rained all week, prompting warnings that the river would flood.", None),
])
def test_participle_cue_borrows_a_personal_subject_only(text, subject):
    import propos
    from propos.profile import load_profile
    from propos.tagger import FeatureExtractor, _subject_of

    profile = load_profile("en")
    doc = propos.load("en").nlp(text)
    cue = next(t.i for t in doc if t.text == "prompting")
    found = _subject_of(FeatureExtractor(profile).arrays(doc), [cue], set(),
                        profile.words("impersonal_pronouns"))
    assert (found.text if found is not None else None) == subject
