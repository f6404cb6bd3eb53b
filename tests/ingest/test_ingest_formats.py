"""Ingest, format by format: .txt, .html, .jsonl, .csv, .warc(.gz), folders, languages,
duplicates, idempotency.

Extraction quality is not tested here (the engine has its own tests): only that articles are
stored with the right text and metadata, and that attribution counts are consistent with
whatever the engine returns.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from ingest_helpers import french_article, table_count

from propos.ingest.readers import read_articles
from propos.ingest.runner import ingest
from propos.profile import available_languages
from propos.store.db import connect

FR_TEXT = ("« Nous ne céderons pas », a déclaré jeudi la maire de Villeneuve-sur-Lère, "
           "Claire Dumoutier, devant le conseil municipal. Selon elle, le budget sera voté en "
           "mars malgré l'opposition, qui dénonce une hausse des impôts locaux.")
EN_TEXT = ("\"We will not give in,\" the mayor of Villeneuve-sur-Lère, Claire Dumoutier, told "
           "the town council on Thursday. She said the budget would be voted in March despite "
           "the opposition, which denounces a rise in local taxes.")

HTML = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Budget : la maire tient bon - Le Courrier</title>
<meta name="author" content="Julie Marchand">
<meta property="og:site_name" content="Le Courrier de la Lère">
<meta property="article:published_time" content="2024-03-14T09:30:00+01:00">
</head><body><nav><a href="/">Accueil</a> | <a href="/sport">Sport</a> | Menu principal</nav>
<article><h1>Budget : la maire tient bon</h1><p>{text}</p>
<p>Le conseiller d'opposition Marc Olivier a estimé que la hausse était « inévitable ».</p>
</article><footer>Copyright 2024 Tous droits réservés. Mentions légales.</footer>
</body></html>"""


def run(tmp_path: Path, *paths: Path | str, workers: int = 1):
    db = tmp_path / "test.db"
    summary = ingest([str(p) for p in paths], db_path=str(db), workers=workers, progress=False)
    conn = connect(db)
    return summary, conn


def articles(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM articles ORDER BY location").fetchall()


def assert_consistent(summary, conn: sqlite3.Connection) -> None:
    """Whatever the engine found: counts agree between summary, articles and attributions."""
    stored = table_count(conn, "attributions")
    assert conn.execute("SELECT COALESCE(SUM(n_attributions), 0) FROM articles"
                        ).fetchone()[0] == stored
    assert table_count(conn, "quotes_fts") == stored
    if summary.present == 0:
        assert summary.attributions == stored
    for row in conn.execute("SELECT a.id, a.n_attributions, COUNT(t.id) FROM articles a "
                            "LEFT JOIN attributions t ON t.article_id = a.id GROUP BY a.id"):
        assert row[1] == row[2]
    for row in conn.execute("SELECT a.text, t.content, t.content_start, t.content_end "
                            "FROM attributions t JOIN articles a ON a.id = t.article_id"):
        assert row[0][row[2]:row[3]] == row[1]


def test_txt_file(tmp_path: Path) -> None:
    path = tmp_path / "budget.txt"
    path.write_text("Le budget adopté\n\n" + FR_TEXT + "\n", encoding="utf-8")
    summary, conn = run(tmp_path, path)
    assert (summary.read, summary.new, summary.failed) == (1, 1, 0)
    [row] = articles(conn)
    assert row["title"] == "Le budget adopté"
    assert row["text"] == "Le budget adopté\n\n" + FR_TEXT + "\n"
    assert (row["format"], row["lang"], row["status"]) == ("txt", "fr", "extracted")
    assert row["path"] == str(path) and row["location"] == str(path)
    assert_consistent(summary, conn)


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML.format(text=FR_TEXT), encoding="utf-8")
    summary, conn = run(tmp_path, path)
    assert summary.new == 1
    [row] = articles(conn)
    assert row["title"] == "Budget : la maire tient bon"
    assert row["date"] == "2024-03-14"
    assert row["author"] == "Julie Marchand"
    assert row["source"] == "Le Courrier de la Lère"
    assert "Nous ne céderons pas" in row["text"] and "Marc Olivier" in row["text"]
    assert "Accueil" not in row["text"] and "Tous droits réservés" not in row["text"]
    assert row["format"] == "html"
    assert_consistent(summary, conn)


def test_jsonl_fields_text_and_html(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    lines = [
        {"id": "x1", "url": "https://example.org/1", "title": "Un", "date": "14/03/2024",
         "source": "Le Courrier", "author": "J. M.", "text": FR_TEXT},
        {"url": "https://example.org/2", "html": HTML.format(text=FR_TEXT.replace("mars",
                                                                                   "avril"))},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n",
                    encoding="utf-8")
    summary, conn = run(tmp_path, path)
    assert (summary.read, summary.new, summary.failed) == (2, 2, 0)
    first, second = articles(conn)
    assert (first["doc_id"], first["url"], first["title"], first["date"], first["source"],
            first["author"]) == ("x1", "https://example.org/1", "Un", "2024-03-14",
                                 "Le Courrier", "J. M.")
    assert first["location"] == f"{path}:1" and first["format"] == "jsonl"
    assert first["text"] == FR_TEXT
    assert second["location"] == f"{path}:2"
    assert second["title"] == "Budget : la maire tient bon" and second["date"] == "2024-03-14"
    assert "avril" in second["text"] and "Accueil" not in second["text"]
    assert_consistent(summary, conn)


def test_csv_with_text_column(tmp_path: Path) -> None:
    path = tmp_path / "archive.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "Date", "Source", "Titre", "Texte"])
        writer.writerow(["c1", "2024-03-13", "L'Écho", "Un titre, avec virgule",
                         FR_TEXT + "\n\nDeuxième paragraphe, « cité »."])
        writer.writerow(["c2", "13 mars 2024", "L'Écho", "Deux", FR_TEXT.replace("jeudi",
                                                                                  "lundi")])
    summary, conn = run(tmp_path, path)
    assert (summary.read, summary.new, summary.failed) == (2, 2, 0)
    first, second = articles(conn)
    assert first["doc_id"] == "c1" and first["title"] == "Un titre, avec virgule"
    assert first["text"].endswith("Deuxième paragraphe, « cité ».")
    assert first["format"] == "csv" and second["date"] == "2024-03-13"
    assert_consistent(summary, conn)


def _warc(path: Path, gz: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz)

        def response(url: str, body: bytes, ctype: str, status: str = "200 OK") -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-03-05T10:00:00Z"}))

        page = HTML.format(text=FR_TEXT).replace(
            '<meta property="article:published_time" content="2024-03-14T09:30:00+01:00">', "")
        writer.write_record(writer.create_warc_record(
            "https://example.org/a", "request", payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")))
        response("https://example.org/a", page.encode("utf-8"), "text/html; charset=utf-8")
        response("https://example.org/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")
        response("https://example.org/missing", b"<html>gone</html>", "text/html",
                 "404 Not Found")
        latin = HTML.format(text=FR_TEXT.replace("jeudi", "vendredi")).replace(
            'charset="utf-8"', 'charset="iso-8859-1"')
        response("https://example.org/b", latin.encode("cp1252"),
                 "text/html; charset=iso-8859-1")


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_warc_html_responses_only(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _warc(path, gz)
    summary, conn = run(tmp_path, path)
    assert (summary.read, summary.new, summary.failed) == (2, 2, 0)
    rows = {r["url"]: r for r in articles(conn)}
    assert set(rows) == {"https://example.org/a", "https://example.org/b"}
    a = rows["https://example.org/a"]
    assert a["format"] == "warc" and a["location"].startswith(f"{path}#")
    assert a["date"] == "2024-03-05"  # from WARC-Date: the page itself has none
    assert "vendredi" in rows["https://example.org/b"]["text"]
    assert "céderons" in rows["https://example.org/b"]["text"]  # Latin-1 page decoded
    assert_consistent(summary, conn)


def test_folder_recursive_with_mixed_formats(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "a" / "b").mkdir(parents=True)
    (corpus / ".hidden").mkdir()
    (corpus / "one.txt").write_text(french_article(1)[1], encoding="utf-8")
    (corpus / "a" / "two.htm").write_text(HTML.format(text=french_article(2)[1]),
                                          encoding="utf-8")
    (corpus / "a" / "b" / "three.jsonl").write_text(
        json.dumps({"text": french_article(3)[1]}, ensure_ascii=False) + "\n", encoding="utf-8")
    (corpus / ".hidden" / "skip.txt").write_text(french_article(4)[1], encoding="utf-8")
    (corpus / ".DS_Store").write_bytes(b"\x00\x01")
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    summary, conn = run(tmp_path, corpus)
    assert summary.new == 3
    assert {Path(r["path"]).name for r in articles(conn)} == {"one.txt", "two.htm",
                                                               "three.jsonl"}
    [failure] = conn.execute("SELECT * FROM failures").fetchall()
    assert failure["path"].endswith("notes.docx") and "unsupported file type" in \
        failure["reason"]


def test_other_languages_are_stored_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [{"id": "fr", "text": FR_TEXT}, {"id": "en", "text": EN_TEXT},
             {"id": "de", "text": "Die Bürgermeisterin sagte am Donnerstag, dass der Haushalt "
                                  "im März verabschiedet werde, trotz der Opposition."}]
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    summary, conn = run(tmp_path, path)
    supported = set(available_languages())
    assert "de" not in supported, "pick another unsupported language for this test"
    rows = {r["doc_id"]: r for r in articles(conn)}
    for lang in ("fr", "en", "de"):
        expected = "extracted" if lang in supported else "unsupported_lang"
        assert (rows[lang]["lang"], rows[lang]["status"]) == (lang, expected)
    assert (summary.new, summary.unsupported) == (3, 3 - len(supported & {"fr", "en", "de"}))
    assert rows["de"]["text"].startswith("Die Bürgermeisterin")
    assert rows["de"]["n_attributions"] == 0


def test_rerun_is_idempotent(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(5):
        (corpus / f"{i}.txt").write_text("\n\n".join(french_article(i)), encoding="utf-8")
    first, conn = run(tmp_path, corpus)
    before = [table_count(conn, t) for t in ("articles", "attributions", "entities", "names",
                                             "quotes_fts", "minhash_bands")]
    second, conn = run(tmp_path, corpus)
    assert (first.new, first.present) == (5, 0)
    assert (second.read, second.new, second.present, second.attributions) == (5, 0, 5, 0)
    after = [table_count(conn, t) for t in ("articles", "attributions", "entities", "names",
                                            "quotes_fts", "minhash_bands")]
    assert before == after
    assert_consistent(first, conn)
    runs = conn.execute("SELECT status, n_new FROM runs ORDER BY id").fetchall()
    assert [tuple(r) for r in runs] == [("done", 5), ("done", 0)]


def test_exact_and_near_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    wire = french_article(7, paragraphs=5)[1]
    (corpus / "1-outlet-a.txt").write_text(wire, encoding="utf-8")
    (corpus / "2-outlet-a-again.txt").write_text(wire.replace("\n\n", "\n\n\n") + "\n",
                                                encoding="utf-8")  # same text, other spacing
    (corpus / "3-outlet-b.txt").write_text(
        "VILLENEUVE (APO) - " + wire + "\n\nLe prochain conseil aura lieu en avril.",
        encoding="utf-8")
    (corpus / "4-other.txt").write_text(french_article(8, paragraphs=5)[1], encoding="utf-8")
    summary, conn = run(tmp_path, corpus)
    assert (summary.read, summary.new, summary.present, summary.near_duplicates) == (4, 3, 1, 1)
    ids = {Path(r["path"]).name: r["id"] for r in articles(conn)}
    links = {(r[0], r[1]) for r in conn.execute("SELECT article_id, other_id FROM near_duplicates")}
    a, b = ids["1-outlet-a.txt"], ids["3-outlet-b.txt"]
    assert links == {(a, b), (b, a)}


def test_reader_library_api(tmp_path: Path) -> None:
    """read_articles is usable on its own (no store, no extraction)."""
    (tmp_path / "x.txt").write_text("Titre\n\n" + FR_TEXT, encoding="utf-8")
    (tmp_path / "y.jsonl").write_text('{"text": "Bonjour à tous."}\n{oops\n', encoding="utf-8")
    found = list(read_articles([str(tmp_path)]))
    assert [type(x).__name__ for x in found] == ["Article", "Article", "Failure"]
    assert found[0].title == "Titre" and found[1].text == "Bonjour à tous."
    assert found[2].id == f"{tmp_path / 'y.jsonl'}:2"


def test_parallel_workers_store_the_same(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(12):
        (corpus / f"{i:02d}.txt").write_text("\n\n".join(french_article(100 + i)),
                                            encoding="utf-8")
    (corpus / "bad.jsonl").write_text("{broken\n", encoding="utf-8")
    one, conn1 = run(tmp_path / "one", corpus, workers=1)
    two, conn2 = run(tmp_path / "two", corpus, workers=2)
    assert (one.new, one.failed) == (two.new, two.failed) == (12, 1)
    assert one.attributions == two.attributions
    query = "SELECT hash, n_attributions FROM articles ORDER BY hash"
    assert conn1.execute(query).fetchall() == conn2.execute(query).fetchall()
    assert_consistent(two, conn2)
