"""Russian answers the parser must read (bot/language/words/ru.yml)."""

from __future__ import annotations

import pytest

from bot.parsing import means_every_unit, parse_count, parse_order_number, parse_ordinal, parse_rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("две", 2),
        ("пришли две", 2),
        ("получил два", 2),
        ("из трёх пришло двое", 3),  # the first number named wins, as in other languages
        ("двух не хватает", 2),
        ("одна", 1),
        ("только одну получила", 1),
        ("пришла одна из двух", 1),
        ("ни одной", 0),
        ("ни одного не пришло", 0),
        ("ничего не пришло", 0),
        ("ноль", 0),
        ("три", 3),
        ("трех", 3),
        ("четырёх", 4),
        ("пять", 5),
        ("тринадцать", 13),  # not "три"
        ("двадцать", 20),  # not "два"
        ("dve", 2),
        ("пару", 2),
        ("пару дней назад пришла посылка с кружками", None),  # "a couple of days" is no count
        ("много", None),
    ],
)
def test_counts(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("первый", 1),
        ("первую", 1),
        ("вторая", 2),
        ("вторую кружку", 2),
        ("третий товар", 3),
        ("четвертый", 4),
        ("четвёртую", 4),
        ("последний", -1),
        ("последнюю", -1),
        ("vtoruyu", 2),
        ("во вторник", None),  # "вторник" (Tuesday) is not "второй"
    ],
)
def test_ordinals(text: str, expected: int | None) -> None:
    assert parse_ordinal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("обе", True),
        ("оба разбиты", True),
        ("все", True),
        ("всё разбилось", True),
        ("обеих", True),
        ("одна", False),
    ],
)
def test_every_unit(text: str, expected: bool) -> None:
    assert means_every_unit(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("мой номер заказа 100231", "SO-100231"),
        ("заказ №100231, телефон +7 916 123 45 67", "SO-100231"),
        ("номер заказа: 100231 и почта anna@example.ru", "SO-100231"),
        ("zakaz 100231 tel 89161234567", "SO-100231"),
        ("это SO-100231", "SO-100231"),
        ("телефон +7 916 123 45 67", None),
    ],
)
def test_order_numbers(text: str, expected: str | None) -> None:
    assert parse_order_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("ставлю пять", 5), ("четыре", 4), ("десять", None)])
def test_ratings(text: str, expected: int | None) -> None:
    assert parse_rating(text) == expected
