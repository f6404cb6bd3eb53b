"""English dates and amounts mentioned in a text: month-first dates, weekdays, relative
dates against the article's date, currency signs (tests/lang/fr/test_mentions.py says more)."""

from helpers import amounts, dates


def test_month_day_year_and_weekday() -> None:
    assert dates("On Saturday, November 15, 2026, the mission ends.", "en") == [
        ("Saturday, November 15, 2026", "2026-11-15")]


def test_relative_and_numeric_dates() -> None:
    assert dates("The vote, set for 11/14/2024, was moved to next week.", "en",
                 reference="2024-11-06") == [("11/14/2024", "2024-11-14"),
                                             ("next week", "2024-W46")]


def test_amounts_with_a_currency_sign() -> None:
    assert amounts("Officials said about $1.6 billion and 27 percent of 20,000 euros.", "en") == [
        ("about $1.6 billion", 1_600_000_000, "USD", True), ("27 percent", 27, "%", False),
        ("20,000 euros", 20_000, "EUR", False)]
