"""How statement grouping grows with the corpus: 10k, 30k and 100k attributions.

A synthetic corpus (fixed seed) of quotes by many speakers, about a third of them copies of
an earlier statement of the same speaker (verbatim, shortened, one word changed, or an
indirect report), is grouped twice per size, each time on one core:

- **memory**: :func:`propos.provenance.group_statements`, what the Spark job runs;
- **store**: :func:`propos.store.provenance.update_quote_groups` over a SQLite store holding
  the same attributions, what ``propos ingest`` runs (candidates from ``quote_bands``).

It prints seconds, attributions/s and the growth exponent between sizes (time ∝ n^k:
1.0 is linear), and checks that both give the same groups.

    .venv/bin/python bench/provenance.py                       # 10k, 30k, 100k
    .venv/bin/python bench/provenance.py --sizes 2000 5000 --json out.json
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from propos.provenance import Statement, group_statements
from propos.store.db import connect, set_meta, transaction
from propos.store.provenance import update_quote_groups

COPY_SHARE = 0.35
QUOTES_PER_SPEAKER = 40


def corpus(n: int, seed: int = 15) -> list[Statement]:
    """``n`` quotes in ingest order; dates spread over a year, copies near their original."""
    rng = random.Random(seed)
    vocabulary = [f"mot{i}" for i in range(6000)] + ["nous", "ne", "pas", "le", "la", "les",
                                                     "de", "des", "et", "à", "un", "une"]
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]  # Zipf-like
    speakers = max(1, n // QUOTES_PER_SPEAKER)
    said: dict[int, list[list[str]]] = {}
    out: list[Statement] = []
    for number in range(1, n + 1):
        speaker = rng.randrange(speakers)
        day = (number // 3 * 7919) % 365  # one date per article (three quotes each)
        earlier = said.get(speaker)
        kind = "direct"
        if earlier and rng.random() < COPY_SHARE:
            words = list(rng.choice(earlier))
            variant = rng.random()
            if variant < 0.25 and len(words) > 8:
                start = rng.randrange(len(words) - 6)
                words = words[start:start + rng.randint(5, len(words) - start)]
            elif variant < 0.5:
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            elif variant < 0.6:
                kind = "indirect"
                words = words[1:]
        else:
            words = rng.choices(vocabulary, weights, k=rng.randint(8, 25))
            said.setdefault(speaker, []).append(words)
        date = f"2025-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}"
        out.append(Statement(number, f"article{number // 3:08d}", number % 3,
                             f"speaker {speaker}", kind, " ".join(words), date))
    return out


def store_of(statements: list[Statement], path: Path) -> sqlite3.Connection:
    """A store holding ``statements`` as attributions (one name per speaker, no directory)."""
    conn = connect(path)
    with transaction(conn):
        names: dict[str, int] = {}
        articles: dict[str, int] = {}
        for s in statements:
            if s.article not in articles:
                articles[s.article] = conn.execute(
                    "INSERT INTO articles (hash, doc_id, date, lang, status, path, location, "
                    "format, text, ingested_at) VALUES (?, ?, ?, 'fr', 'extracted', 'bench', "
                    "'bench', 'bench', '', '')", (s.article, s.article, s.date)).lastrowid
            if s.speaker not in names:
                names[s.speaker] = conn.execute("INSERT INTO names (name) VALUES (?)",
                                                (s.speaker,)).lastrowid
            conn.execute(
                "INSERT INTO attributions (id, article_id, seq, kind, content, content_start, "
                "content_end, name_id, speaker_name, speaker_type, confidence, rule) "
                "VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, 'person', 0.9, 'bench')",
                (s.id, articles[s.article], s.seq, s.kind, s.text, len(s.text),
                 names[s.speaker], s.speaker))
        set_meta(conn, "directory_stale", "0")
    return conn


def run(sizes: list[int]) -> list[dict[str, float]]:
    results = []
    for n in sizes:
        statements = corpus(n)
        started = time.perf_counter()
        in_memory = group_statements(statements)
        memory_s = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as folder:
            conn = store_of(statements, Path(folder) / "bench.db")
            started = time.perf_counter()
            update_quote_groups(conn)
            store_s = time.perf_counter() - started
            stored = {row[0]: (row[1], row[2]) for row in conn.execute(
                "SELECT m.attribution_id, g.key, m.wording FROM quote_members m "
                "JOIN quote_groups g ON g.id = m.group_id")}
            conn.close()
        same = stored == {i: (m.group, m.wording) for i, m in in_memory.items()}
        groups = len({m.group for m in in_memory.values()})
        results.append({"attributions": n, "groups": groups, "memory_s": round(memory_s, 2),
                        "store_s": round(store_s, 2), "same_groups": same})
        print(f"{n:>8,} attributions  {groups:>8,} groups  memory {memory_s:7.1f}s "
              f"({n / memory_s:8,.0f}/s)  store {store_s:7.1f}s ({n / store_s:8,.0f}/s)  "
              f"same groups: {same}", flush=True)
    for a, b in zip(results, results[1:]):
        ratio = math.log(b["attributions"] / a["attributions"])
        print(f"growth {a['attributions']:,} → {b['attributions']:,}: memory n^"
              f"{math.log(b['memory_s'] / a['memory_s']) / ratio:.2f}, store n^"
              f"{math.log(b['store_s'] / a['store_s']) / ratio:.2f}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    results = run(args.sizes)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if all(r["same_groups"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
