"""The input files of a job, in ingest's order: local folders walked as ``propos ingest``
walks them, URIs through the Hadoop filesystem Spark is configured with.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from propos.ingest.readers import discover, format_of
from propos.model import Failure

if TYPE_CHECKING:  # pyspark is an optional extra: imported where it is used
    from pyspark.sql import SparkSession

# Spark's bookkeeping files inside Parquet folders are not articles.
_SPARK_FILES = ("_SUCCESS", "_committed_", "_started_", "_metadata", "_common_metadata")
_GLOB = str.maketrans({c: "\\" + c for c in "*?[]{}\\"})


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


def has_scheme(path: str) -> bool:
    scheme = urlparse(path).scheme
    return len(scheme) > 1  # not a Windows drive letter


def list_inputs(spark: SparkSession, paths: Sequence[str]
                ) -> tuple[list[InputFile], list[Failure]]:
    """Input files in ingest's order (arguments in order, folders walked sorted, files before
    sub-folders), and the inputs that cannot be read, with the reason ingest gives.

    Local paths are listed with ingest's own :func:`~propos.ingest.readers.discover`, so rows
    report the same ``path``; URIs (``hdfs://``, ``s3a://``, ``file://``…) through the
    Hadoop filesystem Spark is configured with.
    """
    files: list[InputFile] = []
    failures: list[Failure] = []

    def add(shown: str, uri: str) -> None:
        if _is_spark_file(shown):
            return
        how = _how(shown)
        if how is None:
            ext = "".join(os.path.splitext(posixpath.basename(shown))[1:]) or "(no extension)"
            failures.append(Failure(shown, f"unsupported file type {ext}: propos reads .txt, "
                                    ".html/.htm, .jsonl, .csv, .warc(.gz) and, on Spark, "
                                    ".parquet", path=shown))
            return
        files.append(InputFile(len(files), shown, uri, how))

    for given in paths:
        if has_scheme(given):
            for found in _hadoop_walk(spark, given):
                if isinstance(found, Failure):
                    failures.append(found)
                else:
                    add(found, found)
            continue
        for found in discover([given]):
            if isinstance(found, Failure):
                if found.reason.startswith("unsupported file type") and \
                        found.path.lower().endswith(".parquet"):
                    add(found.path, "file://" + os.path.abspath(found.path))
                elif not _is_spark_file(found.path):
                    failures.append(found)
                continue
            path, _ = found
            add(path, "file://" + os.path.abspath(path))
    return files, failures


def _hadoop_walk(spark: SparkSession, uri: str) -> Iterator[str | Failure]:
    """Files under ``uri`` on a Hadoop filesystem, in ingest's walk order."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    root = jvm.org.apache.hadoop.fs.Path(uri)
    try:
        fs = root.getFileSystem(conf)
        if not fs.exists(root):
            yield Failure(uri, "no such file or directory", path=uri)
            return
        if fs.getFileStatus(root).isFile():
            yield uri
            return
    except Exception as exc:  # noqa: BLE001 - py4j wraps every Java error
        yield Failure(uri, f"cannot list: {str(exc).splitlines()[0]}", path=uri)
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


def norm_uri(uri: str) -> tuple[str, str, str]:
    """A file URI as Spark reports it (``file:/x``, ``file:///x``, %-escaped or not) in one
    comparable form."""
    parsed = urlparse(uri)
    scheme = parsed.scheme or "file"
    netloc = "" if scheme == "file" else parsed.netloc
    return scheme, netloc, posixpath.normpath(unquote(parsed.path))
