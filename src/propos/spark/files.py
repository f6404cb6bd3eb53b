"""The output directory: its layout, and the file operations on it through Hadoop's
FileSystem (local, HDFS, S3…).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pyspark is an optional extra: imported where it is used
    from pyspark.sql import SparkSession

ARTICLES = "articles"
ATTRIBUTIONS = "attributions"
FAILURES = "failures"
STATE_FILE = "_propos.json"


def out_path(out: str, *parts: str) -> str:
    return "/".join([out.rstrip("/"), *parts])


class OutputFiles:
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
