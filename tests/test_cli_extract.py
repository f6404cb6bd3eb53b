"""`propos extract`: formats, input order, stdin, and bad input that loses nothing else."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from propos.cli import main

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]

QUOTE = "« Nous tiendrons nos promesses », a déclaré la maire, Léa Martin.\n"
CLAUSE = "Le préfet a affirmé que la route rouvrirait lundi.\n"


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input)


def write_jsonl(path, records):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                              for r in records) + "\n", encoding="utf-8")
    return str(path)


def test_txt_to_jsonl_keeps_offsets(tmp_path):
    file = tmp_path / "article.txt"
    file.write_text(QUOTE, encoding="utf-8")
    result = run(["extract", str(file)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip())
    assert record["id"] == "article.txt" and record["lang"] == "fr"
    (attribution,) = record["attributions"]
    content = attribution["content"]
    assert QUOTE[content["start"]:content["end"]] == content["text"] == "Nous tiendrons nos promesses"
    assert attribution["speaker"] == {"name": "Léa Martin", "type": "person",
                                      "gender": "female", "gender_source": "text"}
    assert attribution["kind"] == "direct" and attribution["rule"] and attribution["about"] == []
    assert any(e["label"] == "PER" for e in record["entities"])


def test_jsonl_input_order_and_ids(tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": "b", "text": CLAUSE}, {"id": "a", "text": QUOTE}])
    result = run(["extract", path, "--format", "jsonl"])
    assert result.exit_code == 0
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == ["b", "a"]


def test_json_format_is_one_array(tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": "1", "text": QUOTE}, {"id": "2", "text": CLAUSE}])
    result = run(["extract", path, "--format", "json"])
    assert [d["id"] for d in json.loads(result.stdout)] == ["1", "2"]


def test_text_format_is_readable(tmp_path):
    file = tmp_path / "a.txt"
    file.write_text(QUOTE, encoding="utf-8")
    result = run(["extract", str(file), "--format", "text"])
    assert "[direct] Léa Martin (person)" in result.stdout
    assert "« Nous tiendrons nos promesses »" in result.stdout


def test_stdin_text():
    result = run(["extract", "-"], input=CLAUSE)
    record = json.loads(result.stdout)
    assert record["attributions"][0]["content"]["text"] == "la route rouvrirait lundi"


def test_bad_documents_are_reported_and_others_processed(tmp_path):
    path = write_jsonl(tmp_path / "mixed.jsonl", [
        {"id": "good-1", "text": QUOTE},
        "{not json",
        {"id": "empty", "text": "   "},
        {"id": "no-text"},
        {"id": "good-2", "text": CLAUSE},
    ])
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run(["extract", path, str(binary)])
    assert result.exit_code == 1
    assert [json.loads(l)["id"] for l in result.stdout.splitlines()] == ["good-1", "good-2"]
    assert "mixed.jsonl:2: malformed JSON line" in result.stderr
    assert "empty: empty document" in result.stderr
    assert "no-text" in result.stderr and '"text"' in result.stderr
    assert "image.txt: binary file" in result.stderr
    assert "4 document(s) failed" in result.stderr


def test_legacy_encodings_are_decoded(tmp_path):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(CLAUSE.encode("cp1252"))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(CLAUSE.encode("utf-16"))
    result = run(["extract", str(latin), str(utf16)])
    assert result.exit_code == 0, result.stderr
    for line in result.stdout.splitlines():
        assert json.loads(line)["attributions"][0]["content"]["text"] == "la route rouvrirait lundi"


def test_missing_file_is_an_error_not_a_crash(tmp_path):
    result = run(["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "nope.txt: cannot read file" in result.stderr


def test_unknown_language_fails_that_document_only(tmp_path):
    path = write_jsonl(tmp_path / "langs.jsonl", [{"id": "x", "text": QUOTE, "lang": "zz"},
                                                   {"id": "y", "text": QUOTE}])
    result = run(["extract", path])
    assert result.exit_code == 1
    assert [json.loads(l)["id"] for l in result.stdout.splitlines()] == ["y"]
    assert "language 'zz' is not supported" in result.stderr


def test_help_explains_each_subcommand():
    result = run(["--help"])
    assert "extract" in result.output and "eval" in result.output
    assert "offsets" in run(["extract", "--help"]).output or "stdin" in run(["extract", "--help"]).output.lower() \
        or "standard input" in run(["extract", "--help"]).output


def test_eval_names_a_malformed_gold_file_without_a_traceback(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "text": "x"\n', encoding="utf-8")
    result = run(["eval", str(gold)])
    assert result.exit_code == 1
    assert "gold.jsonl line 1: invalid JSON" in result.output
    assert "Traceback" not in result.output
