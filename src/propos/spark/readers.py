"""The inputs as rows: plain JSONL split across tasks, whole files through the ingest
readers, Parquet tables; each row an article or a failure (:data:`~propos.spark.records.PARSED_FIELDS`).
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from propos.model import Failure
from propos.spark.inputs import InputFile, norm_uri
from propos.spark.records import PARSED_FIELDS, parse_line, parse_record, parsed_record, scan_file
from propos.spark.schema import spark_schema

if TYPE_CHECKING:  # pyspark is an optional extra: imported where it is used
    from pyspark.sql import DataFrame, SparkSession


def read_inputs(spark: SparkSession, files: list[InputFile], failures: list[Failure],
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
    by_uri = {norm_uri(f.uri): f for f in files}
    starts = []
    line: dict[str, int] = {}
    for split in sorted(splits, key=lambda s: (s["file"], s["block"])):
        found = by_uri.get(norm_uri(split["file"]))
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

    return spark.createDataFrame(spread(spark, numbered).rdd.mapPartitions(parse),
                                 spark_schema(PARSED_FIELDS), verifySchema=False)


def spread(spark: SparkSession, data: Any) -> Any:
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
    by_uri = {norm_uri(f.uri): f for f in files}
    rdd = spark.sparkContext.binaryFiles(",".join(f.read_path for f in files),
                                         minPartitions=max(1, len(files)))

    def parse(pairs: Iterable[tuple[str, bytes]]) -> Iterator[tuple]:
        scratch = tempfile.mkdtemp(prefix="propos-", dir=_scratch_dir())
        try:
            for uri, data in pairs:
                found = by_uri[norm_uri(uri)]
                local = os.path.join(scratch, posixpath.basename(norm_uri(uri)[2]))
                with open(local, "wb") as handle:
                    handle.write(data)
                del data
                yield from scan_file(local, found.shown, found.file_no, run)
                os.unlink(local)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    return spark.createDataFrame(spread(spark, rdd).mapPartitions(parse),
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
    by_uri = {norm_uri(f.uri): f for f in files}

    def parse(rows: Iterable[Any]) -> Iterator[tuple]:
        for row in rows:
            record = row.asDict(recursive=True)
            found = by_uri[norm_uri(record.pop("_propos_file"))]
            number = int(record.pop("_propos_row")) + 1
            yield parse_record(record, found.shown, number, found.file_no, run)

    return spark.createDataFrame(spread(spark, df).rdd.mapPartitions(parse),
                                 spark_schema(PARSED_FIELDS), verifySchema=False)
