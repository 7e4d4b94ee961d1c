from datetime import date
from decimal import Decimal

from bot.language.formatting import format_day, format_moment, format_money, format_values


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


def test_an_opening_time_is_shown_in_the_business_zone_in_the_customers_words() -> None:
    opens = "2026-11-24T08:00:00+00:00"  # 09:00 in Berlin
    assert format_moment(opens, "en", "Europe/Berlin") == (
        "Tue, Nov 24, 2026 9:00\u202fAM (Central European Standard Time)"
    )
    assert format_moment(opens, "zh", "Europe/Berlin") == "2026年11月24日周二 09:00 (中欧标准时间)"
    assert format_values({"opens_at": opens, "timezone": "Asia/Tokyo"}, "ja")["opens_at"].startswith(
        "2026年11月24日(火) 17:00"
    )
    assert format_moment("after lunch", "en") == "after lunch"
