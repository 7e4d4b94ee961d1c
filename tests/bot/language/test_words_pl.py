"""Polish answers the parser must read (bot/language/words/pl.yml)."""

from __future__ import annotations

import pytest

from bot.parsing import means_every_unit, parse_count, parse_order_number, parse_ordinal, parse_rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dwie", 2),
        ("dostałam dwie", 2),
        ("dwóch brakuje", 2),
        ("dwoch", 2),  # typed without Polish letters
        ("tylko jeden", 1),
        ("dostałem tylko jeden kubek", 1),
        ("jedną", 1),
        ("jeden z trzech", 1),
        ("żadnego", 0),
        ("zadnego nie dostalam", 0),
        ("nic nie przyszło", 0),
        ("ani jednego", 0),
        ("trzy", 3),
        ("czterech", 4),
        ("pięć", 5),
        ("trzynaście", 13),  # not "trzy"
        ("dwadzieścia", 20),
        ("nowy piec jest pęknięty na boku", None),  # "piec" is an oven here, not "pięć"
        ("dużo", None),
    ],
)
def test_counts(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pierwszy", 1),
        ("pierwszą", 1),
        ("drugi", 2),
        ("drugą pozycję", 2),
        ("trzeci produkt", 3),
        ("czwarty", 4),
        ("ostatni", -1),
        ("ostatnią", -1),
        ("ten kubek", None),
    ],
)
def test_ordinals(text: str, expected: int | None) -> None:
    assert parse_ordinal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oba", True),
        ("obie", True),
        ("obydwa kubki są zielone", True),
        ("wszystkie", True),
        ("jeden", False),
    ],
)
def test_every_unit(text: str, expected: bool) -> None:
    assert means_every_unit(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("numer zamówienia 100231", "SO-100231"),
        ("zamówienie nr 100231, tel. 501 234 567", "SO-100231"),
        ("moje zamowienie to 100231, telefon 501234567", "SO-100231"),
        ("nr zamówienia: 100231 i mail anna@example.pl", "SO-100231"),
        ("SO100231", "SO-100231"),
        ("tel. 501 234 567", None),
    ],
)
def test_order_numbers(text: str, expected: str | None) -> None:
    assert parse_order_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("daję pięć", 5), ("cztery", 4), ("dziesięć", None)])
def test_ratings(text: str, expected: int | None) -> None:
    assert parse_rating(text) == expected
