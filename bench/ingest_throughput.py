"""Ingest throughput: articles/s with one worker and with every core, against bare extraction.

``propos ingest`` adds reading, language detection, hashing, near-duplicate signatures and
one SQLite transaction per article to extraction. This script measures what that costs and
how it scales:

1. generates a corpus of French news articles (``--articles``, default 2,000) from templates
   below: 60 % in JSONL dumps, 30 % as .txt files, 10 % as .html pages;
2. ingests it into a fresh database with ``--workers 1``, then with every core;
3. runs bare ``propos.extract_many`` over the very texts the first ingest stored, in one
   process (the yardstick for one worker) and with ``n_process`` = every core;
4. reports articles/s for each (model loading excluded: it is timed apart), the scaling ratio
   (all cores / one worker), ingest/extract ratios, and peak memory of the whole process tree
   (sum of PSS, which splits pages shared between forked workers fairly; and the sum of RSS).

Each run is a separate child process, so memory figures do not leak from one to the next.

    .venv/bin/python bench/ingest_throughput.py                    # 2,000 articles
    .venv/bin/python bench/ingest_throughput.py --articles 500 --json ingest.json
    .venv/bin/python bench/ingest_throughput.py --check            # exit 1 when off target

Targets: scaling ≥ 0.8 × cores (near-linear), and ingest with one worker ≥ 0.75 × bare
extract speed (within 25 %).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

TARGET_SCALING = 0.8   # speed-up ≥ 0.8 × cores
TARGET_OVERHEAD = 0.75  # ingest speed ≥ 0.75 × bare extract speed

FIRST = [("Claire", "f"), ("Hélène", "f"), ("Nadia", "f"), ("Sophie", "f"), ("Anne", "f"),
         ("Lucie", "f"), ("Camille", "f"), ("Marc", "m"), ("Paul", "m"), ("Julien", "m"),
         ("Bruno", "m"), ("Thomas", "m"), ("Karim", "m"), ("Yves", "m")]
LAST = ["Dumoutier", "Garnier", "Cherif", "Lemaire", "Morel", "Favre", "Olivier", "Roche",
        "Lacaze", "Keller", "Benali", "Perrin", "Vasseur", "Marchand", "Berthier", "Delorme"]
ROLES = {"f": ["la maire", "la ministre de la Transition rurale", "la déléguée syndicale",
               "la directrice de l'hôpital", "la présidente de l'association",
               "la préfète", "la porte-parole du collectif"],
         "m": ["le maire", "le ministre de l'Agriculture", "le délégué syndical",
               "le directeur du site", "le président du club", "le préfet",
               "le porte-parole de l'intersyndicale"]}
TOWNS = ["Villeneuve-sur-Lère", "Saint-Aubin-des-Prés", "Montrevel", "Castelnau-le-Vieux",
         "Pont-Sainte-Marie", "Beaulieu-sur-Dore", "Vauclair", "Les Ormeaux", "Roche-Vive"]
TOPICS = [("le budget municipal", "la hausse de la taxe foncière"),
          ("la crue de la Lère", "le rehaussement de la digue"),
          ("la fermeture de l'usine", "le plan de reclassement"),
          ("le nouveau collège", "le calendrier des travaux"),
          ("la ligne de bus", "la hausse des tarifs"),
          ("les urgences de l'hôpital", "le manque de médecins"),
          ("le marché couvert", "la rénovation des halles"),
          ("la sécheresse", "les restrictions d'eau")]
BODIES = ["la préfecture", "l'agence régionale de santé", "la direction", "le syndicat agricole",
          "la chambre de commerce", "le conseil départemental", "l'inspection académique"]
SAID = ["a déclaré", "a affirmé", "a expliqué", "a assuré", "a souligné", "a indiqué",
        "a estimé", "a prévenu"]
INCISE = ["a-t-{p} ajouté", "a-t-{p} précisé", "a-t-{p} insisté", "a-t-{p} lancé",
          "a-t-{p} souligné"]
QUOTES = ["Nous ne céderons pas sur {b}", "La situation est sérieuse mais maîtrisée",
          "Les habitants attendent des réponses concrètes sur {a}",
          "Il faudra au moins {n} millions d'euros pour {b}",
          "Personne ne sera laissé seul face à {a}", "Nous avons été entendus, enfin",
          "Ce dossier traîne depuis {y} ans, c'est inacceptable",
          "L'État doit prendre ses responsabilités"]
CLAUSES = ["les travaux commenceraient avant l'été", "{b} serait votée en mars",
           "la commune ne pouvait plus attendre", "les aides arriveraient d'ici à la fin du mois",
           "{n} familles étaient concernées par {a}",
           "aucune décision n'avait encore été prise"]


def article(index: int) -> dict[str, str]:
    """One distinct ~250-word French news article, deterministic per index."""
    rng = random.Random(index)
    town = rng.choice(TOWNS)
    topic, detail = rng.choice(TOPICS)
    people = []
    for _ in range(3):
        first, gender = rng.choice(FIRST)
        people.append((f"{first} {rng.choice(LAST)}", gender, rng.choice(ROLES[gender])))

    def fill(template: str) -> str:
        return template.format(a=topic, b=detail, n=rng.randint(2, 90), y=rng.randint(2, 15))

    day = rng.choice(["lundi", "mardi", "mercredi", "jeudi", "vendredi"])
    paragraphs = [f"{town.upper()} – Le dossier de {topic} a de nouveau animé les débats "
                  f"{day} à {town}, où {rng.randint(40, 400)} personnes s'étaient réunies "
                  f"à l'appel de plusieurs associations (dépêche n° {index})."]
    for name, gender, role in people:
        pronoun = "elle" if gender == "f" else "il"
        paragraphs.append(
            f"« {fill(rng.choice(QUOTES))} », {rng.choice(SAID)} {role}, {name}, devant la "
            f"presse. « {fill(rng.choice(QUOTES))} », "
            f"{rng.choice(INCISE).format(p=pronoun)}. {pronoun.capitalize()} "
            f"{rng.choice(SAID)} que {fill(rng.choice(CLAUSES))}.")
    body = rng.choice(BODIES)
    paragraphs.append(f"Selon {body}, {fill(rng.choice(CLAUSES))}. Une source proche du "
                      f"dossier a indiqué que {fill(rng.choice(CLAUSES))}, sans plus de "
                      f"précisions.")
    paragraphs.append(f"Une nouvelle réunion est prévue le {rng.randint(1, 28)} du mois "
                      f"prochain à la mairie de {town}.")
    return {"id": f"bench-{index}", "title": f"{town} : {topic}, {detail} en débat",
            "date": f"2024-{1 + index % 12:02d}-{1 + index % 28:02d}", "source": "Bench",
            "text": "\n\n".join(paragraphs)}


def generate(folder: Path, count: int) -> None:
    """60 % JSONL (dumps of 200), 30 % .txt, 10 % .html."""
    folder.mkdir(parents=True, exist_ok=True)
    dump: list[str] = []
    for i in range(count):
        record = article(i)
        slot = i % 10
        if slot < 6:
            dump.append(json.dumps(record, ensure_ascii=False))
            if len(dump) == 200:
                (folder / f"dump-{i:06d}.jsonl").write_text("\n".join(dump) + "\n", "utf-8")
                dump = []
        elif slot < 9:
            (folder / f"article-{i:06d}.txt").write_text(
                record["title"] + "\n\n" + record["text"], encoding="utf-8")
        else:
            paragraphs = "".join(f"<p>{p}</p>" for p in record["text"].split("\n\n"))
            (folder / f"page-{i:06d}.html").write_text(
                f"<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
                f"<title>{record['title']}</title><meta name=\"date\" content=\""
                f"{record['date']}\"></head><body><nav><a href=\"/\">Accueil</a></nav>"
                f"<article><h1>{record['title']}</h1>{paragraphs}</article>"
                f"<footer>Mentions légales</footer></body></html>", encoding="utf-8")
    if dump:
        (folder / "dump-last.jsonl").write_text("\n".join(dump) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- children


def _cpu_seconds() -> float:
    """User + system CPU time of this process and of its reaped children (pool workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child_ingest(corpus: str, db: str, workers: int) -> dict[str, Any]:
    import propos
    from propos.ingest.runner import ingest

    started = time.perf_counter()
    propos.load("fr")  # before the CPU clock starts; ingest's own preload is then a no-op
    load_seconds = time.perf_counter() - started
    cpu = _cpu_seconds()
    summary = ingest([corpus], db_path=db, workers=workers, progress=False)
    return {**summary.to_dict(), "load_seconds": load_seconds,
            "cpu_seconds": _cpu_seconds() - cpu}


def child_extract(db: str, n_process: int, batch_size: int) -> dict[str, Any]:
    import sqlite3

    import propos

    texts = [(str(i), t) for i, t in sqlite3.connect(db).execute(
        "SELECT id, text FROM articles WHERE status = 'extracted' ORDER BY id")]
    started = time.perf_counter()
    propos.load("fr")
    load_seconds = time.perf_counter() - started
    cpu = _cpu_seconds()
    started = time.perf_counter()
    count = attributions = 0
    for result in propos.extract_many(texts, batch_size=batch_size, n_process=n_process):
        count += 1
        attributions += len(getattr(result, "attributions", ()))
    seconds = time.perf_counter() - started
    return {"read": count, "attributions": attributions, "seconds": seconds,
            "load_seconds": load_seconds, "rate": count / seconds,
            "cpu_seconds": _cpu_seconds() - cpu}


def stages(corpus: Path, db: Path) -> dict[str, float]:
    """CPU ms per article of each ingest stage, run one after the other in this process.

    CPU time, unlike wall time, barely depends on what else the machine runs, so this
    attributes the ingest overhead reliably even on a shared machine.
    """
    import propos
    from propos.dedupe import signature
    from propos.langdetect import detect_language
    from propos.ingest.readers import RawItem, parse_item, scan
    from propos.store.db import connect
    from propos.store.speakers import rebuild_directory
    from propos.store.writer import Writer

    def cpu() -> float:
        times = os.times()
        return times.user + times.system

    out: dict[str, float] = {}
    items = [item for item, _ in scan([str(corpus)]) if isinstance(item, RawItem)]
    n = len(items)
    pipeline = propos.load("fr")
    detect_language("Bonjour à tous, ceci est un essai.")  # load the detector's models
    start = cpu()
    articles = [parse_item(item) for item in items]
    out["read + parse (HTML: trafilatura)"] = cpu() - start
    start = cpu()
    _ = [a.hash for a in articles]  # type: ignore[union-attr]
    out["content hash"] = cpu() - start
    start = cpu()
    _ = [detect_language(a.text) for a in articles]  # type: ignore[union-attr]
    out["language detection"] = cpu() - start
    start = cpu()
    signatures = [signature(a.text) for a in articles]  # type: ignore[union-attr]
    out["MinHash signature"] = cpu() - start
    start = cpu()
    documents = list(pipeline.extract_many(
        [(str(i), a.text) for i, a in enumerate(articles)], batch_size=16))  # type: ignore
    out["extraction (propos.extract_many)"] = cpu() - start
    conn = connect(db)
    writer = Writer(conn)
    start = cpu()
    for article, document, sig in zip(articles, documents, signatures):
        writer.write_article(article, document, lang="fr", signature=sig)  # type: ignore
    out["store: one transaction per article"] = cpu() - start
    start = cpu()
    rebuild_directory(conn)
    out["speaker directory rebuild"] = cpu() - start
    return {name: round(1000 * seconds / n, 2) for name, seconds in out.items()}


# --------------------------------------------------------------------------- memory


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, ()))
    return out


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in kB of one process, from /proc (0, 0 when it is gone)."""
    pss = rss = 0
    try:
        for line in (Path("/proc") / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def background_load(seconds: float = 2.0) -> float | None:
    """Share of all CPUs busy while this script idles: other work on a shared machine skews
    every figure, so each run reports it."""
    def ticks() -> list[int]:
        return [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]

    try:
        before = ticks()
        time.sleep(seconds)
        delta = [b - a for a, b in zip(before, ticks())]
    except OSError:
        return None
    total = sum(delta)
    return (total - delta[3] - delta[4]) / total if total else None


def _cpu_ticks(pid: int) -> int:
    """utime + stime of one process, in clock ticks (0 when it is gone)."""
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def run_script(script: str, args: list[str]) -> tuple[dict[str, Any], float, float, float, float]:
    """Run a bench script as a child; returns (its JSON result, wall s, CPU s of the process
    tree, peak PSS MB of the tree, peak RSS MB of the tree)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, script, *args], stdout=subprocess.PIPE,
                               text=True)
    cpu: dict[int, int] = {}
    peak = [0, 0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            totals = [0, 0]
            for pid in _tree(process.pid):
                cpu[pid] = max(cpu.get(pid, 0), _cpu_ticks(pid))
                pss, rss = _memory(pid)
                totals[0] += pss
                totals[1] += rss
            peak[0], peak[1] = max(peak[0], totals[0]), max(peak[1], totals[1])
            stop.wait(0.2)

    thread = threading.Thread(target=sample, daemon=True)
    if Path("/proc").is_dir():
        thread.start()
    out, _ = process.communicate()
    stop.set()
    if process.returncode:
        raise SystemExit(f"child {args[:2]} failed with code {process.returncode}")
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    return (json.loads(out.strip().splitlines()[-1]), time.perf_counter() - started,
            sum(cpu.values()) / ticks, peak[0] / 1024, peak[1] / 1024)


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="the 'all cores' run (default: every core)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--stages", action="store_true",
                        help="only profile each ingest stage's CPU time per article")
    parser.add_argument("--child", choices=["ingest", "extract"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "ingest":
        print(json.dumps(child_ingest(args.corpus, args.db, args.n)))
        return 0
    if args.child == "extract":
        print(json.dumps(child_extract(args.db, args.n, args.batch_size)))
        return 0

    cores = max(1, args.workers)
    if args.stages:
        with tempfile.TemporaryDirectory(prefix="propos-bench-") as tmp:
            generate(Path(tmp) / "corpus", args.articles)
            costs = stages(Path(tmp) / "corpus", Path(tmp) / "stages.db")
        extraction = costs["extraction (propos.extract_many)"]
        overhead = sum(costs.values()) - extraction
        for name, ms in costs.items():
            print(f"{name:<40}{ms:>8.2f} CPU ms/article")
        print(f"{'ingest overhead over extraction':<40}{overhead:>8.2f} CPU ms/article "
              f"({overhead / extraction:.1%})")
        if args.json:
            Path(args.json).write_text(json.dumps(costs, indent=2) + "\n", encoding="utf-8")
        return 0
    with tempfile.TemporaryDirectory(prefix="propos-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        generate(corpus, args.articles)
        size = sum(p.stat().st_size for p in corpus.iterdir())
        print(f"corpus: {args.articles} articles, {size / 1e6:.1f} MB, in {corpus}",
              file=sys.stderr)
        runs: dict[str, dict[str, Any]] = {}
        plan = [("ingest, 1 worker", ["--child", "ingest", "--corpus", str(corpus), "--db",
                                      f"{tmp}/w1.db", "--n", "1"]),
                (f"ingest, {cores} workers", ["--child", "ingest", "--corpus", str(corpus),
                                              "--db", f"{tmp}/wn.db", "--n", str(cores)]),
                ("bare extract_many, 1 process", ["--child", "extract", "--db", f"{tmp}/w1.db",
                                                  "--n", "1"]),
                (f"bare extract_many, {cores} processes",
                 ["--child", "extract", "--db", f"{tmp}/w1.db", "--n", str(cores)])]
        for label, child_args in plan:
            busy = background_load()
            print(f"running: {label} (machine busy before: "
                  f"{'?' if busy is None else f'{busy:.0%}'}) …", file=sys.stderr)
            result, wall, _, pss, rss = run_script(__file__, child_args + ["--batch-size",
                                                             str(args.batch_size)])
            runs[label] = {**result, "wall_seconds": round(wall, 2),
                           "peak_pss_mb": round(pss), "peak_rss_sum_mb": round(rss),
                           "busy_before": None if busy is None else round(busy, 2)}
    w1, wn, e1, en = (runs[label] for label, _ in plan)
    figures = {
        "articles": args.articles, "cores": cores, "cpu": platform.processor() or
        platform.machine(), "python": platform.python_version(), "runs": runs,
        "scaling": round(wn["rate"] / w1["rate"], 2),
        # What the machine gives spaCy itself with more processes: the ceiling for ingest.
        "extract_scaling": round(en["rate"] / e1["rate"], 2),
        "ingest_vs_extract_1": round(w1["rate"] / e1["rate"], 2),
        "ingest_vs_extract_n": round(wn["rate"] / en["rate"], 2),
    }
    # CPU time per article does not depend on what else the machine runs: on a shared or
    # busy machine it is the figure to trust. Parallel efficiency 1.0 = the work costs the
    # same spread over N workers as in one (wall-clock scaling then only needs free cores).
    for run in runs.values():
        run["cpu_ms_per_article"] = round(1000 * run["cpu_seconds"] / max(1, run["read"]), 1)
    figures["cpu_ingest_vs_extract_1"] = round(e1["cpu_seconds"] / w1["cpu_seconds"], 2)
    figures["cpu_parallel_efficiency"] = round(w1["cpu_seconds"] / wn["cpu_seconds"], 2)
    print(f"\n{'run':<34}{'articles/s':>11}{'seconds':>9}{'CPU ms/art':>11}{'load s':>8}"
          f"{'peak PSS MB':>13}{'peak RSS MB':>13}{'busy before':>13}")
    for label, run in runs.items():
        busy = "?" if run["busy_before"] is None else f"{run['busy_before']:.0%}"
        print(f"{label:<34}{run['rate']:>11.1f}{run['seconds']:>9.1f}"
              f"{run['cpu_ms_per_article']:>11.1f}{run['load_seconds']:>8.1f}"
              f"{run['peak_pss_mb']:>13}{run['peak_rss_sum_mb']:>13}{busy:>13}")
    print(f"\nscaling, {cores} workers / 1 worker:     {figures['scaling']:.2f}  "
          f"(target ≥ {TARGET_SCALING * cores:.2f}, near-linear)")
    print(f"bare extract scaling, {cores} / 1:       {figures['extract_scaling']:.2f}  "
          f"(what this machine gives spaCy itself)")
    print(f"ingest / bare extract, 1 process:  {figures['ingest_vs_extract_1']:.2f}  "
          f"(target ≥ {TARGET_OVERHEAD})")
    print(f"ingest / bare extract, {cores} processes: {figures['ingest_vs_extract_n']:.2f}")
    print(f"CPU per article, bare extract / ingest (1 process): "
          f"{figures['cpu_ingest_vs_extract_1']:.2f}  (target ≥ {TARGET_OVERHEAD})")
    print(f"CPU parallel efficiency, 1 worker / {cores} workers: "
          f"{figures['cpu_parallel_efficiency']:.2f}  (1.0: no cost from parallelism)")
    print(f"attributions: ingest {w1['attributions']}, extract {e1['attributions']}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    ok = (figures["scaling"] >= TARGET_SCALING * cores if cores > 1 else True) and \
        figures["ingest_vs_extract_1"] >= TARGET_OVERHEAD
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
