"""No input sinks a batch (issue 17): each hostile input of ``fuzz_corpus.py`` (a lone surrogate,
a name that is not UTF-8, gzip bombs, /dev/zero and /dev/urandom, a FIFO, a socket, nested
arrays, a cut WARC, a garbage WARC), beside one good article, gives the good article and one
failure naming the bad input (and its line or record), for ``ingest`` and ``extract``.

The reading tests need no model; the runs beside a good article load it; the command-line
runs (marked slow) check the bar itself: a subprocess per command, no traceback, within 90 s
and 3 GB of address space (``RLIMIT_AS``).
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from fuzz_corpus import CASES, GOOD, GOOD_NAME, Case, shown, write_corpus

from propos.batch import run_extract
from propos.ingest.readers import read_articles
from propos.ingest.runner import ingest
from propos.model import Failure
from propos.read import InputLimits, display_path, lone_surrogate, read_paths
from propos.store.db import connect

TIME_LIMIT_S = 90
ADDRESS_SPACE = 3 * 1024**3
BY_NAME = {case.name: case for case in CASES}
BAD = [case for case in CASES if case.ingest is not None]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("fuzz") / "corpus")


def _failures_of(results) -> dict[str, str]:
    return {r.id: r.reason for r in results if isinstance(r, Failure)}


# --------------------------------------------------------------------------- reading alone


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.name)
def test_ingest_readers_name_the_bad_input(corpus: Path, case: Case) -> None:
    path = corpus / case.name
    failures = _failures_of(read_articles([str(path)]))
    [(where, reason)] = failures.items()
    assert where.startswith(f"{path}{case.where}") and case.ingest.lower() in reason.lower()


@pytest.mark.parametrize("case", [c for c in CASES if c.extract], ids=lambda c: c.name)
def test_extract_reader_names_the_bad_input(corpus: Path, case: Case) -> None:
    [result] = read_paths([str(corpus / case.name)])
    assert isinstance(result, Failure), result
    assert case.extract.lower() in result.reason.lower()


def test_a_name_that_is_not_utf8_is_kept_with_its_bytes_escaped(corpus: Path) -> None:
    path = corpus / "raw\udcff.txt"
    [article] = read_articles([str(path)])
    assert article.location == f"{corpus}/raw\\xff.txt" == shown(str(path))
    assert article.location.encode("utf-8")  # storable, printable
    [document] = read_paths([str(path)])
    assert document.id == "raw\\xff.txt" and "piscine" in document.text
    assert display_path("café.txt") == "café.txt"


def test_limits_are_settable(tmp_path: Path) -> None:
    lines = tmp_path / "dump.jsonl"
    lines.write_text(json.dumps({"text": GOOD}, ensure_ascii=False) + "\n"
                     + json.dumps({"text": GOOD + " " + "x" * 400}) + "\n", encoding="utf-8")
    limits = InputLimits(max_line_bytes=300)
    failures = _failures_of(read_articles([str(lines)], limits))
    assert list(failures) == [f"{lines}:2"] and "line longer than 300 bytes" in failures[
        f"{lines}:2"]
    small = InputLimits(max_document_bytes=100)
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    [failure] = read_paths([str(page)], small)
    assert isinstance(failure, Failure) and "too large" in failure.reason
    results = list(read_paths([str(lines)], small))
    assert len(results) == 2 and all("document too long" in r.reason for r in results)
    with pytest.raises(ValueError, match="at least 1"):
        InputLimits(max_inflate_ratio=0)


def test_a_csv_quote_never_closed_ends_the_file_at_the_field_limit(tmp_path: Path) -> None:
    path = tmp_path / "open.csv"
    path.write_text(f'id,text\n1,"{GOOD}\n' + "bla, bla\n" * 500, encoding="utf-8")
    failures = _failures_of(read_articles([str(path)], InputLimits(max_document_bytes=1000)))
    [(where, reason)] = failures.items()  # not 500 two-field "rows" made of what follows
    assert where.startswith(f"{path}:") and "a quote never closed?" in reason


def test_a_lone_surrogate_in_any_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "meta.jsonl"
    path.write_text(json.dumps({"id": "m", "title": "Crue \udfff", "text": GOOD}) + "\n"
                    + json.dumps({"text": GOOD, "authors": ["A. B.", "\ud800"]}) + "\n",
                    encoding="ascii")
    failures = _failures_of(read_articles([str(path)]))
    assert failures == {
        f"{path}:1": '"title" is not valid Unicode: lone surrogate U+DFFF at character 5',
        f"{path}:2": '"authors" is not valid Unicode: lone surrogate U+D800 at character 0'}


def test_lone_surrogates_are_found() -> None:
    assert lone_surrogate("La maire a dit « oui ».") is None
    assert lone_surrogate("😀 ok") is None  # a real astral character is no surrogate
    assert lone_surrogate("ab\ud800") == "not valid Unicode: lone surrogate U+D800 at character 2"


# --------------------------------------------------------------------------- beside a good one


def _ingest(tmp_path: Path, *paths: Path) -> tuple[object, dict[str, str], set[str]]:
    db = tmp_path / "fuzz.db"
    summary = ingest([str(p) for p in paths], db_path=str(db), workers=1, progress=False)
    conn = connect(db)
    try:
        failures = {r["location"]: r["reason"] for r in conn.execute("SELECT * FROM failures")}
        stored = {r[0] for r in conn.execute("SELECT location FROM articles")}
    finally:
        conn.close()
    return summary, failures, stored


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
@pytest.mark.parametrize("case", BAD, ids=lambda c: c.name)
def test_ingest_stores_the_good_article_beside_each_bad_input(corpus: Path, tmp_path: Path,
                                                              case: Case) -> None:
    bad, good = corpus / case.name, corpus / GOOD_NAME
    summary, failures, stored = _ingest(tmp_path, bad, good)
    assert str(good) in stored
    [(where, reason)] = failures.items()
    assert where.startswith(f"{bad}{case.where}") and case.ingest.lower() in reason.lower()
    conn = connect(tmp_path / "fuzz.db")
    assert [r[0] for r in conn.execute("SELECT status FROM runs")] == ["done"]
    conn.close()


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
def test_ingest_stores_a_file_whose_name_is_not_utf8(corpus: Path, tmp_path: Path) -> None:
    summary, failures, stored = _ingest(tmp_path, corpus / "raw\udcff.txt",
                                        corpus / GOOD_NAME)
    assert failures == {}
    assert stored == {f"{corpus}/raw\\xff.txt", f"{corpus}/{GOOD_NAME}"}


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
@pytest.mark.parametrize("case", [c for c in CASES if c.extract], ids=lambda c: c.name)
def test_extract_gives_the_good_article_beside_each_bad_input(corpus: Path, case: Case
                                                             ) -> None:
    out = io.StringIO()
    reported: list[Failure] = []
    failed = run_extract([str(corpus / case.name), str(corpus / GOOD_NAME)], fmt="jsonl",
                         lang="fr", batch_size=4, out=out, report=reported.append)
    assert failed == 1 and case.extract.lower() in reported[0].reason.lower()
    [document] = [json.loads(line) for line in out.getvalue().splitlines()]
    assert document["id"] == GOOD_NAME and document["attributions"]


# --------------------------------------------------------------------------- the bar, by command


def _bounded() -> None:
    """In the child: at most 3 GB of address space (workers inherit it)."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _propos(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from propos.cli import main; sys.exit(main())",
         *args], capture_output=True, timeout=TIME_LIMIT_S, preexec_fn=_bounded,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_ingest_command_within_time_and_memory(corpus: Path, tmp_path: Path,
                                              workers: str) -> None:
    db = tmp_path / "bar.db"
    run = _propos("ingest", str(corpus), str(corpus / "pipe.txt"), "--db", str(db),
                  "--workers", workers, "--no-progress", "--format", "json")
    stderr = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 0, stderr
    assert "Traceback" not in stderr and "MemoryError" not in stderr
    summary = json.loads(run.stdout)
    conn = connect(db)
    failures = {r["location"]: r["reason"] for r in conn.execute("SELECT * FROM failures")}
    stored = {r[0] for r in conn.execute("SELECT location FROM articles")}
    conn.close()
    assert {f"{corpus}/{GOOD_NAME}", f"{corpus}/raw\\xff.txt"} <= stored
    for case in BAD:
        [reason] = [r for where, r in failures.items()
                    if where.startswith(f"{corpus}/{case.name}{case.where}")]
        assert case.ingest.lower() in reason.lower(), case.name
    assert len(failures) == len(BAD)
    assert summary["failed"] == len(BAD) + 1  # the FIFO was named twice


@pytest.mark.slow
def test_extract_command_within_time_and_memory(corpus: Path) -> None:
    files = sorted(str(corpus / name) for name in os.listdir(corpus))
    run = _propos("extract", *files, str(corpus / "pipe.txt"), "--lang", "fr")
    stderr = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 1, stderr  # some documents failed, the rest were extracted
    assert "Traceback" not in stderr and "MemoryError" not in stderr
    ids = [json.loads(line)["id"] for line in run.stdout.decode("utf-8").splitlines()]
    assert GOOD_NAME in ids and "raw\\xff.txt" in ids
    for case in CASES:
        if case.extract:
            assert case.extract.lower() in stderr.lower(), case.name


def test_standard_input_is_bounded_too() -> None:
    from click.testing import CliRunner

    from propos.cli import main

    result = CliRunner().invoke(main, ["extract", "-", "--max-document-size", "1K"],
                                input="La maire a parlé. " * 200)
    assert result.exit_code == 1 and "<stdin>: too large for one document" in result.output
    lines = CliRunner().invoke(main, ["extract", "-", "--max-line-length", "100"],
                               input=json.dumps({"text": "x" * 200}) + "\n")
    assert lines.exit_code == 1 and "<stdin>:1: line longer than 100 bytes" in lines.output
