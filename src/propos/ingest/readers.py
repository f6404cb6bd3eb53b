"""Readers: one per input format, turning files into articles or into failures with a reason.

Reading happens in two steps so that the expensive one can run in worker processes:

* :func:`scan` (in the reading process) walks folders in a stable order and cuts files into
  raw items: a whole ``.txt``/``.html`` file, one JSONL line, one CSV row, one WARC response.
  It only reads bytes and splits them, so it keeps pace with any number of workers, and it
  streams: a 50 GB dump is never held in memory.
* :func:`parse_item` (anywhere) decodes an item with :func:`propos.read.decode_bytes`,
  reads an HTML page whole (:mod:`propos.ingest.html`), dates an article whose metadata
  has no date from its text or name (:mod:`propos.ingest.datelines`), and maps fields to
  an :class:`~propos.ingest.article.Article`, or says why it cannot.

Nothing here raises for one bad input: an unreadable file, an undecodable line, a malformed
record, an empty page all become :class:`~propos.ingest.article.InputFailure` records, and
the next input is read. :func:`read_articles` chains both steps for library use.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import logging
import os
import re
import zlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..read import DecodeError, decode_bytes
from .article import Article, InputFailure
from .datelines import body_paragraphs, date_from_text, is_stamp
from .dates import normalise_date
from .html import Page, host_name, read_page

log = logging.getLogger(__name__)

# Longest file read as ONE article; beyond it a .txt/.html file is not an article but a dump.
MAX_FILE_BYTES = 32 * 1024 * 1024

# File name endings → reader. Longest endings first so that ".warc.gz" wins over ".gz".
FORMATS: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"), (".jsonl.gz", "jsonl"), (".ndjson.gz", "jsonl"), (".csv.gz", "csv"),
    (".warc", "warc"), (".jsonl", "jsonl"), (".ndjson", "jsonl"), (".csv", "csv"),
    (".html", "html"), (".htm", "html"), (".xhtml", "html"), (".txt", "txt"), (".text", "txt"),
)

# Record fields (JSONL keys, CSV headers, case-insensitive) and the aliases feeds use for them.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "guid", "article_id"),
    "url": ("url", "link", "uri"),
    "title": ("title", "titre", "headline"),
    "date": ("date", "published", "published_at", "pubdate", "datetime", "date_published"),
    "source": ("source", "outlet", "publisher", "sitename", "site", "media"),
    "author": ("author", "auteur", "byline", "authors"),
    "lang": ("lang", "language", "langue"),
    "text": ("text", "texte", "content", "contenu", "body", "article"),
    "html": ("html", "raw_html"),
}

_BOM_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class RawItem:
    """One not-yet-parsed input: a file's bytes, a JSONL line, a CSV row or a WARC payload.

    ``format`` is the parser to use: ``txt``, ``html``, ``json`` (a JSONL line) or
    ``record`` (a CSV row already split into named fields). ``hints`` carries what the
    container knows (a WARC record's URL, date and charset).
    """

    format: str
    location: str
    path: str
    payload: bytes | str | dict[str, str]
    hints: tuple[tuple[str, str], ...] = ()


# A scanned item with the number of input bytes it accounts for (for progress and ETA).
Scanned = tuple[RawItem | InputFailure, int]


# --------------------------------------------------------------------------- discovery


def format_of(path: str) -> str | None:
    """The reader for a file name, or None when propos does not read that kind of file."""
    name = path.lower()
    for ending, fmt in FORMATS:
        if name.endswith(ending):
            return fmt
    if not Path(path).suffix:  # saved pages often have no extension: sniff text or HTML
        return "auto"
    return None


def _walk(root: str) -> Iterator[str]:
    """Files under ``root`` in a stable (sorted) order, hidden files and folders skipped."""
    for folder, dirs, files in os.walk(root, onerror=lambda exc: log.warning("%s", exc)):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(folder, name)


def discover(paths: Iterable[str], exclude: Collection[str] = ()
             ) -> Iterator[tuple[str, int] | InputFailure]:
    """Every file named by ``paths`` (folders recursively) with its size, or why it is skipped.

    ``exclude``: absolute paths to pass over silently (the database being written, when it
    lies inside the corpus folder).
    """
    for given in paths:
        if os.path.isdir(given):
            candidates: Iterable[str] = _walk(given)
        elif os.path.exists(given):
            candidates = (given,)
        else:
            yield InputFailure(given, given, "no such file or directory")
            continue
        for path in candidates:
            if exclude and os.path.abspath(path) in exclude:
                continue
            if format_of(path) is None:
                ext = "".join(Path(path).suffixes[-2:]) or "(no extension)"
                yield InputFailure(path, path, f"unsupported file type {ext}: propos reads "
                                               ".txt, .html/.htm, .jsonl, .csv and .warc(.gz)")
                continue
            try:
                yield path, os.path.getsize(path)
            except OSError as exc:
                yield InputFailure(path, path, f"cannot read file: {exc.strerror or exc}")


def total_bytes(paths: Iterable[str], exclude: Collection[str] = ()) -> int:
    """Total size of the inputs, for a progress bar with an ETA."""
    return sum(found[1] for found in discover(paths, exclude) if isinstance(found, tuple))


# --------------------------------------------------------------------------- scanning


def scan(paths: Iterable[str], exclude: Collection[str] = ()) -> Iterator[Scanned]:
    """Raw items (or failures) from every input, in a stable order, streaming."""
    for found in discover(paths, exclude):
        if isinstance(found, InputFailure):
            yield found, 0
            continue
        path, size = found
        fmt = format_of(path)
        try:
            if fmt == "jsonl":
                yield from _scan_jsonl(path)
            elif fmt == "csv":
                yield from _scan_csv(path)
            elif fmt == "warc":
                yield from _scan_warc(path)
            else:
                yield _scan_file(path, fmt or "txt", size)
        except OSError as exc:
            yield InputFailure(path, path, f"cannot read file: {exc.strerror or exc}"), 0


def _scan_file(path: str, fmt: str, size: int) -> Scanned:
    if size > MAX_FILE_BYTES:
        return InputFailure(path, path, f"file too large for one article ({size:,} bytes; "
                                        f"limit {MAX_FILE_BYTES:,})"), size
    with open(path, "rb") as handle:
        data = handle.read()
    return RawItem(fmt, path, path, data), size


def _open_stream(path: str) -> tuple[io.BufferedIOBase, io.BufferedIOBase]:
    """(raw file, stream to read): the stream decompresses ``.gz``; the raw file's position
    measures progress in bytes on disk."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    if path.lower().endswith(".gz"):
        return raw, gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return raw, raw  # type: ignore[return-value]


@dataclass(frozen=True)
class _Line:
    number: int
    text: str | None
    error: str | None
    nbytes: int


def _lines(path: str) -> Iterator[_Line]:
    """Decoded lines of a text file, streaming, each with the bytes it used.

    A UTF-16/32 file (byte-order mark) is decoded as a whole stream; otherwise each line goes
    through :func:`decode_bytes` on its own, so one Latin-1 line in a UTF-8 dump is decoded
    rather than sinking the file. A file with NUL bytes and no byte-order mark is binary.
    """
    raw, stream = _open_stream(path)
    with raw:
        try:
            head = stream.peek(8192)[:8192]  # type: ignore[attr-defined]
        except (OSError, EOFError, zlib.error) as exc:
            yield _Line(0, None, f"cannot decompress: {exc}", 0)
            return
        wide = next((enc for bom, enc in _BOM_ENCODINGS if head.startswith(bom)), None)
        if wide is None and b"\x00" in head:
            yield _Line(0, None, "binary file (NUL bytes), not text", 0)
            return
        last = 0
        number = 0
        try:
            if wide:
                reader = io.TextIOWrapper(stream, encoding=wide, newline="")
                for number, line in enumerate(reader, start=1):
                    position = raw.tell()
                    yield _Line(number, line, None, position - last)
                    last = position
                return
            for number, data in enumerate(stream, start=1):
                position = raw.tell()
                try:
                    yield _Line(number, decode_bytes(data), None, position - last)
                except DecodeError as exc:
                    yield _Line(number, None, str(exc), position - last)
                last = position
        except UnicodeDecodeError as exc:
            yield _Line(number + 1, None, f"undecodable {wide} text: {exc.reason}", 0)
        except (OSError, EOFError, zlib.error) as exc:
            yield _Line(number + 1, None, f"file truncated or corrupt: {exc}", 0)


def _scan_jsonl(path: str) -> Iterator[Scanned]:
    pending = 0
    for line in _lines(path):
        location = f"{path}:{line.number}" if line.number else path
        if line.error is not None:
            yield InputFailure(location, path, line.error), line.nbytes + pending
            pending = 0
            continue
        assert line.text is not None
        if not line.text.strip():
            pending += line.nbytes
            continue
        yield RawItem("json", location, path, line.text), line.nbytes + pending
        pending = 0


def _scan_csv(path: str) -> Iterator[Scanned]:
    """CSV rows as field dicts. The header names the columns; one of them must hold the text
    (or the HTML) of the article, under one of the names in :data:`FIELD_ALIASES`."""
    csv.field_size_limit(2**31 - 1)
    failures: list[_Line] = []
    sizes: list[int] = []

    def texts() -> Iterator[str]:
        for line in _lines(path):
            if line.error is not None:
                failures.append(line)
                return
            sizes.append(line.nbytes)
            yield line.text  # type: ignore[misc]

    rows = csv.reader(texts())
    header: list[str] | None = None
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            yield InputFailure(f"{path}:{rows.line_num}", path, f"malformed CSV row: {exc}"), 0
            continue
        consumed = sum(sizes)
        sizes.clear()
        if header is None:
            header = [h.strip().lstrip("\ufeff").lower() for h in row]
            wanted = FIELD_ALIASES["text"] + FIELD_ALIASES["html"]
            if not any(name in header for name in wanted):
                found = ", ".join(h for h in header if h) or "none"
                yield InputFailure(path, path, f"no text column in CSV header (expected one of "
                                               f"{', '.join(wanted)}; found {found})"), consumed
                return
            continue
        location = f"{path}:{rows.line_num}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield InputFailure(location, path, f"malformed CSV row: {len(row)} fields, the "
                                               f"header has {len(header)}"), consumed
            continue
        yield RawItem("record", location, path, dict(zip(header, row))), consumed
    for line in failures:
        where = f"{path}:{line.number}" if line.number else path
        yield InputFailure(where, path, line.error or "unreadable"), line.nbytes
    if header is None and not failures:
        yield InputFailure(path, path, "empty CSV file"), sum(sizes)


def _scan_warc(path: str) -> Iterator[Scanned]:
    """HTML responses of a WARC (or ARC) file; other records (requests, metadata, images,
    redirects, errors) are skipped silently: they are not articles."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    head = _warc_head(path)
    if not head.startswith((b"WARC/", b"filedesc://")):
        yield InputFailure(path, path, "not a WARC file: it does not start with a WARC/1.x "
                                       "(or ARC) record header"), 0
        return
    with open(path, "rb") as handle:
        last = 0
        count = 0
        try:
            records = ArchiveIterator(handle, arc2warc=True)
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = record.http_headers.get_header("Content-Type") or ""
                status = record.http_headers.get_statuscode() or ""
                if "html" not in ctype.lower() or not status.startswith("2"):
                    continue
                payload = record.content_stream().read()
                offset = records.get_record_offset()
                hints = [("url", record.rec_headers.get_header("WARC-Target-URI") or ""),
                         ("date", record.rec_headers.get_header("WARC-Date") or "")]
                if match := _CHARSET.search(ctype):
                    hints.append(("charset", match[1]))
                position = handle.tell()
                count += 1
                yield RawItem("html", f"{path}#{offset}", path, payload, tuple(hints)), \
                    position - last
                last = position
        except ArchiveLoadFailed as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown format"
            yield InputFailure(path, path, f"not a readable WARC file after {count} "
                                           f"record(s): {reason}"), 0
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            yield InputFailure(path, path, f"WARC file truncated or corrupt after {count} "
                                           f"record(s): {exc}"), 0


def _warc_head(path: str) -> bytes:
    """The first bytes of a (possibly gzipped) archive, or b"" when unreadable."""
    with open(path, "rb") as handle:
        start = handle.read(2)
        handle.seek(0)
        try:
            if start == b"\x1f\x8b":
                return gzip.GzipFile(fileobj=handle).read(16)
            return handle.read(16)
        except (OSError, EOFError, zlib.error):
            return b""


# --------------------------------------------------------------------------- parsing


def parse_item(item: RawItem) -> Article | InputFailure:
    """Decode and map one raw item; never raises."""
    try:
        if item.format == "json":
            return _parse_json(item)
        if item.format == "record":
            return _from_record(item, item.payload)  # type: ignore[arg-type]
        if item.format == "html":
            return _parse_html(item)
        return _parse_text(item)
    except Exception as exc:  # noqa: BLE001 - one odd input (or a library bug) must not
        # stop a batch
        log.debug("parsing %s failed", item.location, exc_info=True)
        return InputFailure(item.location, item.path,
                            f"could not parse: {type(exc).__name__}: {exc}")


def _decode(item: RawItem) -> str | InputFailure:
    if isinstance(item.payload, str):
        return item.payload
    data = item.payload
    assert isinstance(data, bytes)
    charset = dict(item.hints).get("charset")
    if charset and charset.lower().replace("-", "") not in ("utf8", "utf16", "utf32"):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # the declared charset is wrong or unknown: fall back to detection
    try:
        return decode_bytes(data)
    except DecodeError as exc:
        return InputFailure(item.location, item.path, str(exc))


def _check_text(item: RawItem, text: str) -> InputFailure | None:
    if not text.strip():
        return InputFailure(item.location, item.path, "empty document")
    if "\x00" in text:
        return InputFailure(item.location, item.path, "binary content (NUL characters) in text")
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f")
    if controls / len(sample) > 0.05:  # the threshold propos.read.decode_bytes uses
        return InputFailure(item.location, item.path,
                            "binary content (control characters), not text")
    return None


def _parse_text(item: RawItem) -> Article | InputFailure:
    text = _decode(item)
    if isinstance(text, InputFailure):
        return text
    if failure := _check_text(item, text):
        return failure
    if item.format == "auto" and re.match(r"\s*<(!doctype|html|head|body)", text, re.I):
        return _parse_html(item, text)
    title = first_line_title(text)
    return Article(text=text, path=item.path, location=item.location, format="txt",
                   id=item.location, title=title,
                   date=date_from_text(body_paragraphs(text, title),
                                       names=(os.path.basename(item.path),)))


def first_line_title(text: str) -> str | None:
    """A plain-text article's first line is its title when it looks like one: short, followed
    by more text, not ending like a sentence of the body, and not a date stamp."""
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if rest.strip() and 0 < len(first) <= 150 and not first.endswith((".", ",", ";", ":")) \
            and not is_stamp(first):
        return first
    return None


def _parse_html(item: RawItem, decoded: str | None = None) -> Article | InputFailure:
    html = decoded if decoded is not None else _decode(item)
    if isinstance(html, InputFailure):
        return html
    if not html.strip():
        return InputFailure(item.location, item.path, "empty document")
    hints = dict(item.hints)
    in_warc = "#" in item.location and item.path.lower().endswith((".warc", ".warc.gz"))
    crawl_date = normalise_date(hints.get("date"))
    page = read_page(html, hints.get("url") or None,
                     names=() if in_warc else (os.path.basename(item.path),),
                     reference_date=crawl_date)
    if page is None:
        return InputFailure(item.location, item.path, "no article text found in the HTML page")
    if failure := _check_text(item, page.text):
        return failure
    return Article(
        text=page.text, path=item.path, location=item.location,
        format="warc" if in_warc else "html",
        id=hints.get("url") or item.location,
        url=page.url or hints.get("url") or None, title=page.title,
        date=page.date or crawl_date, source=page.source, author=page.author,
    )


def _parse_json(item: RawItem) -> Article | InputFailure:
    try:
        record = json.loads(item.payload)  # type: ignore[arg-type]
    except json.JSONDecodeError as exc:
        return InputFailure(item.location, item.path,
                            f"malformed JSON line: {exc.msg} (column {exc.colno})")
    if not isinstance(record, dict):
        return InputFailure(item.location, item.path,
                            f"JSON line is {type(record).__name__}, not an object")
    return _from_record(item, {str(k).lower(): v for k, v in record.items()})


def _field(record: dict[str, Any], name: str) -> Any:
    for key in FIELD_ALIASES[name]:
        if key in record and record[key] not in (None, ""):
            return record[key]
    return None


def _scalar(value: Any) -> str | None:
    if isinstance(value, list):  # "authors": ["A", "B"]
        value = ", ".join(str(v) for v in value if isinstance(v, (str, int, float)))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return text or None
    return None


def _from_record(item: RawItem, record: dict[str, Any]) -> Article | InputFailure:
    """A JSONL object or CSV row → Article: ``text`` as is, or the main text of ``html``."""
    text = _field(record, "text")
    html = _field(record, "html")
    if text is not None and not isinstance(text, str):
        return InputFailure(item.location, item.path,
                            f"\"text\" is {type(text).__name__}, not a string")
    url = _scalar(_field(record, "url"))
    page: Page | None = None
    if text is None or not text.strip():
        if isinstance(html, str) and html.strip():
            page = read_page(html, url)
            text = page.text if page is not None else None
            if not text:
                return InputFailure(item.location, item.path,
                                    "no article text found in the \"html\" field")
        elif text is None and html is None:
            return InputFailure(item.location, item.path, "no \"text\" or \"html\" field")
        else:
            return InputFailure(item.location, item.path, "empty document")
    if failure := _check_text(item, text):
        return failure
    lang = _scalar(_field(record, "lang"))
    url = url or (page.url if page else None)
    title = _scalar(_field(record, "title")) or (page.title if page else None)
    date = normalise_date(_scalar(_field(record, "date"))) or (page.date if page else None)
    if date is None and page is None:
        date = date_from_text(body_paragraphs(text, title or first_line_title(text)),
                              names=(url,) if url else ())
    return Article(
        text=text, path=item.path, location=item.location,
        format="jsonl" if item.format == "json" else "csv",
        id=_scalar(_field(record, "id")) or item.location,
        url=url, title=title, date=date,
        source=_scalar(_field(record, "source")) or (page.source if page else None)
        or host_name(url),
        author=_scalar(_field(record, "author")) or (page.author if page else None),
        lang=lang.lower()[:2] if lang and len(lang) >= 2 else None,
    )


def read_articles(paths: Iterable[str]) -> Iterator[Article | InputFailure]:
    """Every article (or failure) under ``paths``, in order: :func:`scan`, then
    :func:`parse_item`."""
    for item, _ in scan(paths):
        yield parse_item(item) if isinstance(item, RawItem) else item
