"""Spark's Python daemon, with the propos pipelines loaded before it forks the workers.

PySpark starts one daemon per executor and forks a Python worker from it for each task slot;
workers are reused across tasks. With the stock daemon every worker loads the spaCy model on
its first partition (seconds each, and one private copy per core). Set
``spark.python.daemon.module=propos.spark.daemon`` (``propos spark`` does for local runs)
and the model is loaded once per executor, in the daemon, and the forked workers share its
memory pages, as ``propos ingest`` shares them between its forked workers.

``PROPOS_SPARK_PRELOAD`` (comma-separated language codes, empty for none) limits what is
loaded; by default every language propos has a profile for. A language that cannot be
loaded is logged and left to the workers, which mark its articles ``unsupported_lang``.
"""

from __future__ import annotations

import logging
import os
import sys


def main() -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    wanted = os.environ.get("PROPOS_SPARK_PRELOAD")
    langs = None if wanted is None else [c.strip() for c in wanted.split(",") if c.strip()]
    try:
        from propos.spark.records import preload

        seconds = preload(langs)
        logging.getLogger("propos.spark.daemon").info("pipelines loaded in %.1fs", seconds)
    except Exception:  # noqa: BLE001 - workers load on demand instead; never block Spark
        logging.getLogger("propos.spark.daemon").warning("preload failed", exc_info=True)
    from pyspark import daemon  # stdout belongs to the daemon protocol from here on

    daemon.manager()


if __name__ == "__main__":
    main()
