"""propos on Apache Spark: the same rows as ``propos ingest`` + ``propos export``.

Spark runs in ``local[2]`` mode (one session for the module) over a small corpus built here:
the sample corpus (JSONL, CSV, HTML, text, an English article, a wire copy), generated JSONL
dumps with an exact copy of an article, a gzipped WARC with HTML responses, and bad inputs
(malformed and empty lines, an unsupported file). The rows Spark writes must equal, column
for column and type for type, those of an ingest + Parquet export of the same files; a
second run over the same input must add nothing; a run over more input must add only it.

Skipped, with the reason, when pyspark (``pip install -e '.[spark]'``) or a Java runtime
(``make java``: Debian's openjdk-17-jre-headless) is missing.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from propos.spark import pyspark_available


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return os.path.join(home, "bin", "java")
    return shutil.which("java")


_REASON = None
if not pyspark_available():
    _REASON = "pyspark is not installed: pip install -e '.[spark]'"
elif _java() is None:
    _REASON = ("no Java runtime for Spark: `make java` installs Debian's "
               "openjdk-17-jre-headless")
needs_spark = pytest.mark.skipif(_REASON is not None, reason=_REASON or "")
pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "corpus"

_PEOPLE = [("Claire", "Dumoutier", "la maire"), ("Marc", "Olivier", "le conseiller"),
           ("Nadia", "Cherif", "la déléguée syndicale"), ("Bruno", "Lacaze", "le directeur"),
           ("Sophie", "Lemaire", "la présidente"), ("Julien", "Roche", "l'adjoint")]
_TOWNS = ["Montrevel", "Castelnau-le-Vieux", "Pont-Sainte-Marie", "Vauclair"]
_TOPICS = ["le budget", "la piscine municipale", "la ligne de bus", "le marché couvert"]


def article(index: int) -> dict[str, str]:
    """A short French news item with direct and indirect quotes, distinct per index."""
    rng = random.Random(1000 + index)
    town, topic = rng.choice(_TOWNS), rng.choice(_TOPICS)
    first, last, role = rng.choice(_PEOPLE)
    other = rng.choice([p for p in _PEOPLE if p[1] != last])
    text = (f"Le conseil municipal de {town} a examiné le dossier de {topic} (séance {index}).\n\n"
            f"« Nous avons besoin de {rng.randint(2, 90)}000 euros pour {topic} », a déclaré "
            f"{role}, {first} {last}. Selon {other[0]} {other[1]}, le chantier pourrait "
            f"débuter dans {rng.randint(2, 30)} mois.\n\n"
            f"{other[2].capitalize()} a affirmé que la commune ne pouvait plus attendre.")
    return {"id": f"gen-{index}", "title": f"{town} : {topic}",
            "date": f"2024-04-{1 + index % 3:02d}", "source": "Test", "text": text}


def _page(title: str, body: str, date: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{title}"
            f"</title><meta name=\"date\" content=\"{date}\"></head><body><nav>Accueil</nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article><footer>Mentions légales"
            f"</footer></body></html>").encode("utf-8")


def write_warc(path: Path, records: list[dict[str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i, record in enumerate(records):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://journal.example/{i}", "response",
                payload=io.BytesIO(_page(record["title"], record["text"], record["date"])),
                http_headers=http, warc_headers_dict={"WARC-Date": "2024-05-02T08:00:00Z"}))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://journal.example/logo.png", "response", payload=io.BytesIO(b"\x89PNG"),
            http_headers=image))


def make_corpus(root: Path) -> Path:
    """~20 articles in every format, with a copy, a near-copy and bad inputs."""
    corpus = root / "corpus"
    shutil.copytree(SAMPLE, corpus)
    generated = [article(i) for i in range(6)]
    lines = [json.dumps(r, ensure_ascii=False) for r in generated[:4]]
    lines.insert(2, "{not json")
    lines.insert(3, "")
    lines.append(json.dumps({"id": "empty", "text": "   "}))
    (corpus / "gen").mkdir()
    (corpus / "gen" / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # An exact copy (other id, other file, later in the scan): the first copy's metadata wins.
    copy = dict(generated[0], id="gen-0-copy", source="Copie")
    with gzip.open(corpus / "gen" / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(copy, ensure_ascii=False) + "\n")
        handle.write(json.dumps(generated[4], ensure_ascii=False) + "\n")
    write_warc(corpus / "gen" / "crawl.warc.gz", [generated[5], article(7)])
    (corpus / "gen" / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    # No date in its name, text or metadata: the undated partition.
    (corpus / "gen" / "sans-date.txt").write_text(
        "Le marché couvert rouvrira\n\n« Les travaux sont terminés », a déclaré la maire, "
        "Claire Dumoutier. Selon elle, les commerçants reviendront dès la semaine prochaine.\n",
        encoding="utf-8")
    return corpus


def ingest_export(paths: list[Path], db: Path, out: Path) -> pa.Table:
    from propos.ingest.runner import ingest
    from propos.store.db import connect
    from propos.store.export import export

    ingest([str(p) for p in paths], db_path=str(db), workers=1, progress=False)
    conn = connect(db)
    try:
        export(conn, "parquet", str(out))
    finally:
        conn.close()
    return pq.read_table(out)


def failures_of(db: Path) -> set[tuple[str, str]]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return set(conn.execute("SELECT location, reason FROM failures"))
    finally:
        conn.close()


def assert_same_rows(expected: pa.Table, got: pa.Table) -> None:
    assert got.schema.equals(expected.schema, check_metadata=True)
    assert got.num_rows == expected.num_rows
    left, right = expected.to_pylist(), got.to_pylist()
    for a, b in zip(left, right):
        assert a == b, {k: (a[k], b[k]) for k in a if a[k] != b[k]}


# --------------------------------------------------------------------------- without Spark


def test_core_and_cli_never_import_pyspark() -> None:
    """``propos[spark]`` is optional: the CLI, the loader and the row code work without it."""
    code = ("import sys, propos, propos.cli, propos.spark, propos.spark.records, "
            "propos.spark.load, propos.spark.job; print('pyspark' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_spark_help_says_how_to_install() -> None:
    from click.testing import CliRunner

    from propos.cli import main

    result = CliRunner().invoke(main, ["spark", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "pip install 'propos[spark]'" in text
    assert "Java 17" in text


def test_spark_without_pyspark_fails_with_the_install_hint(monkeypatch) -> None:
    from click.testing import CliRunner

    import propos.spark
    from propos.cli import main

    monkeypatch.setattr(propos.spark, "pyspark_available", lambda: False)
    result = CliRunner().invoke(main, ["spark", "x.jsonl", "--out", "out"])
    assert result.exit_code != 0
    assert "pip install 'propos[spark]'" in result.output


def test_an_article_that_kills_its_process_becomes_a_failure(monkeypatch) -> None:
    """The retry path of a task whose Python worker died: one forked child per article."""
    from propos.spark import records

    records.preload(["fr"])  # as Spark's daemon has it before forking workers
    good, bad = article(30), dict(article(31), text=article(31)["text"] + " KILLME")
    rows = []
    for i, record in enumerate((good, bad)):
        location = f"dump.jsonl:{i + 1}"
        parsed = records.parse_line(json.dumps(record).encode(), "dump.jsonl", i + 1, 0, "r")
        assert parsed[11] == location
        rows.append({**dict(zip(records.names(records.PARSED_FIELDS), parsed)),
                     "stored_lang": None})
    monkeypatch.setenv(records.FAULT_ENV, "KILLME")
    results = list(records.extract_isolated(rows))
    assert [kind for kind, _ in results] == ["article", "failure"]
    assert results[0][1]["status"] == "extracted" and results[0][1]["n_attributions"] > 0
    assert results[1][1]["location"] == "dump.jsonl:2"
    assert results[1][1]["reason"] == records.DIED


def test_load_of_a_missing_directory_loads_nothing(tmp_path: Path) -> None:
    from propos.spark.load import load, read_rows

    summary = load(str(tmp_path / "nothing"), str(tmp_path / "x.db"))
    assert summary.read == 0 and summary.new == 0
    assert read_rows(str(tmp_path / "nothing")).num_rows == 0


# --------------------------------------------------------------------------- with Spark


@pytest.fixture(scope="module")
def spark():
    if _REASON:
        pytest.skip(_REASON)
    from propos.spark.session import session

    # local[2,3]: two cores, and failed tasks retried (up to 3 attempts) as on a cluster
    spark = session("local[2,3]", {"spark.sql.shuffle.partitions": "4"}, driver_memory="1g")
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def runs(spark, tmp_path_factory):
    """Spark run, re-run and run over more input; the ingest exports to compare with."""
    from propos.spark.job import run

    root = tmp_path_factory.mktemp("spark")
    corpus = make_corpus(root)
    out = root / "out"
    first = run(spark, [str(corpus)], str(out))
    first_rows = _read(out)
    articles_files = sorted(p.name for p in (out / "articles").rglob("*.parquet"))
    again = run(spark, [str(corpus)], str(out))
    again_rows = _read(out)
    again_files = sorted(p.name for p in (out / "articles").rglob("*.parquet"))
    extra = root / "extra"
    extra.mkdir()
    (extra / "more.jsonl").write_text("\n".join(json.dumps(article(i), ensure_ascii=False)
                                                for i in (10, 11, 12)) + "\n", encoding="utf-8")
    more = run(spark, [str(corpus), str(extra)], str(out))
    more_rows = _read(out)
    db = root / "ingest.db"
    expected = ingest_export([corpus], db, root / "ingest.parquet")
    expected_failures = failures_of(db)
    expected_more = ingest_export([corpus, extra], db, root / "ingest-more.parquet")
    return {"root": root, "corpus": corpus, "out": out, "first": first, "again": again,
            "more": more, "first_rows": first_rows, "again_rows": again_rows,
            "more_rows": more_rows, "expected": expected, "expected_more": expected_more,
            "expected_failures": expected_failures, "db": db,
            "files": (articles_files, again_files)}


def _read(out: Path) -> pa.Table:
    from propos.spark.load import read_rows

    return read_rows(str(out))


@needs_spark
def test_rows_equal_those_of_ingest_and_export(runs) -> None:
    assert runs["first"].new > 15
    assert runs["expected"].num_rows > 40
    assert_same_rows(runs["expected"], runs["first_rows"])


@needs_spark
def test_the_first_copy_of_an_article_keeps_its_metadata(runs) -> None:
    ids = {r["article_id"] for r in runs["first_rows"].to_pylist()}
    assert "gen-0" in ids and "gen-0-copy" not in ids
    assert runs["first"].present == 1


@needs_spark
def test_near_copies_share_a_duplicate_group(runs) -> None:
    rows = runs["first_rows"].to_pylist()
    grouped = {r["article"] for r in rows if r["duplicate_group"] != r["article"]}
    assert grouped, "the sample corpus' wire copy is not grouped"


@needs_spark
def test_statement_groups_equal_those_of_the_store(runs) -> None:
    # the store grouped incrementally (a second ingest added the extra articles), Spark in
    # one pass over all of them: the same groups, first copies and wordings
    columns = ["article", "seq", "quote_group", "first_seen", "first_article", "wording",
               "changes"]
    for spark_rows, store_rows in ((runs["first_rows"], runs["expected"]),
                                   (runs["more_rows"], runs["expected_more"])):
        assert spark_rows.select(columns).to_pylist() == store_rows.select(columns).to_pylist()
    sizes = {}
    for row in runs["expected"].to_pylist():
        sizes[row["quote_group"]] = sizes.get(row["quote_group"], 0) + 1
    assert max(sizes.values()) > 1, "no statement is seen twice in the Spark test corpus"


@needs_spark
def test_output_files_have_the_export_columns_and_partitions(runs) -> None:
    from propos.columns import COLUMNS

    out = runs["out"]
    files = sorted((out / "attributions").rglob("*.parquet"))
    assert files
    folders = {f.parent.relative_to(out / "attributions").as_posix() for f in files}
    assert all(f.startswith("lang=") and "/date=" in f for f in folders)
    assert any(f.startswith("lang=fr/") for f in folders)
    assert "lang=fr/date=__HIVE_DEFAULT_PARTITION__" in folders  # the undated .txt article
    schema = pq.read_schema(files[0])
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    expected = [(n, types[k]) for n, k, _ in COLUMNS if n not in ("lang", "date")]
    assert [(f.name, f.type) for f in schema] == expected
    assert "date=2024-04-01" in {p.parent.name for p in (out / "articles").rglob("*.parquet")}


@needs_spark
def test_failures_are_rows_with_their_reason(runs) -> None:
    table = pq.read_table(runs["out"] / "failures")
    got = {(r["location"], r["reason"]) for r in table.to_pylist()}
    assert got == runs["expected_failures"]
    reasons = " ".join(reason for _, reason in got)
    assert "malformed JSON line" in reasons and "empty document" in reasons
    assert "unsupported file type .pdf" in reasons
    assert runs["first"].failed == len(got)


@needs_spark
def test_a_second_run_over_the_same_input_adds_nothing(runs) -> None:
    again = runs["again"]
    assert again.new == 0
    assert again.present == runs["first"].articles
    assert not again.rows_rewritten
    assert runs["again_rows"].num_rows == runs["first_rows"].num_rows
    assert runs["again_rows"].equals(runs["first_rows"])
    before, after = runs["files"]
    assert before == after
    failures = pq.read_table(runs["out"] / "failures")
    assert failures.num_rows == len(runs["expected_failures"])


@needs_spark
def test_a_run_over_more_input_adds_only_the_new_articles(runs) -> None:
    assert runs["more"].new == 3
    assert runs["more"].rows_rewritten
    assert_same_rows(runs["expected_more"], runs["more_rows"])


@needs_spark
def test_load_gives_the_store_an_ingest_gives(runs, tmp_path: Path) -> None:
    from propos.spark.load import load
    from propos.store.db import connect
    from propos.store.export import export

    db = tmp_path / "loaded.db"
    first = load(str(runs["out"]), str(db))
    assert first.new == runs["first"].new + runs["more"].new
    assert first.failures == len(runs["expected_failures"])
    conn = connect(db)
    try:
        export(conn, "parquet", str(tmp_path / "loaded.parquet"))
        speakers = conn.execute("SELECT COUNT(*) FROM speakers").fetchone()[0]
    finally:
        conn.close()
    assert speakers > 5
    assert_same_rows(runs["expected_more"], pq.read_table(tmp_path / "loaded.parquet"))
    assert failures_of(db) == failures_of(runs["db"])
    again = load(str(runs["out"]), str(db))
    assert again.new == 0 and again.failures == 0 and again.present == first.new


@needs_spark
def test_load_cli_and_search(runs, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from propos.cli import main

    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(main, ["load", str(runs["out"]), "--db", db,
                                       "--since", "2024-04", "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert 0 < summary["new"] < runs["first"].new + runs["more"].new
    found = CliRunner().invoke(main, ["search", "chantier", "--db", db, "--format", "jsonl"])
    assert found.exit_code == 0 and found.output.strip()


@needs_spark
def test_duckdb_reads_the_output_as_the_readme_shows(runs) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = runs["out"]
    query = (f"SELECT lang, date, count(*) AS n FROM read_parquet("
             f"'{out}/attributions/*/*/*.parquet', hive_partitioning = true, "
             f"hive_types = {{'lang': VARCHAR, 'date': VARCHAR}}) GROUP BY ALL")
    counts = {(lang, date): n for lang, date, n in duckdb.sql(query).fetchall()}
    expected: dict[tuple, int] = {}
    for row in runs["more_rows"].to_pylist():
        key = (row["lang"], row["date"])
        expected[key] = expected.get(key, 0) + 1
    assert counts == expected


@needs_spark
def test_a_document_that_kills_its_worker_fails_alone(spark, tmp_path: Path) -> None:
    """Its task dies, Spark retries it, the retry isolates each article: one failure row,
    the other articles extracted, the job done."""
    from propos.spark.job import run
    from propos.spark.records import DIED, FAULT_ENV

    records = [article(40), dict(article(41), text=article(41)["text"] + " KILLME"),
               article(42)]
    (tmp_path / "dump.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False)
                                                  for r in records) + "\n", encoding="utf-8")
    spark.sparkContext.environment[FAULT_ENV] = "KILLME"  # shipped to the Python workers
    try:
        summary = run(spark, [str(tmp_path / "dump.jsonl")], str(tmp_path / "out"),
                      partitions=1)
    finally:
        del spark.sparkContext.environment[FAULT_ENV]
    assert summary.new == 2 and summary.failed == 1
    failures = pq.read_table(tmp_path / "out" / "failures").to_pylist()
    assert [(f["location"], f["reason"]) for f in failures] == [
        (f"{tmp_path / 'dump.jsonl'}:2", DIED)]


@needs_spark
def test_parquet_input(spark, tmp_path: Path) -> None:
    """A Parquet dump with the JSONL field names gives the rows its JSONL twin gives."""
    from propos.spark.job import run

    records = [article(i) for i in (20, 21, 22)]
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "dump.parquet")
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / "dump.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False)
                                               for r in records) + "\n", encoding="utf-8")
    summary = run(spark, [str(tmp_path / "dump.parquet")], str(tmp_path / "out"))
    assert summary.new == 3 and summary.failed == 0
    expected = ingest_export([twin], tmp_path / "twin.db", tmp_path / "twin.parquet")
    got = _read(tmp_path / "out")
    assert got.num_rows == expected.num_rows > 0
    differ = {"path", "location"}
    for a, b in zip(expected.to_pylist(), got.to_pylist()):
        assert {k: v for k, v in a.items() if k not in differ} == \
            {k: v for k, v in b.items() if k not in differ}
        assert b["location"] == b["path"] + a["location"][len(a["path"]):]


# --------------------------------------------------------------------------- shipping

_PACKED = os.environ.get("PROPOS_SPARK_ENV")


@needs_spark
@pytest.mark.skipif(not _PACKED, reason="set PROPOS_SPARK_ENV to a packed environment "
                                        "(`make test-spark-env` builds one and runs this)")
def test_packed_environment_on_a_local_cluster(runs, tmp_path: Path) -> None:
    """What a cluster does with the environment built by ``make spark-env``.

    ``local-cluster`` runs executors as separate JVMs with their own working directories,
    as a standalone cluster does: ``--archives ENV.tar.gz#env`` is unpacked into each, and
    the Python workers are ``./env/bin/python``, so propos, its dependencies and the spaCy
    models come from the archive, not from this virtualenv (pyspark from Spark itself).
    """
    import propos.spark.job

    spark_home = Path(sys.executable).parent.parent / "lib"
    work = {p for p in spark_home.glob("python*/site-packages/pyspark/work/app-*")}
    out = tmp_path / "out"
    command = [
        str(Path(sys.executable).parent / "spark-submit"), "--master", "local-cluster[1,2,3072]",
        "--archives", f"{os.path.abspath(_PACKED)}#env",
        "--conf", "spark.pyspark.python=./env/bin/python",
        "--conf", f"spark.pyspark.driver.python={sys.executable}",
        "--conf", "spark.python.daemon.module=propos.spark.daemon",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4",
        propos.spark.job.__file__, str(runs["corpus"]), "--out", str(out), "--format", "json"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1200,
                                env={**os.environ, "PYSPARK_DRIVER_PYTHON": sys.executable})
    finally:  # local-cluster leaves executor folders (with the unpacked env) in SPARK_HOME
        for folder in set(spark_home.glob("python*/site-packages/pyspark/work/app-*")) - work:
            shutil.rmtree(folder, ignore_errors=True)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["failed"] == runs["first"].failed
    assert summary["new"] == runs["first"].new
    assert_same_rows(runs["expected"], _read(out))
