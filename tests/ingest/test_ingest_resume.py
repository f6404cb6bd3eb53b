"""Resume after a kill: SIGKILL an ingest (one worker, and two) in the middle of a batch, run
it again, and the store holds exactly what a clean ingest holds (same export, no duplicates,
no half article).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ingest_helpers import table_count, write_jsonl_corpus

from propos.ingest.runner import ingest
from propos.store.db import connect
from propos.store.export import export

TOTAL = 240


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from propos.cli import main; sys.exit(main())",
            *args]


def _committed(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _export(db: Path, out: Path) -> str:
    conn = connect(db)
    try:
        export(conn, "jsonl", str(out))
    finally:
        conn.close()
    return out.read_text(encoding="utf-8")


def _assert_whole_articles(db: Path) -> None:
    """Every stored article has all its attributions, index rows and bands, or is absent."""
    conn = connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for article_id, expected, actual in conn.execute(
                "SELECT a.id, a.n_attributions, COUNT(t.id) FROM articles a "
                "LEFT JOIN attributions t ON t.article_id = a.id GROUP BY a.id"):
            assert expected == actual, f"article {article_id} is half-written"
        assert table_count(conn, "quotes_fts") == table_count(conn, "attributions")
        bands = conn.execute("SELECT COUNT(DISTINCT article_id) FROM minhash_bands").fetchone()[0]
        assert bands == table_count(conn, "articles")
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to follow processes")
@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigkill_mid_batch_then_resume_equals_clean_run(tmp_path: Path, workers: str) -> None:
    corpus = write_jsonl_corpus(tmp_path / "corpus", TOTAL)
    (corpus / "bad.jsonl").write_text('{"oops\n', encoding="utf-8")

    clean_db = tmp_path / "clean.db"
    clean = ingest([str(corpus)], db_path=str(clean_db), workers=1, progress=False)
    assert (clean.new, clean.failed) == (TOTAL, 1)

    killed_db = tmp_path / "killed.db"
    process = subprocess.Popen(_cli("ingest", str(corpus), "--db", str(killed_db),
                                    "--workers", workers, "--no-progress"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while _committed(killed_db) < 20:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "ingest did not start committing"
            time.sleep(0.02)
        children = _children(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    done = _committed(killed_db)
    assert 20 <= done < TOTAL, f"kill came too late ({done} of {TOTAL}): the test is vacuous"
    _assert_whole_articles(killed_db)

    # The orphaned workers notice their parent is gone and exit.
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in children), "worker processes outlived a killed ingest"

    resumed = subprocess.run(_cli("ingest", str(corpus), "--db", str(killed_db), "--workers",
                                  "1", "--no-progress", "--format", "json"),
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    import json

    summary = json.loads(resumed.stdout)
    assert summary["present"] == done
    assert summary["new"] == TOTAL - done
    _assert_whole_articles(killed_db)

    conn = connect(killed_db)
    assert table_count(conn, "articles") == TOTAL
    assert conn.execute("SELECT COUNT(DISTINCT hash) FROM articles").fetchone()[0] == TOTAL
    assert [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY id")] == \
        ["running", "done"], "the killed run stays visible as never finished"
    assert conn.execute("SELECT times FROM failures").fetchone()[0] >= 1
    conn.close()

    assert _export(killed_db, tmp_path / "killed.jsonl") == \
        _export(clean_db, tmp_path / "clean.jsonl")
