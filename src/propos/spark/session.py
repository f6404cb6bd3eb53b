"""The Spark session propos runs in: spark-submit's, or a local one, offline and quiet."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from propos.spark import INSTALL_HINT

if TYPE_CHECKING:  # pyspark is an optional extra: imported where it is used
    from pyspark.sql import SparkSession


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
