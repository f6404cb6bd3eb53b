"""Dating articles whose metadata has no date: datelines, page stamps, file names and URLs;
a headline's date is not the article's, a dateline without a year is completed only from
evidence, and an ingest says how many articles it could not date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from propos.cli import main
from propos.article import Article
from propos.ingest.datelines import (PartialDate, date_from_text, date_in_name, find_dateline,
                                     find_stamp)
from propos.dates import normalise_date
from propos.ingest.readers import RawItem, parse_item, read_articles


@pytest.mark.parametrize(("paragraph", "expected"), [
    ("27 août 2012. - Le président de la République a reçu les syndicats.",
     PartialDate(27, 8, 2012)),
    ("PARIS, 3 mars (Reuters) - Le gouvernement a annoncé un plan d'aide.",
     PartialDate(3, 3)),
    ("PARIS, 3 mars 2024 (AFP) - Le trafic sera très perturbé mardi.", PartialDate(3, 3, 2024)),
    ("SAINT-DENIS (La Réunion), 1er juin 2023 (AFP) - Le cyclone s'éloigne.",
     PartialDate(1, 6, 2023)),
    ("Strasbourg, le 12 février 2021 - Les élus ont voté le budget.", PartialDate(12, 2, 2021)),
    ("Jeudi 5 septembre 2024. – Les enseignants sont en grève.", PartialDate(5, 9, 2024)),
    ("21 septembre 2012, France. - Selon une étude, l'univers s'étend.",
     PartialDate(21, 9, 2012)),
    ("WASHINGTON, March 3 (Reuters) - A bipartisan group of senators reached a deal.",
     PartialDate(3, 3)),
    ("LONDON, March 3, 2024 (Reuters) — The Bank of England held rates.",
     PartialDate(3, 3, 2024)),
], ids=["date-dash", "wire-no-year", "wire-year", "place-region", "le-date", "weekday",
        "date-place", "en-wire", "en-wire-year"])
def test_datelines(paragraph: str, expected: PartialDate) -> None:
    assert find_dateline([paragraph]) == expected


@pytest.mark.parametrize("paragraph", [
    "Paris, 3 mars 2024 : la maire a présenté son budget.",       # a colon, not a dateline
    "PARIS, 3 personnes ont été blessées (AFP) - selon les pompiers.",
    "NEW YORK (AP) — The city council voted on Tuesday.",         # no date at all
    "Le 3 mars 2024, la maire a présenté son budget - enfin.",
    "3 mars 2024, la maire a présenté son budget - enfin.",
])
def test_not_datelines(paragraph: str) -> None:
    assert find_dateline([paragraph]) is None


@pytest.mark.parametrize(("line", "expected"), [
    ("Publié le 12/03/2024 à 10h05", "2024-03-12"),
    ("Publié le 02 mars 2023 à 10h05, modifié le 04 mars 2023 à 18h12", "2023-03-02"),
    ("Publié le 08/01/18 à 18h25 — Mis à jour le 09/01/18 à 07h40", "2018-01-08"),
    ("Mis à jour le 13 mars 2024 à 08h00", "2024-03-13"),
    ("Par Julie Marchand | Publié le 5 mars 2024", "2024-03-05"),
    ("PUBLIE LE 4 AVRIL 2021", "2021-04-04"),
    ("Published March 12, 2024", "2024-03-12"),
    ("Published 03/12/2024", "2024-03-12"),          # English numeric dates: month first
    ("Updated 10:05 AM EDT, Tue March 12, 2024", "2024-03-12"),
    ("Le rapport publié le 3 mars 2023 par la Cour des comptes est sévère.", None),
    ("Publié le 3 mars 2023, le rapport de la Cour des comptes pointait ces failles.", None),
])
def test_stamps(line: str, expected: str | None) -> None:
    assert find_stamp([line]) == expected


def test_publication_stamp_wins_over_an_earlier_update_stamp() -> None:
    assert find_stamp(["Mis à jour le 13/03/2024 à 08h00", "Publié le 12/03/2024"]) == \
        "2024-03-12"


@pytest.mark.parametrize(("name", "expected"), [
    ("2024-03-05-crue-de-la-lere.txt", "2024-03-05"),
    ("20240305_crue.txt", "2024-03-05"),
    ("crue-05.03.2024.txt", "2024-03-05"),
    ("https://www.exemple.fr/politique/article/2023/03/02/retraites_6163936_823448.html",
     "2023-03-02"),
    ("https://www.exemple.fr/paris/2196767-20180108-parents-exigent", "2018-01-08"),
    ("https://20240101.exemple.fr/article", None),   # digits in the host are not a date
    ("crue-de-la-lere.txt", None),
    ("2024-13-45-rapport.txt", None),
])
def test_dates_in_names(name: str, expected: str | None) -> None:
    assert date_in_name(name) == expected


def test_a_dateline_without_a_year_takes_it_from_evidence_only() -> None:
    paragraphs = ["PARIS, 3 mars (Reuters) - Le gouvernement a annoncé un plan d'aide."]
    assert date_from_text(paragraphs) is None
    assert date_from_text(paragraphs, names=("https://www.exemple.fr/2024/eco/plan",)) == \
        "2024-03-03"
    # The crawl date: the latest 3 March not after it.
    assert date_from_text(paragraphs, reference="2024-02-10") == "2023-03-03"
    assert date_from_text(paragraphs, reference="2024-03-03") == "2024-03-03"


def test_a_complete_dateline_wins_over_the_file_name() -> None:
    assert date_from_text(["27 août 2012. - Le président a reçu les syndicats."],
                          names=("2013-01-01-archives.txt",)) == "2012-08-27"


def test_month_names_are_read_from_the_language_data() -> None:
    assert normalise_date("14 févr. 2024") == "2024-02-14"
    assert normalise_date("1er AOÛT 2023") == "2023-08-01"
    assert normalise_date("Thu, 14 Mar 2024 09:30:00 +0100") == "2024-03-14"
    assert normalise_date("jeudi 14 mars 2024") == "2024-03-14"


# --------------------------------------------------------------------------- through readers

BODY = ("Le conseil municipal a voté lundi soir la fermeture de la piscine pour l'été.\n\n"
        "« C'est une décision difficile », a reconnu la maire, Claire Dumoutier.\n")


def read_one(path: Path) -> Article:
    [article] = read_articles([str(path)])
    assert isinstance(article, Article), article
    return article


def test_txt_dated_by_its_file_name(tmp_path: Path) -> None:
    path = tmp_path / "2024-03-05-piscine.txt"
    path.write_text("La piscine fermée cet été\n\n" + BODY, encoding="utf-8")
    assert read_one(path).date == "2024-03-05"


def test_txt_dated_by_its_dateline(tmp_path: Path) -> None:
    path = tmp_path / "piscine.txt"
    path.write_text("La piscine fermée cet été\n\nVILLENEUVE, 4 mars 2024 (APO) - " + BODY,
                    encoding="utf-8")
    assert read_one(path).date == "2024-03-04"


def test_txt_stamp_line_is_not_a_title(tmp_path: Path) -> None:
    path = tmp_path / "piscine.txt"
    path.write_text("Publié le 12/03/2024 à 10h05\n" + BODY, encoding="utf-8")
    article = read_one(path)
    assert (article.title, article.date) == (None, "2024-03-12")


def test_a_date_in_the_headline_is_not_the_articles(tmp_path: Path) -> None:
    path = tmp_path / "piscine.txt"
    path.write_text("14 juillet 2023 : la piscine n'a pas rouvert\n\n" + BODY,
                    encoding="utf-8")
    assert read_one(path).date is None
    html = tmp_path / "piscine.html"
    html.write_text("<html><head><title>14 juillet 2023 : la piscine n'a pas rouvert</title>"
                    "</head><body><article><h1>14 juillet 2023 : la piscine n'a pas rouvert"
                    "</h1><p>Le conseil municipal a voté lundi soir la fermeture de la piscine "
                    "pour l'été.</p><p>« C'est une décision difficile », a reconnu la maire."
                    "</p></article></body></html>", encoding="utf-8")
    assert read_one(html).date is None


def test_jsonl_record_without_a_date_dated_by_its_dateline(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    records = [{"id": "a", "text": "PARIS, 3 mars 2024 (AFP) - " + BODY},
               {"id": "b", "url": "https://www.exemple.fr/2024/03/06/piscine", "text": BODY},
               {"id": "c", "date": "2024-03-01", "text": "PARIS, 3 mars 2024 (AFP) - " + BODY}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")
    a, b, c = read_articles([str(path)])
    assert (a.date, b.date, c.date) == ("2024-03-03", "2024-03-06", "2024-03-01")
    assert (a.source, b.source) == (None, "exemple.fr")  # the URL's host when no source


def test_warc_crawl_date_completes_a_dateline_without_a_year() -> None:
    html = ("<html><head><title>Grève à la SNCF</title></head><body><article><h1>Grève à la "
            "SNCF</h1><p>PARIS, 3 mars (AFP) - Le trafic sera très perturbé mardi, a annoncé "
            "la SNCF.</p><p>« Nous conseillons aux voyageurs de reporter leur déplacement », "
            "a déclaré un porte-parole.</p></article></body></html>").encode("utf-8")
    item = RawItem("html", "crawl.warc.gz#0", "crawl.warc.gz", html,
                   (("url", "https://depeches.exemple/greve"), ("date", "2024-05-20T08:00:00Z")))
    assert parse_item(item).date == "2024-03-03"


def test_english_page_dated_by_its_dateline(tmp_path: Path) -> None:
    path = tmp_path / "senate.html"
    path.write_text('<html lang="en"><head><title>Senators reach deal on border bill</title>'
                    '<meta property="og:site_name" content="Wire Service"></head><body>'
                    "<article><h1>Senators reach deal on border bill</h1><p>WASHINGTON, "
                    "March 3, 2024 (Reuters) - A bipartisan group of senators reached a deal "
                    "on Sunday, the majority leader said.</p><p>\"This is a good day for the "
                    "country,\" he told reporters.</p></article></body></html>",
                    encoding="utf-8")
    assert read_one(path).date == "2024-03-03"


@pytest.mark.model
def test_ingest_summary_counts_and_warns_about_undated_articles(tmp_path: Path) -> None:
    from propos.ingest.runner import ingest

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "2024-03-05-piscine.txt").write_text(
        "La piscine fermée cet été\n\n" + BODY, encoding="utf-8")
    (tmp_path / "corpus" / "piscine.txt").write_text(
        "La piscine fermée\n\n" + BODY.replace("lundi", "mardi"), encoding="utf-8")
    db = tmp_path / "t.db"
    summary = ingest([str(tmp_path / "corpus")], db_path=str(db), workers=1, progress=False)
    assert (summary.new, summary.undated) == (2, 1)
    assert ("warning: 1 new article without a date: --since/--until, the charts and Spark's "
            f"date partitions leave it out (see: propos ingest --undated --db {db})"
            ) in summary.format().splitlines()
    again = ingest([str(tmp_path / "corpus")], db_path=str(db), workers=1, progress=False)
    assert again.undated == 0 and "warning" not in again.format()
    listed = CliRunner().invoke(main, ["ingest", "--undated", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    assert listed.output == f"{tmp_path / 'corpus' / 'piscine.txt'}\tLa piscine fermée\n"
