"""Dutch answers the parser must read (bot/language/words/nl.yml)."""

import pytest

from bot.parsing import means_every_unit, parse_count, parse_order_number, parse_ordinal, parse_rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("twee", 2),
        ("ik heb er twee gekregen", 2),
        ("er zijn er drie aangekomen", 3),
        ("maar één", 1),
        ("eentje", 1),
        ("maar eentje gekregen", 1),
        ("geen", 0),
        ("geen enkele", 0),
        ("niks", 0),
        ("niets ontvangen", 0),
        ("nul", 0),
        ("twaalf", 12),
        ("twintig", 20),
        ("drie van de vier", 3),
        # "een" is also the article: in a sentence it is not a count...
        ("ze hebben allebei een andere kleur", None),
        ("er zat een briefje in", None),
    ],
)
def test_dutch_counts(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("de eerste", 1),
        ("de tweede", 2),
        ("het derde artikel", 3),
        ("de laatste", -1),
        ("de bovenste", 1),
        ("de mok", None),
        ("twee", None),
    ],
)
def test_dutch_ordinals(text: str, position: int | None) -> None:
    assert parse_ordinal(text) == position


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("allebei", True),
        ("ze zijn allemaal kapot", True),
        ("beide mokken", True),
        ("maar eentje", False),
        ("de blauwe", False),
    ],
)
def test_dutch_answers_meaning_every_unit(text: str, every: bool) -> None:
    assert means_every_unit(text) is every


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("mijn bestelnummer is 100231", "SO-100231"),
        ("bestelling 100232", "SO-100232"),
        ("ordernummer: 100233", "SO-100233"),
        ("bestelnr. 100234", "SO-100234"),
        ("het is so-100235", "SO-100235"),
        ("mijn telefoonnummer is 0612345678", None),
    ],
)
def test_dutch_order_numbers(text: str, number: str | None) -> None:
    assert parse_order_number(text) == number


@pytest.mark.parametrize(
    ("text", "score"), [("vier", 4), ("vijf sterren", 5), ("een dikke vier", 4), ("nul", None)]
)
def test_dutch_ratings(text: str, score: int | None) -> None:
    assert parse_rating(text) == score
