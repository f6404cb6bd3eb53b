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
from pathlib import Path

from spacy.tokens import Doc, Token

from .attribute import Candidate
from .profile import LanguageProfile
from .quotes import Quote

log = logging.getLogger(__name__)

ROLES = ("source", "cue", "content")
OUTSIDE = "O"

# Links from a phrase to the word it depends on that say what part the phrase plays in a
# clause (UD names, as the rules see them; see the profile's [dependencies]).
_ARGUMENT_DEPS = frozenset({
    "nsubj", "nsubj:pass", "csubj", "obj", "iobj", "dative", "ccomp", "xcomp", "advcl", "acl",
    "acl:relcl", "parataxis", "attr", "oprd", "obl:agent", "pobj", "prep", "conj", "appos",
    "dep", "acomp", "pcomp", "ROOT",
})


def paragraphs(doc: Doc) -> list[list[Token]]:
    """The doc's non-space tokens, cut at line breaks: the units the CRF labels."""
    units: list[list[Token]] = []
    current: list[Token] = []
    for token in doc:
        if token.is_space or not token.text.strip():
            if "\n" in token.text and current:
                units.append(current)
                current = []
            continue
        current.append(token)
        if "\n" in token.whitespace_ and current:
            units.append(current)
            current = []
    if current:
        units.append(current)
    return units


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


def _argument(token: Token) -> tuple[Token, Token | None]:
    """The highest phrase ``token`` heads within its argument, and the word that takes it.

    Climbs from ``token`` through modifiers (det, amod, compound…) to the first ancestor
    attached by an argument link; returns (that ancestor, its head) or (root, None).
    """
    node = token
    for _ in range(40):
        if node.dep_ in _ARGUMENT_DEPS or node.head is node:
            break
        node = node.head
    head = node.head if node.head is not node else None
    return node, head


class FeatureExtractor:
    """Per-token feature strings for the CRF (the same at training and at tagging time)."""

    def __init__(self, profile: LanguageProfile):
        self.profile = profile
        # The model's contextual token vectors (doc.tensor) as real-valued features: they carry
        # what the sparse features miss (rare cue words, a clause's sense), at no extra parse.
        self.vectors = bool(profile.get("tagger_vectors", False))
        self.cue_lemmas = frozenset(profile.cues)
        self.cue_forms = frozenset(profile.forms)
        self.according = [tuple(p.split()) for p in profile.get("according_to", [])]

    def is_cue_word(self, token: Token) -> bool:
        low = token.lower_
        return low in self.cue_forms or token.lemma_.lower() in self.cue_lemmas

    def sequences(self, doc: Doc, quotes: Sequence[Quote], rules: Sequence[Candidate]
                  ) -> tuple[list[list[Token]], list[list[list[str] | dict[str, float]]]]:
        units = paragraphs(doc)
        rule_role = self._rule_roles(doc, rules)
        quote_state = self._quote_states(doc, quotes)
        cue_at = self._sentence_cues(doc)
        out = []
        for unit in units:
            base = [self._token_features(t, rule_role, quote_state) for t in unit]
            feats = []
            n = len(unit)
            for k, token in enumerate(unit):
                f = list(base[k][0])
                for off in (-3, -2, -1, 1, 2, 3):
                    j = k + off
                    if 0 <= j < n:
                        f.extend(f"{off}{x}" for x in base[j][1])
                    else:
                        f.append(f"{off}edge")
                if k > 0:
                    f.append("bi-=" + unit[k - 1].lower_ + "|" + token.lower_)
                if k + 1 < n:
                    f.append("bi+=" + token.lower_ + "|" + unit[k + 1].lower_)
                f.extend(self._cue_distance(token, cue_at))
                feats.append(f)
            if self.vectors and doc.tensor is not None and len(doc.tensor) == len(doc):
                feats = [self._with_vector(f, doc.tensor[t.i]) for f, t in zip(feats, unit)]
            out.append(feats)
        return units, out

    @staticmethod
    def _with_vector(names: list[str], vector) -> dict[str, float]:
        item = dict.fromkeys(names, 1.0)
        for k, value in enumerate(vector.tolist()):
            item[f"v{k}"] = round(value, 2)
        return item

    def _sentence_cues(self, doc: Doc) -> dict[int, list[int]]:
        """Per sentence start, the positions of its cue words."""
        cues: dict[int, list[int]] = {}
        for sent in doc.sents:
            cues[sent.start] = [t.i for t in sent if self.is_cue_word(t) and t.pos_ in ("VERB", "NOUN")]
        return cues

    @staticmethod
    def _cue_distance(token: Token, cue_at: dict[int, list[int]]) -> list[str]:
        """Where the nearest cue words of the sentence are, before and after the token."""
        positions = cue_at.get(token.sent.start, [])
        if not positions:
            return ["nocue"]
        out = []
        before = [token.i - p for p in positions if p < token.i]
        after = [p - token.i for p in positions if p > token.i]
        for name, dists in (("cb", before), ("ca", after)):
            if dists:
                d = min(dists)
                out.append(name + "=" + ("1" if d == 1 else "2-3" if d <= 3 else "4-8" if d <= 8 else "far"))
        return out

    def _rule_roles(self, doc: Doc, rules: Sequence[Candidate]) -> dict[int, str]:
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
                for k, t in enumerate(span):
                    roles[t.i] = ("B" if k == 0 else "I") + role + "|" + cand.rule.split(":")[0]
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

    def _clause_path(self, t: Token) -> list[str]:
        """Where the token's clause sits: the first cue word above it and through which link
        it is reached, and the link of its own clause."""
        out = []
        node, clause_seen = t, False
        for depth in range(12):
            head = node.head
            if head is node:
                break
            if not clause_seen and node.pos_ in ("VERB", "AUX") and node is not t:
                out.append("cl=" + node.dep_ + "|" + head.lemma_.lower())
                clause_seen = True
            if self.is_cue_word(head):
                out.append("under=" + node.dep_ + "|" + head.lemma_.lower())
                out.append("underd=" + node.dep_ + "|" + str(min(depth, 3)))
                break
            node = head
        return out

    def _token_features(self, t: Token, rule_role: dict[int, str], quote_state: dict[int, str]
                        ) -> tuple[list[str], list[str]]:
        """(the token's own features, the subset its neighbours see)."""
        low = t.lower_
        lemma = t.lemma_.lower()
        tag = t.tag_
        dep = t.dep_
        cue = self.is_cue_word(t)
        q = quote_state.get(t.i, "out")
        rule = rule_role.get(t.i, "none")
        arg, taker = _argument(t)
        own = [
            "bias", "w=" + low, "l=" + lemma, "t=" + tag, "d=" + dep, "s=" + _shape(t.text),
            "suf=" + low[-3:], "q=" + q, "r=" + rule, "rr=" + rule[:1] + rule[1:].split("|")[0],
            "e=" + t.ent_iob_ + t.ent_type_,
            "hl=" + t.head.lemma_.lower(), "hd=" + dep + "|" + t.head.pos_,
            "a=" + arg.dep_,
        ]
        if cue:
            own.append("cue")
            own.append("cued=" + dep)
        if taker is not None:
            taker_lemma = taker.lemma_.lower()
            own.append("al=" + arg.dep_ + "|" + taker_lemma)
            own.append("ap=" + arg.dep_ + "|" + taker.pos_)
            if self.is_cue_word(taker):
                own.append("acue=" + arg.dep_)
            if t is arg.left_edge:
                own.append("start=" + arg.dep_)
                own.append("startl=" + arg.dep_ + "|" + taker_lemma)
            if t is arg.right_edge:
                own.append("end=" + arg.dep_)
            # one level up: the clause this argument belongs to, and what takes it
            upper, upper_taker = _argument(taker)
            if upper_taker is not None:
                own.append("ul=" + upper.dep_ + "|" + upper_taker.lemma_.lower())
                if self.is_cue_word(upper_taker):
                    own.append("ucue=" + upper.dep_)
        own.extend(self._clause_path(t))
        kids = {c.dep_ for c in t.children}
        for k in ("ccomp", "xcomp", "nsubj", "obj", "nsubj:pass", "obl:agent", "mark", "prep"):
            if k in kids:
                own.append("k=" + k)
                own.append("lk=" + lemma + "|" + k)
        if t.is_sent_start:
            own.append("sstart")
        if t.i + 1 < len(t.doc) and t.doc[t.i + 1].is_sent_start:
            own.append("send")
        seen = ["w=" + low, "l=" + lemma, "t=" + tag, "d=" + dep, "q=" + q,
                "rr=" + rule[:1] + rule[1:].split("|")[0]]
        if cue:
            seen.append("cue")
        return own, seen


def spans_from_tags(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(role, first, last+1) runs of a BIO sequence; an I- after another role opens a run."""
    spans: list[tuple[str, int, int]] = []
    role, start = None, 0
    for k, tag in enumerate(list(tags) + [OUTSIDE]):
        prefix, _, name = tag.partition("-")
        if role is not None and (tag == OUTSIDE or prefix == "B" or name != role):
            spans.append((role, start, k))
            role = None
        if tag != OUTSIDE and role is None:
            role, start = name, k
    return spans


def _kind(text: str, content: tuple[int, int], quotes: Sequence[Quote]) -> str:
    inside = [q for q in quotes if q.start < content[1] and content[0] < q.end]
    if not inside:
        return "indirect"
    if len(inside) == 1:
        q = inside[0]
        outside = text[content[0]:q.start] + text[q.end:content[1]]
        if not any(ch.isalnum() for ch in outside):
            return "direct"
    return "mixed"


class AttributionTagger:
    """Loads CRF weights and turns a parsed doc into attribution candidates."""

    def __init__(self, profile: LanguageProfile, model_path: Path):
        import pycrfsuite

        self.features = FeatureExtractor(profile)
        self.complementisers = profile.words("complementisers")
        self.model_path = model_path
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))

    def tag(self, doc: Doc, quotes: Sequence[Quote], rules: Sequence[Candidate]
            ) -> list[tuple[list[Token], list[str], list[float]]]:
        units, sequences = self.features.sequences(doc, quotes, rules)
        out = []
        for unit, feats in zip(units, sequences):
            tags = self._tagger.tag(feats)
            confidence = [self._tagger.marginal(tag, k) for k, tag in enumerate(tags)]
            out.append((unit, tags, confidence))
        return out

    def candidates(self, doc: Doc, quotes: Sequence[Quote], rules: Sequence[Candidate]
                   ) -> list[Candidate]:
        found: list[Candidate] = []
        for unit, tags, confidence in self.tag(doc, quotes, rules):
            found.extend(link(doc, unit, tags, confidence, quotes, self.complementisers))
        found = _with_relays(found, rules)
        found.sort(key=lambda c: c.content[0])
        return found


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _with_relays(found: list[Candidate], rules: Sequence[Candidate]) -> list[Candidate]:
    """The rules' relays ("…, citing two officials") on the tagger's attributions, and not
    as attributions of their own."""
    vias = []
    for cand in found:
        rule = next((r for r in rules if r.via is not None and _overlap(r.cue, cand.cue)
                     and _overlap(r.content, cand.content)), None)
        if rule is not None:
            cand.via = rule.via
            vias.append((rule.via.start_char, rule.via.end_char))
    return [c for c in found if not any(v[0] <= c.content[0] and c.content[1] <= v[1] for v in vias)]


def _linked(a: Token, cue_tokens: set[int], depth: int = 8) -> bool:
    """Whether a cue token is ``a`` or one of its first ancestors."""
    node = a
    for _ in range(depth):
        if node.i in cue_tokens:
            return True
        if node.head is node:
            return False
        node = node.head
    return False


def _stray_punct(token: Token, quotes: Sequence[Quote]) -> bool:
    """Punctuation that is not a quotation mark (a content never starts with it)."""
    return token.is_punct and not any(q.start == token.idx for q in quotes)


def _without_marks(span: tuple[int, int], quotes: Sequence[Quote], text: str) -> tuple[int, int]:
    """A content that is one whole quotation, without its marks (and without the comma that
    English puts inside them: "…," she said), as the rules give it."""
    for q in quotes:
        if q.start <= span[0] <= q.content_start and q.content_end <= span[1] <= q.end:
            if any(ch.isalnum() for ch in text[span[0]:q.content_start] + text[q.content_end:span[1]]):
                return span
            end = q.content_end
            while end > q.content_start and text[end - 1] in ", ":
                end -= 1
            return (q.content_start, end)
    return span


def link(doc: Doc, unit: list[Token], tags: Sequence[str], confidence: Sequence[float],
         quotes: Sequence[Quote], complementisers: frozenset[str] = frozenset()) -> list[Candidate]:
    """Candidates from one tagged paragraph: each content with the cue that governs it (else
    the nearest cue in its sentence), the cue with its source (the same way)."""
    runs = spans_from_tags(tags)
    by_role: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
    for role, a, b in runs:
        if role in by_role:
            by_role[role].append((a, b))

    def tokens(run):
        return unit[run[0]:run[1]]

    def sentence(run):
        return unit[run[0]].sent.start

    def nearest(run, pool, anchor_tokens, depth=0):
        if not pool:
            return None
        wanted = set()
        for other in pool:
            ids = {t.i for t in tokens(other)}
            if any(_linked(t, ids, depth) for t in anchor_tokens):
                wanted.add(other)
        same = [o for o in pool if sentence(o) == sentence(run)]
        choices = list(wanted) or same
        if not choices:
            return None
        return min(choices, key=lambda o: min(abs(o[0] - run[1]), abs(run[0] - o[1])))

    def heads_of(run):
        ids = {t.i for t in tokens(run)}
        return [t for t in tokens(run) if t.head.i not in ids] or tokens(run)

    grouped: dict[tuple[int, int] | None, list[tuple[int, int]]] = {}
    for content in by_role["content"]:
        cue = nearest(content, by_role["cue"], [t.head for t in heads_of(content)], 3)
        grouped.setdefault(cue, []).append(content)

    found: list[Candidate] = []
    text = doc.text
    for cue, contents in grouped.items():
        source = None
        if cue is not None:
            cue_heads = heads_of(cue)
            src = nearest(cue, by_role["source"], [], 0)
            linked = [s for s in by_role["source"]
                      if any(_linked(t, {c.i for c in tokens(cue)}, 3) for t in heads_of(s))
                      or any(_linked(t, {x.i for x in tokens(s)}, 2) for t in cue_heads)]
            if linked:
                src = min(linked, key=lambda o: min(abs(o[0] - cue[1]), abs(cue[0] - o[1])))
            if src is not None:
                source = doc[unit[src[0]].i:unit[src[1] - 1].i + 1]
        cue_span = None
        if cue is not None:
            c0, c1 = unit[cue[0]], unit[cue[1] - 1]
            cue_span = (c0.idx, c1.idx + len(c1.text))
        # A later piece in another sentence ("“…,” he said. “…”") is a continuation: its own
        # record, with no cue, whose speaker is the first piece's.
        first: Candidate | None = None
        for run in sorted(contents):
            while run[1] - run[0] > 1 and (unit[run[0]].lower_ in complementisers  # left out
                                           or _stray_punct(unit[run[0]], quotes)):
                run = (run[0] + 1, run[1])
            continuation = (first is not None and cue is not None and run[0] > cue[1]
                            and unit[run[0]].sent.start != unit[cue[0]].sent.start)
            start, end = unit[run[0]], unit[run[1] - 1]
            span = _without_marks((start.idx, end.idx + len(end.text)), quotes, text)
            score = round(sum(confidence[run[0]:run[1]]) / (run[1] - run[0]), 3)
            if continuation:
                found.append(Candidate(_kind(text, span, quotes), span, None, None, "crf:continuation",
                                       score, follows=first))
            else:
                found.append(Candidate(_kind(text, span, quotes), span, cue_span, source, "crf", score))
                first = first or found[-1]
    return found


__all__ = ["AttributionTagger", "FeatureExtractor", "paragraphs", "spans_from_tags", "link"]
