"""Italian answers the parser must read (bot/language/words/it.yml)."""

import pytest

from bot.parsing import means_every_unit, parse_count, parse_order_number, parse_ordinal, parse_rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("due", 2),
        ("ne sono arrivate due", 2),
        ("tre", 3),
        ("una", 1),
        ("solo uno", 1),
        ("ne è arrivata solo una", 1),
        ("ne ho ricevuto uno", 1),
        ("nessuna", 0),
        ("non ne è arrivato nessuno", 0),
        ("nemmeno una", 0),
        ("niente", 0),
        ("zero", 0),
        ("diciassette", 17),
        ("venti", 20),
        ("un paio", 2),
        ("una dozzina", 12),
        # "una" is also the article; "sei" is "you are" (and Portuguese "I know"), not read as six
        ("c'è una crepa sul bordo", None),
        ("sei sicuro?", None),
    ],
)
def test_italian_counts(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("la prima", 1),
        ("il primo articolo", 1),
        ("la seconda", 2),
        ("il terzo", 3),
        ("l'ultima", -1),
        ("l'ultimo della lista", -1),
        ("la tazza", None),
        ("due", None),
    ],
)
def test_italian_ordinals(text: str, position: int | None) -> None:
    assert parse_ordinal(text) == position


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("entrambe", True),
        ("tutte e due sono rotte", True),
        ("tutti", True),
        ("è tutto rotto", True),
        ("solo una", False),
        ("quella blu", False),
    ],
)
def test_italian_answers_meaning_every_unit(text: str, every: bool) -> None:
    assert means_every_unit(text) is every


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("il mio numero d'ordine è 100231", "SO-100231"),
        ("ordine 100232", "SO-100232"),
        ("n. ordine: 100233", "SO-100233"),
        ("l'ordinazione 100234", "SO-100234"),
        ("è l'so-100235", "SO-100235"),
        ("il mio cellulare è 3471234567", None),
    ],
)
def test_italian_order_numbers(text: str, number: str | None) -> None:
    assert parse_order_number(text) == number


@pytest.mark.parametrize(
    ("text", "score"),
    [("quattro", 4), ("cinque stelle", 5), ("gli do un quattro", 4), ("voto 3", 3), ("zero", None)],
)
def test_italian_ratings(text: str, score: int | None) -> None:
    assert parse_rating(text) == score
