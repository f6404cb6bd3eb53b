"""Dates and amounts mentioned in a text: spans with offsets into the original, ISO dates,
normalised amounts; relative dates resolved against the article's date.

Most cases run :mod:`propos.mentions` alone (no model); the last ones go through the pipeline,
the CLI and the founding example of ``../shared/eval/fr/dev.jsonl`` (skipped when absent).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import amounts, dates

from propos.dates import normalise_date

REPO = Path(__file__).resolve().parents[3]
SHARED_DEV = REPO.parent / "shared" / "eval" / "fr" / "dev.jsonl"


# --------------------------------------------------------------------------- French dates

def test_day_month_year() -> None:
    assert dates("Le mandat court jusqu'au 15 novembre 2026.") == [
        ("15 novembre 2026", "2026-11-15")]


def test_first_of_the_month_and_weekday_before_the_day() -> None:
    assert dates("La loi entre en vigueur le samedi 1er mars 2025.") == [
        ("samedi 1er mars 2025", "2025-03-01")]


def test_month_and_year() -> None:
    assert dates("Les travaux commenceront en mars 2025.") == [("mars 2025", "2025-03")]


def test_a_year_alone_only_after_a_preposition() -> None:
    assert dates("La dette sera ramenée sous les 20 millions d'euros d'ici à 2026.") == [
        ("2026", "2026")]
    assert dates("Le club compte 2026 adhérents.") == []


def test_numeric_dates_are_day_month_year_in_french() -> None:
    assert dates("Le scrutin du 09/06/2024 a été annulé.") == [("09/06/2024", "2024-06-09")]


def test_a_day_that_does_not_exist_is_no_date() -> None:
    assert dates("Rendez-vous le 31 février 2025.") == []


def test_a_day_and_month_take_the_article_year() -> None:
    assert dates("La réunion aura lieu le 3 avril.", reference="2025-02-10") == [
        ("3 avril", "2025-04-03")]


def test_relative_days_are_resolved_against_the_article_date() -> None:
    text = "Le préfet a réagi hier ; le conseil votera demain, puis la semaine prochaine."
    assert dates(text, reference="2024-11-21") == [
        ("hier", "2024-11-20"), ("demain", "2024-11-22"), ("la semaine prochaine", "2024-W48")]


def test_a_weekday_is_the_latest_such_day_unless_prochain() -> None:
    # 2024-11-21 is a Thursday
    assert dates("Il a parlé samedi.", reference="2024-11-21") == [("samedi", "2024-11-16")]
    assert dates("Il parlera samedi prochain.", reference="2024-11-21") == [
        ("samedi prochain", "2024-11-23")]


def test_relative_dates_have_no_value_without_an_article_date() -> None:
    assert dates("Le maire a démissionné hier, a-t-on appris samedi.") == [
        ("hier", None), ("samedi", None)]


def test_months_and_years_relative_to_the_article() -> None:
    assert dates("Le budget de l'an dernier, celui de cette année et le mois prochain.",
                 reference="2025-01-15") == [
        ("l'an dernier", "2024"), ("cette année", "2025"), ("le mois prochain", "2025-02")]


def test_offsets_point_into_the_original_with_curly_apostrophes() -> None:
    assert dates("Il l’a dit l’an dernier.", reference="2025-06-01") == [
        ("l’an dernier", "2024")]


# --------------------------------------------------------------------------- amounts

def test_an_approximate_amount_in_millions_of_euros() -> None:
    assert amounts("avec une allocation de près de 409 millions d'euros") == [
        ("près de 409 millions d'euros", 409_000_000, "EUR", True)]


def test_percent_thousands_and_a_decimal_billion() -> None:
    text = "Les prix ont monté de 27 %, soit 20 000 euros par foyer et 1,6 milliard de dollars."
    assert amounts(text) == [("27 %", 27, "%", False), ("20 000 euros", 20_000, "EUR", False),
                             ("1,6 milliard de dollars", 1_600_000_000, "USD", False)]


def test_no_break_spaces_and_a_trailing_approximator() -> None:
    assert amounts("Le déficit atteint 3\u202f200\u00a0€ environ.") == [
        ("3\u202f200\u00a0€ environ", 3200, "EUR", True)]


def test_a_number_without_a_unit_is_no_amount() -> None:
    assert amounts("Trois communes et 412 habitations ont été touchées en deux ans.") == []


def test_written_numbers_with_a_scale() -> None:
    assert amounts("L'État versera un million d'euros.") == [
        ("un million d'euros", 1_000_000, "EUR", False)]


# --------------------------------------------------------------------------- article dates

def test_article_dates_read_the_languages_month_names() -> None:
    assert normalise_date("1er août 2024") == "2024-08-01"
    assert normalise_date("5 Sept. 2023") == "2023-09-05"


# --------------------------------------------------------------------------- through the pipeline

COUNCIL = ("« Nous tiendrons le calendrier », a déclaré samedi la ministre, Anne Morel.\n"
           "Le Conseil a décidé de prolonger de deux ans, jusqu'au 15 novembre 2026, le mandat "
           "de la mission, avec une allocation budgétaire de près de 409 millions d'euros pour "
           "la période du 14 novembre 2024 au 15 novembre 2026.")


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
def test_the_founding_example_shape_through_the_pipeline() -> None:
    import propos

    doc = propos.extract(COUNCIL, date="2024-11-21")
    assert [(d.text, d.value) for d in doc.dates] == [
        ("samedi", "2024-11-16"), ("15 novembre 2026", "2026-11-15"),
        ("14 novembre 2024", "2024-11-14"), ("15 novembre 2026", "2026-11-15")]
    assert [m.to_dict() for m in doc.amounts] == [
        {"start": 208, "end": 236, "text": "près de 409 millions d'euros", "value": 409000000,
         "unit": "EUR", "approx": True}]
    quote = doc.attributions[0]
    assert quote.dates == () and quote.amounts == ()


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
def test_an_attribution_carries_the_mentions_inside_its_content() -> None:
    import propos

    text = "« Nous verserons 20 000 euros d'ici à 2026 », a promis hier le maire, Paul Roux."
    quote = propos.extract(text, date="2025-05-02").attributions[0]
    assert [(d.text, d.value) for d in quote.dates] == [("2026", "2026")]
    assert [(m.text, m.value, m.unit) for m in quote.amounts] == [("20 000 euros", 20000, "EUR")]
    record = quote.to_dict()
    assert record["dates"] == [{"start": 38, "end": 42, "text": "2026", "value": "2026"}]


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
def test_jsonl_input_dates_resolve_relative_mentions(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from propos.cli import main

    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "x", "date": "21/11/2024",
                                  "text": "Le maire a démissionné hier."}) + "\n",
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(source)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output.splitlines()[0])
    assert record["dates"] == [{"start": 23, "end": 27, "text": "hier", "value": "2024-11-20"}]
    assert record["amounts"] == []


@pytest.mark.model
@pytest.mark.usefixtures("fr_pipeline")
@pytest.mark.skipif(not SHARED_DEV.is_file(), reason=f"{SHARED_DEV} is absent")
def test_the_founding_example_last_paragraph() -> None:
    import propos

    seed = next(r for r in map(json.loads, SHARED_DEV.read_text(encoding="utf-8").splitlines())
                if r["id"] == "fr-seed")
    doc = propos.extract(seed["text"], date=seed.get("date"))
    last = seed["text"].rstrip().rfind("\n") + 1
    assert [(d.text, d.value) for d in doc.dates if d.start >= last] == [
        ("15 novembre 2026", "2026-11-15"), ("14 novembre 2024", "2024-11-14"),
        ("15 novembre 2026", "2026-11-15")]
    assert [(m.text, m.value, m.unit, m.approx) for m in doc.amounts if m.start >= last] == [
        ("près de 409 millions d'euros", 409_000_000, "EUR", True)]
