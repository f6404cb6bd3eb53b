"""The store under faults (issue 17): an export killed mid-way leaves no truncated file and its
hidden temporary file is removed by the next export; exported files get the umask's mode; the
WAL stays bounded while readers never stop (a server during an ingest); two ingests into one
database at once lose and duplicate nothing. (Kill-and-resume of an ingest:
``test_ingest_resume.py``.)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from ingest_helpers import french_article, quote, table_count, write_jsonl_corpus

from propos.dedupe import signature
from propos.model import Document
from propos.store.db import connect
from propos.store.export import TEMP_PREFIX, export, remove_stale_temporaries
from propos.store.writer import Writer, article_for


def _write_corpus(db: Path, count: int, writer_options: dict | None = None) -> Writer:
    conn = connect(db)
    writer = Writer(conn, **(writer_options or {}))
    for i in range(count):
        title, text = french_article(i, paragraphs=6)
        document = Document(f"a{i}", "fr", text,
                            (quote(text, "Nous avons besoin", "Claire Dumoutier"),))
        writer.write_article(article_for(document, title=title, date="2024-03-05"), document,
                             lang="fr", signature=signature(text))
    return writer


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("faults") / "small.db"
    _write_corpus(db, 40).conn.close()
    return db


def _export(db: Path, out: Path, fmt: str = "jsonl") -> int:
    conn = connect(db)
    try:
        return export(conn, fmt, str(out))
    finally:
        conn.close()


# --------------------------------------------------------------------------- export


SLOW_EXPORT = """
import sys, time
import propos.store.export as e
from propos.store.db import connect
rows = e.rows
e.rows = lambda conn: (time.sleep(0.05) or row for row in rows(conn))
e.export(connect(sys.argv[1]), sys.argv[3], sys.argv[2])
"""


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_killed_export_leaves_no_truncated_file_and_its_temp_is_removed(
        small_db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"quotes.{fmt}"
    _export(small_db, out, fmt)
    complete = out.read_bytes()
    process = subprocess.Popen([sys.executable, "-c", SLOW_EXPORT, str(small_db), str(out),
                                fmt])
    deadline = time.monotonic() + 60
    while not [n for n in os.listdir(tmp_path) if n.startswith(TEMP_PREFIX)]:
        assert process.poll() is None and time.monotonic() < deadline, "no export started"
        time.sleep(0.01)
    time.sleep(0.3)  # some rows written to the temporary file
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    [left] = [n for n in os.listdir(tmp_path) if n.startswith(TEMP_PREFIX)]
    assert left.startswith(f"{TEMP_PREFIX}{process.pid}-")
    assert out.read_bytes() == complete, "the previous export was replaced by a partial one"

    assert _export(small_db, out, fmt) == 40
    assert [n for n in os.listdir(tmp_path) if n.startswith(TEMP_PREFIX)] == []
    assert out.read_bytes() == complete


def test_a_running_exports_temp_file_is_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-abc"  # this process is alive
    mine.write_text("in progress")
    old_style = tmp_path / f"{TEMP_PREFIX}k2j4h5"  # no pid: removed once an hour old
    old_style.write_text("?")
    assert remove_stale_temporaries(str(tmp_path)) == []
    os.utime(old_style, (time.time() - 7200, time.time() - 7200))
    assert remove_stale_temporaries(str(tmp_path)) == [old_style.name]
    assert mine.exists()


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_exports_get_the_umasks_mode(small_db: Path, tmp_path: Path, umask: int,
                                     mode: int) -> None:
    previous = os.umask(umask)
    try:
        for fmt in ("jsonl", "csv", "parquet"):
            out = tmp_path / f"quotes.{fmt}"
            _export(small_db, out, fmt)
            assert out.stat().st_mode & 0o777 == mode, fmt
    finally:
        os.umask(previous)


def test_an_export_over_a_file_keeps_its_mode(small_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "private.jsonl"
    out.write_text("")
    out.chmod(0o600)
    _export(small_db, out)
    assert out.stat().st_mode & 0o777 == 0o600 and out.read_text().count("\n") == 40


# --------------------------------------------------------------------------- WAL


def test_the_wal_stays_bounded_while_readers_never_stop(tmp_path: Path) -> None:
    db = tmp_path / "wal.db"
    connect(db).close()
    stop = threading.Event()
    peak = 0

    def read() -> None:  # what a web server's threads do between requests, without pause
        conn = connect(db, readonly=True)
        while not stop.is_set():
            conn.execute("SELECT COUNT(*) FROM attributions a "
                         "JOIN articles b ON b.id = a.article_id").fetchone()
        conn.close()

    def watch() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                peak = max(peak, os.path.getsize(f"{db}-wal"))
            except OSError:
                pass
            time.sleep(0.005)

    threads = [threading.Thread(target=t) for t in (read, read, watch)]
    for thread in threads:
        thread.start()
    try:
        writer = _write_corpus(db, 250)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    # 250 articles write ~45 MB of log; checkpoints every 25 keep it to a few MB.
    assert peak < 16 * 1024 * 1024, f"WAL grew to {peak / 1e6:.1f} MB"
    assert table_count(writer.conn, "articles") == 250
    writer.conn.close()


# --------------------------------------------------------------------------- concurrent ingests


@pytest.mark.slow
def test_two_ingests_into_one_database_at_once_lose_nothing(tmp_path: Path) -> None:
    corpus = write_jsonl_corpus(tmp_path / "corpus", 60, per_file=20)
    db = tmp_path / "shared.db"
    command = [sys.executable, "-c", "import sys; from propos.cli import main; sys.exit(main())",
               "ingest", str(corpus), "--db", str(db), "--workers", "1", "--no-progress",
               "--format", "json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)]
    summaries = []
    for run in runs:
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr.decode()
        summaries.append(json.loads(stdout))
    assert all(s["new"] + s["present"] == 60 and s["failed"] == 0 for s in summaries)
    assert sum(s["new"] for s in summaries) == 60
    conn = connect(db)
    assert table_count(conn, "articles") == 60
    assert conn.execute("SELECT COUNT(DISTINCT hash) FROM articles").fetchone()[0] == 60
    assert table_count(conn, "attributions") == conn.execute(
        "SELECT SUM(n_attributions) FROM articles").fetchone()[0]
    assert [r[0] for r in conn.execute("SELECT status FROM runs")] == ["done", "done"]
    conn.close()
