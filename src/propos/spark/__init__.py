"""Scale-out on Apache Spark: the ingest extraction over corpora too big for one machine.

``propos spark INPUT... --out DIR`` (or ``spark-submit .../propos/spark/job.py``) reads
JSONL, Parquet, WARC (and the other ingest formats) from any filesystem Spark supports,
extracts with one spaCy pipeline per Python worker, and writes Parquet partitioned by
language and date whose rows are exactly those of ``propos ingest`` + ``propos export
--format parquet``. ``propos load DIR --db propos.db`` brings such output into a store for
search and the web app. See docs/scale.md.

Nothing here imports pyspark at module level: ``propos[spark]`` is an optional extra, and
:mod:`propos.spark.records` and :mod:`propos.spark.load` work without it.
"""

from __future__ import annotations

INSTALL_HINT = ("propos spark needs the optional extra: pip install 'propos[spark]' "
                "(pyspark 4 and a Java 17 runtime, e.g. apt-get install openjdk-17-jre-headless)")


def pyspark_available() -> bool:
    """Whether pyspark can be imported (without importing it: it is slow and heavy)."""
    from importlib.util import find_spec

    return find_spec("pyspark") is not None
