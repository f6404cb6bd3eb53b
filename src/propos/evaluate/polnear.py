"""PolNeAR (brat standoff) as gold, and its scoring rule for speakers.

PolNeAR (Newell, Margolin & Ruths, LREC 2018) ships ``text/<article>.txt`` and, per annotator,
``attributions/<article>_<annotator>.ann``. One annotator per article is read: the first
``.ann`` in name order. An ``Attribution`` event ties ``Content``, ``Cue`` and ``Source`` text
bounds; offsets index the article text, and a bound may be discontinuous (``0 5;7 12``), in
which case its extent from first to last character is used. Spans are rebuilt from the text,
so a brat text field that holds a newline cannot shift anything.

PolNeAR does not resolve pronouns, so the speaker check compares spans: a prediction's speaker
is right when its source span overlaps the gold ``Source`` span (both absent also counts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from ..model import Attribution, Document, Failure, Span
from .gold import GoldAttribution, GoldDocument
from .metrics import Miss, Pair, Report, Spurious, match_contents

_BOUND = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t?")
_EVENT = re.compile(r"^(E\d+)\t(.*)$")
_QUOTES = "\"“”«»``''"


def is_polnear(path: str | Path) -> bool:
    """Whether ``path`` is a PolNeAR compartment (a folder with text/ and attributions/)."""
    path = Path(path)
    return path.is_dir() and (path / "text").is_dir() and (path / "attributions").is_dir()


def annotation_file(root: Path, article: str) -> Path | None:
    """The first ``.ann`` of ``article`` in name order."""
    files = sorted((root / "attributions").glob(f"{article}_*.ann"))
    return files[0] if files else None


def _pieces(spec: str) -> list[tuple[int, int]]:
    """The fragments of a brat span ("0 5;9 14" is a discontinuous one), in text order."""
    return sorted(tuple(int(x) for x in part.split()) for part in spec.split(";") if part.strip())


def _span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span.of(text, start, end)


def _extent(text: str, pieces: list[tuple[int, int]]) -> Span:
    return _span(text, pieces[0][0], max(end for _, end in pieces))


def read_ann(ann: str, text: str) -> list[GoldAttribution]:
    """The attributions of one brat file, in text order of their content."""
    bounds: dict[str, list[tuple[int, int]]] = {}
    events: list[str] = []
    for line in ann.splitlines():
        m = _BOUND.match(line)
        if m:
            bounds[m.group(1)] = _pieces(m.group(3))
            continue
        m = _EVENT.match(line)
        if m:
            events.append(m.group(2))
        # anything else: a continuation of a text field that held a newline, or notes
    out: list[GoldAttribution] = []
    for event in events:
        parts: dict[str, list[tuple[int, int]]] = {}
        for arg in event.split():
            role, _, ref = arg.partition(":")
            role = role.rstrip("0123456789")
            if ref in bounds and role in ("Content", "Cue", "Source") and role not in parts:
                parts[role] = bounds[ref]
        if "Content" not in parts:
            continue
        content = _extent(text, parts["Content"])
        if not content.text:
            continue
        pieces = tuple(p for p in (_span(text, *b) for b in parts["Content"]) if p.text)
        cue = _extent(text, parts["Cue"]) if "Cue" in parts else None
        source = _extent(text, parts["Source"]) if "Source" in parts else None
        stripped = content.text.strip(_QUOTES + " ,.")
        kind = "indirect"
        if content.text[:1] in _QUOTES and not any(c in stripped for c in "\"“”"):
            kind = "direct"
        elif any(c in content.text for c in "\"“”"):
            kind = "mixed"
        out.append(GoldAttribution(kind, content, source.text if source else "",
                                   speaker_type="unknown", cue=cue, source=source,
                                   content_pieces=pieces if len(pieces) > 1 else ()))
    out.sort(key=lambda a: a.content.start)
    return out


def read_polnear(path: str | Path) -> list[GoldDocument]:
    """Every article of a PolNeAR compartment that has an annotation, as English gold."""
    root = Path(path)
    docs = []
    for text_file in sorted((root / "text").glob("*.txt")):
        article = text_file.stem
        ann = annotation_file(root, article)
        if ann is None:
            continue
        text = text_file.read_text(encoding="utf-8")
        attributions = read_ann(ann.read_text(encoding="utf-8"), text)
        docs.append(GoldDocument(article, "en", text, tuple(attributions),
                                 meta={"annotation": ann.name}))
    return docs


def spans_overlap(a: Span | None, b: Span | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.start < b.end and b.start < a.end


def score_polnear(gold_docs: Iterable[GoldDocument], predicted_docs: Iterable[Document | Failure],
                  source: str = "") -> Report:
    """Like :func:`propos.evaluate.score`, with the speaker judged by source-span overlap."""
    gold_list = list(gold_docs)
    by_id = {p.id: p for p in predicted_docs}
    pairs: list[Pair] = []
    missed: list[Miss] = []
    spurious: list[Spurious] = []
    failures: list[Failure] = []
    for gold_doc in gold_list:
        prediction = by_id.get(gold_doc.id) or Failure(gold_doc.id, "no prediction for this document")
        predicted: Sequence[Attribution] = ()
        if isinstance(prediction, Failure):
            failures.append(prediction)
        else:
            predicted = prediction.attributions
        gold = gold_doc.attributions
        matches, overlaps = match_contents(gold, predicted)
        matched_gold = {gi: (pj, ov) for gi, pj, ov in matches}
        for gi, g in enumerate(gold):
            if gi in matched_gold:
                pj, ov = matched_gold[gi]
                right = spans_overlap(predicted[pj].source, g.source)
                pairs.append(Pair(gold_doc.id, g, predicted[pj], ov, right))
            else:
                missed.append(Miss(gold_doc.id, g, max(overlaps[gi], default=0.0)))
        used = {pj for _, pj, _ in matches}
        for pj, p in enumerate(predicted):
            if pj not in used:
                spurious.append(Spurious(gold_doc.id, p, max((row[pj] for row in overlaps), default=0.0)))
    return Report(documents=len(gold_list), pairs=tuple(pairs), missed=tuple(missed),
                  spurious=tuple(spurious), failures=tuple(failures), source=source)


_OPENING = "\"“‘`'«"
_CLOSING = "\"”’'»"
_COMPLEMENTISER = re.compile(r"\bthat\s+$", re.IGNORECASE)


def in_polnear_convention(doc: Document, one_per_cue: bool = True) -> Document:
    """``doc`` with its contents as PolNeAR marks them: with the complementiser ("that the
    plan failed") and a quotation's marks ("“We won.”"), which propos' contents leave out.

    With ``one_per_cue`` the pieces of one content become one extent, as the shared metric
    scores PolNeAR; without, each piece stays a span of its own, as CofeNet's tokens mark
    them (the cue, the source and the punctuation between pieces outside the content)."""
    text = doc.text
    out = []
    for a in doc.attributions:
        start, end = a.content.start, a.content.end
        that = _COMPLEMENTISER.search(text, max(0, start - 12), start)
        if that and that.end() == start:
            start = that.start()
        else:
            # the marks may be doubled (''…'') and spaced from the words ("“ … if")
            opening = start
            while opening > 0 and text[opening - 1] == " ":
                opening -= 1
            close = end
            while close < len(text) and text[close] in ",.;:!? ":
                close += 1
            if opening > 0 and text[opening - 1] in _OPENING and close < len(text) \
                    and text[close] in _CLOSING:
                while opening > 0 and text[opening - 1] in _OPENING:
                    opening -= 1
                while close < len(text) and text[close] in _CLOSING:
                    close += 1
                start, end = opening, close
            elif opening > 0 and (text[opening - 1] in _OPENING.replace("'", "")
                                  or text[max(0, opening - 2):opening] == "''"):
                # the first words of a quotation that goes on past them ("“We will fight,"
                # she said, "and win.”"): the opening mark only
                while opening > 0 and text[opening - 1] in _OPENING:
                    opening -= 1
                start = opening
        out.append(replace(a, content=Span.of(text, start, end), cue=_cue_with_colon(text, a.cue),
                           source=_source_with_comma(text, a.source)))
    pieces = replace(doc, attributions=tuple(out))
    return joined_per_cue(pieces) if one_per_cue else pieces


def _cue_with_colon(text: str, cue: Span | None) -> Span | None:
    """PolNeAR's cue takes the colon that introduces its content ("said: …")."""
    if cue is None:
        return None
    after = cue.end
    while after < len(text) and text[after] == " ":
        after += 1
    return Span.of(text, cue.start, after + 1) if text[after:after + 1] == ":" else cue


def _source_with_comma(text: str, source: Span | None) -> Span | None:
    """PolNeAR's source takes the comma that closes its apposition ("Jo Ray, a lawyer, said")."""
    if source is None or "," not in source.text or text[source.end:source.end + 1] != ",":
        return source
    return Span.of(text, source.start, source.end + 1)


def _one_per_cue(text: str, attributions: Iterable[Attribution]) -> list[Attribution]:
    """PolNeAR has one attribution per cue, whose content may be in pieces (scored by its
    extent); propos gives each piece its own record, a continuation with no cue. Pieces with
    the same cue become one extent, and so does a continuation with the attribution before
    it in its paragraph ("“No,” Ann said at the rally. “Never.”"), or right after it across
    a paragraph break (a quotation running on)."""
    merged: list[Attribution] = []
    for a in sorted(attributions, key=lambda a: a.content.start):
        prev = merged[-1] if merged else None
        if prev is not None:
            prev_end = max(s.end for s in (prev.content, prev.cue, prev.source) if s is not None)
            gap = text[prev_end:a.content.start]
            same_cue = a.cue is not None and a.cue == prev.cue
            follows = a.cue is None and prev_end <= a.content.start and (
                "\n" not in gap
                or (a.source is None and not any(ch.isalnum() for ch in gap)))
            if same_cue or follows:
                merged[-1] = replace(prev, content=Span.of(text, prev.content.start,
                                                           max(prev.content.end, a.content.end)))
                continue
        merged.append(a)
    return merged


def joined_per_cue(result: Document | Failure) -> Document | Failure:
    """``result`` with the pieces of each content joined, as the shared metric scores them."""
    if isinstance(result, Failure):
        return result
    return replace(result, attributions=tuple(_one_per_cue(result.text, result.attributions)))


def predictions(gold_docs: Sequence[GoldDocument], batch_size: int = 16
                ) -> Iterator[Document | Failure]:
    """propos' English extraction of the gold articles, in PolNeAR's span convention but
    with each piece of a content a span of its own (see :func:`in_polnear_convention`)."""
    import propos

    for result in propos.extract_many(((d.id, d.text) for d in gold_docs), lang="en",
                                      batch_size=batch_size):
        yield in_polnear_convention(result, one_per_cue=False) \
            if isinstance(result, Document) else result
