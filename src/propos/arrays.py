"""A parsed doc read once into plain lists, its paragraphs, and the runs of a tag sequence:
what the attribution tagger (:mod:`propos.tagger`) and its second stage (:mod:`propos.rerank`)
both read, below both of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spacy.tokens import Doc

OUTSIDE = "O"  # the tag of a token outside any source, cue or content

# Links from a phrase to the word it depends on that say what part the phrase plays in a
# clause (UD names, as the rules see them; see the profile's [dependencies]).
_ARGUMENT_DEPS = frozenset({
    "nsubj", "nsubj:pass", "csubj", "obj", "iobj", "dative", "ccomp", "xcomp", "advcl", "acl",
    "acl:relcl", "parataxis", "attr", "oprd", "obl:agent", "pobj", "prep", "conj", "appos",
    "dep", "acomp", "pcomp", "ROOT",
})


class Arrays:
    """A parsed doc read once into plain lists: spaCy's per-token attribute access creates a
    Token object each time, and the features read every token's neighbours and ancestors."""

    def __init__(self, doc: Doc, is_cue: Callable[[str, str], bool], text: str | None = None):
        from spacy.attrs import (DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_PUNCT, LEMMA, LOWER, ORTH,
                                 POS, TAG)

        self.doc = doc
        # doc.text is a property that joins every token: read it once (or take it given)
        self.doc_text = doc.text if text is None else text
        n = len(doc)
        columns = doc.to_array([LOWER, LEMMA, TAG, POS, DEP, ENT_TYPE, ENT_IOB, HEAD, IDX, IS_PUNCT,
                                ORTH])
        strings = doc.vocab.strings
        seen: dict[int, str] = {}

        def names(column: int) -> list[str]:
            out = []
            for h in columns[:, column].tolist():
                name = seen.get(h)
                if name is None:
                    name = seen[h] = strings[h] if h else ""
                out.append(name)
            return out

        self.text = names(10)
        self.low = names(0)
        self.lemma = [x.lower() for x in names(1)]
        self.tag, self.pos, self.dep = names(2), names(3), names(4)
        iob = {1: "I", 2: "O", 3: "B"}
        self.ent = [iob.get(code, "") + label
                    for code, label in zip(columns[:, 6].tolist(), names(5))]
        # HEAD is an offset stored unsigned
        self.head = [(i + (rel if rel < 2**63 else rel - 2**64)) for i, rel in
                     enumerate(columns[:, 7].tolist())]
        self.idx = columns[:, 8].tolist()
        self.punct = [bool(x) for x in columns[:, 9].tolist()]
        self.space = [not t.strip() for t in self.text]
        # a line break is a space token of its own (spaCy's trailing whitespace is one space)
        self.newline_after = [sp and "\n" in t for t, sp in zip(self.text, self.space)]
        self.cue = [is_cue(low, lemma) for low, lemma in zip(self.low, self.lemma)]
        # subtree edges, from the heads
        self.left = list(range(n))
        self.right = list(range(n))
        for i in range(n):
            node, steps = i, 0
            while self.head[node] != node and steps < n:
                node = self.head[node]
                steps += 1
                if i < self.left[node]:
                    self.left[node] = i
                if i > self.right[node]:
                    self.right[node] = i
        self.sent = [0] * n
        self.sent_start = [False] * n
        for sent in doc.sents:
            self.sent_start[sent.start] = True
            self.sent[sent.start:sent.end] = [sent.start] * (sent.end - sent.start)
        self.kids: list[set[str]] = [set() for _ in range(n)]
        for i, h in enumerate(self.head):
            if h != i:
                self.kids[h].add(self.dep[i])

    def __len__(self) -> int:
        return len(self.text)

    def end_char(self, i: int) -> int:
        return self.idx[i] + len(self.text[i])

    def argument(self, i: int) -> tuple[int, int | None]:
        """The highest phrase token ``i`` heads within its argument, and the word that takes it.

        Climbs from ``i`` through modifiers (det, amod, compound…) to the first ancestor
        attached by an argument link; returns (that ancestor, its head) or (root, None).
        """
        node = i
        for _ in range(40):
            if self.dep[node] in _ARGUMENT_DEPS or self.head[node] == node:
                break
            node = self.head[node]
        head = self.head[node]
        return node, (head if head != node else None)

    def governed_by(self, i: int, targets: set[int], depth: int) -> bool:
        """Whether one of ``targets`` is ``i`` or one of its first ``depth`` ancestors."""
        node = i
        for _ in range(depth + 1):
            if node in targets:
                return True
            if self.head[node] == node:
                return False
            node = self.head[node]
        return False


def paragraphs(arrays: Arrays) -> list[list[int]]:
    """The doc's non-space token indices, cut at line breaks: the units the CRF labels."""
    units: list[list[int]] = []
    current: list[int] = []
    for i in range(len(arrays)):
        if arrays.space[i]:
            if arrays.newline_after[i] and current:
                units.append(current)
                current = []
            continue
        current.append(i)
        if arrays.newline_after[i]:
            units.append(current)
            current = []
    if current:
        units.append(current)
    return units


def spans_from_tags(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(role, first, last+1) runs of a BILOU (or BIO) sequence; an I- or L- after another role
    opens a run."""
    spans: list[tuple[str, int, int]] = []
    role, start = None, 0
    for k, tag in enumerate(list(tags) + [OUTSIDE]):
        prefix, _, name = tag.partition("-")
        if role is not None and (tag == OUTSIDE or prefix in ("B", "U") or name != role):
            spans.append((role, start, k))
            role = None
        if tag != OUTSIDE and role is None:
            role, start = name, k
        if prefix in ("L", "U") and role is not None:
            spans.append((role, start, k + 1))
            role = None
    return spans
