"""The per-chunk work of an ingest, run in worker processes (or in-process with one worker).

Everything that costs CPU happens here, so that it scales with the number of workers:
parsing (trafilatura for HTML), hashing, skipping articles the store already has, language
detection, extraction (spaCy, inside a memory zone so that a long run does not grow the
vocabulary without bound) and MinHash signatures. The reading process only cuts inputs
into raw items, and the writing process only writes what comes back.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import lru_cache

from ..article import Article
from ..dedupe import signature
from ..langdetect import detect_language
from ..model import Document, Failure
from ..read import DEFAULT_LIMITS, InputLimits
from ..store.runs import known_articles
from .readers import RawItem, parse_item

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What one raw item gave: a failure, an article already stored (``known``), or an
    article to store with its language, extraction (None: language not supported) and
    near-duplicate signature."""

    location: str
    path: str
    article: Article | None = None
    document: Document | None = None
    lang: str = ""
    signature: bytes | None = None
    failure: Failure | None = None
    known: bool = False
    needs_model: bool = False   # to be extracted, by workers started with its model


_state: dict[str, object] = {}


def init_worker(db_path: str, parent_pid: int | None = None,
                limits: InputLimits = DEFAULT_LIMITS,
                models: Collection[str] | None = None) -> None:
    """Set up the work state for a store. In a worker process (``parent_pid`` given), Ctrl-C
    is the parent's to handle, and a worker whose parent died (``kill -9``) exits instead of
    lingering with a language model in memory. ``limits`` bound what items may hold.
    ``models``: the languages whose pipelines are loaded (None: any); an article to extract
    in another language comes back as ``needs_model``."""
    old = _state.get("conn")
    if old is not None:
        old.close()  # type: ignore[attr-defined]
    _state.clear()
    _state["db_path"] = db_path
    _state["models"] = None if models is None else frozenset(models)
    _state["limits"] = limits
    if parent_pid is not None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def close_worker() -> None:
    """Release the worker's read connection (the one-worker path, in the main process)."""
    conn = _state.pop("conn", None)
    if conn is not None:
        conn.close()  # type: ignore[attr-defined]


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent_pid:
            os._exit(1)


def ping() -> int:
    return os.getpid()


def _connection() -> sqlite3.Connection | None:
    conn = _state.get("conn")
    if conn is None and _state.get("db_path"):
        from ..store.db import connect

        conn = connect(str(_state["db_path"]), readonly=True)
        _state["conn"] = conn
    return conn  # type: ignore[return-value]


@lru_cache(maxsize=1)
def supported_languages() -> frozenset[str]:
    from ..profile import available_languages

    return frozenset(available_languages())


def _known(hashes: list[str]) -> dict[str, tuple[str, str]]:
    """hash → (status, lang) for the hashes already in the store."""
    conn = _connection()
    return {} if conn is None else known_articles(conn, hashes)


def process_chunk(items: list[RawItem]) -> list[Outcome]:
    """Parse, deduplicate, detect, extract: one :class:`Outcome` per item, in order."""
    outcomes: list[Outcome | None] = [None] * len(items)
    articles: list[tuple[int, Article, str]] = []
    limits = _state.get("limits", DEFAULT_LIMITS)
    for index, item in enumerate(items):
        parsed = parse_item(item, limits)  # type: ignore[arg-type]
        if isinstance(parsed, Failure):
            outcomes[index] = Outcome(item.location, item.path, failure=parsed)
            continue
        try:
            key = parsed.hash
        except Exception as exc:  # noqa: BLE001 - text the readers let through by mistake
            outcomes[index] = Outcome(item.location, item.path, failure=Failure(
                item.location, f"cannot key the article: {type(exc).__name__}: {exc}",
                path=item.path))
            continue
        articles.append((index, parsed, key))
    known = _known(sorted({h for _, _, h in articles}))
    by_lang: dict[str, list[tuple[int, Article, str]]] = defaultdict(list)
    for index, article, key in articles:
        status, stored_lang = known.get(key, ("", ""))
        if status == "extracted" or (status and stored_lang not in supported_languages()):
            outcomes[index] = Outcome(article.location, article.path, article, known=True)
            continue
        lang = stored_lang or article.lang or detect_language(article.text)
        models = _state.get("models")
        if models is not None and lang not in models and lang in supported_languages():
            outcomes[index] = Outcome(article.location, article.path, article, lang=lang,
                                      needs_model=True)
            continue
        by_lang[lang].append((index, article, key))
    for lang, group in by_lang.items():
        documents = _extract(lang, group)
        for (index, article, key), result in zip(group, documents):
            if isinstance(result, Failure):
                outcomes[index] = Outcome(article.location, article.path, failure=Failure(
                    article.location, f"extraction failed: {result.reason}", path=article.path))
                continue
            outcomes[index] = Outcome(article.location, article.path, article, result, lang,
                                      signature(article.text))
    return [o for o in outcomes if o is not None]


def _extract(lang: str, group: list[tuple[int, Article, str]]) -> list[Document | Failure | None]:
    """Extraction results for one language's articles (None each: language not supported)."""
    if lang not in supported_languages():
        return [None] * len(group)
    from ..pipeline import load

    try:
        pipeline = load(lang)
    except (LookupError, RuntimeError) as exc:
        log.warning("articles in %r are stored without extraction: %s", lang, exc)
        return [None] * len(group)
    items = [(key, article.text, article.date) for _, article, key in group]
    try:
        with pipeline.nlp.memory_zone():
            # The text is already in the Article: don't ship it back twice.
            return [replace(r, text="") if isinstance(r, Document) else r
                    for r in pipeline.extract_many(items, batch_size=len(items))]
    except Exception as exc:  # noqa: BLE001 - a crash in the engine fails these articles only
        log.debug("extraction crashed", exc_info=True)
        return [Failure(key, f"{type(exc).__name__}: {exc}") for key, _, _ in items]
