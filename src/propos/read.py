"""Read input documents from files or stdin, with clear errors for bad input, within bounds.

Nothing here knows about extraction: a reader yields :class:`InputDocument` or
:class:`propos.model.Failure` records, one per document, and never raises for one bad document.

The bounds shared with ``propos ingest`` live here too (:class:`InputLimits`): a document, a
line and an inflated stream each have a maximum size, only regular files are opened (a
device, a FIFO or a socket is refused by its type, never read), a file name that is not UTF-8
is shown with its bytes escaped, and text that is not valid Unicode is refused by name.
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Any, AnyStr

from .model import Failure

log = logging.getLogger(__name__)

MiB = 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_BOMS = tuple((bom, enc) for bom, enc in _BOMS if enc != "utf-8-sig")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Below this many inflated bytes any compression ratio is accepted (a small, very repetitive
# file); past it, :attr:`InputLimits.max_inflate_ratio` applies.
RATIO_FLOOR_BYTES = MiB
_SKIP_CHUNK = MiB


class DecodeError(ValueError):
    """Bytes that are not text propos can read."""


class LimitExceeded(ValueError):
    """An input passed one of the :class:`InputLimits`; the message says which."""


class NotRegularFile(OSError):
    """A path that is a device, a FIFO, a socket or a directory, not a file to read."""


@dataclass(frozen=True)
class InputLimits:
    """How much of one input propos reads before calling it a failure (docs/store.md, Limits).

    ``max_document_bytes``: one document: the size of a .txt/.html file, or the length of a
    record's text (or html) field, in characters. ``max_line_bytes``: one line of a JSONL or
    CSV file, after decompression. ``max_inflated_bytes``: all that one ``.gz`` file inflates
    to; ``max_inflate_ratio``: inflated bytes per compressed byte, once past
    :data:`RATIO_FLOOR_BYTES` (real text compresses 3-10 times; a decompression bomb, 1,000).
    """

    max_document_bytes: int = 32 * MiB
    max_line_bytes: int = 64 * MiB
    max_inflated_bytes: int = 8 * 1024 * MiB
    max_inflate_ratio: int = 100

    def __post_init__(self) -> None:
        for limit in fields(self):
            if getattr(self, limit.name) < 1:
                raise ValueError(f"{limit.name} must be at least 1")


DEFAULT_LIMITS = InputLimits()


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


def lone_surrogate(text: str) -> str | None:
    """Why ``text`` is not valid Unicode, or None. JSON's ``\\udfff`` escapes can produce a lone
    surrogate, which no encoding can write: it would fail the article's hash, the database and
    the output, so the document is refused instead."""
    match = _SURROGATE.search(text)
    if match is None:
        return None
    return f"not valid Unicode: lone surrogate U+{ord(match[0]):04X} at character {match.start():,}"


def display_path(path: str) -> str:
    """``path`` as text that can be printed and stored. A name that is not UTF-8 (Python holds
    its bytes as lone surrogates) keeps its bytes, escaped: ``raw\\xff.txt``."""
    if _SURROGATE.search(path) is None:
        return path
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # surrogates that do not come from the file system
        return path.encode("utf-8", "backslashreplace").decode("ascii")
    return raw.decode("utf-8", "backslashreplace")


# --------------------------------------------------------------------------- files


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


def not_regular(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return f"not a regular file but {_kind(mode)}: propos reads regular files only"


def open_regular(path: str) -> IO[bytes]:
    """``path`` opened for reading, or :class:`NotRegularFile`. The type is checked on the open
    descriptor (opened without blocking, so a FIFO put in a file's place cannot hang it)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        problem = not_regular(os.fstat(fd).st_mode)
        if problem:
            raise NotRegularFile(problem)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class _Inflated(io.RawIOBase):
    """A decompressing stream that raises :class:`LimitExceeded` once it has given more than
    the limits allow, measured against the compressed bytes read so far."""

    def __init__(self, inflating: IO[bytes], compressed: IO[bytes], limits: InputLimits):
        self.inflating = inflating
        self.compressed = compressed
        self.limits = limits
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inflating.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.total += size
        if self.total > self.limits.max_inflated_bytes:
            raise LimitExceeded(f"inflates to more than {self.limits.max_inflated_bytes:,} "
                                f"bytes (the limit, --max-inflated-size)")
        if self.total > RATIO_FLOOR_BYTES:
            packed = max(1, self.compressed.tell())
            if self.total > packed * self.limits.max_inflate_ratio:
                raise LimitExceeded(
                    f"inflates more than {self.limits.max_inflate_ratio} times "
                    f"({self.total:,} bytes from {packed:,}): a decompression bomb?")
        return size


def open_stream(path: str, limits: InputLimits = DEFAULT_LIMITS) -> tuple[IO[bytes], IO[bytes]]:
    """(raw file, stream to read): the stream inflates ``.gz`` within ``limits``; the raw
    file's position measures progress in bytes on disk. Raises OSError (NotRegularFile)."""
    import gzip

    raw = open_regular(path)
    if path.lower().endswith(".gz"):
        inflated = _Inflated(gzip.GzipFile(fileobj=raw), raw, limits)
        return raw, io.BufferedReader(inflated, buffer_size=64 * 1024)  # type: ignore[arg-type]
    return raw, raw


@dataclass(frozen=True)
class Line:
    """One line of a line-based file: its text, or why it cannot be read, and the bytes it
    took on disk (for progress)."""

    number: int
    text: str | None
    error: str | None
    nbytes: int


def _bounded(readline: Callable[[int], AnyStr], limit: int, ends: tuple[AnyStr, ...]
             ) -> Iterator[AnyStr | None]:
    """Lines of at most ``limit`` units (plus the line end); a longer one is skipped through
    to its end, unkept, and given as None."""
    while True:
        line = readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(ends):
            yield line
            continue
        while True:
            rest = readline(_SKIP_CHUNK)
            if not rest or rest.endswith(ends):
                break
        yield None


def _position(raw: IO[bytes]) -> int:
    try:
        return raw.tell()
    except OSError:  # a pipe (standard input)
        return 0


def stream_lines(raw: IO[bytes], stream: IO[bytes], limits: InputLimits = DEFAULT_LIMITS
                 ) -> Iterator[Line]:
    """Decoded lines of a text stream, each at most ``limits.max_line_bytes``.

    A UTF-16/32 stream (byte-order mark) is decoded as a whole; otherwise each line goes
    through :func:`decode_bytes` on its own, so one Latin-1 line in a UTF-8 dump is decoded
    rather than sinking the file. A stream with NUL bytes and no byte-order mark is binary. A
    line over the limit is one failure and the next line is read; an inflated stream over
    its limits, or a corrupt one, ends with a failure.
    """
    try:
        head = stream.peek(8192)[:8192]  # type: ignore[attr-defined]
    except (OSError, EOFError, zlib.error, LimitExceeded) as exc:
        yield Line(0, None, f"cannot decompress: {exc}", 0)
        return
    wide = next((enc for bom, enc in _WIDE_BOMS if head.startswith(bom)), None)
    if wide is None and b"\x00" in head:
        yield Line(0, None, "binary file (NUL bytes), not text", 0)
        return
    too_long = (f"line longer than {limits.max_line_bytes:,} bytes (the limit, "
                f"--max-line-length): not read")
    last = 0
    number = 0
    try:
        if wide:
            reader = io.TextIOWrapper(stream, encoding=wide, newline="")
            for number, text in enumerate(_bounded(reader.readline,
                                                   max(1, limits.max_line_bytes // 2),
                                                   ("\n", "\r")), start=1):
                position = _position(raw)
                yield Line(number, text, None if text is not None else too_long,
                           position - last)
                last = position
            return
        for number, data in enumerate(_bounded(stream.readline, limits.max_line_bytes,
                                                (b"\n",)), start=1):
            position = _position(raw)
            if data is None:
                yield Line(number, None, too_long, position - last)
            else:
                try:
                    yield Line(number, decode_bytes(data), None, position - last)
                except DecodeError as exc:
                    yield Line(number, None, str(exc), position - last)
            last = position
    except LimitExceeded as exc:
        yield Line(number + 1, None, f"stopped reading: the file {exc}", 0)
    except UnicodeDecodeError as exc:
        yield Line(number + 1, None, f"undecodable {wide} text: {exc.reason}", 0)
    except (OSError, EOFError, zlib.error) as exc:
        yield Line(number + 1, None, f"file truncated or corrupt: {exc}", 0)


def read_lines(path: str, limits: InputLimits = DEFAULT_LIMITS) -> Iterator[Line]:
    """:func:`stream_lines` of the file at ``path`` (``.gz`` inflated); raises OSError when it
    cannot be opened (NotRegularFile when it is not a regular file)."""
    raw, stream = open_stream(path, limits)
    with raw:
        yield from stream_lines(raw, stream, limits)


# --------------------------------------------------------------------------- documents


def json_object(text: str) -> dict[str, Any] | str:
    """The object on one JSONL line, or why there is none: the one JSON-line parser of
    ``propos extract``, ``propos ingest`` and Spark."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"malformed JSON line: {exc.msg} (column {exc.colno})"
    except RecursionError:
        return "malformed JSON line: nested too deeply"
    if not isinstance(record, dict):
        return f"JSON line is {type(record).__name__}, not an object"
    return record


def _jsonl_documents(name: str, lines: Iterable[Line], limits: InputLimits
                     ) -> Iterator[InputDocument | Failure]:
    for line in lines:
        where = f"{name}:{line.number}" if line.number else name
        if line.error is not None:
            yield Failure(where, line.error)
            continue
        assert line.text is not None
        if not line.text.strip():
            continue
        record = json_object(line.text)
        if isinstance(record, str):
            yield Failure(where, record)
            continue
        doc_id = str(record.get("id") or where)
        if problem := lone_surrogate(doc_id):
            yield Failure(where, f"\"id\" is {problem}")
            continue
        text = record.get("text")
        if not isinstance(text, str):
            yield Failure(doc_id, f"{where}: no \"text\" string field")
            continue
        if problem := lone_surrogate(text):
            yield Failure(doc_id, f"{where}: \"text\" is {problem}")
            continue
        if len(text) > limits.max_document_bytes:
            yield Failure(doc_id, f"{where}: document too long ({len(text):,} characters; "
                                  f"limit {limits.max_document_bytes:,}, --max-document-size)")
            continue
        meta = {k: v for k, v in record.items() if k not in ("id", "text", "lang")}
        lang = record.get("lang") if isinstance(record.get("lang"), str) else None
        yield InputDocument(doc_id, text, lang, meta)


def _read_document(raw: IO[bytes], name: str, limits: InputLimits) -> InputDocument | Failure:
    data = raw.read(limits.max_document_bytes + 1)
    if len(data) > limits.max_document_bytes:
        return Failure(name, f"too large for one document (over {limits.max_document_bytes:,} "
                             f"bytes, the limit, --max-document-size)")
    try:
        return InputDocument(Path(name).name if name != "<stdin>" else name, decode_bytes(data))
    except DecodeError as exc:
        return Failure(name, str(exc))


def read_path(path: str, limits: InputLimits = DEFAULT_LIMITS
              ) -> Iterator[InputDocument | Failure]:
    """Documents from one .txt or .jsonl file, or from stdin when ``path`` is ``-``.

    Standard input is JSONL when it starts with ``{``. Only regular files are read."""
    if path == "-":
        stdin = sys.stdin.buffer
        if not hasattr(stdin, "peek"):  # an in-memory stand-in (tests)
            stdin = io.BufferedReader(stdin)
        head = stdin.peek(4096)[:4096].removeprefix(codecs.BOM_UTF8)  # type: ignore[union-attr]
        if head.lstrip().startswith(b"{"):
            yield from _jsonl_documents("<stdin>", stream_lines(stdin, stdin, limits), limits)
        else:
            yield _read_document(stdin, "<stdin>", limits)
        return
    shown = display_path(path)
    try:
        problem = not_regular(os.stat(path).st_mode)
        if problem:
            yield Failure(shown, problem)
            return
        if path.endswith(".jsonl"):
            yield from _jsonl_documents(display_path(Path(path).name), read_lines(path, limits),
                                        limits)
            return
        with open_regular(path) as raw:
            yield _read_document(raw, shown, limits)
    except NotRegularFile as exc:
        yield Failure(shown, str(exc))
    except OSError as exc:
        yield Failure(shown, f"cannot read file: {exc.strerror or exc}")


def read_paths(paths: Iterable[str], limits: InputLimits = DEFAULT_LIMITS
               ) -> Iterator[InputDocument | Failure]:
    for path in paths:
        yield from read_path(path, limits)
