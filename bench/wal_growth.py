"""How large the WAL grows while readers never stop: what a web server does during an ingest.

Writes ARTICLES generated French articles (one attribution each) through the store's writer
while READERS threads run queries without pause on read-only connections, and prints the
largest the ``-wal`` file got. ``--checkpoint-every 0`` turns the writer's checkpoints off,
which is how the store behaved before them (issue 17)::

    .venv/bin/python bench/wal_growth.py                        # checkpoints every 25 articles
    .venv/bin/python bench/wal_growth.py --checkpoint-every 0   # none: the WAL grows unbounded
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from ingest_helpers import french_article, quote  # noqa: E402

from propos.dedupe import signature  # noqa: E402
from propos.model import Document  # noqa: E402
from propos.store.db import connect  # noqa: E402
from propos.store.writer import CHECKPOINT_EVERY, Writer, article_for  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--checkpoint-every", type=int, default=CHECKPOINT_EVERY,
                        help="articles between checkpoints (0: never)")
    args = parser.parse_args()

    db = Path(tempfile.mkdtemp(prefix="propos-wal-")) / "wal.db"
    conn = connect(db)
    writer = Writer(conn, checkpoint_every=args.checkpoint_every or 10**12)
    stop = threading.Event()
    peak = 0

    def read() -> None:
        reader = connect(db, readonly=True)
        while not stop.is_set():
            reader.execute("SELECT COUNT(*) FROM attributions a "
                           "JOIN articles b ON b.id = a.article_id").fetchone()
            reader.execute("SELECT id, title FROM articles ORDER BY id DESC LIMIT 20").fetchall()
        reader.close()

    threads = [threading.Thread(target=read) for _ in range(args.readers)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    try:
        for i in range(args.articles):
            title, text = french_article(i, paragraphs=8)
            document = Document(f"a{i}", "fr", text,
                                (quote(text, "Nous avons besoin", "Claire Dumoutier"),))
            writer.write_article(article_for(document, title=title), document, lang="fr",
                                 signature=signature(text))
            peak = max(peak, os.path.getsize(f"{db}-wal"))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    seconds = time.perf_counter() - started
    print(f"{args.articles} articles, {args.readers} readers, checkpoint every "
          f"{args.checkpoint_every or 'never'}: peak WAL {peak / 1e6:.1f} MB, database "
          f"{os.path.getsize(db) / 1e6:.1f} MB, {seconds:.1f} s")
    conn.close()


if __name__ == "__main__":
    main()
