"""The try-it service: one pasted or uploaded text, extracted at once, stored only on request.

Extraction is CPU-bound and the spaCy pipeline is not meant to be run from several threads
at once, so calls are serialised by a lock (the pipeline itself is loaded once per process,
on first use, by ``propos.load``). Uploaded files are read by the ingest code's own readers,
so a page saved from a browser gives the same article text as ``propos ingest`` would.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import propos

from ..article import content_hash
from ..model import Document
from ..profile import DEFAULT_LANG
from .db import Database

log = logging.getLogger(__name__)

UPLOAD_FORMATS = {"txt": "txt", "html": "html", "auto": "auto"}


class InputProblem(ValueError):
    """Text or a file that cannot be extracted, with the HTTP status that says why."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Upload:
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None


def read_upload(filename: str, data: bytes) -> Upload:
    """The article in an uploaded ``.txt`` or ``.html`` file (decoded and, for HTML, with
    boilerplate removed as ``propos ingest`` does). Raises :class:`InputProblem`."""
    from ..ingest.readers import RawItem, format_of, parse_item
    from ..model import Failure

    name = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"
    fmt = format_of(name)
    if fmt not in UPLOAD_FORMATS:
        raise InputProblem(f"{name}: upload one .txt or .html file (for folders, JSONL, CSV "
                           f"or WARC use `propos ingest`)", 415)
    item = RawItem(UPLOAD_FORMATS[fmt], location=f"upload:{name}", path=name, payload=data)
    parsed = parse_item(item)
    if isinstance(parsed, Failure):
        raise InputProblem(f"{name}: {parsed.reason}")
    return Upload(parsed.text, parsed.title, parsed.date, parsed.source, parsed.url)


class Extractor:
    """Runs ``propos.extract`` for the web app, one call at a time."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self._lock = threading.Lock()

    def check(self, text: str) -> None:
        if not text or not text.strip():
            raise InputProblem("no text: paste some text or choose a file")
        if len(text) > self.max_chars:
            raise InputProblem(f"text too long: {len(text):,} characters (limit "
                               f"{self.max_chars:,}); use `propos extract` for long texts", 413)

    def extract(self, text: str, doc_id: str = "", lang: str = DEFAULT_LANG,
                date: str | None = None) -> Document:
        """``lang``: a supported language, or ``auto`` to detect it (French when the text
        is in none of the supported languages); ``date`` (ISO) resolves relative dates."""
        self.check(text)
        lang = resolve_language(text, lang)
        with self._lock:
            try:
                return propos.extract(text, lang, doc_id, date)
            except ValueError as exc:  # the pipeline's own refusal (binary content…)
                raise InputProblem(str(exc)) from exc
            except RuntimeError as exc:  # the language's model is not installed
                log.error("cannot extract %s: %s", lang, exc)
                raise InputProblem(str(exc), 503) from exc


def supported_languages() -> tuple[str, ...]:
    """Languages propos has a profile for (``src/propos/lang/<code>/profile.toml``)."""
    from importlib import resources

    folder = resources.files("propos") / "lang"
    return tuple(sorted(entry.name for entry in folder.iterdir()
                        if (entry / "profile.toml").is_file()))


def resolve_language(text: str, requested: str) -> str:
    from ..pipeline import AUTO, FALLBACK_LANG, choose_language

    supported = supported_languages()
    if requested and requested != AUTO:
        if requested not in supported:
            raise InputProblem(f"propos does not extract {requested!r} (one of "
                               f"{', '.join(supported)}, or auto)", 422)
        return requested
    detected = choose_language(text, AUTO)
    return detected if detected in supported else FALLBACK_LANG


def store(db: Database, document: Document, *, title: str | None = None,
          date: str | None = None, source: str | None = None, url: str | None = None) -> str:
    """Write ``document`` through the store's writer and refresh the speaker directory;
    returns the article key. The caller checks that storing is allowed."""
    from ..dates import normalise_date
    from ..store.speakers import rebuild_directory
    from ..store.writer import write_document

    key = content_hash(document.text)
    meta = {"title": title or None, "date": normalise_date(date) if date else None,
            "source": source or None, "url": url or None}
    with db.writer() as conn:
        result = write_document(conn, document, path="propos-serve",
                                location=f"propos-serve:{key}", format="web",
                                **{k: v for k, v in meta.items() if v})
        if result.status != "present":
            rebuild_directory(conn)
    log.info("stored a submitted text as article %s (%s, %d attributions)", key,
             result.status, result.attributions)
    return key
