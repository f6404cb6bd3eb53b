"""Spark throughput: articles/s of ``propos spark`` in local[N] against ``propos ingest
--workers N`` on the same corpus, for N in ``--cores`` (default 1,2), in one run.

1. generates the ingest bench's corpus (``bench/ingest_throughput.py``: French news
   articles, 60 % in JSONL dumps, 30 % .txt, 10 % .html), ``--articles`` (default 2,000);
2. for each N: ``propos ingest --workers N`` into a fresh database, then ``propos export
   --format parquet`` (what the Spark job's output replaces); and the Spark job in
   ``local[N]`` into a fresh directory;
3. reports articles/s (model loading excluded on both sides: ingest loads before its clock
   starts, Spark's Python daemon is started, and loads the model, before the job), the Spark
   job's split (articles: read, extract, write; rows: speaker directory, near-duplicate
   groups, export rows), CPU seconds per article (the whole process tree: JVM, daemon and
   workers for Spark), peak memory (sum of PSS over the process tree), the scaling curve
   (rate at N / rate at 1) and Spark / ingest ratios; and checks that both give the same
   number of attribution rows.

Each run is a child process; the share of the CPUs other processes used while the script
idled is reported (a shared machine skews every figure).

    .venv/bin/python bench/spark_throughput.py                      # 2,000 articles, 1 and 2
    .venv/bin/python bench/spark_throughput.py --cores 1,2,4,8,16 --json spark.json
    .venv/bin/python bench/spark_throughput.py --articles 300 --cores 2   # quick look
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ingest_throughput import background_load, generate, run_script  # noqa: E402  (the same corpus)


# --------------------------------------------------------------------------- children


def child_ingest(corpus: str, db: str, workers: int, export_to: str) -> dict[str, Any]:
    import propos
    from propos.ingest.runner import ingest
    from propos.ingest.worker import supported_languages
    from propos.store.db import connect
    from propos.store.export import export

    started = time.perf_counter()
    for lang in sorted(supported_languages()):  # what ingest preloads, before its clock
        try:
            propos.load(lang)
        except (LookupError, RuntimeError):
            pass
    load_seconds = time.perf_counter() - started
    summary = ingest([corpus], db_path=db, workers=workers, progress=False)
    started = time.perf_counter()
    conn = connect(db)
    rows = export(conn, "parquet", export_to)
    conn.close()
    export_seconds = time.perf_counter() - started
    return {**summary.to_dict(), "load_seconds": load_seconds, "rows": rows,
            "export_seconds": export_seconds,
            "rate_with_export": summary.read / (summary.seconds + export_seconds)}


def child_spark(corpus: str, out: str, cores: int) -> dict[str, Any]:
    from propos.spark.job import run
    from propos.spark.session import session

    started = time.perf_counter()
    spark = session(f"local[{cores}]", {"spark.sql.shuffle.partitions": str(max(2, 2 * cores))},
                    driver_memory="4g")
    session_seconds = time.perf_counter() - started
    started = time.perf_counter()
    # Start Spark's Python daemon (it loads the model, then forks the workers) off the clock,
    # as ingest loads the model before it forks its workers.
    spark.sparkContext.parallelize(range(cores), cores).map(lambda x: x).collect()
    load_seconds = time.perf_counter() - started
    summary = run(spark, [corpus], out)
    spark.stop()
    return {**summary.to_dict(), "load_seconds": load_seconds,
            "session_seconds": session_seconds, "rows": summary.attributions}


# --------------------------------------------------------------------------- measuring


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--cores", default="1,2",
                        help="comma-separated core counts: local[N] and --workers N")
    parser.add_argument("--skip-ingest", action="store_true", help="time Spark only")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--child", choices=["ingest", "spark"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--export-to", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "ingest":
        print(json.dumps(child_ingest(args.corpus, args.target, args.n, args.export_to)))
        return 0
    if args.child == "spark":
        print(json.dumps(child_spark(args.corpus, args.target, args.n)))
        return 0

    cores = sorted({int(c) for c in args.cores.split(",") if c.strip()})
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        os.cpu_count() or 1
    runs: dict[str, dict[str, Any]] = {}
    busy_before = background_load()
    with tempfile.TemporaryDirectory(prefix="propos-spark-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        generate(corpus, args.articles)
        size = sum(p.stat().st_size for p in corpus.iterdir())
        print(f"corpus: {args.articles} articles, {size / 1e6:.1f} MB; cores {cores} "
              f"({available} available)", file=sys.stderr)
        for n in cores:
            plan = [] if args.skip_ingest else [(f"ingest {n}", [
                "--child", "ingest", "--corpus", str(corpus), "--target", f"{tmp}/i{n}.db",
                "--export-to", f"{tmp}/i{n}.parquet", "--n", str(n)])]
            plan.append((f"spark {n}", ["--child", "spark", "--corpus", str(corpus),
                                        "--target", f"{tmp}/s{n}", "--n", str(n)]))
            for label, child_args in plan:
                print(f"running: {label} …", file=sys.stderr)
                result, wall, cpu, pss, _ = run_script(__file__, child_args)
                runs[label] = {**result, "wall_seconds": round(wall, 1),
                               "cpu_seconds_tree": round(cpu, 1), "peak_pss_mb": round(pss)}
    busy_after = background_load()

    def rate(label: str) -> float:
        return runs[label]["rate"] if label in runs else 0.0

    figures: dict[str, Any] = {
        "articles": args.articles, "cores": cores, "available_cores": available,
        "cpu": platform.processor() or platform.machine(), "python": platform.python_version(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
        "background_busy": [busy_before, busy_after], "runs": runs,
        "spark_scaling": {n: round(rate(f"spark {n}") / rate(f"spark {cores[0]}"), 2)
                          for n in cores},
    }
    if not args.skip_ingest:
        figures["ingest_scaling"] = {n: round(rate(f"ingest {n}") / rate(f"ingest {cores[0]}"),
                                              2) for n in cores}
        figures["spark_vs_ingest"] = {n: round(rate(f"spark {n}") / rate(f"ingest {n}"), 2)
                                      for n in cores}
        figures["spark_vs_ingest_with_export"] = {
            n: round(rate(f"spark {n}") / runs[f"ingest {n}"]["rate_with_export"], 2)
            for n in cores}
    print(f"\n{'run':<10}{'articles/s':>11}{'/core':>7}{'job s':>8}{'articles s':>11}"
          f"{'rows s':>8}{'load s':>8}{'CPU s/art':>10}{'peak PSS MB':>12}{'rows':>7}")
    for label, r in runs.items():
        n = int(label.split()[1])
        articles_s = r.get("articles_seconds", r["seconds"])
        rows_s = r.get("rows_seconds", r.get("export_seconds", 0.0))
        print(f"{label:<10}{r['rate']:>11.1f}{r['rate'] / n:>7.1f}{r['seconds']:>8.1f}"
              f"{articles_s:>11.1f}{rows_s:>8.1f}{r['load_seconds']:>8.1f}"
              f"{r['cpu_seconds_tree'] / max(1, r['read']):>10.3f}{r['peak_pss_mb']:>12}"
              f"{r['rows']:>7}")
    print("\n(ingest: 'rows s' is the Parquet export after it; articles/s excludes it)")
    print(f"spark scaling (rate at N / rate at {cores[0]}): "
          f"{figures['spark_scaling']}")
    if not args.skip_ingest:
        print(f"ingest scaling: {figures['ingest_scaling']}")
        print(f"spark / ingest articles/s: {figures['spark_vs_ingest']}  "
              f"(ingest + export: {figures['spark_vs_ingest_with_export']})")
        same = all(runs[f"spark {n}"]["rows"] == runs[f"ingest {n}"]["rows"] for n in cores)
        print(f"same attribution rows from both: {same}")
    busy = [f"{b:.0%}" for b in (busy_before, busy_after) if b is not None]
    print(f"other load on the machine before/after: {', '.join(busy) or 'unknown'}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
