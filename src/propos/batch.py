"""The ``extract`` batch job: read documents, run the pipeline, write results in input order.

(Not named ``extract.py``: a submodule of that name would shadow ``propos.extract()``.)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from .dates import normalise_date
from .model import Amount, Document, Failure
from .pipeline import choose_language
from .profile import DEFAULT_LANG
from .read import DEFAULT_LIMITS, InputDocument, InputLimits, read_paths

log = logging.getLogger(__name__)


def extract_documents(
    inputs: Iterable[InputDocument | Failure], lang: str = DEFAULT_LANG, batch_size: int = 16,
    n_process: int = 1,
) -> Iterator[Document | Failure]:
    """Run extraction over read documents, keeping input order and passing failures through.

    Consecutive documents of the same language go through one ``nlp.pipe`` stream.
    """
    from .pipeline import load

    group: list[InputDocument] = []
    group_lang = lang

    def flush() -> Iterator[Document | Failure]:
        if not group:
            return
        try:
            pipeline = load(group_lang)
        except (LookupError, RuntimeError) as exc:
            for item in group:
                yield Failure(item.id, str(exc))
            return
        yield from pipeline.extract_many(((d.id, d.text, normalise_date(d.meta.get("date")))
                                          for d in group),
                                         batch_size=batch_size, n_process=n_process)

    for item in inputs:
        if isinstance(item, Failure):
            yield from flush()
            group = []
            yield item
            continue
        item_lang = choose_language(item.text, item.lang or lang)  # "auto": detected per document
        if item_lang != group_lang or len(group) >= 256:
            yield from flush()
            group = []
            group_lang = item_lang
        group.append(item)
    yield from flush()


def run_extract(paths: Iterable[str], fmt: str, lang: str, batch_size: int, out: TextIO,
                report: Callable[[Failure], None] | None = None,
                limits: InputLimits = DEFAULT_LIMITS) -> int:
    """Extract from files and write to ``out``; returns the number of failed documents.

    Each failed document is passed to ``report`` (by default, logged as an error); inputs
    are read within ``limits``."""
    failures = 0
    first = True
    if fmt == "json":
        out.write("[")
    for result in extract_documents(read_paths(paths, limits), lang=lang, batch_size=batch_size):
        if isinstance(result, Failure):
            failures += 1
            if report is not None:
                report(result)
            else:
                log.error("%s: %s", result.id, result.reason)
            continue
        if fmt == "text":
            out.write(format_text(result) + "\n")
            continue
        record = result.to_dict()
        line = json.dumps(record, ensure_ascii=False)
        if fmt == "jsonl":
            out.write(line + "\n")
        else:
            out.write(("" if first else ",\n") + line)
        first = False
        out.flush()
    if fmt == "json":
        out.write("]\n")
    return failures


def format_text(result: Document) -> str:
    """A human-readable rendering of one document's attributions, for a terminal."""
    lines = [f"== {result.id} ({result.lang}): {len(result.attributions)} attribution(s)"]
    for a in result.attributions:
        details = [f"cue: {a.cue.text}" if a.cue else "no cue"]
        if a.cue_type:
            details[0] += f" ({a.cue_type})"
        if a.source and a.source.text != a.speaker.name:
            details.append(f"source: {a.source.text}")
        if a.via:
            details.append(f"via: {a.via.text}")
        details.append(f"rule: {a.rule}")
        if a.about:
            details.append("about: " + ", ".join(r.name for r in a.about))
        lines.append(f"\n[{a.kind}] {a.speaker.name} ({a.speaker.type})  — " + " · ".join(details))
        shown = f"« {a.content.text} »" if a.kind == "direct" else a.content.text
        lines.append(f"    {shown}  [{a.content.start}:{a.content.end}]")
    if result.dates or result.amounts:
        lines.append("")
    lines += [f"date: {d.text} = {d.value or '?'}  [{d.start}:{d.end}]" for d in result.dates]
    lines += [f"amount: {m.text} = {format_amount(m)}  [{m.start}:{m.end}]"
              for m in result.amounts]
    return "\n".join(lines) + "\n"


def format_amount(amount: Amount) -> str:
    """``≈ 409,000,000 EUR``: the normalised value, for people."""
    value = amount.to_dict()["value"]
    number = f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"
    return ("≈ " if amount.approx else "") + f"{number} {amount.unit}"
