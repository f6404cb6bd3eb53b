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
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import posixpath
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from propos.article import InputFailure
from propos.dedupe import duplicate_groups as near_duplicate_groups
from propos.ingest.readers import discover, format_of
from propos.spark import INSTALL_HINT
from propos.spark.records import (ARTICLE_FIELDS, ATTRIBUTION_FIELDS, FAILURE_FIELDS,
                                  PARSED_FIELDS, PARTITION_COLUMNS, Fields, LOAD_SECONDS,
                                  extract_isolated, extract_rows, names, parse_line, parse_record,
                                  parsed_record, scan_file)

if TYPE_CHECKING:  # pyspark is an optional extra: imported where it is used
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger("propos.spark")

ARTICLES = "articles"
ATTRIBUTIONS = "attributions"
FAILURES = "failures"
STATE_FILE = "_propos.json"
# Rows per output file: big enough for Parquet to compress well, small enough for a task.
ARTICLES_PER_FILE = 20_000
ROWS_PER_FILE = 200_000
# Near-duplicate links up to this many are grouped on the driver, beyond in Spark.
DRIVER_EDGES = 2_000_000
# Spark's bookkeeping files inside Parquet folders are not articles.
_SPARK_FILES = ("_SUCCESS", "_committed_", "_started_", "_metadata", "_common_metadata")
_GLOB = str.maketrans({c: "\\" + c for c in "*?[]{}\\"})


# --------------------------------------------------------------------------- session


def session(master: str | None = None, conf: Mapping[str, str] | None = None,
            driver_memory: str = "2g", preload: bool = True) -> SparkSession:
    """The Spark session to run in.

    Under ``spark-submit`` (or in a notebook that already has one) the existing session is
    used as it is configured. Otherwise a local one is built (``master``, default
    ``local[*]``), offline and quiet: no UI, loopback only, few shuffle partitions, and the
    Python workers run this interpreter (the one propos and its model are installed in).
    With ``preload``, Spark's Python daemon is :mod:`propos.spark.daemon`, which loads the
    pipelines once and forks the workers from it (they share the model's memory).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - exercised without the extra
        raise RuntimeError(INSTALL_HINT) from exc
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("propos")
    if "PYSPARK_GATEWAY_PORT" not in os.environ:  # not launched by spark-submit
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        master = master or "local[*]"
        cores = _local_cores(master)
        defaults = {
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.driver.memory": driver_memory,
            "spark.sql.shuffle.partitions": str(max(2, 2 * cores)),
            "spark.sql.session.timeZone": "UTC",
            "spark.python.worker.reuse": "true",
        }
        if preload:
            defaults["spark.python.daemon.module"] = "propos.spark.daemon"
        builder = builder.master(master)
        for key, value in defaults.items():
            builder = builder.config(key, value)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if "PYSPARK_GATEWAY_PORT" not in os.environ or master:
        spark.sparkContext.setLogLevel(
            "WARN" if logging.getLogger().isEnabledFor(logging.INFO) else "ERROR")
    return spark


def _local_cores(master: str) -> int:
    inside = master[master.find("[") + 1:master.find("]")] if "[" in master else "1"
    if inside.split(",")[0] in ("*", ""):
        try:
            return len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            return os.cpu_count() or 1
    try:
        return max(1, int(inside.split(",")[0]))
    except ValueError:
        return 1


# --------------------------------------------------------------------------- Spark types


def spark_type(kind: Any):
    """A :mod:`propos.spark.records` field type as a Spark SQL type."""
    from pyspark.sql import types as T

    if isinstance(kind, tuple):
        if kind[0] == "array":
            return T.ArrayType(spark_type(kind[1]), containsNull=True)
        return spark_schema(kind[1])
    return {"string": T.StringType(), "long": T.LongType(), "double": T.DoubleType(),
            "binary": T.BinaryType(), "boolean": T.BooleanType()}[kind]


def spark_schema(fields: Fields):
    from pyspark.sql import types as T

    return T.StructType([T.StructField(name, spark_type(kind), True) for name, kind in fields])


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class InputFile:
    """One input file: its rank in the listing (ingest's scan order), the path rows report
    (as the user gave it), where Spark reads it, and how: ``lines`` (a plain JSONL file,
    split across tasks), ``parquet``, or ``file`` (read whole by the ingest readers: WARC,
    CSV, HTML, text, compressed JSONL)."""

    file_no: int
    shown: str
    uri: str
    how: str

    @property
    def read_path(self) -> str:
        """The path for Spark, with glob characters escaped (a file named [1].jsonl)."""
        return self.uri.translate(_GLOB)


def _how(path: str) -> str | None:
    lower = path.lower()
    if lower.endswith(".parquet"):
        return "parquet"
    fmt = format_of(path)
    if fmt is None:
        return None
    return "lines" if fmt == "jsonl" and not lower.endswith(".gz") else "file"


def _is_spark_file(path: str) -> bool:
    return posixpath.basename(path).startswith(_SPARK_FILES)


def _has_scheme(path: str) -> bool:
    scheme = urlparse(path).scheme
    return len(scheme) > 1  # not a Windows drive letter


def list_inputs(spark: SparkSession, paths: Sequence[str]
                ) -> tuple[list[InputFile], list[InputFailure]]:
    """Input files in ingest's order (arguments in order, folders walked sorted, files before
    sub-folders), and the inputs that cannot be read, with the reason ingest gives.

    Local paths are listed with ingest's own :func:`~propos.ingest.readers.discover`, so rows
    report the same ``path``; URIs (``hdfs://``, ``s3a://``, ``file://``…) through the
    Hadoop filesystem Spark is configured with.
    """
    files: list[InputFile] = []
    failures: list[InputFailure] = []

    def add(shown: str, uri: str) -> None:
        if _is_spark_file(shown):
            return
        how = _how(shown)
        if how is None:
            ext = "".join(os.path.splitext(posixpath.basename(shown))[1:]) or "(no extension)"
            failures.append(InputFailure(shown, shown, f"unsupported file type {ext}: propos "
                                         "reads .txt, .html/.htm, .jsonl, .csv, .warc(.gz) "
                                         "and, on Spark, .parquet"))
            return
        files.append(InputFile(len(files), shown, uri, how))

    for given in paths:
        if _has_scheme(given):
            for found in _hadoop_walk(spark, given):
                if isinstance(found, InputFailure):
                    failures.append(found)
                else:
                    add(found, found)
            continue
        for found in discover([given]):
            if isinstance(found, InputFailure):
                if found.reason.startswith("unsupported file type") and \
                        found.path.lower().endswith(".parquet"):
                    add(found.path, "file://" + os.path.abspath(found.path))
                elif not _is_spark_file(found.path):
                    failures.append(found)
                continue
            path, _ = found
            add(path, "file://" + os.path.abspath(path))
    return files, failures


def _hadoop_walk(spark: SparkSession, uri: str) -> Iterator[str | InputFailure]:
    """Files under ``uri`` on a Hadoop filesystem, in ingest's walk order."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    root = jvm.org.apache.hadoop.fs.Path(uri)
    try:
        fs = root.getFileSystem(conf)
        if not fs.exists(root):
            yield InputFailure(uri, uri, "no such file or directory")
            return
        if fs.getFileStatus(root).isFile():
            yield uri
            return
    except Exception as exc:  # noqa: BLE001 - py4j wraps every Java error
        yield InputFailure(uri, uri, f"cannot list: {str(exc).splitlines()[0]}")
        return

    def walk(folder: Any, shown: str) -> Iterator[str]:
        entries = sorted(fs.listStatus(folder), key=lambda s: s.getPath().getName())
        entries = [s for s in entries if not s.getPath().getName().startswith(".")]
        for entry in entries:
            if entry.isFile():
                yield f"{shown}/{entry.getPath().getName()}"
        for entry in entries:
            if entry.isDirectory():
                name = entry.getPath().getName()
                yield from walk(entry.getPath(), f"{shown}/{name}")

    yield from walk(root, uri.rstrip("/"))


def _norm(uri: str) -> tuple[str, str, str]:
    """A file URI as Spark reports it (``file:/x``, ``file:///x``, %-escaped or not) in one
    comparable form."""
    parsed = urlparse(uri)
    scheme = parsed.scheme or "file"
    netloc = "" if scheme == "file" else parsed.netloc
    return scheme, netloc, posixpath.normpath(unquote(parsed.path))


def read_inputs(spark: SparkSession, files: list[InputFile], failures: list[InputFailure],
                run: str) -> DataFrame:
    """Every input as :data:`~propos.spark.records.PARSED_FIELDS` rows: an article (key,
    metadata, text) or a failure (location, reason)."""
    schema = spark_schema(PARSED_FIELDS)
    parts = [spark.createDataFrame(
        [parsed_record(f, "") for f in failures], schema)] if failures else []
    lines = [f for f in files if f.how == "lines"]
    whole = [f for f in files if f.how == "file"]
    tables = [f for f in files if f.how == "parquet"]
    if lines:
        parts.append(_read_lines(spark, lines, run))
    if whole:
        parts.append(_read_whole(spark, whole, run))
    if tables:
        parts.append(_read_parquet(spark, tables, run))
    if not parts:
        return spark.createDataFrame([], schema)
    out = parts[0]
    for part in parts[1:]:
        out = out.unionByName(part)
    return out


def _read_lines(spark: SparkSession, files: list[InputFile], run: str) -> DataFrame:
    """Plain JSONL through Spark's splittable text reader: a 50 GB dump is read by many
    tasks. Lines come as raw bytes (decoded as ingest decodes them, Latin-1 lines included),
    and their numbers (for ``file:line``) from a count of the lines in each split."""
    from pyspark.sql import functions as F

    df = (spark.read.option("lineSep", "\n").text([f.read_path for f in files])
          .select(F.col("_metadata.file_path").alias("file"),
                  F.col("_metadata.file_block_start").alias("block"),
                  F.monotonically_increasing_id().alias("id"),
                  F.col("value").cast("binary").alias("data")))
    splits = (df.groupBy("file", "block")
              .agg(F.count(F.lit(1)).alias("n"), F.min("id").alias("first")).collect())
    by_uri = {_norm(f.uri): f for f in files}
    starts = []
    line: dict[str, int] = {}
    for split in sorted(splits, key=lambda s: (s["file"], s["block"])):
        found = by_uri.get(_norm(split["file"]))
        if found is None:
            raise RuntimeError(f"Spark read a file propos did not list: {split['file']}")
        start = line.get(split["file"], 1)
        starts.append((split["file"], split["block"], found.file_no, found.shown,
                       start - split["first"]))
        line[split["file"]] = start + split["n"]
    table = spark.createDataFrame(starts, "file string, block long, file_no long, "
                                          "shown string, offset long")
    numbered = (df.join(F.broadcast(table), ["file", "block"])
                .select("file_no", "shown", (F.col("offset") + F.col("id")).alias("line"),
                        "data"))

    def parse(rows: Iterable[Any]) -> Iterator[tuple]:
        for row in rows:
            record = parse_line(row["data"], row["shown"], row["line"], row["file_no"], run)
            if record is not None:
                yield record

    return spark.createDataFrame(_spread(spark, numbered).rdd.mapPartitions(parse),
                                 spark_schema(PARSED_FIELDS), verifySchema=False)


def _spread(spark: SparkSession, data: Any) -> Any:
    """``data`` (a DataFrame or an RDD) over at least 4 tasks per core before parsing.

    Spark packs small inputs into few partitions (800 HTML pages of a few KB make ONE
    ``binaryFiles`` partition; a JSONL dump is one split per 128 MB), and parsing (HTML
    extraction above all) would then run on one core.
    """
    target = 4 * spark.sparkContext.defaultParallelism
    partitions = data.getNumPartitions() if hasattr(data, "getNumPartitions") else \
        data.rdd.getNumPartitions()
    return data.repartition(target) if partitions < target else data


def _read_whole(spark: SparkSession, files: list[InputFile], run: str) -> DataFrame:
    """Files read whole by the ingest readers (WARC records, CSV rows, HTML pages, text,
    compressed JSONL): Spark fetches the bytes from wherever they are, the task writes them
    to its scratch space and :func:`~propos.spark.records.scan_file` reads them there."""
    by_uri = {_norm(f.uri): f for f in files}
    rdd = spark.sparkContext.binaryFiles(",".join(f.read_path for f in files),
                                         minPartitions=max(1, len(files)))

    def parse(pairs: Iterable[tuple[str, bytes]]) -> Iterator[tuple]:
        scratch = tempfile.mkdtemp(prefix="propos-", dir=_scratch_dir())
        try:
            for uri, data in pairs:
                found = by_uri[_norm(uri)]
                local = os.path.join(scratch, posixpath.basename(_norm(uri)[2]))
                with open(local, "wb") as handle:
                    handle.write(data)
                del data
                yield from scan_file(local, found.shown, found.file_no, run)
                os.unlink(local)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    return spark.createDataFrame(_spread(spark, rdd).mapPartitions(parse),
                                 spark_schema(PARSED_FIELDS), verifySchema=False)


def _scratch_dir() -> str | None:
    local = os.environ.get("SPARK_LOCAL_DIRS") or os.environ.get("LOCAL_DIRS")
    return local.split(",")[0] if local else None


def _read_parquet(spark: SparkSession, files: list[InputFile], run: str) -> DataFrame:
    """Parquet inputs: a ``text`` (or ``html``) column and the JSONL field names for the
    rest; rows are located as ``file:row`` (numbered from 1)."""
    from pyspark.sql import functions as F

    df = spark.read.option("mergeSchema", "true").parquet(*[f.read_path for f in files])
    columns = list(df.columns)
    df = df.select(F.col("_metadata.file_path").alias("_propos_file"),
                   F.col("_metadata.row_index").alias("_propos_row"), *columns)
    by_uri = {_norm(f.uri): f for f in files}

    def parse(rows: Iterable[Any]) -> Iterator[tuple]:
        for row in rows:
            record = row.asDict(recursive=True)
            found = by_uri[_norm(record.pop("_propos_file"))]
            number = int(record.pop("_propos_row")) + 1
            yield parse_record(record, found.shown, number, found.file_no, run)

    return spark.createDataFrame(_spread(spark, df).rdd.mapPartitions(parse),
                                 spark_schema(PARSED_FIELDS), verifySchema=False)


# --------------------------------------------------------------------------- extraction


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


def _extracted_schema():
    from pyspark.sql import types as T

    return T.StructType([T.StructField("kind", T.StringType(), False),
                         T.StructField("a", spark_schema(ARTICLE_FIELDS), True),
                         T.StructField("f", spark_schema(FAILURE_FIELDS), True)])


def _supported() -> list[str]:
    from propos.ingest.worker import supported_languages

    return sorted(supported_languages())


# --------------------------------------------------------------------------- output


def _path(out: str, *parts: str) -> str:
    return "/".join([out.rstrip("/"), *parts])


class _Files:
    """The output directory through Hadoop's FileSystem (local, HDFS, S3…)."""

    def __init__(self, spark: SparkSession, root: str):
        self.jvm = spark.sparkContext._jvm
        self.conf = spark.sparkContext._jsc.hadoopConfiguration()
        self.root = root

    def _p(self, path: str):
        return self.jvm.org.apache.hadoop.fs.Path(path)

    def _fs(self, path: str):
        return self._p(path).getFileSystem(self.conf)

    def exists(self, path: str) -> bool:
        return bool(self._fs(path).exists(self._p(path)))

    def delete(self, path: str) -> None:
        if self.exists(path):
            self._fs(path).delete(self._p(path), True)

    def rename(self, src: str, dst: str) -> None:
        if not self._fs(src).rename(self._p(src), self._p(dst)):
            raise RuntimeError(f"could not rename {src} to {dst}")

    def data_files(self, path: str) -> list[tuple[str, int]]:
        """(relative path, size) of the Parquet files under ``path``, sorted."""
        if not self.exists(path):
            return []
        base = self._p(path)
        prefix = str(base.getFileSystem(self.conf).makeQualified(base).toUri().getPath())
        found = []
        it = self._fs(path).listFiles(base, True)
        while it.hasNext():
            status = it.next()
            full = str(status.getPath().toUri().getPath())
            if full.endswith(".parquet"):
                found.append((full[len(prefix):].lstrip("/"), int(status.getLen())))
        return sorted(found)

    def read_text(self, path: str) -> str | None:
        if not self.exists(path):
            return None
        stream = self._fs(path).open(self._p(path))
        try:
            reader = self.jvm.java.io.BufferedReader(
                self.jvm.java.io.InputStreamReader(stream, "UTF-8"))
            lines = []
            while (line := reader.readLine()) is not None:
                lines.append(line)
            return "\n".join(lines)
        finally:
            stream.close()

    def write_text(self, path: str, text: str) -> None:
        stream = self._fs(path).create(self._p(path), True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()


def read_articles(spark: SparkSession, out: str) -> DataFrame | None:
    """``DIR/articles`` with its schema (partition columns as strings, not inferred dates),
    one row per key: where a key was written twice (an article first stored without
    extraction, extracted later; or two concurrent runs) the extracted, earliest one."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    path = _path(out, ARTICLES)
    if not _Files(spark, out).data_files(path):
        return None
    df = spark.read.schema(spark_schema(ARTICLE_FIELDS)).parquet(path)
    rank = Window.partitionBy("article").orderBy(
        (F.col("status") != F.lit("extracted")).cast("int"), "ingest_order")
    return df.withColumn("_rank", F.row_number().over(rank)).filter("_rank = 1").drop("_rank")


def speaker_directory(spark: SparkSession, articles: DataFrame) -> DataFrame:
    """name → (speaker, speaker_key, directory gender): the store's directory rules
    (:func:`propos.store.speakers.cluster_names`) over the corpus' distinct names.

    Names are counted in Spark; the clustering, a pure function of the set of names, runs on
    the driver (distinct names are few next to articles). Names are numbered by first
    appearance in ingest order, as the store numbers them, which settles the rare cases
    where the rules depend on order.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from propos.store.speakers import NameStats, cluster_names, entry_gender

    spoken = (articles.select("ingest_order", F.posexplode("attributions").alias("seq", "a"))
              .groupBy(F.col("a.name").alias("name"), F.col("a.speaker_type").alias("type"),
                       F.col("a.speaker_gender").alias("gender"),
                       F.col("a.speaker_gender_source").alias("gender_source"))
              .agg(F.count(F.lit(1)).alias("n"),
                   F.min(F.struct("ingest_order", F.lit(0).alias("phase"),
                                  F.col("seq").alias("i"))).alias("first")))
    seen = (articles.select("ingest_order", F.posexplode("people").alias("i", "name"))
            .groupBy("name")
            .agg(F.count(F.lit(1)).alias("n"),
                 F.min(F.struct("ingest_order", F.lit(1).alias("phase"), "i")).alias("first")))
    stats: dict[str, dict[str, Any]] = {}
    genders: dict[str, list[tuple[str, str | None, int]]] = {}
    for row in spoken.collect():
        entry = stats.setdefault(row["name"], {"types": [], "n_entity": 0, "first": None})
        types = dict(entry["types"])
        types[row["type"]] = types.get(row["type"], 0) + row["n"]
        entry["types"] = list(types.items())
        genders.setdefault(row["name"], []).append(
            (row["gender"], row["gender_source"], row["n"]))
        first = tuple(row["first"])
        entry["first"] = first if entry["first"] is None else min(entry["first"], first)
    for row in seen.collect():
        entry = stats.setdefault(row["name"], {"types": [], "n_entity": 0, "first": None})
        entry["n_entity"] = row["n"]
        first = tuple(row["first"])
        entry["first"] = first if entry["first"] is None else min(entry["first"], first)
    ordered = sorted(stats.items(), key=lambda item: (item[1]["first"], item[0]))
    name_stats = [NameStats(i, name, tuple(sorted(e["types"])), e["n_entity"])
                  for i, (name, e) in enumerate(ordered, start=1)]
    by_id = {s.id: s.name for s in name_stats}
    votes = {s.id: genders.get(s.name, ()) for s in name_stats}
    mapping = []
    for entry in cluster_names(name_stats):
        gender, gender_source = entry_gender(entry, by_id, votes)
        mapping += [(by_id[i], entry.name, entry.key, gender, gender_source)
                    for i in entry.name_ids]
    schema = T.StructType([T.StructField("name", T.StringType()),
                           T.StructField("speaker", T.StringType()),
                           T.StructField("speaker_key", T.StringType()),
                           T.StructField("directory_gender", T.StringType()),
                           T.StructField("directory_gender_source", T.StringType())])
    log.info("speaker directory: %d names, %d entries", len(name_stats),
             len({row[2] for row in mapping}))
    return spark.createDataFrame(mapping, schema)


def _similar_pairs(rows: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """The candidate pairs whose MinHash similarity reaches the store's threshold."""
    from propos.dedupe import NEAR_DUPLICATE_THRESHOLD, similarity

    for row in rows:
        if similarity(bytes(row["ma"]), bytes(row["mb"])) >= NEAR_DUPLICATE_THRESHOLD:
            yield row["a"], row["b"]


def duplicate_groups(spark: SparkSession, articles: DataFrame,
                     max_iterations: int = 30) -> DataFrame:
    """article → duplicate_group: the smallest key among its near-identical copies.

    The store's rule (:mod:`propos.dedupe`): two articles sharing an LSH band whose
    MinHash similarity is at least the threshold are linked; a group is a connected set.
    Pairs come from a self-join on band keys (a band shared by more articles than the
    store's candidate limit is boilerplate and skipped, as the store caps its candidates).
    Groups are connected components: union-find on the driver for up to
    :data:`DRIVER_EDGES` links, else min-label propagation in Spark, which settles in a few
    rounds (copies of one story are all alike).
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from propos.store.writer import MAX_CANDIDATES

    bands = articles.select("article", F.explode("bands").alias("band"))
    buckets = (bands.groupBy("band").count()
               .filter((F.col("count") >= 2) & (F.col("count") <= MAX_CANDIDATES + 1))
               .select("band"))
    members = bands.join(buckets, "band")
    pairs = (members.alias("x").join(members.alias("y"), "band")
             .filter(F.col("x.article") < F.col("y.article"))
             .select(F.col("x.article").alias("a"), F.col("y.article").alias("b")).distinct())
    sigs = articles.select("article", "minhash")
    candidates = (pairs.join(sigs.withColumnRenamed("article", "a")
                             .withColumnRenamed("minhash", "ma"), "a")
                  .join(sigs.withColumnRenamed("article", "b")
                        .withColumnRenamed("minhash", "mb"), "b")
                  .select("a", "b", "ma", "mb"))
    pair_schema = T.StructType([T.StructField("a", T.StringType()),
                                T.StructField("b", T.StringType())])
    # An RDD function, not a SQL UDF: PySpark runs UDFs in a second Python daemon, which
    # would load the model a second time.
    edges = spark.createDataFrame(candidates.rdd.mapPartitions(_similar_pairs), pair_schema,
                                  verifySchema=False).localCheckpoint()
    n_edges = edges.count()
    schema = T.StructType([T.StructField("article", T.StringType()),
                           T.StructField("duplicate_group", T.StringType())])
    if n_edges <= DRIVER_EDGES:
        # The usual case: copies are a small share of a corpus; union-find on the driver
        # costs less than even one round of distributed propagation.
        return spark.createDataFrame(
            sorted(near_duplicate_groups((row["a"], row["b"]) for row in edges.collect()).items()),
            schema)
    links = edges.unionByName(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    labels = links.select(F.col("a").alias("article")).distinct() \
        .withColumn("group", F.col("article")).localCheckpoint()
    for _ in range(max_iterations):
        proposed = (links.join(labels.withColumnRenamed("article", "b"), "b")
                    .select(F.col("a").alias("article"), "group")
                    .unionByName(labels)
                    .groupBy("article").agg(F.min("group").alias("group"))).localCheckpoint()
        changed = (proposed.alias("n").join(labels.alias("o"), "article")
                   .filter(F.col("n.group") != F.col("o.group")).count())
        labels = proposed
        if not changed:
            break
    else:
        log.warning("near-duplicate groups did not settle in %d rounds", max_iterations)
    return labels.withColumnRenamed("group", "duplicate_group")


def export_rows(articles: DataFrame, directory: DataFrame, groups: DataFrame) -> DataFrame:
    """One row per attribution, the columns of ``propos export`` in its order."""
    from pyspark.sql import functions as F

    from propos.store.export import COLUMNS

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


def statement_groups(rows: DataFrame) -> DataFrame:
    """(article, seq) → the statement-group columns of the export.

    The store's groups (:mod:`propos.store.provenance`) are built in ingest order; here the
    same grouper (:func:`propos.provenance.group_statements`) runs on the driver over the
    attributions in the job's ingest order, with the speaker as the store keys it (its
    directory entry, else the name as written). Only the words, not the article texts, come
    to the driver.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from propos.provenance import Statement, group_statements
    from propos.store.provenance import changes_json

    collected = (rows.select("article", "seq", "ingest_order", "date",
                             F.coalesce(F.col("speaker_key"), F.col("a.speaker_name"))
                             .alias("speaker"), F.col("a.kind").alias("kind"),
                             F.col("a.content").alias("content"))
                 .orderBy("ingest_order", "seq").collect())
    statements = [Statement(number, r["article"], r["seq"], r["speaker"], r["kind"],
                            r["content"], r["date"])
                  for number, r in enumerate(collected, start=1)]
    memberships = group_statements(statements)
    schema = T.StructType([
        T.StructField("article", T.StringType()), T.StructField("seq", T.IntegerType()),
        T.StructField("quote_group", T.StringType()),
        T.StructField("first_seen", T.BooleanType()),
        T.StructField("first_article", T.StringType()), T.StructField("wording", T.StringType()),
        T.StructField("changes", T.StringType())])
    data = [(s.article, s.seq, m.group, m.first_seen, m.first_article, m.wording,
             changes_json(m.changes))
            for s in statements for m in (memberships[s.id],)]
    return rows.sparkSession.createDataFrame(data, schema)


def write_rows(spark: SparkSession, out: str, rows: DataFrame, count: int,
               fingerprint: str) -> None:
    """Write the rows beside ``DIR/attributions`` and swap them in, so that readers never see
    a half-written set (and a killed run leaves the previous one, or none, never a mix)."""
    from pyspark.sql import functions as F

    files = _Files(spark, out)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    staging = _path(out, f"_{ATTRIBUTIONS}.new-{stamp}")
    previous = _path(out, f"_{ATTRIBUTIONS}.old-{stamp}")
    target = _path(out, ATTRIBUTIONS)
    parts = max(1, math.ceil(count / ROWS_PER_FILE))
    (rows.repartitionByRange(parts, F.col("lang"), F.col("date"), F.col("article"))
     .sortWithinPartitions("lang", "date", "article", "seq")
     .write.mode("overwrite").partitionBy(*PARTITION_COLUMNS).parquet(staging))
    if files.exists(target):
        files.rename(target, previous)
    files.rename(staging, target)
    files.delete(previous)
    files.write_text(_path(target, STATE_FILE), json.dumps(
        {"articles_fingerprint": fingerprint, "rows": count,
         "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}) + "\n")


# --------------------------------------------------------------------------- the job


@dataclass(frozen=True)
class SparkSummary:
    """What a run did. ``read`` counts inputs (lines, rows, WARC records, files)."""

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

    @property
    def rate(self) -> float:
        """Inputs per second over the whole run (session start excluded)."""
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rate": round(self.rate, 2)}

    def format(self) -> str:
        lines = [("read", self.read, ""), ("new", self.new, "(extracted and written)"),
                 ("already present", self.present, "(same content hash)"),
                 ("failed", self.failed, f"(see {_path(self.out, FAILURES)})"
                  if self.failed else ""),
                 ("unsupported language", self.unsupported, "(stored, not extracted)"),
                 ("attributions", self.attributions,
                  "(rows in the output)" + ("" if self.rows_rewritten else ", unchanged"))]
        out = [f"{label:<21}{value:>9}  {note}".rstrip() for label, value, note in lines]
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
    if not _has_scheme(out):
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
        _extracted_schema(), verifySchema=False).persist(StorageLevel.MEMORY_AND_DISK)
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
         .parquet(_path(out, ARTICLES)))

    failures = (parsed.filter(F.col("kind") == "failure")
                .select("location", "path", "reason", "article", "ingest_order")
                .unionByName(extracted.filter(F.col("kind") == "failure").select("f.*"))
                .dropDuplicates(["location", "reason"]))
    failures_path = _path(out, FAILURES)
    if _Files(spark, out).data_files(failures_path):
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

    files = _Files(spark, out)
    listing = files.data_files(_path(out, ARTICLES))
    fingerprint = hashlib.sha256(json.dumps(listing).encode("utf-8")).hexdigest()
    state_text = files.read_text(_path(out, ATTRIBUTIONS, STATE_FILE))
    state = json.loads(state_text) if state_text else {}
    if not force and state.get("articles_fingerprint") == fingerprint:
        return int(state.get("rows", 0)), False
    articles = read_articles(spark, out)
    if articles is None:
        rows = spark.createDataFrame([], _export_schema())
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


def _export_schema():
    from pyspark.sql import types as T

    from propos.store.export import COLUMNS

    types = {"str": T.StringType(), "int": T.LongType(), "float": T.DoubleType(),
             "bool": T.BooleanType()}
    return T.StructType([T.StructField(name, types[kind], True) for name, kind, _ in COLUMNS])


# --------------------------------------------------------------------------- entry points


def parse_conf(items: Iterable[str]) -> dict[str, str]:
    conf = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--conf takes KEY=VALUE, not {item!r}")
        conf[key.strip()] = value
    return conf


def submit(argv: Sequence[str]) -> None:
    """``spark-submit .../propos/spark/job.py INPUT... --out DIR``: the ``propos spark``
    command itself, so both take the same options; ``-v`` is given to ``propos``."""
    from propos.cli import main

    verbosity = [a for a in argv if a in ("-v", "-vv", "--verbose")]
    main(args=[*verbosity, "spark", *(a for a in argv if a not in verbosity)],
         prog_name="propos")


if __name__ == "__main__":
    # As spark-submit's application file this module runs as __main__: run the imported
    # module instead, so that the functions shipped to executors are found by module path.
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
    from propos.spark.job import submit as _submit

    _submit(sys.argv[1:])
