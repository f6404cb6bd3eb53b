"""The Spark job: ``propos ingest`` + ``propos export --format parquet`` on a cluster.

::

    list inputs (driver) ─► read + parse ─► key, dedupe, skip known ─► extract (mapPartitions,
    one pipeline per Python worker) ─► DIR/articles (append) + DIR/failures (append)
                                                   │
    speaker directory (driver) + near-duplicate groups (LSH join) ◄┘
                                                   └─► DIR/attributions (the export rows)

Output directory::

    DIR/articles/lang=fr/date=2024-03-14/part-*.parquet     one row per article (text,
                                                            attributions, entities, MinHash)
    DIR/attributions/lang=fr/date=2024-03-14/part-*.parquet one row per attribution: the
                                                            columns of `propos export`
    DIR/failures/part-*.parquet                             inputs that gave no article

``date`` is the article's ISO date (YYYY-MM-DD); an article without one goes to Spark's
``date=__HIVE_DEFAULT_PARTITION__``, which Spark, pyarrow and DuckDB all read back as NULL,
as the export has it.

Idempotency: articles are keyed by content hash, as in ``propos ingest``. A run extracts only
keys that ``DIR/articles`` does not hold yet and appends them; a retried task is covered by
Spark's output commit protocol, and a re-run over the same input appends nothing. The
attribution rows depend on the whole corpus (the speaker directory groups names across
articles; near-duplicate groups link articles), so they are recomputed from ``DIR/articles``
whenever it changed (a fingerprint of its files is kept in ``DIR/attributions/_propos.json``),
written beside and swapped in.

Run as ``propos spark INPUT... --out DIR`` (a local session, ``--master local[*]``) or under
``spark-submit`` with this file as the application (it then uses spark-submit's session).

This module is the job and its entry point; each step has a module of its own:
:mod:`~propos.spark.session`, :mod:`~propos.spark.schema` (Spark types),
:mod:`~propos.spark.inputs` (listing the input files), :mod:`~propos.spark.readers` (inputs
as rows), :mod:`~propos.spark.files` (the output directory), :mod:`~propos.spark.directory`
(speaker directory, near-duplicate and statement groups).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from propos.spark.directory import duplicate_groups, speaker_directory, statement_groups
from propos.spark.files import ARTICLES, ATTRIBUTIONS, FAILURES, STATE_FILE, OutputFiles, out_path
from propos.spark.inputs import has_scheme, list_inputs
from propos.spark.readers import read_inputs
from propos.spark.records import (ARTICLE_FIELDS, ATTRIBUTION_FIELDS, FAILURE_FIELDS,
                                  PARTITION_COLUMNS, LOAD_SECONDS, extract_isolated,
                                  extract_rows, names)
from propos.spark.schema import export_schema, extracted_schema, spark_schema
from propos.summary import ReadingSummary

if TYPE_CHECKING:  # pyspark is an optional extra: imported where it is used
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger("propos.spark")

# Rows per output file: big enough for Parquet to compress well, small enough for a task.
ARTICLES_PER_FILE = 20_000
ROWS_PER_FILE = 200_000


def read_articles(spark: SparkSession, out: str) -> DataFrame | None:
    """``DIR/articles`` with its schema (partition columns as strings, not inferred dates),
    one row per key: where a key was written twice (an article first stored without
    extraction, extracted later; or two concurrent runs) the extracted, earliest one."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    path = out_path(out, ARTICLES)
    if not OutputFiles(spark, out).data_files(path):
        return None
    df = spark.read.schema(spark_schema(ARTICLE_FIELDS)).parquet(path)
    rank = Window.partitionBy("article").orderBy(
        (F.col("status") != F.lit("extracted")).cast("int"), "ingest_order")
    return df.withColumn("_rank", F.row_number().over(rank)).filter("_rank = 1").drop("_rank")


def _extract(rows: Iterable[Any], load_seconds: Any = None) -> Iterator[tuple]:
    """mapPartitions body: the partition's articles through :func:`extract_rows` with this
    Python worker's pipelines (loaded on first use, kept for the worker's life).

    A retried task (its first attempt lost its Python worker: a crash, the OOM killer)
    extracts each article in a forked child (:func:`extract_isolated`), so the article that
    kills its process ends as a failure row instead of failing the job.
    """
    from pyspark import TaskContext

    context = TaskContext.get()
    retry = context is not None and context.attemptNumber() > 0
    article_names = names(ARTICLE_FIELDS)
    failure_names = names(FAILURE_FIELDS)
    before = sum(LOAD_SECONDS.values())
    extract = extract_isolated if retry else extract_rows
    for kind, row in extract(r.asDict() for r in rows):
        if kind == "article":
            yield kind, tuple(row[n] for n in article_names), None
        else:
            yield kind, None, tuple(row[n] for n in failure_names)
    if load_seconds is not None:
        load_seconds.add(sum(LOAD_SECONDS.values()) - before)


def _supported() -> list[str]:
    from propos.ingest.worker import supported_languages

    return sorted(supported_languages())


def export_rows(articles: DataFrame, directory: DataFrame, groups: DataFrame) -> DataFrame:
    """One row per attribution, the columns of ``propos export`` in its order."""
    from pyspark.sql import functions as F

    from propos.columns import COLUMNS

    rows = (articles.filter(F.col("status") == "extracted")
            .select("article", "article_id", "url", "title", "date", "source", "author", "lang",
                    "path", "location", "ingest_order",
                    F.posexplode("attributions").alias("seq", "a"))
            .join(F.broadcast(directory), F.col("a.name") == directory["name"], "left")
            .join(groups, "article", "left"))
    rows = rows.join(statement_groups(rows), ["article", "seq"], "left")
    types = {"str": "string", "int": "long", "float": "double", "bool": "boolean"}
    attribution = set(names(ATTRIBUTION_FIELDS))
    columns = []
    for name, kind, _ in COLUMNS:
        if name == "duplicate_group":
            column = F.coalesce(F.col("duplicate_group"), F.col("article"))
        elif name == "seq":
            column = F.col("seq")
        elif name in ("speaker", "speaker_key", "directory_gender",
                      "directory_gender_source"):
            column = F.col(name)
        elif name == "about":
            column = F.array_join(F.col("a.about.name"), "; ")
        elif name in attribution and name not in ("lang",):
            column = F.col(f"a.{name}")
        else:
            column = F.col(name)
        columns.append(column.cast(types[kind]).alias(name))
    return rows.select(*columns)


def write_rows(spark: SparkSession, out: str, rows: DataFrame, count: int,
               fingerprint: str) -> None:
    """Write the rows beside ``DIR/attributions`` and swap them in, so that readers never see
    a half-written set (and a killed run leaves the previous one, or none, never a mix)."""
    from pyspark.sql import functions as F

    files = OutputFiles(spark, out)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    staging = out_path(out, f"_{ATTRIBUTIONS}.new-{stamp}")
    previous = out_path(out, f"_{ATTRIBUTIONS}.old-{stamp}")
    target = out_path(out, ATTRIBUTIONS)
    parts = max(1, math.ceil(count / ROWS_PER_FILE))
    (rows.repartitionByRange(parts, F.col("lang"), F.col("date"), F.col("article"))
     .sortWithinPartitions("lang", "date", "article", "seq")
     .write.mode("overwrite").partitionBy(*PARTITION_COLUMNS).parquet(staging))
    if files.exists(target):
        files.rename(target, previous)
    files.rename(staging, target)
    files.delete(previous)
    files.write_text(out_path(target, STATE_FILE), json.dumps(
        {"articles_fingerprint": fingerprint, "rows": count,
         "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}) + "\n")


@dataclass(frozen=True)
class SparkSummary(ReadingSummary):
    """What a run did. ``read`` counts inputs (lines, rows, WARC records, files);
    ``seconds`` leaves the session start out."""

    read: int = 0
    articles: int = 0
    new: int = 0
    present: int = 0
    failed: int = 0
    unsupported: int = 0
    attributions: int = 0
    rows_rewritten: bool = False
    seconds: float = 0.0
    # of which: reading, extracting and writing the articles; then the attribution rows
    # (speaker directory, near-duplicate groups, export rows)
    articles_seconds: float = 0.0
    rows_seconds: float = 0.0
    load_seconds: float = 0.0
    cores: int = 0
    partitions: int = 0
    out: str = ""

    def format(self) -> str:
        lines = [("read", self.read, ""), ("new", self.new, "(extracted and written)"),
                 ("already present", self.present, "(same content hash)"),
                 ("failed", self.failed, f"(see {out_path(self.out, FAILURES)})"
                  if self.failed else ""),
                 ("unsupported language", self.unsupported, "(stored, not extracted)"),
                 ("attributions", self.attributions,
                  "(rows in the output)" + ("" if self.rows_rewritten else ", unchanged"))]
        out = self.table(lines, width=9)
        loading = (f"model loading {self.load_seconds:.1f}s in workers" if self.load_seconds
                   else "model loaded by Spark's Python daemon")
        out.append(f"{'time':<21}{self.seconds:>9.1f}s ({self.rate:.1f} inputs/s on "
                   f"{self.cores} cores; {loading})")
        out.append(f"{'output':<21}{self.out}")
        return "\n".join(out)


def run(spark: SparkSession, paths: Sequence[str], out: str, partitions: int | None = None,
        refresh: bool = False) -> SparkSummary:
    """Extract ``paths`` into ``out`` (see the module doc); returns what was done."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    started = time.perf_counter()
    out = out.rstrip("/") or out
    if not has_scheme(out):
        out = os.path.abspath(out)
    sc = spark.sparkContext
    cores = sc.defaultParallelism
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    files, listing_failures = list_inputs(spark, list(paths))
    log.info("%d input file(s), %d unreadable", len(files), len(listing_failures))

    parsed = read_inputs(spark, files, listing_failures, run_id) \
        .persist(StorageLevel.MEMORY_AND_DISK)
    kinds = {row["kind"]: row["count"] for row in parsed.groupBy("kind").count().collect()}
    read = sum(kinds.values())
    found = parsed.filter(F.col("kind") == "article")
    from pyspark.sql import Window

    first = Window.partitionBy("article").orderBy("ingest_order")
    distinct = found.withColumn("_rank", F.row_number().over(first)) \
        .filter("_rank = 1").drop("_rank")
    existing = read_articles(spark, out)
    if existing is not None:
        stored = existing.select("article", "status", F.col("lang").alias("stored_lang"))
        supported = _supported()
        done = stored.filter((F.col("status") == "extracted")
                             | ~F.col("stored_lang").isin(supported)).select("article")
        upgradable = stored.filter((F.col("status") != "extracted")
                                   & F.col("stored_lang").isin(supported)) \
            .select("article", "stored_lang")
        todo = distinct.join(done, "article", "left_anti").join(upgradable, "article", "left")
    else:
        todo = distinct.withColumn("stored_lang", F.lit(None).cast("string"))

    n_articles = kinds.get("article", 0)
    log.info("read %d inputs (%.1fs)", read, time.perf_counter() - started)
    parts = partitions or max(1, min(max(4 * cores, math.ceil(n_articles / 500)), 100_000))
    load_seconds = sc.accumulator(0.0)
    extracted = spark.createDataFrame(
        todo.repartition(parts, "article").rdd.mapPartitions(
            lambda rows: _extract(rows, load_seconds)),
        extracted_schema(), verifySchema=False).persist(StorageLevel.MEMORY_AND_DISK)
    outcome = {(row["kind"], row["status"]): row["count"] for row in
               extracted.groupBy("kind", F.col("a.status").alias("status")).count().collect()}
    new = sum(n for (kind, _), n in outcome.items() if kind == "article")
    n_extract_failed = sum(n for (kind, _), n in outcome.items() if kind == "failure")
    unsupported = outcome.get(("article", "unsupported_lang"), 0)
    log.info("extracted %d articles (%.1fs)", new, time.perf_counter() - started)
    new_articles = extracted.filter(F.col("kind") == "article").select("a.*")
    if existing is not None and unsupported:
        # An article stored earlier without extraction whose language still cannot be
        # extracted (no model): nothing new to write, as the store's writer says "present".
        again = upgradable.select("article").withColumn("_again", F.lit(True))
        new_articles = (new_articles.join(again, "article", "left")
                        .filter(F.col("_again").isNull() | (F.col("status") == "extracted"))
                        .drop("_again"))
        statuses = {row["status"]: row["count"]
                    for row in new_articles.groupBy("status").count().collect()}
        new, unsupported = sum(statuses.values()), statuses.get("unsupported_lang", 0)
    if new:
        (new_articles.repartitionByRange(max(1, math.ceil(new / ARTICLES_PER_FILE)),
                                         F.col("lang"), F.col("date"), F.col("article"))
         .sortWithinPartitions("lang", "date", "article")
         .write.mode("append").partitionBy(*PARTITION_COLUMNS)
         .parquet(out_path(out, ARTICLES)))

    failures = (parsed.filter(F.col("kind") == "failure")
                .select("location", "path", "reason", "article", "ingest_order")
                .unionByName(extracted.filter(F.col("kind") == "failure").select("f.*"))
                .dropDuplicates(["location", "reason"]))
    failures_path = out_path(out, FAILURES)
    if OutputFiles(spark, out).data_files(failures_path):
        before = spark.read.schema(spark_schema(FAILURE_FIELDS)).parquet(failures_path)
        failures = failures.join(before.select("location", "reason"),
                                 ["location", "reason"], "left_anti")
    failures = failures.persist(StorageLevel.MEMORY_AND_DISK)
    n_failed = kinds.get("failure", 0) + n_extract_failed
    if n_failed and failures.count():
        failures.coalesce(1).write.mode("append").parquet(failures_path)
    failures.unpersist()

    articles_seconds = time.perf_counter() - started
    log.info("wrote articles and failures (%.1fs)", articles_seconds)
    rows, rewritten = refresh_rows(spark, out, force=refresh)
    log.info("attribution rows %s (%.1fs)", "rewritten" if rewritten else "unchanged",
             time.perf_counter() - started)
    extracted.unpersist()
    parsed.unpersist()
    seconds = time.perf_counter() - started
    return SparkSummary(
        read=read, articles=n_articles, new=new, present=n_articles - new - n_extract_failed,
        failed=n_failed, unsupported=unsupported, attributions=rows, rows_rewritten=rewritten,
        seconds=seconds, articles_seconds=articles_seconds,
        rows_seconds=seconds - articles_seconds, load_seconds=load_seconds.value, cores=cores,
        partitions=parts, out=out)


def refresh_rows(spark: SparkSession, out: str, force: bool = False) -> tuple[int, bool]:
    """Recompute ``DIR/attributions`` when ``DIR/articles`` changed since it was written;
    returns (rows, whether they were rewritten)."""
    from pyspark import StorageLevel

    files = OutputFiles(spark, out)
    listing = files.data_files(out_path(out, ARTICLES))
    fingerprint = hashlib.sha256(json.dumps(listing).encode("utf-8")).hexdigest()
    state_text = files.read_text(out_path(out, ATTRIBUTIONS, STATE_FILE))
    state = json.loads(state_text) if state_text else {}
    if not force and state.get("articles_fingerprint") == fingerprint:
        return int(state.get("rows", 0)), False
    articles = read_articles(spark, out)
    if articles is None:
        rows = spark.createDataFrame([], export_schema())
        write_rows(spark, out, rows, 0, fingerprint)
        return 0, True
    started = time.perf_counter()
    articles = articles.persist(StorageLevel.MEMORY_AND_DISK)
    directory = speaker_directory(spark, articles)
    log.info("speaker directory (%.1fs)", time.perf_counter() - started)
    groups = duplicate_groups(spark, articles)
    log.info("near-duplicate groups (%.1fs)", time.perf_counter() - started)
    rows = export_rows(articles, directory, groups).persist(StorageLevel.MEMORY_AND_DISK)
    count = rows.count()
    write_rows(spark, out, rows, count, fingerprint)
    rows.unpersist()
    articles.unpersist()
    return count, True


def parse_conf(items: Iterable[str]) -> dict[str, str]:
    conf = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--conf takes KEY=VALUE, not {item!r}")
        conf[key.strip()] = value
    return conf


if __name__ == "__main__":
    # spark-submit's application file: ``spark-submit .../propos/spark/job.py INPUT... --out
    # DIR`` runs the ``propos spark`` command itself, so both take the same options (``-v`` is
    # given to ``propos``). The job that command runs is the imported module, not this
    # ``__main__`` one, so that the functions shipped to executors are found by module path.
    # (These are a script's imports, not the module's: the CLI is above the Spark job.)
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
    from propos.cli import main

    _verbosity = [a for a in sys.argv[1:] if a in ("-v", "-vv", "--verbose")]
    main(args=[*_verbosity, "spark", *(a for a in sys.argv[1:] if a not in _verbosity)],
         prog_name="propos")
