"""French answers the parser must read (bot/language/words/fr.yml)."""

import pytest

from bot.parsing import means_every_unit, parse_count, parse_order_number, parse_ordinal, parse_rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("deux", 2),
        ("j'en ai reçu deux", 2),
        ("trois sont arrivées", 3),
        ("une", 1),
        ("une seule", 1),
        ("je n'en ai reçu qu'une", 1),
        ("juste un", 1),
        ("aucune", 0),
        ("aucun n'est arrivé", 0),
        ("rien reçu", 0),
        ("pas une seule", 0),
        ("pas un seul n'est arrivé", 0),
        ("zéro", 0),
        ("dix-sept", 17),
        ("vingt", 20),
        ("une douzaine", 12),
        ("neuf", 9),
        # "un"/"une" is also the article and "neuf" means "new": in a sentence they are not counts
        ("il y a une fissure sur le bord", None),
        ("j'ai reçu un neuf mais il est rayé", None),
    ],
)
def test_french_counts(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("la première", 1),
        ("le premier article", 1),
        ("la deuxième", 2),
        ("la seconde", 2),
        ("la troisième", 3),
        ("le dernier", -1),
        ("la dernière tasse", -1),
        ("le mug", None),
        ("deux", None),
    ],
)
def test_french_ordinals(text: str, position: int | None) -> None:
    assert parse_ordinal(text) == position


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("les deux", True),
        ("toutes les deux sont cassées", True),
        ("toutes", True),
        ("tout est cassé", True),
        ("une seule", False),
        ("la bleue", False),
    ],
)
def test_french_answers_meaning_every_unit(text: str, every: bool) -> None:
    assert means_every_unit(text) is every


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("mon numéro de commande est 100231", "SO-100231"),
        ("commande 100232", "SO-100232"),
        ("n° de commande : 100233", "SO-100233"),
        ("réf. 100234", "SO-100234"),
        ("c'est la so-100235", "SO-100235"),
        ("mon portable c'est le 0612345678", None),
    ],
)
def test_french_order_numbers(text: str, number: str | None) -> None:
    assert parse_order_number(text) == number


@pytest.mark.parametrize(
    ("text", "score"), [("quatre", 4), ("cinq étoiles", 5), ("je mets un quatre", 4), ("zéro", None)]
)
def test_french_ratings(text: str, score: int | None) -> None:
    assert parse_rating(text) == score
