"""Bad input never stops a batch: each bad file, line or record is recorded with its location
and reason (listed by ``propos ingest --failed``), and the good ones around it are stored.
Legitimate non-UTF-8 text (UTF-16 with BOM, cp1252/Latin-1) is decoded, not rejected.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from propos.cli import main
from propos.ingest.runner import ingest
from propos.store.db import connect

TEXT = ("« Nous ne céderons pas », a déclaré jeudi la maire de Villeneuve-sur-Lère, Claire "
        "Dumoutier. L’opposition a estimé que le budget était « insincère ».")


def run(tmp_path: Path, *paths: Path | str):
    db = tmp_path / "bad.db"
    summary = ingest([str(p) for p in paths], db_path=str(db), workers=1, progress=False)
    conn = connect(db)
    failures = {row["location"]: row["reason"] for row in conn.execute("SELECT * FROM failures")}
    return summary, conn, failures


def only_failure(failures: dict[str, str], where: Path | str) -> str:
    assert list(failures) == [str(where)], failures
    return failures[str(where)]


@pytest.mark.parametrize("name, data, reason", [
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ("controls.txt", bytes(range(1, 32)) * 20, "binary"),
    ("empty.txt", b"", "empty document"),
    ("blank.txt", b" \n\t\r\n  \n", "empty document"),
    ("bad-utf16.txt", codecs.BOM_UTF16_LE + b"\x00\xd8a", "utf-16"),
    ("empty.html", b"", "empty document"),
    ("script-only.html", b"<html><body><script>var x = 1;</script></body></html>",
     "no article text"),
    ("binary.html", b"\x00\x01\x02<html>", "binary"),
    ("binary.jsonl", b"\x00\x00\x00\x01garbage", "binary"),
    ("no-text-column.csv", b"id,title\n1,Un titre\n", "no text column"),
    ("empty.csv", b"", "empty CSV"),
    ("corrupt.warc.gz", b"\x1f\x8b\x08\x00garbage-not-gzip" * 5, "WARC"),
    ("random.warc", b"this is not a web archive at all\n" * 4, "not a WARC file"),
    ("not-gzip.jsonl.gz", b"plain text, not gzip\n", "decompress"),
])
def test_bad_file_is_recorded(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    good = tmp_path / "zz-good.txt"
    good.write_text(TEXT, encoding="utf-8")
    summary, conn, failures = run(tmp_path, path, good)
    assert summary.new == 1, "the good file after the bad one must still be stored"
    assert summary.failed == 1
    assert reason.lower() in only_failure(failures, path).lower()


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    line = json.dumps({"text": TEXT}, ensure_ascii=False) + "\n"
    data = gzip.compress((line * 3000).encode("utf-8"))  # the same article: cheap to skip
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[:len(data) // 2])
    summary, conn, failures = run(tmp_path, path)
    assert summary.new == 1 and 100 < summary.present < 3000 and summary.failed == 1
    [(where, reason)] = failures.items()
    assert where.startswith(f"{path}:") and "truncated or corrupt" in reason


def test_malformed_lines_and_records(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": TEXT}),
        '{"id": "broken", "text": "unterminated',
        "[1, 2, 3]",
        json.dumps({"id": "no-text", "title": "Rien"}),
        json.dumps({"id": "number", "text": 42}),
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "nul", "text": "a\u0000b"}),
        json.dumps({"id": "ok2", "text": TEXT.replace("jeudi", "lundi")}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary, conn, failures = run(tmp_path, path)
    assert (summary.read, summary.new, summary.failed) == (8, 2, 6)
    expected = {2: "malformed JSON", 3: "not an object", 4: 'no "text" or "html"',
                5: "not a string", 6: "empty document", 7: "binary content"}
    assert set(failures) == {f"{path}:{n}" for n in expected}
    for number, reason in expected.items():
        assert reason in failures[f"{path}:{number}"]
    assert {r[0] for r in conn.execute("SELECT doc_id FROM articles")} == {"ok1", "ok2"}


def test_malformed_csv_row(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(f'id,text\n1,"{TEXT}"\n2,"a","b","c"\n3,"{TEXT.replace("jeudi", "mardi")}"\n',
                    encoding="utf-8")
    summary, conn, failures = run(tmp_path, path)
    assert (summary.new, summary.failed) == (2, 1)
    assert "2 fields" not in failures[f"{path}:3"] and "4 fields" in failures[f"{path}:3"]


def test_broken_html_is_read_or_reported(tmp_path: Path) -> None:
    """Unclosed tags and stray markup: lxml repairs what it can; no crash either way."""
    path = tmp_path / "broken.html"
    path.write_text(f"<html><body><div><p>{TEXT}<p>Suite <b>non fermée <i>du texte</div>"
                    f"</span></table>", encoding="utf-8")
    summary, conn, failures = run(tmp_path, path)
    assert summary.read == 1 and summary.new + summary.failed == 1
    if summary.new:
        assert "céderons" in conn.execute("SELECT text FROM articles").fetchone()[0]


def test_missing_and_unreadable_paths(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    locked = tmp_path / "locked.txt"
    locked.write_text(TEXT, encoding="utf-8")
    locked.chmod(0)
    try:
        summary, conn, failures = run(tmp_path, missing, locked)
    finally:
        locked.chmod(0o644)
    assert "no such file" in failures[str(missing)]
    if os.geteuid() != 0:  # root reads anything
        assert "cannot read" in failures[str(locked)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_bom_text_is_decoded(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "bom.txt"
    data = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path.write_bytes(data)
    summary, conn, failures = run(tmp_path, path)
    assert failures == {}
    assert conn.execute("SELECT text FROM articles").fetchone()[0] == TEXT


def test_utf16_jsonl_and_csv_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "u16", "text": TEXT},
                                                 ensure_ascii=False) + "\n", encoding="utf-16")
    (tmp_path / "b.csv").write_text(f'id,text\nc16,"{TEXT.replace("jeudi", "lundi")}"\n',
                                    encoding="utf-16")
    summary, conn, failures = run(tmp_path, tmp_path / "a.jsonl", tmp_path / "b.csv")
    assert failures == {}
    texts = {r[0]: r[1] for r in conn.execute("SELECT doc_id, text FROM articles")}
    assert texts == {"u16": TEXT, "c16": TEXT.replace("jeudi", "lundi")}


def test_cp1252_and_latin1_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "win.txt").write_bytes(TEXT.encode("cp1252"))  # ’ and « » in cp1252
    latin = TEXT.replace("’", "'").replace("jeudi", "mardi")
    (tmp_path / "latin.html").write_bytes(
        f'<html><head><meta charset="iso-8859-1"><title>Été</title></head>'
        f"<body><article><p>{latin}</p></article></body></html>".encode("latin-1"))
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(json.dumps({"id": "utf8", "text": TEXT.replace("jeudi", "lundi")},
                                 ensure_ascii=False).encode("utf-8") + b"\n" +
                      json.dumps({"id": "latin", "text": latin.replace("mardi", "samedi")},
                                 ensure_ascii=False).encode("cp1252") + b"\n")
    summary, conn, failures = run(tmp_path / "db", tmp_path)
    assert failures == {}
    texts = [r[0] for r in conn.execute("SELECT text FROM articles ORDER BY location")]
    assert TEXT.replace("jeudi", "mardi").replace("’", "'") in texts[0]  # latin.html
    assert texts[1:] == [TEXT.replace("jeudi", "lundi"), latin.replace("mardi", "samedi"),
                         TEXT]


def test_failed_listing_and_repair(tmp_path: Path) -> None:
    """--failed lists path and reason; a fixed input leaves the list on the next run."""
    bad = tmp_path / "later.txt"
    bad.write_bytes(b"")
    db = tmp_path / "bad.db"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(bad), "--db", str(db), "--workers", "1",
                                  "--no-progress"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(main, ["ingest", "--failed", "--db", str(db)])
    assert listed.exit_code == 0
    assert f"{bad}\tempty document" in listed.output
    again = runner.invoke(main, ["ingest", str(bad), "--db", str(db), "--no-progress",
                                 "--workers", "1"])
    assert again.exit_code == 0
    rows = connect(db).execute("SELECT times FROM failures").fetchall()
    assert [r[0] for r in rows] == [2], "a failure seen twice is one row, counted twice"
    bad.write_text(TEXT, encoding="utf-8")
    runner.invoke(main, ["ingest", str(bad), "--db", str(db), "--no-progress", "--workers", "1"])
    listed = runner.invoke(main, ["ingest", "--failed", "--db", str(db), "--format", "json"])
    assert listed.output.strip() == ""
