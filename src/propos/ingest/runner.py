"""The ingest job: stream inputs, process them in parallel, store each article atomically.

::

    scan (this process) ──chunks──► workers: parse, skip known, detect, extract, sign
                                          │
    store (this process) ◄──outcomes──────┘  one transaction per article

* Streaming with bounded memory: inputs are read lazily and at most ``2 × workers`` chunks
  are in flight, so a corpus larger than RAM flows through.
* Resumable and idempotent: articles are keyed by content hash and workers skip the ones the
  store already has; each article is committed whole (see :mod:`propos.store.writer`), so a
  run killed at any point (SIGKILL included) is continued by running the same command again.
* Robust: every input that gives no article is recorded with its location and reason and the
  batch goes on; a worker process that dies (a crash, the OOM killer) is replaced, and the
  document that killed it is recorded as a failure after a retry on its own.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from ..model import Failure
from ..read import DEFAULT_LIMITS, InputLimits, display_path
from ..store.db import checkpoint, connect
from ..store.provenance import update_quote_groups
from ..store.runs import finish_run, start_run
from ..store.speakers import rebuild_directory
from ..store.writer import Writer
from ..summary import ReadingSummary
from .readers import RawItem, Scanned, scan, total_bytes
from .worker import Outcome, close_worker, init_worker, ping, process_chunk

log = logging.getLogger(__name__)

CHUNK_ITEMS = 16                 # raw items per worker task (one nlp.pipe batch)
CHUNK_BYTES = 4 * 1024 * 1024    # …or fewer when they are big
MAX_ATTEMPTS = 2                 # a chunk whose worker died is retried item by item once


@dataclass(frozen=True)
class IngestSummary(ReadingSummary):
    """What a run did. ``read`` counts inputs (files, lines, rows, WARC records);
    ``seconds`` leaves model loading out."""

    read: int = 0
    new: int = 0
    present: int = 0
    near_duplicates: int = 0
    failed: int = 0
    attributions: int = 0
    unsupported: int = 0
    upgraded: int = 0
    undated: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0
    workers: int = 1
    interrupted: bool = False
    db: str = ""

    def format(self) -> str:
        """The end-of-run summary for people."""
        lines = [
            ("read", self.read, ""),
            ("new", self.new, "" if not self.upgraded else f"(+{self.upgraded} extracted now "
                                                          "that their language is supported)"),
            ("already present", self.present, ""),
            ("near-duplicates", self.near_duplicates, "(linked to an earlier copy)"),
            ("failed", self.failed,
             f"(see: propos ingest --failed --db {self.db})" if self.failed else ""),
            ("attributions", self.attributions, ""),
            ("unsupported language", self.unsupported, "(stored and marked, not extracted)"),
        ]
        if self.undated:
            lines.append(("undated", self.undated, "(no date in metadata, dateline or file name)"))
        out = self.table(lines)
        out.append(f"{'time':<21}{self.seconds:>8.1f}s "
                   f"({self.rate:.1f} articles/s with {self.workers} worker"
                   f"{'s' if self.workers > 1 else ''}; model load {self.load_seconds:.1f}s)")
        if self.undated:
            out.append(f"warning: {self.undated} new article{'s' if self.undated > 1 else ''} "
                       f"without a date: --since/--until, the charts and Spark's date "
                       f"partitions leave {'them' if self.undated > 1 else 'it'} out "
                       f"(see: propos ingest --undated --db {self.db})")
        if self.interrupted:
            out.append("interrupted: run the same command again to continue")
        return "\n".join(out)


@dataclass
class _Counts:
    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("read", "new", "present", "near_duplicates", "failed", "attributions", "unsupported",
         "upgraded", "undated"), 0))

    def add(self, name: str, n: int = 1) -> None:
        self.values[name] += n


def _chunks(scanned: Iterator[Scanned], failures: list[tuple[Failure, int]]
            ) -> Iterator[list[tuple[RawItem, int]]]:
    """Group raw items into worker tasks; read failures are set aside for the writer."""
    chunk: list[tuple[RawItem, int]] = []
    size = 0
    for item, nbytes in scanned:
        if isinstance(item, Failure):
            failures.append((item, nbytes))
            if len(failures) >= CHUNK_ITEMS:
                yield []  # a run of bad inputs: let the writer record them now
            continue
        chunk.append((item, nbytes))
        payload = item.payload
        size += len(payload) if isinstance(payload, (bytes, str)) else nbytes
        if len(chunk) >= CHUNK_ITEMS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class _InlineFuture:
    """Runs the chunk when its result is asked for: the one-worker path, with no pool."""

    def __init__(self, items: list[RawItem]):
        self.items = items

    def result(self) -> list[Outcome]:
        return process_chunk(self.items)


class _Workers:
    """A pool of worker processes (or none, for one worker) that can be restarted.

    It starts without the language models: a run over articles the store already has
    never loads them. The first article to extract in a language makes :meth:`load_models`
    load that language's model in this process and fork the workers again, so that they
    share the models' pages; a language never met is never loaded.
    """

    def __init__(self, workers: int, db_path: str, limits: InputLimits = DEFAULT_LIMITS):
        self.workers = workers
        self.db_path = db_path
        self.limits = limits
        self.pool: ProcessPoolExecutor | None = None
        self.models: frozenset[str] = frozenset()
        self.load_seconds = 0.0
        if workers > 1:
            self._start()
        else:
            init_worker(db_path, limits=limits, models=self.models)

    def _start(self) -> None:
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self.pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context(method),
            initializer=init_worker,
            initargs=(self.db_path, os.getpid(), self.limits, self.models))
        # Fork every worker now (a progress bar's thread may run: workers only compute).
        self.pool.submit(ping).result()

    def load_models(self, langs: Iterable[str]) -> None:
        """Load the pipelines of ``langs`` here, then restart the workers with them."""
        new = frozenset(langs) - self.models
        self.load_seconds += _preload(new)
        self.models |= new
        if self.pool is None:
            init_worker(self.db_path, limits=self.limits, models=self.models)
        else:
            self.restart()

    def submit(self, items: list[RawItem]) -> Future | _InlineFuture:
        if self.pool is None:
            return _InlineFuture(items)
        return self.pool.submit(process_chunk, items)

    def restart(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self._start()

    def close(self, cancel: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=cancel)
            self.pool = None
        else:
            close_worker()


def available_cores() -> int:
    """Cores this process may run on (the CPU affinity mask, which containers narrow)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _preload(langs: Iterable[str]) -> float:
    """Load these languages' pipelines once, before forking, so workers share them."""
    from ..pipeline import load

    started = time.perf_counter()
    for lang in sorted(langs):
        try:
            load(lang)
        except (LookupError, RuntimeError) as exc:
            log.warning("language %r cannot be extracted: %s", lang, exc)
    return time.perf_counter() - started


def _progress(enabled: bool):
    from rich.console import Console
    from rich.progress import (BarColumn, Progress, ProgressColumn, TaskProgressColumn,
                               TextColumn, TimeElapsedColumn, TimeRemainingColumn)
    from rich.text import Text

    class Articles(ProgressColumn):
        def render(self, task) -> Text:
            count = task.fields.get("articles", 0)
            elapsed = task.elapsed or 0.0
            rate = count / elapsed if elapsed > 0 else 0.0
            return Text(f"{count:,} articles · {rate:,.1f}/s", style="cyan")

    return Progress(TextColumn("[bold]ingest"), BarColumn(), TaskProgressColumn(), Articles(),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                    console=Console(stderr=True), disable=not enabled, transient=False)


def ingest(paths: Sequence[str] | Iterable[str], db_path: str = "propos.db",
           workers: int | None = None, progress: bool = True,
           limits: InputLimits = DEFAULT_LIMITS) -> IngestSummary:
    """Ingest files and folders into the store at ``db_path``; see the module doc. Inputs
    are read within ``limits``."""
    paths = list(paths)
    workers = max(1, workers or available_cores())
    conn = connect(db_path)  # creates and migrates before any worker opens it read-only
    conn.close()
    pool = _Workers(workers, db_path, limits)
    conn = connect(db_path)
    writer = Writer(conn)
    counts = _Counts()
    run_id = start_run(conn, "\n".join(display_path(p) for p in paths), workers)
    previous = _install_sigterm()
    started = time.perf_counter()
    interrupted = False
    own = os.path.abspath(db_path)
    exclude = frozenset({own} | {own + suffix for suffix in ("-wal", "-shm", "-journal")})
    bar = _progress(progress)
    try:
        with bar:
            total = max(1, total_bytes(paths, exclude)) if progress else None
            task = bar.add_task("ingest", total=total, articles=0)

            def advance(nbytes: int) -> None:
                bar.update(task, advance=nbytes, articles=counts.values["read"])

            _run(scan(paths, exclude, limits), pool, writer, counts, advance)
    except KeyboardInterrupt:
        interrupted = True
        log.warning("interrupted: what was committed is kept; run again to continue")
    finally:
        pool.close(cancel=True)
        _restore_sigterm(previous)
    try:
        rebuild_directory(conn)
        update_quote_groups(conn)
    except KeyboardInterrupt:
        interrupted = True  # both are brought up to date by the next command that needs them
    seconds = time.perf_counter() - started
    values = counts.values
    finish_run(conn, run_id, values, interrupted)
    checkpoint(conn)  # what the directory rebuild wrote, out of the WAL even if a server reads
    conn.close()
    return IngestSummary(**values, seconds=seconds - pool.load_seconds,
                         load_seconds=pool.load_seconds, workers=workers,
                         interrupted=interrupted, db=str(db_path))


def _run(scanned: Iterator[Scanned], pool: _Workers, writer: Writer, counts: _Counts,
         advance) -> None:
    failures: list[tuple[Failure, int]] = []
    pending: deque[tuple[Any, list[tuple[RawItem, int]], int]] = deque()
    limit = 2 * pool.workers if pool.pool is not None else 1

    def drain_failures() -> None:
        while failures:
            failure, nbytes = failures.pop(0)
            writer.record_failure(failure)
            counts.add("read")
            counts.add("failed")
            advance(nbytes)

    def collect() -> None:
        future, chunk, attempt = pending.popleft()
        try:
            outcomes = future.result()
        except BrokenProcessPool:
            log.warning("a worker process died; restarting the pool")
            pool.restart()
            retry = list(pending)
            pending.clear()
            if len(chunk) > 1 or attempt < MAX_ATTEMPTS:
                # Retry alone, one item per task, to find the one that kills workers.
                for single in ([c] for c in chunk):
                    pending.append((pool.submit([single[0]]), single, attempt + 1))
            else:
                item, nbytes = chunk[0]
                failures.append((Failure(item.location, "a worker process died extracting this "
                                         "input (crash or out of memory)", path=item.path),
                                 nbytes))
            for _, again, tries in retry:
                pending.append((pool.submit([i for i, _ in again]), again, tries))
            return
        except Exception as exc:  # noqa: BLE001 - a bug on one input must not end the run
            log.debug("processing a chunk failed", exc_info=True)
            if len(chunk) > 1:
                for single in ([c] for c in chunk):
                    pending.append((pool.submit([single[0]]), single, attempt))
            else:
                item, nbytes = chunk[0]
                failures.append((Failure(item.location, f"could not process: "
                                         f"{type(exc).__name__}: {exc}", path=item.path),
                                 nbytes))
            return
        needed = {o.lang for o in outcomes if o.needs_model}
        if needed:
            # the first article to extract in a language: again, with its model (unless
            # workers forked before it was loaded answered: then only again)
            if needed - pool.models:
                pool.load_models(needed)
            retry = [(chunk, attempt)] + [(again, tries) for _, again, tries in pending]
            pending.clear()
            for again, tries in retry:
                pending.append((pool.submit([i for i, _ in again]), again, tries))
            return
        for outcome, (_, nbytes) in zip(outcomes, chunk):
            _store(outcome, writer, counts)
            advance(nbytes)

    for chunk in _chunks(scanned, failures):
        drain_failures()
        if not chunk:
            continue
        pending.append((pool.submit([item for item, _ in chunk]), chunk, 1))
        while len(pending) >= limit:
            collect()
    while pending:
        collect()
        drain_failures()
    drain_failures()


def _store(outcome: Outcome, writer: Writer, counts: _Counts) -> None:
    counts.add("read")
    if outcome.failure is not None:
        writer.record_failure(outcome.failure)
        counts.add("failed")
        return
    if outcome.known or outcome.article is None:
        counts.add("present")
        return
    try:
        result = writer.write_article(outcome.article, outcome.document, lang=outcome.lang,
                                      signature=outcome.signature)
    except (sqlite3.Error, ValueError) as exc:  # rolled back whole; the next article goes on
        log.debug("storing %s failed", outcome.location, exc_info=True)
        writer.record_failure(Failure(outcome.location, f"could not store: "
                                      f"{type(exc).__name__}: {exc}", path=outcome.path))
        counts.add("failed")
        return
    if result.status == "present":
        counts.add("present")
        return
    counts.add("new" if result.status == "new" else "upgraded")
    counts.add("attributions", result.attributions)
    if result.status == "new" and outcome.article.date is None:
        counts.add("undated")
    if result.near_duplicates:
        counts.add("near_duplicates")
    if outcome.document is None:
        counts.add("unsupported")


def _install_sigterm():
    """SIGTERM stops the run like Ctrl-C: finish the article being written, then summarise."""
    def stop(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        return None


def _restore_sigterm(previous) -> None:
    if previous is not None:
        try:
            signal.signal(signal.SIGTERM, previous)
        except ValueError:
            pass
