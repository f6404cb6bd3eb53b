"""Read input documents from files or stdin, with clear errors for bad input.

Nothing here knows about extraction: a reader yields :class:`InputDocument` or
:class:`propos.model.Failure` records, one per document, and never raises for one bad document.
"""

from __future__ import annotations

import codecs
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Failure

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


class DecodeError(ValueError):
    """Bytes that are not text propos can read."""


@dataclass(frozen=True)
class InputDocument:
    id: str
    text: str
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def decode_bytes(data: bytes) -> str:
    """Decode text bytes: BOM-marked UTF-8/16/32, then UTF-8, then Windows-1252/Latin-1.

    Raises DecodeError for binary content, so that a PDF or an image is reported, not
    turned into mojibake.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {encoding} text after byte-order mark: {exc}") from exc
    sample = data[:8192]
    if b"\x00" in sample:
        raise DecodeError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f")
    if sample and controls / len(sample) > 0.05:
        raise DecodeError("binary file (control bytes), not text")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _jsonl_documents(name: str, lines: Iterable[str]) -> Iterator[InputDocument | Failure]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(where, f"malformed JSON line: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield Failure(where, "JSON line is not an object")
            continue
        doc_id = str(record.get("id") or where)
        text = record.get("text")
        if not isinstance(text, str):
            yield Failure(doc_id, f"{where}: no \"text\" string field")
            continue
        meta = {k: v for k, v in record.items() if k not in ("id", "text", "lang")}
        lang = record.get("lang") if isinstance(record.get("lang"), str) else None
        yield InputDocument(doc_id, text, lang, meta)


def read_path(path: str) -> Iterator[InputDocument | Failure]:
    """Documents from one .txt or .jsonl file, or from stdin when ``path`` is ``-``."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        file = Path(path)
        name = file.name
        try:
            data = file.read_bytes()
        except OSError as exc:
            yield Failure(path, f"cannot read file: {exc.strerror or exc}")
            return
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        yield Failure(name if path == "-" else path, str(exc))
        return
    if path.endswith(".jsonl") or (path == "-" and text.lstrip().startswith("{")):
        yield from _jsonl_documents(name, text.splitlines())
    else:
        yield InputDocument(name, text)


def read_paths(paths: Iterable[str]) -> Iterator[InputDocument | Failure]:
    for path in paths:
        yield from read_path(path)
