"""German answers the parser must read (bot/language/words/de.yml)."""

import pytest

from bot.parsing import means_every_unit, parse_count, parse_order_number, parse_ordinal, parse_rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zwei", 2),
        ("ich habe zwei bekommen", 2),
        ("drei sind angekommen", 3),
        ("zwo", 2),
        ("eins", 1),
        ("eine", 1),
        ("nur eine", 1),
        ("nur eine ist angekommen", 1),
        ("ich habe nur einen bekommen", 1),
        ("keine", 0),
        ("keiner ist angekommen", 0),
        ("gar nichts", 0),
        ("nix", 0),
        ("null", 0),
        ("zwölf", 12),
        ("zwoelf", 12),  # typed without umlauts
        ("fuenf", 5),
        ("zwanzig", 20),
        ("drei von vier", 3),
        # "ein"/"eine"/"einen" is also the article: in a sentence it is not a count
        ("sie hat einen sprung", None),
        ("die tasse hat einen riss und eine delle", None),
    ],
)
def test_german_counts(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("die erste", 1),
        ("den ersten artikel", 1),
        ("die zweite", 2),
        ("das dritte", 3),
        ("der letzte", -1),
        ("die letzte tasse", -1),
        ("die tasse", None),
        ("zwei", None),
    ],
)
def test_german_ordinals(text: str, position: int | None) -> None:
    assert parse_ordinal(text) == position


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("beide", True),
        ("alle beide sind kaputt", True),
        ("alle", True),
        ("alles kaputt", True),
        ("nur eine", False),
        ("die blaue", False),
    ],
)
def test_german_answers_meaning_every_unit(text: str, every: bool) -> None:
    assert means_every_unit(text) is every


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("meine bestellnummer ist 100231", "SO-100231"),
        ("bestellung 100232", "SO-100232"),
        ("Bestell-Nr. 100233", "SO-100233"),
        ("auftrag 100234", "SO-100234"),
        ("es ist die so-100235", "SO-100235"),
        ("meine handynummer ist 01711234567", None),
    ],
)
def test_german_order_numbers(text: str, number: str | None) -> None:
    assert parse_order_number(text) == number


@pytest.mark.parametrize(
    ("text", "score"), [("vier", 4), ("fünf sterne", 5), ("ich gebe eine vier", 4), ("null", None)]
)
def test_german_ratings(text: str, score: int | None) -> None:
    assert parse_rating(text) == score
