from datetime import date
from decimal import Decimal

from bot.language.formatting import format_day, format_money, format_values


def test_money_follows_the_locale() -> None:
    assert format_money(Decimal("12.5"), "EUR", "en") == "€12.50"
    assert format_money("12.5", "EUR", "es") == "12,50\xa0€"
    assert format_money("1500", "JPY", "en") == "¥1,500"


def test_dates_follow_the_locale() -> None:
    assert format_day(date(2026, 11, 30), "en") == "Nov 30, 2026"
    assert format_day("2026-11-30", "es") == "30 nov 2026"


def test_format_values_only_touches_money_and_dates() -> None:
    values = format_values({"amount": "9.90", "currency": "USD", "date": "2026-12-01", "items": "1 × Mug"})
    assert values == {"amount": "$9.90", "currency": "USD", "date": "Dec 1, 2026", "items": "1 × Mug"}


def test_unparseable_values_are_left_readable() -> None:
    assert format_day("soon") == "soon"
    assert format_money("n/a", "EUR") == "n/a EUR"
