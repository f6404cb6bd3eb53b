"""A trained attribution tagger: a linear-chain CRF over the parse that labels each token as
part of a source, a cue or a content (BIO), one paragraph at a time.

Why a CRF over the parse: which spans count as attributed (beliefs, intentions, polls that
"show", nominal cues) and where exactly a content starts and ends are corpus conventions
that rules only approximate. The features say what the parse and the rules already know (the
token's clause, the verb that governs it and how, quotation marks, the rules' own finding) and
the CRF learns from annotated news which of these mark an attribution and where its edges
fall. Training is :mod:`propos.training`; the weights live with the language profile
(``tagger`` in ``profile.toml``).

Tags become :class:`propos.attribute.Candidate` objects (contents linked to their cue through
the parse, the cue to its source), so speaker resolution is the same as for the rules.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from spacy.tokens import Doc

from .arrays import Arrays, paragraphs, spans_from_tags
from .attribute import Candidate
from .profile import LanguageProfile
from .quotes import Quote, kind_of

log = logging.getLogger(__name__)

ROLES = ("source", "cue", "content")
# Bumped whenever the feature templates change; the weights' sidecar records the version
# they were trained with (see propos.training.feature_fingerprint).
FEATURE_VERSION = 2


def _shape(text: str) -> str:
    if text.isupper() and len(text) > 1:
        return "AA"
    if text[:1].isupper():
        return "Aa"
    if text.isdigit():
        return "9"
    if text.isalpha():
        return "a"
    return "x"


def _distance(d: int) -> str:
    return "1" if d == 1 else "2-3" if d <= 3 else "4-8" if d <= 8 else "far"


class FeatureExtractor:
    """Per-token feature strings for the CRF (the same at training and at tagging time)."""

    def __init__(self, profile: LanguageProfile):
        self.cue_lemmas = frozenset(profile.cues)
        self.cue_forms = frozenset(profile.forms)

    def is_cue_word(self, low: str, lemma: str) -> bool:
        return low in self.cue_forms or lemma in self.cue_lemmas

    def arrays(self, doc: Doc, text: str | None = None) -> Arrays:
        return Arrays(doc, self.is_cue_word, text)

    def sequences(self, arrays: Arrays, quotes: Sequence[Quote], rules: Sequence[Candidate]
                  ) -> tuple[list[list[int]], list[list[list[str]]]]:
        doc = arrays.doc
        units = paragraphs(arrays)
        rule_role = self._rule_roles(doc, rules)
        quote_state = self._quote_states(doc, quotes)
        cues_in = self._sentence_cues(arrays)
        out = []
        for unit in units:
            base = [self._token_features(arrays, i, rule_role, quote_state) for i in unit]
            feats = []
            n = len(unit)
            for k, i in enumerate(unit):
                f = base[k][0]
                for off in (-2, -1, 1, 2):
                    j = k + off
                    if 0 <= j < n:
                        f.extend([f"{off}{x}" for x in base[j][1]])
                    else:
                        f.append(f"{off}edge")
                if k > 0:
                    f.append("bi-=" + arrays.low[unit[k - 1]] + "|" + arrays.low[i])
                if k + 1 < n:
                    f.append("bi+=" + arrays.low[i] + "|" + arrays.low[unit[k + 1]])
                f.extend(self._cue_distance(i, cues_in[arrays.sent[i]]))
                feats.append(f)
            out.append(feats)
        return units, out

    @staticmethod
    def _sentence_cues(arrays: Arrays) -> dict[int, list[int]]:
        """Per sentence start, the positions of its cue words (verbs and nouns)."""
        cues: dict[int, list[int]] = {}
        for i in range(len(arrays)):
            if arrays.sent_start[i]:
                cues[i] = []
            if arrays.cue[i] and arrays.pos[i] in ("VERB", "NOUN"):
                cues.setdefault(arrays.sent[i], []).append(i)
        return cues

    @staticmethod
    def _cue_distance(i: int, positions: list[int]) -> list[str]:
        """Where the nearest cue words of the sentence are, before and after the token."""
        if not positions:
            return ["nocue"]
        out = []
        before = [i - p for p in positions if p < i]
        after = [p - i for p in positions if p > i]
        if before:
            out.append("cb=" + _distance(min(before)))
        if after:
            out.append("ca=" + _distance(min(after)))
        return out

    @staticmethod
    def _rule_roles(doc: Doc, rules: Sequence[Candidate]) -> dict[int, str]:
        roles: dict[int, str] = {}
        for cand in rules:
            spans = [("content", doc.char_span(*cand.content, alignment_mode="expand"))]
            if cand.cue:
                spans.append(("cue", doc.char_span(*cand.cue, alignment_mode="expand")))
            if cand.source is not None:
                spans.append(("source", cand.source))
            for role, span in spans:
                if span is None:
                    continue
                for i in range(span.start, span.end):
                    roles[i] = ("B" if i == span.start else "I") + role + "|" + cand.rule.split(":")[0]
        return roles

    @staticmethod
    def _quote_states(doc: Doc, quotes: Sequence[Quote]) -> dict[int, str]:
        state: dict[int, str] = {}
        for q in quotes:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                if t.idx < q.content_start:
                    state[t.i] = "open"
                elif t.idx >= q.content_end:
                    state[t.i] = "close"
                else:
                    state[t.i] = "in"
        return state

    @staticmethod
    def _clause_path(a: Arrays, i: int) -> list[str]:
        """Where the token's clause sits: the link of its own clause, and the first cue word
        above it with the link through which it is reached."""
        out = []
        node, clause_seen = i, False
        for depth in range(12):
            head = a.head[node]
            if head == node:
                break
            if not clause_seen and node != i and a.pos[node] in ("VERB", "AUX"):
                out.append("cl=" + a.dep[node] + "|" + a.lemma[head])
                clause_seen = True
            if a.cue[head]:
                out.append("under=" + a.dep[node] + "|" + a.lemma[head])
                out.append("underd=" + a.dep[node] + "|" + str(min(depth, 3)))
                break
            node = head
        return out

    def _token_features(self, a: Arrays, i: int, rule_role: dict[int, str],
                        quote_state: dict[int, str]) -> tuple[list[str], list[str]]:
        """(the token's own features, the subset its neighbours see)."""
        low, lemma, tag, dep = a.low[i], a.lemma[i], a.tag[i], a.dep[i]
        head = a.head[i]
        q = quote_state.get(i, "out")
        rule = rule_role.get(i, "none")
        rule_short = rule[:1] + rule[1:].split("|")[0]
        arg, taker = a.argument(i)
        own = [
            "bias", "w=" + low, "l=" + lemma, "t=" + tag, "d=" + dep, "s=" + _shape(a.text[i]),
            "suf=" + low[-3:], "q=" + q, "r=" + rule, "rr=" + rule_short, "e=" + a.ent[i],
            "hl=" + a.lemma[head], "hd=" + dep + "|" + a.pos[head], "a=" + a.dep[arg],
        ]
        if a.cue[i]:
            own.append("cue")
            own.append("cued=" + dep)
        if taker is not None:
            arg_dep, taker_lemma = a.dep[arg], a.lemma[taker]
            own.append("al=" + arg_dep + "|" + taker_lemma)
            own.append("ap=" + arg_dep + "|" + a.pos[taker])
            if a.cue[taker]:
                own.append("acue=" + arg_dep)
            if i == a.left[arg]:
                own.append("start=" + arg_dep)
                own.append("startl=" + arg_dep + "|" + taker_lemma)
            if i == a.right[arg]:
                own.append("end=" + arg_dep)
            # one level up: the clause this argument belongs to, and what takes it
            upper, upper_taker = a.argument(taker)
            if upper_taker is not None:
                own.append("ul=" + a.dep[upper] + "|" + a.lemma[upper_taker])
                if a.cue[upper_taker]:
                    own.append("ucue=" + a.dep[upper])
        own.extend(self._clause_path(a, i))
        kids = a.kids[i]
        for k in ("ccomp", "xcomp", "nsubj", "obj", "nsubj:pass", "obl:agent", "mark", "prep"):
            if k in kids:
                own.append("k=" + k)
                own.append("lk=" + lemma + "|" + k)
        if a.sent_start[i]:
            own.append("sstart")
        if i + 1 < len(a) and a.sent_start[i + 1]:
            own.append("send")
        seen = ["w=" + low, "l=" + lemma, "t=" + tag, "d=" + dep, "q=" + q, "rr=" + rule_short]
        if a.cue[i]:
            seen.append("cue")
        return own, seen


class AttributionTagger:
    """Loads CRF weights and turns a parsed doc into attribution candidates."""

    def __init__(self, profile: LanguageProfile, model_path: Path, use_ranker: bool = True):
        import pycrfsuite

        from .rerank import Perceptron, content_labels, ranker_path

        self.features = FeatureExtractor(profile)
        self.complementisers = profile.words("complementisers")
        self.impersonal = profile.words("impersonal_pronouns")
        self.according = tuple(w.lower() for w in profile.get("according_to", []))
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))
        # the second stage (propos.rerank), when its weights are beside the CRF's
        ranker = ranker_path(model_path)
        self.ranker = Perceptron.load(ranker) if use_ranker and ranker.is_file() else None
        self._content_labels = content_labels(self._tagger)

    def tag(self, arrays: Arrays, quotes: Sequence[Quote], rules: Sequence[Candidate]
            ) -> list[tuple[list[int], list[str], list[float]]]:
        from .rerank import content_probabilities, rechoose

        units, sequences = self.features.sequences(arrays, quotes, rules)
        out = []
        for unit, feats in zip(units, sequences):
            tags = self._tagger.tag(feats)
            if self.ranker is not None and any(t.endswith("content") for t in tags):
                tags = rechoose(self.ranker, arrays, unit, tags,
                                content_probabilities(self._tagger, len(tags), self._content_labels),
                                quotes)
            confidence = [self._tagger.marginal(tag, k) if tag.endswith("content") else 0.0
                          for k, tag in enumerate(tags)]
            out.append((unit, tags, confidence))
        return out

    def candidates(self, doc: Doc, quotes: Sequence[Quote], rules: Sequence[Candidate],
                   text: str | None = None) -> list[Candidate]:
        arrays = self.features.arrays(doc, text)
        found: list[Candidate] = []
        lone_cues: list[tuple[int, int]] = []
        for unit, tags, confidence in self.tag(arrays, quotes, rules):
            found.extend(link(arrays, unit, tags, confidence, quotes, self.complementisers, lone_cues,
                              self.impersonal))
        found = _with_rule_details(found, rules)
        # A cue the tagger found without its content ("According to X, …"): the rules' content
        # for that cue, when they have one, and when it is only made of whole attributions
        # the tagger found, the outer one ("X agreed not to…, according to officials": the
        # officials say that X agreed).
        for rule in rules:
            if any(_overlap(rule.cue, cue) for cue in lone_cues):
                inside = [c for c in found if _overlap(rule.content, c.content)]
                if not inside or all(_nested_in(c, rule.content) for c in inside):
                    found.append(rule)
        # Where the rules have none, an "according to X" adjunct says X's words are the
        # clause it modifies, less the adjunct.
        for cue in lone_cues:
            if any(_overlap(cue, c.cue) for c in found):
                continue
            for up in range(3):  # "…not to run, according to X": the adjunct hangs from "run"
                outer = _adjunct_attribution(arrays, cue, self.according, up)
                if outer is None:
                    break
                inside = [c for c in found if _overlap(outer.content, c.content)]
                if not inside or all(_nested_in(c, outer.content) for c in inside):
                    found.append(outer)
                    break
        # A quotation signed in the sentence after it or after a dash ("“…” — Ellen Ward"),
        # which the tagger left alone: the rules' attribution.
        for rule in rules:
            if rule.rule == "next_sentence" and rule.source is not None \
                    and not any(_overlap(rule.content, c.content) for c in found):
                found.append(rule)
        found.extend(_rule_continuations(found, rules, quotes, arrays.doc_text))
        found.sort(key=lambda c: c.content[0])
        return found


def _adjunct_attribution(a: Arrays, cue: tuple[int, int], according: Sequence[str], up: int = 0
                         ) -> Candidate | None:
    """The attribution an "according to X" cue (character offsets) makes of the clause it
    hangs from (or ``up`` levels above it): that clause without the adjunct, whose object is
    the source."""
    words = " ".join(a.doc_text[cue[0]:cue[1]].lower().split())
    if not any(words == w for w in according):
        return None
    tokens = [i for i in range(len(a)) if cue[0] <= a.idx[i] < cue[1]]
    inside = set(tokens)
    top = next((i for i in tokens if a.head[i] not in inside), None)
    if top is None or a.head[top] == top:
        return None
    clause = a.head[top]
    for _ in range(up):
        if a.head[clause] == clause:
            return None
        clause = a.head[clause]
    adjunct = set(range(a.left[top], a.right[top] + 1))
    source = [i for i in sorted(adjunct - inside) if not a.punct[i] and not a.space[i]]
    content = [i for i in range(a.left[clause], a.right[clause] + 1)
               if i not in adjunct and not a.space[i]]
    while content and a.punct[content[-1]]:
        content.pop()
    while content and a.punct[content[0]]:
        content.pop(0)
    # the adjunct stands at an edge of its clause ("…, according to X." or "According to X, …")
    if not source or not content or min(adjunct) < content[-1] and content[0] < max(adjunct):
        return None
    span = (a.idx[content[0]], a.end_char(content[-1]))
    return Candidate("indirect", span, cue, a.doc[source[0]:source[-1] + 1], "crf:according_to", 0.7)


def _nested_in(cand: Candidate, span: tuple[int, int]) -> bool:
    """Whether a whole attribution, its cue with its content, lies within ``span``."""
    return cand.cue is not None and span[0] <= min(cand.cue[0], cand.content[0]) \
        and max(cand.cue[1], cand.content[1]) <= span[1]


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _rule_continuations(found: list[Candidate], rules: Sequence[Candidate],
                        quotes: Sequence[Quote], text: str) -> list[Candidate]:
    """The rules' continuations (a quote alone after an attribution: the next paragraphs of
    a long quotation) that the tagger missed, following what it found for the quote before.
    Where the tagger found some paragraphs of a continuation, the others are added alone."""
    out = []
    for rule in rules:
        if rule.rule != "continuation" or rule.follows is None:
            continue
        before = next((c for c in found if _overlap(rule.follows.content, c.content)), None)
        if before is None:
            continue
        follows = before.follows or before
        if not any(_overlap(rule.content, c.content) for c in found):
            out.append(replace(rule, follows=follows))
            continue
        for piece in _paragraph_pieces(rule.content, text):
            if not any(_overlap(piece, c.content) for c in found):
                out.append(replace(rule, content=_without_marks(piece, quotes, text),
                                   follows=follows))
    return out


def _paragraph_pieces(span: tuple[int, int], text: str) -> list[tuple[int, int]]:
    """The paragraphs of ``span`` that hold words, each without its edge whitespace."""
    out = []
    start = span[0]
    for end in [k for k in range(span[0], span[1]) if text[k] == "\n"] + [span[1]]:
        piece = text[start:end]
        if any(ch.isalnum() for ch in piece):
            lead = len(piece) - len(piece.lstrip())
            out.append((start + lead, start + len(piece.rstrip())))
        start = end + 1
    return out


def _with_rule_details(found: list[Candidate], rules: Sequence[Candidate]) -> list[Candidate]:
    """What the rules know of the same attribution (same cue, overlapping content): its
    relay ("…, citing two officials", which is then no attribution of its own) and, where the
    tagger found no source, its source (and cue, if it found none either)."""
    vias = []
    for cand in found:
        rule = next((r for r in rules if _overlap(r.cue, cand.cue)
                     and _overlap(r.content, cand.content)), None)
        if cand.source is None and cand.follows is None:
            # a quote whose speaker is in the sentence before or after: the rules know
            named = next((r for r in rules if r.source is not None
                          and _overlap(r.content, cand.content)), None)
            if named is not None:
                cand.source = named.source
                if cand.cue is None and named.cue is not None:
                    cand.cue = named.cue  # "Ann Lee said:" on the line before
                    if cand.content[0] <= named.cue[0] < cand.content[1]:
                        # a content never holds its own cue: an unclosed quote ran over it
                        cand.content = named.content
        if rule is None:
            continue
        if rule.via is not None:
            cand.via = rule.via
            vias.append((rule.via.start_char, rule.via.end_char))
            if cand.content[0] < rule.content[1] <= rule.via.start_char < cand.content[1]:
                # "…, per a union spokeswoman": the relay is not part of what was said
                cand.content = (cand.content[0], rule.content[1])
    return [c for c in found if not any(v[0] <= c.content[0] and c.content[1] <= v[1] for v in vias)]


def _without_marks(span: tuple[int, int], quotes: Sequence[Quote], text: str) -> tuple[int, int]:
    """A content that is one whole quotation as the rules give it: its words, no marks. A
    paragraph of a quotation that runs over several loses the marks at its edges too, and
    the first words of a quotation its opening mark."""
    for q in quotes:
        if q.start <= span[0] <= q.content_start and q.content_end <= span[1] <= q.end:
            if any(ch.isalnum() for ch in text[span[0]:q.content_start] + text[q.content_end:span[1]]):
                return span
            return q.words(text)
        if span[0] == q.start and span[1] <= q.content_end:
            # the first words of a quotation (an unclosed one ran over its incise)
            return q.content_start, span[1]
        if q.paragraphs > 1 and q.start <= span[0] and span[1] <= q.end:
            marks = set(text[q.start:q.content_start] + text[q.content_end:q.end]) | {" "}
            start, end = span
            if start == q.start or text[start - 1] == "\n":
                while start < end and text[start] in marks:
                    start += 1
            if end == q.end or text[end:end + 1] == "\n":
                while end > start and (text[end - 1] in marks or text[end - 1] == ","):
                    end -= 1
            return start, end
    return span


def link(a: Arrays, unit: list[int], tags: Sequence[str], confidence: Sequence[float],
         quotes: Sequence[Quote], complementisers: frozenset[str] = frozenset(),
         lone_cues: list[tuple[int, int]] | None = None,
         impersonal: frozenset[str] = frozenset()) -> list[Candidate]:
    """Candidates from one tagged paragraph: each content with the cue that governs it (else
    the nearest cue in its sentence), the cue with its source (the same way). Runs are
    (first, last+1) positions in ``unit``; cues left without a content are added to
    ``lone_cues`` (character offsets)."""
    by_role: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
    for role, first, end in spans_from_tags(tags):
        if role != "content" and not all(a.punct[i] for i in unit[first:end]):
            # a source or a cue has no punctuation at its edges (a cue may be only a colon)
            while a.punct[unit[first]]:
                first += 1
            while a.punct[unit[end - 1]] and not _closes_bracket(a, unit[first:end]):
                end -= 1
        if role in by_role:
            by_role[role].append((first, end))

    def ids(run):
        return set(unit[run[0]:run[1]])

    def heads_of(run):
        inside = ids(run)
        return [i for i in unit[run[0]:run[1]] if a.head[i] not in inside] or unit[run[0]:run[1]]

    def gap(x, y):
        return min(abs(x[0] - y[1]), abs(y[0] - x[1]))

    def nearest(run, pool, linked):
        """The run of ``pool`` syntactically ``linked`` to ``run``, else the nearest one in the
        same sentence."""
        if not pool:
            return None
        choices = [o for o in pool if linked(o)]
        if not choices:
            choices = [o for o in pool if a.sent[unit[o[0]]] == a.sent[unit[run[0]]]]
        return min(choices, key=lambda o: gap(o, run)) if choices else None

    grouped: dict[tuple[int, int] | None, list[tuple[int, int]]] = {}
    for content in by_role["content"]:
        governors = [a.head[i] for i in heads_of(content)]
        cue = nearest(content, by_role["cue"],
                      lambda o: any(a.governed_by(g, ids(o), 3) for g in governors))
        grouped.setdefault(cue, []).append(content)

    if lone_cues is not None:
        lone_cues.extend((a.idx[unit[c[0]]], a.end_char(unit[c[1] - 1]))
                         for c in by_role["cue"] if c not in grouped)
    found: list[Candidate] = []
    text = a.doc_text
    # where another speaker may come in between a quotation and the one before
    speakers = [a.idx[unit[run[0]]] for role in ("cue", "source") for run in by_role[role]]
    sentence_ends = [a.end_char(i) for i, j in zip(unit, unit[1:] + [None])
                     if j is None or a.sent[j] != a.sent[i]]
    # contents with a cue first: a cueless one may continue them
    for cue, contents in sorted(grouped.items(), key=lambda item: item[0] is None):
        source = None
        cue_span = None
        if cue is not None:
            cue_ids, cue_heads = ids(cue), heads_of(cue)
            src = nearest(cue, by_role["source"],
                          lambda s: any(a.governed_by(h, cue_ids, 3) for h in heads_of(s))
                          or any(a.governed_by(h, ids(s), 2) for h in cue_heads))
            if src is not None:
                source = a.doc[unit[src[0]]:unit[src[1] - 1] + 1]
            else:
                inside = {unit[k] for run in contents for k in range(run[0], run[1])}
                source = _subject_of(a, cue_heads, inside, impersonal)
            cue_span = (a.idx[unit[cue[0]]], a.end_char(unit[cue[1] - 1]))
        # A later piece in another sentence ("“…,” he said. “…”") is a continuation: its own
        # record, with no cue, whose speaker is the first piece's.
        first: Candidate | None = None
        for run in sorted(contents):
            while run[1] - run[0] > 1 and (a.low[unit[run[0]]] in complementisers  # left out
                                           or _stray_punct(a, unit[run[0]], quotes)):
                run = (run[0] + 1, run[1])
            continuation = (first is not None and cue is not None and run[0] > cue[1]
                            and a.sent[unit[run[0]]] != a.sent[unit[cue[0]]])
            span = _without_marks((a.idx[unit[run[0]]], a.end_char(unit[run[1] - 1])), quotes, text)
            score = round(sum(confidence[run[0]:run[1]]) / (run[1] - run[0]), 3)
            if cue is None:
                # no cue of its own: it continues the attribution just before it, if any
                quoted = kind_of(text, span[0], span[1], quotes) != "indirect"
                first = _continued(found, span[0], text, quoted, speakers, sentence_ends)
                continuation = first is not None
            if continuation:
                found.append(Candidate(kind_of(text, span[0], span[1], quotes), span, None, None, "crf:continuation",
                                       score, follows=first))
            else:
                found.append(Candidate(kind_of(text, span[0], span[1], quotes), span, cue_span, source, "crf", score))
                first = first or found[-1]
    return found


def _continued(found: list[Candidate], start: int, text: str, quoted: bool = False,
               speakers: Sequence[int] = (), sentence_ends: Sequence[int] = ()
               ) -> Candidate | None:
    """The attribution with a cue before ``start`` whose speaker a cueless content keeps: the
    one that ends right before it (nothing but marks and punctuation between), or, for a
    quotation, the one whose sentence ends before it ("“…,” he told reporters. “…”"), unless
    a cue or a source (``speakers``: where they start) comes in between."""
    before = [c for c in found if c.cue is not None and c.follows is None]
    for cand in sorted(before, key=lambda c: -c.content[0]):
        end = max(cand.content[1], cand.cue[1], cand.source.end_char if cand.source is not None else 0)
        if end > start:
            continue
        if quoted:
            # the rest of the attribution's sentence is no one else's words
            end = max(end, next((e for e in sentence_ends if e >= cand.cue[1]), end))
            end = min(end, start)
            if any(end <= k < start for k in speakers):
                return None
        return cand if not any(ch.isalnum() for ch in text[end:start]) else None
    return None


# A participle or infinitive cue has no subject of its own: it speaks through the verb it
# hangs from ("Clinton seemed ready, telling the crowd…", "he left, adding that…").
_SUBJECT_LESS = {"advcl", "xcomp", "conj"}


def _subject_of(a: Arrays, cue_heads: list[int], content: set[int], impersonal: frozenset[str]):
    """The subject of a cue verb the tagger gave no source, or of the verb it depends on;
    none when that subject is part of the content ("Trump seems to be…") or impersonal
    ("it")."""
    node = next((i for i in cue_heads if a.pos[i] in ("VERB", "AUX")), None)
    for _ in range(3):
        if node is None:
            return None
        subject = next((k for k in range(a.left[node], a.right[node] + 1)
                        if a.head[k] == node and a.dep[k] == "nsubj"), None)
        if subject is not None:
            if subject in content or a.low[subject] in impersonal:
                return None
            return a.doc[a.left[subject]:a.right[subject] + 1]
        if a.dep[node] not in _SUBJECT_LESS or a.head[node] == node:
            return None
        node = a.head[node]
    return None


_BRACKETS = {")": "(", "]": "[", "}": "{"}


def _closes_bracket(a: Arrays, run: list[int]) -> bool:
    """Whether the run's last token closes a bracket opened inside it ("Sanders (I-Vt.)")."""
    opening = _BRACKETS.get(a.text[run[-1]])
    return opening is not None and any(a.text[i] == opening for i in run[:-1])


def _stray_punct(a: Arrays, i: int, quotes: Sequence[Quote]) -> bool:
    """Punctuation that is not a quotation mark (a content never starts with it)."""
    return a.punct[i] and not any(q.start == a.idx[i] for q in quotes)


__all__ = ["FEATURE_VERSION", "AttributionTagger", "FeatureExtractor", "link"]
