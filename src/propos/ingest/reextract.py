"""Re-extraction: bring what the store holds up to the current engine, from the stored text.

Every extracted article records the engine version that produced its attributions
(``articles.engine``, see :mod:`propos.engine`). After an upgrade, :func:`reextract` runs
the engine again on the articles whose version differs (or is unknown: stored before the
store kept it), reading their text from the store, never the inputs. Each article's old
attributions and entities are swapped for the new ones in one transaction, so a run killed
at any point is continued by running it again; a run with nothing out of date does not load
any model. The speaker directory is rebuilt at the end.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from ..engine import engine_version
from ..model import Document
from ..store.db import connect
from ..store.runs import stale_articles, stale_counts
from ..store.speakers import rebuild_directory
from ..store.writer import Writer
from ..summary import RunSummary
from .worker import supported_languages

log = logging.getLogger(__name__)

BATCH = 16


@dataclass(frozen=True)
class ReextractSummary(RunSummary):
    """What a run did: ``stale`` articles found out of date, ``done`` re-extracted."""

    articles: int = 0
    current: int = 0
    stale: int = 0
    done: int = 0
    failed: int = 0
    attributions_before: int = 0
    attributions: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0
    engine: str = ""
    interrupted: bool = False

    def format(self) -> str:
        lines = [("extracted articles", self.articles, ""),
                 ("already current", self.current, f"(engine {self.engine})"),
                 ("re-extracted", self.done, f"of {self.stale} out of date" if self.stale
                  else ""),
                 ("failed", self.failed, "(kept as they were)" if self.failed else ""),
                 ("attributions", self.attributions,
                  f"(were {self.attributions_before})" if self.done else "")]
        out = self.table(lines)
        out.append(f"{'time':<21}{self.seconds:>8.1f}s "
                   + (f"(model load {self.load_seconds:.1f}s)" if self.stale
                      else "(nothing to do: no model loaded)"))
        if self.interrupted:
            out.append("interrupted: run the same command again to continue")
        return "\n".join(out)


def reextract(db_path: str, progress: bool = False) -> ReextractSummary:
    """Re-extract every stored article whose engine version is not the current one."""
    from ..pipeline import load

    engine = engine_version()
    conn = connect(db_path, create=False)
    started = time.perf_counter()
    langs = sorted(supported_languages())
    articles, stale, before = stale_counts(conn, engine, langs)
    counts = {"done": 0, "failed": 0, "attributions": 0}
    load_seconds = 0.0
    interrupted = False
    if stale:
        writer = Writer(conn)
        bar = _progress(progress)
        try:
            with bar:
                task = bar.add_task("reextract", total=stale)
                loaded: set[str] = set()
                for lang, rows in stale_articles(conn, engine, langs, BATCH):
                    if lang not in loaded:
                        tick = time.perf_counter()
                        pipeline = load(lang)
                        load_seconds += time.perf_counter() - tick
                        loaded.add(lang)
                    items = [(row["hash"], row["text"]) for row in rows]
                    with pipeline.nlp.memory_zone():
                        results = list(pipeline.extract_many(items, batch_size=len(items)))
                    for row, result in zip(rows, results):
                        if isinstance(result, Document):
                            counts["attributions"] += writer.replace_extraction(
                                row["id"], row["title"], result)
                            counts["done"] += 1
                        else:
                            log.warning("article %s not re-extracted: %s", row["hash"],
                                        result.reason)
                            counts["failed"] += 1
                        bar.advance(task)
        except KeyboardInterrupt:
            interrupted = True
            log.warning("interrupted: what was re-extracted is kept; run again to continue")
        if counts["done"]:
            rebuild_directory(conn)
    conn.close()
    return ReextractSummary(
        articles=articles, current=articles - stale, stale=stale, done=counts["done"],
        failed=counts["failed"], attributions_before=before,
        attributions=counts["attributions"], seconds=time.perf_counter() - started,
        load_seconds=load_seconds, engine=engine, interrupted=interrupted)


def _progress(enabled: bool):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(TextColumn("[bold]reextract"), BarColumn(), MofNCompleteColumn(),
                    console=Console(stderr=True), disable=not enabled, transient=False)
