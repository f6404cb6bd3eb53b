"""The per-article work of the Spark job, in plain Python (no pyspark here).

Spark moves rows between stages; what happens to one article is the same code as
``propos ingest`` so that both give the same rows:

* reading: :func:`propos.ingest.readers.scan` and :func:`~propos.ingest.readers.parse_item`
  (decoding, JSON/CSV field aliases, trafilatura for HTML, WARC records), with the file's
  local copy renamed back to the path the user gave (:func:`scan_file`, :func:`parse_line`);
* the article key: :func:`propos.article.content_hash` (``Article.hash``);
* extraction: language from the record or :func:`~propos.langdetect.detect_language`,
  ``propos.load(lang).extract_many`` inside ``nlp.memory_zone()``, MinHash signature and
  LSH bands, directory names as :class:`propos.store.writer.Writer` files them.

Rows are plain tuples and dicts described by the field lists below, which
:mod:`propos.spark.schema` turns into Spark types and :mod:`propos.spark.load` into Arrow types.
Keeping this module free of pyspark lets the tests, ``propos load`` and a plain Python
process use it.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any, Union

from ..article import Article
from ..dedupe import band_keys, signature
from ..langdetect import detect_language
from ..ingest.readers import RawItem, parse_item, scan
from ..ingest.worker import supported_languages
from ..model import Attribution, Document, Entity, Failure, Referent, Span, Speaker
from ..mentions import with_mentions
from ..read import DecodeError, decode_bytes
from ..mentions import mentions_json
from ..speaker_names import clean_name, directory_name, looks_like_full_name

log = logging.getLogger(__name__)

# A type is "string", "long", "double", "binary", ("array", type) or ("struct", fields).
FieldType = Union[str, tuple]
Fields = tuple[tuple[str, FieldType], ...]

ATTRIBUTION_FIELDS: Fields = (
    ("kind", "string"), ("content", "string"), ("content_start", "long"),
    ("content_end", "long"), ("cue", "string"), ("cue_start", "long"), ("cue_end", "long"),
    ("mention", "string"), ("mention_start", "long"), ("mention_end", "long"),
    ("via", "string"), ("via_start", "long"), ("via_end", "long"),
    ("speaker_name", "string"), ("speaker_type", "string"),
    ("speaker_gender", "string"), ("speaker_gender_source", "string"),
    # The name the store files this attribution under in its speaker directory.
    ("name", "string"),
    ("confidence", "double"), ("rule", "string"),
    # The dates and amounts inside the content, as the export writes them (JSON lists).
    ("dates", "string"), ("amounts", "string"),
    ("about", ("array", ("struct", (("name", "string"), ("type", "string"))))),
    ("cue_type", "string"),
)
ENTITY_FIELDS: Fields = (("label", "string"), ("start", "long"), ("end", "long"),
                         ("text", "string"))

# One row per article of DIR/articles: everything `propos load` needs to rebuild the store
# row for row (text, signature, attributions, entities), and what the corpus-wide steps
# (speaker directory, near-duplicate groups) need without re-reading the text.
ARTICLE_FIELDS: Fields = (
    ("article", "string"), ("article_id", "string"), ("url", "string"), ("title", "string"),
    ("source", "string"), ("author", "string"), ("path", "string"), ("location", "string"),
    ("format", "string"), ("status", "string"), ("text", "string"), ("minhash", "binary"),
    ("bands", ("array", "long")), ("n_attributions", "long"),
    ("attributions", ("array", ("struct", ATTRIBUTION_FIELDS))),
    ("entities", ("array", ("struct", ENTITY_FIELDS))),
    ("people", ("array", "string")),
    ("ingest_order", "string"),
    ("lang", "string"), ("date", "string"),
)
PARTITION_COLUMNS: tuple[str, ...] = ("lang", "date")

# One row per input that gave no article (DIR/failures), as `propos ingest --failed` lists.
FAILURE_FIELDS: Fields = (("location", "string"), ("path", "string"), ("reason", "string"),
                          ("article", "string"), ("ingest_order", "string"))

# What the reading stage hands to the extraction stage: an article, or a failure.
PARSED_FIELDS: Fields = tuple((name, "string") for name in (
    "kind", "ingest_order", "article", "article_id", "url", "title", "date", "source",
    "author", "lang", "path", "location", "format", "text", "reason"))

# nlp.pipe batch per language within a partition: the chunk size ingest's workers use,
# or fewer articles when they are long: the parser's memory grows with the characters of
# a batch (two 300,000-character articles take 2.8 GB), and results do not depend on it.
BATCH_SIZE = 16
BATCH_CHARS = 200_000
# What ingest records for an input whose worker process died (a crash, the OOM killer).
DIED = "a worker process died extracting this input (crash or out of memory)"
# Fault injection, for tests only: an article whose text contains the value of this
# environment variable kills the process extracting it, as a segfault or the OOM killer.
FAULT_ENV = "PROPOS_TEST_KILL_ON"

_POSITION = re.compile(r"^[:#](\d+)$")


def names(fields: Fields) -> list[str]:
    return [name for name, _ in fields]


# --------------------------------------------------------------------------- reading


def order_key(run: str, file_no: int, position: int) -> str:
    """Where an input came in the run, as a string that sorts like ingest's scan order:
    the run's start time, the file's rank in the listing, the line/row/offset in it.

    Exact copies keep the metadata of the first one (as ``propos ingest`` does), and the
    speaker directory numbers names by first appearance, so this order is part of the
    result, not just of the logs.
    """
    return f"{run}/{file_no:09d}/{max(0, position):020d}"


def position_in(location: str, path: str) -> int:
    """The line (JSONL, CSV, Parquet) or byte offset (WARC) a location names; 0 for a file."""
    match = _POSITION.match(location[len(path):]) if location.startswith(path) else None
    return int(match[1]) if match else 0


def parsed_record(result: Article | Failure, order: str) -> tuple:
    """A reading result as a :data:`PARSED_FIELDS` tuple."""
    if isinstance(result, Failure):
        return ("failure", order, None, None, None, None, None, None, None, None,
                result.path, result.id, None, None, result.reason)
    return ("article", order, result.hash, result.id, result.url, result.title, result.date,
            result.source, result.author, result.lang, result.path, result.location,
            result.format, result.text, None)


def _relocate(item: RawItem | Failure, real: str, shown: str
              ) -> RawItem | Failure:
    """The same item with the local copy's path replaced by the path the user gave."""
    def swap(text: str) -> str:
        return shown + text[len(real):] if text.startswith(real) else text

    if isinstance(item, Failure):
        return Failure(swap(item.id), item.reason.replace(real, shown), path=swap(item.path))
    return replace(item, location=swap(item.location), path=swap(item.path))


def scan_file(real: str, shown: str, file_no: int, run: str) -> Iterator[tuple]:
    """Every article (or failure) of one whole file, read by the ingest readers.

    ``real`` is where the bytes are on this machine (a local input, or a copy of a remote
    one fetched by Spark), ``shown`` the path reported in rows (as the user gave it).
    """
    for raw, _ in scan([real]):
        item = _relocate(raw, real, shown)
        order = order_key(run, file_no, position_in(item.location, shown))
        result = parse_item(item) if isinstance(item, RawItem) else item
        yield parsed_record(result, order)


def parse_line(data: bytes, shown: str, line: int, file_no: int, run: str) -> tuple | None:
    """One line of a JSONL file read by Spark's splittable text reader, parsed as ingest
    parses it (None for a blank line, which ingest skips but still counts)."""
    location = f"{shown}:{line}"
    order = order_key(run, file_no, line)
    try:
        # Spark strips the newline; ingest decodes the line with it (it counts for the
        # binary-content heuristic), so put it back.
        text = decode_bytes(bytes(data) + b"\n")
    except DecodeError as exc:
        return parsed_record(Failure(location, str(exc), path=shown), order)
    if not text.strip():
        return None
    return parsed_record(parse_item(RawItem("json", location, shown, text)), order)


def _plain(value: Any) -> Any:
    """A Parquet cell as the JSON reader would see it (dates and timestamps as ISO text)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def parse_record(record: Mapping[str, Any], shown: str, row: int, file_no: int,
                 run: str) -> tuple:
    """One row of an input Parquet file (``text`` or ``html`` column, and the JSONL field
    names and aliases for the rest), located as ``file:row`` with rows numbered from 1."""
    location = f"{shown}:{row}"
    fields = {str(k).lower(): _plain(v) for k, v in record.items()}
    result = parse_item(RawItem("record", location, shown, fields))  # type: ignore[arg-type]
    if isinstance(result, Article):
        result = replace(result, format="parquet")
    return parsed_record(result, order_key(run, file_no, row))


# --------------------------------------------------------------------------- extraction

# Per Python worker process: pipelines are loaded on first use and kept for every later
# partition this worker runs (Spark reuses Python workers), never per article.
_PIPELINES: dict[str, Any] = {}
LOAD_SECONDS: dict[str, float] = {}


def pipeline_for(lang: str) -> Any | None:
    """The extraction pipeline for ``lang`` in this process, or None when propos has no
    profile (or no model) for it: such articles are kept, marked ``unsupported_lang``."""
    if lang not in supported_languages():
        return None
    if lang not in _PIPELINES:
        from ..pipeline import load

        started = time.perf_counter()
        try:
            _PIPELINES[lang] = load(lang)
        except (LookupError, RuntimeError) as exc:
            log.warning("articles in %r are stored without extraction: %s", lang, exc)
            _PIPELINES[lang] = None
        LOAD_SECONDS[lang] = time.perf_counter() - started
    return _PIPELINES[lang]


def preload(langs: Iterable[str] | None = None) -> float:
    """Load pipelines now (before a fork, or before timing); returns the seconds it took."""
    started = time.perf_counter()
    for lang in sorted(langs if langs is not None else supported_languages()):
        pipeline_for(lang)
    return time.perf_counter() - started


def _span(span: Span | None) -> tuple[str | None, int | None, int | None]:
    return (span.text, span.start, span.end) if span else (None, None, None)


def attribution_tuple(a: Attribution) -> tuple:
    """One attribution as an :data:`ATTRIBUTION_FIELDS` tuple, named as the store names it."""
    name = clean_name(a.speaker.name) or "?"
    cue = _span(a.cue)
    mention = _span(a.source)
    via = _span(a.via)
    return (a.kind, a.content.text, a.content.start, a.content.end, *cue, *mention, *via,
            name, a.speaker.type, a.speaker.gender, a.speaker.gender_source,
            directory_name(name, mention[0]),
            # The precision exports and the JSON output carry; rounded here, in Python,
            # because Spark's rounding of doubles differs from Python's on ties.
            round(float(a.confidence), 3), a.rule, mentions_json(a.dates),
            mentions_json(a.amounts), [(r.name, r.type) for r in a.about], a.cue_type)


def article_row(article: Article, key: str, order: str, lang: str,
                document: Document | None, sig: bytes) -> dict[str, Any]:
    """The DIR/articles row of one stored article (``document`` None: not extracted)."""
    attributions = [attribution_tuple(a) for a in document.attributions] if document else []
    entities = document.entities if document else ()
    people = [p for p in (clean_name(e.text) for e in entities if e.label == "PER")
              if looks_like_full_name(p)]
    return {
        "article": key, "article_id": article.id, "url": article.url, "title": article.title,
        "source": article.source, "author": article.author, "path": article.path,
        "location": article.location, "format": article.format,
        "status": "extracted" if document is not None else "unsupported_lang",
        "text": article.text, "minhash": sig, "bands": band_keys(sig),
        "n_attributions": len(attributions), "attributions": attributions,
        "entities": [(e.label, e.start, e.end, e.text) for e in entities],
        "people": people, "ingest_order": order, "lang": lang, "date": article.date,
    }


def failure_row(location: str, path: str, reason: str, key: str | None,
                order: str) -> dict[str, Any]:
    return {"location": location, "path": path, "reason": reason, "article": key,
            "ingest_order": order}


def _article(row: Mapping[str, Any]) -> Article:
    return Article(text=row["text"], path=row["path"], location=row["location"],
                   format=row["format"], id=row["article_id"], url=row["url"],
                   title=row["title"], date=row["date"], source=row["source"],
                   author=row["author"], lang=row["lang"])


def extract_rows(rows: Iterable[Mapping[str, Any]], batch_size: int = BATCH_SIZE
                 ) -> Iterator[tuple[str, dict[str, Any]]]:
    """Extract a partition of parsed articles: ``("article", row)`` or ``("failure", row)``.

    ``rows`` carry :data:`PARSED_FIELDS` and ``stored_lang`` (the language an earlier run
    stored the article under when it could not extract it then). Articles are batched per
    language through ``nlp.pipe``; a document the engine fails on becomes a failure row
    with its reason, the others in its batch are unaffected.
    """
    pending: dict[str, list[tuple[Article, str, str]]] = defaultdict(list)
    chars: dict[str, int] = defaultdict(int)
    fault = os.environ.get(FAULT_ENV)
    for row in rows:
        article = _article(row)
        if fault and fault in article.text:
            os._exit(137)
        key, order = row["article"], row["ingest_order"]
        lang = row.get("stored_lang") or article.lang or detect_language(article.text)
        if pipeline_for(lang) is None:
            yield "article", article_row(article, key, order, lang, None,
                                         signature(article.text))
            continue
        pending[lang].append((article, key, order))
        chars[lang] += len(article.text)
        if len(pending[lang]) >= batch_size or chars[lang] >= BATCH_CHARS:
            chars.pop(lang)
            yield from _flush(lang, pending.pop(lang))
    for lang in sorted(pending):
        yield from _flush(lang, pending[lang])


def extract_isolated(rows: Iterable[Mapping[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """:func:`extract_rows`, one article at a time in a forked child process.

    For a partition whose first attempt killed its Python worker (a crash in a native
    library, the OOM killer): Spark retries the task, and the retry runs here, so the article
    that kills its process becomes a failure row (as in ``propos ingest``) instead of failing
    the task again and, after ``spark.task.maxFailures``, the job. The fork shares the loaded
    model; it costs milliseconds per article, paid only by retried partitions.
    """
    if not hasattr(os, "fork"):  # pragma: no cover - Spark executors are POSIX
        yield from extract_rows(rows)
        return
    for row in rows:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: extract, send the results, exit without cleanup
            os.close(read_end)
            try:
                data = pickle.dumps(list(extract_rows([row], batch_size=1)))
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
                os._exit(0)
            except BaseException:  # noqa: BLE001 - the parent reports it
                os._exit(1)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as source:
            data = source.read()
        _, status = os.waitpid(pid, 0)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and data:
            yield from pickle.loads(data)
            continue
        log.warning("extraction killed its process: %s (status %d)", row["location"], status)
        yield "failure", failure_row(row["location"], row["path"], DIED, row["article"],
                                     row["ingest_order"])


def _flush(lang: str, group: list[tuple[Article, str, str]]
           ) -> Iterator[tuple[str, dict[str, Any]]]:
    pipeline = pipeline_for(lang)
    items = [(key, article.text, article.date) for article, key, _ in group]
    try:
        with pipeline.nlp.memory_zone():
            results: list[Document | Failure] = [
                replace(r, text="") if isinstance(r, Document) else r
                for r in pipeline.extract_many(items, batch_size=len(items))]
    except Exception as exc:  # noqa: BLE001 - a crash in the engine fails these articles only
        log.debug("extraction crashed", exc_info=True)
        results = [Failure(key, f"{type(exc).__name__}: {exc}") for key, _, _ in items]
    for (article, key, order), result in zip(group, results):
        if isinstance(result, Failure):
            yield "failure", failure_row(article.location, article.path,
                                         f"extraction failed: {result.reason}", key, order)
        else:
            yield "article", article_row(article, key, order, lang, result,
                                         signature(article.text))


# --------------------------------------------------------------------------- loading


def document_from_row(row: Mapping[str, Any]) -> tuple[Article, Document | None]:
    """An articles-dataset row back as the Article and Document that ingest would have
    handed to the store's writer (None for an article stored without extraction)."""
    article = Article(text=row["text"], path=row["path"], location=row["location"],
                      format=row["format"], id=row["article_id"], url=row["url"],
                      title=row["title"], date=row["date"], source=row["source"],
                      author=row["author"], lang=row["lang"])
    if row["status"] != "extracted":
        return article, None

    def span(a: Mapping[str, Any], name: str) -> Span | None:
        text = a[name]
        return None if text is None else Span(int(a[f"{name}_start"]),
                                              int(a[f"{name}_end"]), text)

    attributions = tuple(
        Attribution(kind=a["kind"], content=span(a, "content"),  # type: ignore[arg-type]
                    speaker=Speaker(a["speaker_name"], a["speaker_type"],
                                    a["speaker_gender"] or "unknown",
                                    a["speaker_gender_source"]),
                    cue=span(a, "cue"), source=span(a, "mention"), via=span(a, "via"),
                    confidence=float(a["confidence"]), rule=a["rule"],
                    about=tuple(Referent(r["name"], r["type"]) for r in a["about"] or ()),
                    cue_type=a["cue_type"])
        for a in row["attributions"] or ())
    entities = tuple(Entity(e["label"], int(e["start"]), int(e["end"]), e["text"])
                     for e in row["entities"] or ())
    # Dates and amounts are a function of the text, its language and its date: found again
    # as extraction found them.
    return article, with_mentions(
        Document(row["article"], row["lang"], row["text"], attributions, entities), row["date"])
