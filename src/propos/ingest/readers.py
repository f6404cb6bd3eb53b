"""Readers: one per input format, turning files into articles or into failures with a reason.

Reading happens in two steps so that the expensive one can run in worker processes:

* :func:`scan` (in the reading process) walks folders in a stable order and cuts files into
  raw items: a whole ``.txt``/``.html`` file, one JSONL line, one CSV row, one WARC response.
  It only reads bytes and splits them, so it keeps pace with any number of workers, and it
  streams: a 50 GB dump is never held in memory.
* :func:`parse_item` (anywhere) decodes an item with :func:`propos.read.decode_bytes`,
  reads an HTML page whole (:mod:`propos.ingest.html`), dates an article whose metadata
  has no date from its text or name (:mod:`propos.ingest.datelines`), and maps fields to
  an :class:`~propos.article.Article`, or says why it cannot.

Nothing here raises for one bad input: an unreadable file, an undecodable line, a malformed
record, an empty page all become :class:`~propos.model.Failure` records, and
the next input is read. Reading stays within :class:`propos.read.InputLimits` (document,
line and inflated sizes), opens regular files only, and names a file whose name is not UTF-8
with its bytes escaped. :func:`read_articles` chains both steps for library use.
"""

from __future__ import annotations

import csv
import gzip
import logging
import os
import re
import zlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..article import Article
from ..dates import normalise_date
from ..model import Failure
from ..read import (
    DEFAULT_LIMITS,
    DecodeError,
    InputLimits,
    Line,
    NotRegularFile,
    decode_bytes,
    display_path,
    json_object,
    lone_surrogate,
    not_regular,
    open_regular,
    read_lines,
)
from .datelines import body_paragraphs, date_from_text, is_stamp
from .html import Page, host_name, read_page

log = logging.getLogger(__name__)

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
Scanned = tuple[RawItem | Failure, int]


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
             ) -> Iterator[tuple[str, int] | Failure]:
    """Every file named by ``paths`` (folders recursively) with its size, or why it is skipped.

    ``exclude``: absolute paths to pass over silently (the database being written, when it
    lies inside the corpus folder). A device, FIFO or socket is refused by its type (from
    ``os.stat``), never opened.
    """
    for given in paths:
        if os.path.isdir(given):
            candidates: Iterable[str] = _walk(given)
        elif os.path.lexists(given):
            candidates = (given,)
        else:
            shown = display_path(given)
            yield Failure(shown, "no such file or directory", path=shown)
            continue
        for path in candidates:
            if exclude and os.path.abspath(path) in exclude:
                continue
            shown = display_path(path)
            try:
                info = os.stat(path)
            except OSError as exc:
                yield Failure(shown, f"cannot read file: {exc.strerror or exc}", path=shown)
                continue
            if problem := not_regular(info.st_mode):
                yield Failure(shown, problem, path=shown)
                continue
            if format_of(path) is None:
                ext = "".join(Path(shown).suffixes[-2:]) or "(no extension)"
                yield Failure(shown, f"unsupported file type {ext}: propos reads "
                                     ".txt, .html/.htm, .jsonl, .csv and .warc(.gz)", path=shown)
                continue
            yield path, info.st_size


def total_bytes(paths: Iterable[str], exclude: Collection[str] = ()) -> int:
    """Total size of the inputs, for a progress bar with an ETA."""
    return sum(found[1] for found in discover(paths, exclude) if isinstance(found, tuple))


# --------------------------------------------------------------------------- scanning


def scan(paths: Iterable[str], exclude: Collection[str] = (),
         limits: InputLimits = DEFAULT_LIMITS) -> Iterator[Scanned]:
    """Raw items (or failures) from every input, in a stable order, streaming, within
    ``limits``. Items and failures are named by :func:`propos.read.display_path`."""
    for found in discover(paths, exclude):
        if isinstance(found, Failure):
            yield found, 0
            continue
        path, size = found
        name = display_path(path)
        fmt = format_of(path)
        try:
            if fmt == "jsonl":
                yield from _scan_jsonl(path, name, limits)
            elif fmt == "csv":
                yield from _scan_csv(path, name, limits)
            elif fmt == "warc":
                yield from _scan_warc(path, name, limits)
            else:
                yield _scan_file(path, name, fmt or "txt", size, limits)
        except NotRegularFile as exc:  # replaced by a FIFO or a device since it was listed
            yield Failure(name, str(exc), path=name), 0
        except OSError as exc:
            yield Failure(name, f"cannot read file: {exc.strerror or exc}", path=name), 0


def _scan_file(path: str, name: str, fmt: str, size: int, limits: InputLimits) -> Scanned:
    limit = limits.max_document_bytes
    too_large = Failure(name, f"file too large for one article ({size:,} bytes; "
                              f"limit {limit:,}, --max-document-size)", path=name)
    if size > limit:
        return too_large, size
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew since it was listed
        return too_large, size
    return RawItem(fmt, name, name, data), size


def _scan_jsonl(path: str, name: str, limits: InputLimits) -> Iterator[Scanned]:
    pending = 0
    for line in read_lines(path, limits):
        location = f"{name}:{line.number}" if line.number else name
        if line.error is not None:
            yield Failure(location, line.error, path=name), line.nbytes + pending
            pending = 0
            continue
        assert line.text is not None
        if not line.text.strip():
            pending += line.nbytes
            continue
        yield RawItem("json", location, name, line.text), line.nbytes + pending
        pending = 0


def _scan_csv(path: str, name: str, limits: InputLimits) -> Iterator[Scanned]:
    """CSV rows as field dicts. The header names the columns; one of them must hold the text
    (or the HTML) of the article, under one of the names in :data:`FIELD_ALIASES`. A field
    is at most ``limits.max_document_bytes`` characters (a quote never closed ends there)."""
    csv.field_size_limit(limits.max_document_bytes)
    failures: list[Line] = []
    sizes: list[int] = []

    def texts() -> Iterator[str]:
        for line in read_lines(path, limits):
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
            if "field limit" in str(exc):  # a quote never closed: what follows is misaligned
                yield Failure(f"{name}:{rows.line_num}", f"CSV field longer than "
                              f"{limits.max_document_bytes:,} characters (the limit, "
                              f"--max-document-size; a quote never closed?): the rest of "
                              f"the file is not read", path=name), 0
                return
            yield Failure(f"{name}:{rows.line_num}", f"malformed CSV row: {exc}", path=name), 0
            continue
        consumed = sum(sizes)
        sizes.clear()
        if header is None:
            header = [h.strip().lstrip("\ufeff").lower() for h in row]
            wanted = FIELD_ALIASES["text"] + FIELD_ALIASES["html"]
            if not any(column in header for column in wanted):
                found = ", ".join(h for h in header if h) or "none"
                yield Failure(name, f"no text column in CSV header (expected one of "
                                    f"{', '.join(wanted)}; found {found})", path=name), consumed
                return
            continue
        location = f"{name}:{rows.line_num}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Failure(location, f"malformed CSV row: {len(row)} fields, the "
                                    f"header has {len(header)}", path=name), consumed
            continue
        yield RawItem("record", location, name, dict(zip(header, row))), consumed
    for line in failures:
        where = f"{name}:{line.number}" if line.number else name
        yield Failure(where, line.error or "unreadable", path=name), line.nbytes
    if header is None and not failures:
        yield Failure(name, "empty CSV file", path=name), sum(sizes)


def _scan_warc(path: str, name: str, limits: InputLimits) -> Iterator[Scanned]:
    """HTML responses of a WARC (or ARC) file; other records (requests, metadata, images,
    redirects, errors) are skipped silently: they are not articles. A record cut short (a
    truncated file), a record header that is not one, or a payload over the document limit
    is a failure, never a partial article; a malformed header ends the file."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    head = _warc_head(path)
    if not head.startswith((b"WARC/", b"filedesc://")):
        yield Failure(name, "not a WARC file: it does not start with a WARC/1.x "
                            "(or ARC) record header", path=name), 0
        return
    limit = limits.max_document_bytes
    with open_regular(path) as handle:
        last = 0
        count = 0
        records_seen = 0
        try:
            records = ArchiveIterator(handle, arc2warc=True)
            for record in records:
                records_seen += 1
                if record.rec_type is None or record.length is None:
                    location = f"{name}#{records.get_record_offset()}"
                    yield Failure(location, "malformed WARC record header (no "
                                            "WARC-Type or Content-Length): the rest "
                                            "of the file is not read", path=name), 0
                    return
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = record.http_headers.get_header("Content-Type") or ""
                status = record.http_headers.get_statuscode() or ""
                if "html" not in ctype.lower() or not status.startswith("2"):
                    continue
                payload = record.content_stream().read(limit + 1)
                # (After reading: asked before, warcio reads the record through to find it.)
                location = f"{name}#{records.get_record_offset()}"
                position = handle.tell()
                count += 1
                if len(payload) > limit:
                    failure = Failure(location, f"WARC record too large for one "
                                                f"article (over {limit:,} bytes, "
                                                f"--max-document-size)", path=name)
                    yield failure, position - last
                elif getattr(record.raw_stream, "limit", 0) > 0:
                    yield Failure(location, f"WARC record cut short: "
                                            f"{record.raw_stream.limit:,} bytes of "
                                            f"{record.length:,} missing (a truncated "
                                            f"file)", path=name), position - last
                    return
                else:
                    hints = [("url", record.rec_headers.get_header("WARC-Target-URI") or ""),
                             ("date", record.rec_headers.get_header("WARC-Date") or "")]
                    if match := _CHARSET.search(ctype):
                        hints.append(("charset", match[1]))
                    yield RawItem("html", location, name, payload, tuple(hints)), \
                        position - last
                last = position
        except ArchiveLoadFailed as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown format"
            yield Failure(name, f"not a readable WARC file after {count} "
                                f"record(s): {reason}", path=name), 0
            return
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            yield Failure(name, f"WARC file truncated or corrupt after {count} "
                                f"record(s): {exc}", path=name), 0
            return
    if records_seen == 0:
        yield Failure(name, "no WARC record could be read", path=name), 0


def _warc_head(path: str) -> bytes:
    """The first bytes of a (possibly gzipped) archive, or b"" when unreadable."""
    with open_regular(path) as handle:
        start = handle.read(2)
        handle.seek(0)
        try:
            if start == b"\x1f\x8b":
                return gzip.GzipFile(fileobj=handle).read(16)
            return handle.read(16)
        except (OSError, EOFError, zlib.error):
            return b""


# --------------------------------------------------------------------------- parsing


def _failed(item: RawItem, reason: str) -> Failure:
    return Failure(item.location, reason, path=item.path)


def parse_item(item: RawItem, limits: InputLimits = DEFAULT_LIMITS) -> Article | Failure:
    """Decode and map one raw item; never raises. ``limits`` bounds a record's text field."""
    try:
        if item.format == "json":
            return _parse_json(item, limits)
        if item.format == "record":
            return _from_record(item, item.payload)  # type: ignore[arg-type]
        if item.format == "html":
            return _parse_html(item)
        return _parse_text(item)
    except Exception as exc:  # noqa: BLE001 - one odd input (or a library bug) must not
        # stop a batch
        log.debug("parsing %s failed", item.location, exc_info=True)
        return _failed(item, f"could not parse: {type(exc).__name__}: {exc}")


def _decode(item: RawItem) -> str | Failure:
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
        return _failed(item, str(exc))


def _check_text(item: RawItem, text: str) -> Failure | None:
    if not text.strip():
        return _failed(item, "empty document")
    if "\x00" in text:
        return _failed(item, "binary content (NUL characters) in text")
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f")
    if controls / len(sample) > 0.05:  # the threshold propos.read.decode_bytes uses
        return _failed(item, "binary content (control characters), not text")
    if problem := lone_surrogate(text):
        return _failed(item, f"text is {problem}")
    return None


def _parse_text(item: RawItem) -> Article | Failure:
    text = _decode(item)
    if isinstance(text, Failure):
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


def _parse_html(item: RawItem, decoded: str | None = None) -> Article | Failure:
    html = decoded if decoded is not None else _decode(item)
    if isinstance(html, Failure):
        return html
    if not html.strip():
        return _failed(item, "empty document")
    hints = dict(item.hints)
    in_warc = "#" in item.location and item.path.lower().endswith((".warc", ".warc.gz"))
    crawl_date = normalise_date(hints.get("date"))
    page = read_page(html, hints.get("url") or None,
                     names=() if in_warc else (os.path.basename(item.path),),
                     reference_date=crawl_date)
    if page is None:
        return _failed(item, "no article text found in the HTML page")
    if failure := _check_text(item, page.text):
        return failure
    return Article(
        text=page.text, path=item.path, location=item.location,
        format="warc" if in_warc else "html",
        id=hints.get("url") or item.location,
        url=page.url or hints.get("url") or None, title=page.title,
        date=page.date or crawl_date, source=page.source, author=page.author,
    )


def _parse_json(item: RawItem, limits: InputLimits) -> Article | Failure:
    record = json_object(item.payload)  # type: ignore[arg-type]
    if isinstance(record, str):
        return _failed(item, record)
    fields = {str(k).lower(): v for k, v in record.items()}
    if problem := _unusable(fields, limits):
        return _failed(item, problem)
    return _from_record(item, fields)


def _unusable(record: dict[str, Any], limits: InputLimits) -> str | None:
    """Why a JSON record cannot become an article, whatever it holds: a text (or html) over
    the document limit, or a string that is not valid Unicode (a ``\\udfff`` escape, which
    only JSON can carry: a CSV row is decoded from bytes)."""
    for name in ("text", "html"):
        value = _field(record, name)
        if isinstance(value, str) and len(value) > limits.max_document_bytes:
            return (f"\"{name}\" too long for one article ({len(value):,} characters; limit "
                    f"{limits.max_document_bytes:,}, --max-document-size)")
    for key, value in record.items():
        for text in value if isinstance(value, list) else (value,):
            if isinstance(text, str) and (problem := lone_surrogate(text)):
                return f"\"{key}\" is {problem}"
    return None


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


def _from_record(item: RawItem, record: dict[str, Any]) -> Article | Failure:
    """A JSONL object or CSV row → Article: ``text`` as is, or the main text of ``html``."""
    text = _field(record, "text")
    html = _field(record, "html")
    if text is not None and not isinstance(text, str):
        return _failed(item, f"\"text\" is {type(text).__name__}, not a string")
    url = _scalar(_field(record, "url"))
    page: Page | None = None
    if text is None or not text.strip():
        if isinstance(html, str) and html.strip():
            page = read_page(html, url)
            text = page.text if page is not None else None
            if not text:
                return _failed(item, "no article text found in the \"html\" field")
        elif text is None and html is None:
            return _failed(item, "no \"text\" or \"html\" field")
        else:
            return _failed(item, "empty document")
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


def read_articles(paths: Iterable[str], limits: InputLimits = DEFAULT_LIMITS
                  ) -> Iterator[Article | Failure]:
    """Every article (or failure) under ``paths``, in order: :func:`scan`, then
    :func:`parse_item`."""
    for item, _ in scan(paths, limits=limits):
        yield parse_item(item, limits) if isinstance(item, RawItem) else item
