"""CofeNet's token-level scores on PolNeAR, so that propos can stand beside the published table.

CofeNet (Wang et al., COLING 2022) tokenised PolNeAR the PTB way (``valid.txt``: one JSON
object per segment, ``tokens`` and BIO ``labels`` over source/cue/content, ``id`` = article +
"_" + annotator). Predicted character spans are mapped onto these tokens (every token a span
overlaps gets its label, B- first, I- after) and spans are compared per component:

- exact match: same first and last token and the same component;
- begin match: same first token and the same component.

P = found / predicted, R = found / gold; no linking between components.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Document, Span

COMPONENTS: tuple[str, ...] = ("source", "cue", "content")
_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
        "``": "\"", "''": "\""}
_QUOTE_LIKE = set("\"“”„'‘’`´")


@dataclass
class Segment:
    article: str
    tokens: list[str]
    labels: list[str]
    offsets: list[tuple[int, int] | None] = field(default_factory=list)
    copy: str = ""  # CofeNet's id: article + "_" + annotator


def read_cofenet(path: str | Path) -> list[Segment]:
    out = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                d = json.loads(line)
                article = d["id"].rsplit("_", 1)[0]
                out.append(Segment(article, d["tokens"], d["labels"], copy=d["id"]))
    return out


def _match_at(text: str, pos: int, token: str) -> int | None:
    """End of ``token`` matched at ``pos`` in ``text`` (PTB escapes and quote styles undone)."""
    token = _PTB.get(token, token)
    if token in ("--", "-") and pos < len(text) and text[pos] in "—–":
        return pos + 1
    if token == "...":
        if text[pos:pos + 1] == "…":
            return pos + 1
    if token == "\"":
        if pos < len(text) and text[pos] in _QUOTE_LIKE:
            end = pos + 1
            if text[pos:pos + 2] in ("``", "''"):
                end += 1
            return end
        return None
    k = pos
    for ch in token:
        if k < len(text) and (text[k] == ch or (ch in _QUOTE_LIKE and text[k] in _QUOTE_LIKE)
                              or (ch == "-" and text[k] in "–—-")):
            k += 1
        else:
            return None
    return k


def align(segments: list[Segment], texts: dict[str, str]) -> None:
    """Give every token its character offsets in its article (None where it cannot be found)."""
    cursors: dict[str, int] = {}
    for seg in segments:
        text = texts.get(seg.article)
        seg.offsets = []
        if text is None:
            seg.offsets = [None] * len(seg.tokens)
            continue
        pos = cursors.get(seg.article, 0)
        for n, token in enumerate(seg.tokens):
            found = None
            scan = pos
            # A segment may start after text CofeNet left out (a headline, a caption).
            limit = len(text) if n == 0 else min(len(text), pos + 40)
            while scan < limit:
                end = _match_at(text, scan, token)
                if end is not None:
                    found = (scan, end)
                    break
                scan += 1
            if found is None:
                seg.offsets.append(None)
                continue
            seg.offsets.append(found)
            pos = found[1]
        if seg.article not in cursors or pos > cursors[seg.article]:
            cursors[seg.article] = pos
        # A new annotator's copy of the same article starts again from the top.
    return None


def _restart_cursors(segments: list[Segment]) -> list[list[Segment]]:
    """Group segments by CofeNet id order: each (article, annotator) copy aligned on its own."""
    groups: list[list[Segment]] = []
    last = None
    for seg in segments:
        key = seg.copy
        if groups and key == last:
            groups[-1].append(seg)
        else:
            groups.append([seg])
        last = key
    return groups


def predicted_labels(seg: Segment, spans: dict[str, list[Span]]) -> list[str]:
    labels = ["O"] * len(seg.tokens)
    for component in COMPONENTS:
        for span in spans.get(component, ()):
            first = True
            for i, off in enumerate(seg.offsets):
                if off is None or labels[i] != "O":
                    if off is None or not (off[0] < span.end and span.start < off[1]):
                        first = first if off is None else first
                    continue
                if off[0] < span.end and span.start < off[1]:
                    labels[i] = ("B-" if first else "I-") + component
                    first = False
    return labels


def spans_of(labels: list[str]) -> set[tuple[str, int, int]]:
    out = set()
    start, kind = None, None
    for i, lab in enumerate(labels + ["O"]):
        tag, _, comp = lab.partition("-")
        if start is not None and (tag != "I" or comp != kind):
            out.add((kind, start, i - 1))
            start, kind = None, None
        if tag == "B" or (tag == "I" and start is None):
            start, kind = i, comp
    return out


@dataclass
class Counts:
    found: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def p(self) -> float:
        return self.found / self.predicted if self.predicted else 0.0

    @property
    def r(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def to_dict(self) -> dict[str, float]:
        return {"precision": round(100 * self.p, 1), "recall": round(100 * self.r, 1),
                "f1": round(100 * self.f1, 1)}


def score_cofenet(path: str | Path, documents: Iterable[Document], texts: dict[str, str]
                  ) -> dict[str, dict[str, Counts]]:
    """Exact- and begin-match counts per component of ``documents`` against ``valid.txt``."""
    segments = read_cofenet(path)
    for group in _restart_cursors(segments):
        align(group, texts)
    spans: dict[str, dict[str, list[Span]]] = {}
    for doc in documents:
        per = spans.setdefault(doc.id, {c: [] for c in COMPONENTS})
        for a in doc.attributions:
            per["content"].append(a.content)
            if a.cue is not None:
                per["cue"].append(a.cue)
            if a.source is not None:
                per["source"].append(a.source)
    result = {mode: {c: Counts() for c in COMPONENTS} for mode in ("exact", "begin")}
    for seg in segments:
        gold = spans_of(seg.labels)
        pred = spans_of(predicted_labels(seg, spans.get(seg.article, {})))
        for c in COMPONENTS:
            g = {s for s in gold if s[0] == c}
            p = {s for s in pred if s[0] == c}
            result["exact"][c].found += len(g & p)
            result["exact"][c].predicted += len(p)
            result["exact"][c].gold += len(g)
            gb = {(s[0], s[1]) for s in g}
            pb = {(s[0], s[1]) for s in p}
            result["begin"][c].found += len(gb & pb)
            result["begin"][c].predicted += len(pb)
            result["begin"][c].gold += len(gb)
    return result


def format_cofenet(result: dict[str, dict[str, Counts]], source: str = "") -> str:
    lines = [f"CofeNet token-level scores{': ' + source if source else ''}",
             f"{'':<16}{'P':>7}{'R':>7}{'F1':>7}"]
    for mode in ("exact", "begin"):
        for c in COMPONENTS:
            k = result[mode][c]
            lines.append(f"{mode + ' ' + c:<16}{100 * k.p:>7.1f}{100 * k.r:>7.1f}{100 * k.f1:>7.1f}")
    return "\n".join(lines)
