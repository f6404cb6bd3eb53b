"""The tagger's second stage: each content the CRF found is re-chosen among the spans the
parse offers around it.

Why: a first-order token CRF decides each edge from a few tokens around it, so a content
runs on through an "after…" adjunct, absorbs the clause before it or stops a word short.
Most right answers are nonetheless a subtree of the parse, or a subtree with leading or
trailing dependents cut: this stage lists those candidates (the CRF's own run, the subtrees
of its head words, trimmed of up to three trailing and two leading dependents, with and
without their final punctuation, and the quotation the run is in) and scores them with an
averaged perceptron over span features the CRF cannot see (which dependents were cut, the
words and tags at and beyond both edges, length, quote coverage, another cue inside, how
sure the CRF was inside and just outside). Its weights are trained by
:mod:`propos.training` on CRF output it was not trained on (two folds), saved as JSON next
to the CRF's, and loaded when present. Not shipped: on the train holdout it does worse than
the CRF alone (README, "Trained tagger").
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path

from .arrays import Arrays, spans_from_tags
from .quotes import Quote

# Dependents that may be cut from the edges of a subtree (the others belong to the clause).
_TRIMMABLE = frozenset({"advcl", "prep", "obl", "obl:mod", "conj", "cc", "punct", "npadvmod",
                        "mark", "advmod", "parataxis", "dep", "ccomp", "xcomp", "appos",
                        "acl", "acl:relcl", "nsubj", "dobj", "obj", "attr", "oprd", "agent",
                        "obl:agent", "dative", "intj", "meta", "prt"})
RANKER_VERSION = 1  # bumped when the candidates or their features change
MAX_TRAILING_CUTS = 3
MAX_LEADING_CUTS = 2
EPOCHS = 6
SEED = 13


def ranker_path(model: Path) -> Path:
    """Where the second stage's weights are: ``attribution.crfsuite`` → ``attribution.ranker.json``."""
    return model.with_name(model.stem + ".ranker.json")


def _bucket(d: int) -> str:
    if d == 0:
        return "0"
    sign = "+" if d > 0 else "-"
    d = abs(d)
    return sign + ("1" if d == 1 else "2-3" if d <= 3 else "4-8" if d <= 8 else "9+")


def _length(n: int) -> str:
    return "1" if n == 1 else "2-3" if n <= 3 else "4-8" if n <= 8 else "9-20" if n <= 20 else "21+"


class Candidates:
    """The spans (first, last+1 positions in a paragraph unit) offered for one CRF run, each
    with the features saying how it was made and what lies at its edges."""

    def __init__(self, a: Arrays, unit: list[int], tags: Sequence[str], content_p: Sequence[float],
                 quotes: Sequence[Quote]):
        self.a = a
        self.unit = unit
        self.tags = tags
        self.p = content_p
        self.position = {token: k for k, token in enumerate(unit)}
        # the quotations of this paragraph, as (first, last+1) positions of their words
        start, end = a.idx[unit[0]], a.end_char(unit[-1])
        self.quoted = []
        for q in quotes:
            if q.content_start < end and start < q.content_end:
                first, last = self._positions(q.content_start, q.content_end)
                if first is not None and last is not None:
                    self.quoted.append((first, last + 1))
        runs = spans_from_tags(tags)
        self.runs = [(s, e) for role, s, e in runs if role == "content"]
        # positions no content may take: cues and sources
        self.blocked = [False] * len(unit)
        for role, s, e in runs:
            if role != "content":
                for k in range(s, e):
                    self.blocked[k] = True

    def for_run(self, run: tuple[int, int]) -> list[tuple[tuple[int, int], list[str]]]:
        a, unit = self.a, self.unit
        inside = set(unit[run[0]:run[1]])
        tops = [i for i in unit[run[0]:run[1]] if a.head[i] not in inside or a.head[i] == i]
        made: dict[tuple[int, int], str] = {run: "run"}
        nodes = list(tops)
        if len(tops) == 1 and a.head[tops[0]] != tops[0] and a.head[tops[0]] in self.position \
                and not self.blocked[self.position[a.head[tops[0]]]]:
            nodes.append(a.head[tops[0]])  # the content may be the clause one level up
        for node in nodes[:4]:
            for span, how in self._subtree_variants(node):
                made.setdefault(span, how)
        for first, end in self.quoted:
            if first < run[1] and run[0] < end:
                made.setdefault((first, end), "quote")
        others = [r for r in self.runs if r != run]
        out = []
        for span, how in made.items():
            s, e = span
            if e <= s or any(self.blocked[k] for k in range(s, e)):
                continue
            if any(s < r[1] and r[0] < e for r in others):
                continue
            out.append((span, self._features(span, run, how)))
        return out

    def _positions(self, start: int, end: int) -> tuple[int | None, int | None]:
        """The first and last unit positions of the tokens within characters [start, end)."""
        a = self.a
        ks = [k for k, i in enumerate(self.unit) if start <= a.idx[i] and a.end_char(i) <= end]
        return (ks[0], ks[-1]) if ks else (None, None)

    def _subtree_variants(self, node: int) -> list[tuple[tuple[int, int], str]]:
        a, position = self.a, self.position
        kids = [k for k in range(a.left[node], a.right[node] + 1) if a.head[k] == node and k != node]
        left_kids = [k for k in kids if k < node]
        right_kids = [k for k in kids if k > node]
        out = []
        for i in range(min(MAX_LEADING_CUTS, len(left_kids)) + 1):
            if i and a.dep[left_kids[i - 1]] not in _TRIMMABLE:
                break
            start_token = a.left[left_kids[i]] if i < len(left_kids) else node
            for j in range(min(MAX_TRAILING_CUTS, len(right_kids)) + 1):
                if j and a.dep[right_kids[-j]] not in _TRIMMABLE:
                    break
                end_token = a.right[right_kids[-j - 1]] if j < len(right_kids) else node
                first, last = position.get(start_token), position.get(end_token)
                if first is None or last is None:
                    continue
                how = "sub"
                if i:
                    how += "|cutl=" + a.dep[left_kids[i - 1]]
                if j:
                    how += "|cutr=" + a.dep[right_kids[-j]]
                out.append(((first, last + 1), how))
                if last > first and a.punct[self.unit[last]]:
                    out.append(((first, last), how + "|nopunct"))
        return out

    def _features(self, span: tuple[int, int], run: tuple[int, int], how: str) -> list[str]:
        a, unit, p = self.a, self.unit, self.p
        s, e = span
        first, last = unit[s], unit[e - 1]
        before = unit[s - 1] if s > 0 else None
        after = unit[e] if e < len(unit) else None
        inside_p = p[s:e]
        mean_p = sum(inside_p) / len(inside_p)
        f = ["bias", "how=" + how.split("|")[0], "ds=" + _bucket(s - run[0]),
             "de=" + _bucket(e - run[1]), "len=" + _length(e - s),
             "p=" + str(min(9, int(mean_p * 10))), "pmin=" + str(min(9, int(min(inside_p) * 10)))]
        f.extend("h=" + part for part in how.split("|")[1:])
        if span == run:
            f.append("isrun")
        f.append("dsde=" + _bucket(s - run[0]) + "|" + _bucket(e - run[1]))
        f.append("fw=" + a.low[first])
        f.append("ft=" + a.tag[first])
        f.append("lw=" + a.low[last])
        f.append("lt=" + a.tag[last])
        for name, i in (("b", before), ("a", after)):
            if i is None:
                f.append(name + "=edge")
                continue
            f.append(name + "w=" + a.low[i])
            f.append(name + "t=" + a.tag[i])
            f.append(name + "d=" + a.dep[i])
            f.append(name + "p=" + str(min(9, int(p[self.position[i]] * 10))))
            if a.newline_after[i] or a.sent_start[i]:
                f.append(name + "=break")
        if any(a.cue[i] for i in unit[s:e]):
            f.append("cueinside")
        tops = [i for i in unit[s:e] if not s <= self.position.get(a.head[i], -1) < e]
        f.append("tops=" + ("1" if len(tops) == 1 else "2+"))
        if len(tops) == 1:
            top = tops[0]
            f.append("topdep=" + a.dep[top])
            f.append("topdep+how=" + a.dep[top] + "|" + how)
            f.append("toph=" + a.lemma[a.head[top]])
        for qs, qe in self.quoted:
            if (qs, qe) == span:
                f.append("q=exact")
            elif s <= qs and qe <= e:
                f.append("q=holds")
            elif qs < s < qe or qs < e < qe:
                f.append("q=cuts")
        return f


class Perceptron:
    """An averaged perceptron choosing one candidate per group."""

    def __init__(self, weights: dict[str, float] | None = None):
        self.weights = weights or {}

    def score(self, features: list[str]) -> float:
        w = self.weights
        return sum(w.get(x, 0.0) for x in features)

    def best(self, candidates: list[list[str]]) -> int:
        scores = [self.score(f) for f in candidates]
        return max(range(len(scores)), key=scores.__getitem__)

    @classmethod
    def train(cls, groups: list[tuple[list[list[str]], int]], epochs: int = EPOCHS,
              seed: int = SEED) -> Perceptron:
        weights: dict[str, float] = {}
        totals: dict[str, float] = {}
        stamps: dict[str, int] = {}
        step = 0
        order = list(range(len(groups)))
        rng = random.Random(seed)

        def update(feature: str, delta: float) -> None:
            totals[feature] = totals.get(feature, 0.0) + (step - stamps.get(feature, 0)) * weights.get(feature, 0.0)
            stamps[feature] = step
            weights[feature] = weights.get(feature, 0.0) + delta

        model = cls(weights)
        for _ in range(epochs):
            rng.shuffle(order)
            for g in order:
                step += 1
                candidates, gold = groups[g]
                guess = model.best(candidates)
                if guess != gold:
                    for x in candidates[gold]:
                        update(x, 1.0)
                    for x in candidates[guess]:
                        update(x, -1.0)
        averaged = {}
        for feature, weight in weights.items():
            total = totals.get(feature, 0.0) + (step - stamps.get(feature, 0)) * weight
            if abs(total / step) > 1e-4:
                averaged[feature] = round(total / step, 4)
        return cls(averaged)

    def save(self, path: Path, metadata: dict) -> None:
        path.write_text(json.dumps({"metadata": metadata, "weights": self.weights},
                                   sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Perceptron:
        return cls(json.loads(path.read_text(encoding="utf-8"))["weights"])


def content_labels(tagger) -> list[str]:
    return [x for x in tagger.labels() if x.endswith("content")]


def content_probabilities(tagger, n: int, labels: Sequence[str] | None = None) -> list[float]:
    """Per token of the sequence just tagged, the CRF's probability that it is content
    (``labels``: :func:`content_labels` of the tagger, when already known)."""
    labels = content_labels(tagger) if labels is None else labels
    return [sum(tagger.marginal(label, k) for label in labels) for k in range(n)]


def rechoose(model: Perceptron, a: Arrays, unit: list[int], tags: list[str],
             content_p: Sequence[float], quotes: Sequence[Quote]) -> list[str]:
    """The tags with each content run replaced by the best-scored candidate span."""
    offered = Candidates(a, unit, tags, content_p, quotes)
    out = list(tags)
    for run in offered.runs:
        candidates = offered.for_run(run)
        if len(candidates) < 2:
            continue
        (s, e), _ = candidates[model.best([f for _, f in candidates])]
        if (s, e) == run:
            continue
        for k in range(run[0], run[1]):
            out[k] = "O"
        for k in range(s, e):
            out[k] = ("U-" if e - s == 1 else "B-" if k == s else "L-" if k == e - 1 else "I-") + "content"
        offered.runs = [r if r != run else (s, e) for r in offered.runs]
    return out


def training_groups(a: Arrays, unit: list[int], tags: Sequence[str], content_p: Sequence[float],
                    quotes: Sequence[Quote], gold_tags: Sequence[str]
                    ) -> list[tuple[list[list[str]], int]]:
    """For each CRF content run whose candidates hold a gold content exactly, (the
    candidates' features, the gold one's index)."""
    gold = {(s, e) for role, s, e in spans_from_tags(gold_tags) if role == "content"}
    offered = Candidates(a, unit, tags, content_p, quotes)
    groups = []
    for run in offered.runs:
        candidates = offered.for_run(run)
        if len(candidates) < 2:
            continue
        right = [k for k, (span, _) in enumerate(candidates) if span in gold]
        if right:
            groups.append(([f for _, f in candidates], right[0]))
    return groups


__all__ = ["RANKER_VERSION", "Candidates", "Perceptron", "content_labels", "content_probabilities",
           "ranker_path", "rechoose", "training_groups"]
