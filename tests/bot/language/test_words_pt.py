"""Portuguese answers the parser must read (bot/language/words/pt.yml), as customers in Brazil and
Portugal type them."""

import pytest

from bot.parsing import means_every_unit, parse_count, parse_order_number, parse_ordinal, parse_rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("duas", 2),
        ("chegaram duas", 2),
        ("recebi dois", 2),
        ("três", 3),
        ("tres", 3),
        ("uma", 1),
        ("só um", 1),
        ("recebi só uma", 1),
        ("chegou só uma caneca", 1),
        ("veio apenas um", 1),
        ("nenhuma", 0),
        ("não chegou nenhum", 0),
        ("nem uma chegou", 0),
        ("nada", 0),
        ("zero", 0),
        ("dezesseis", 16),  # Brazil
        ("dezasseis", 16),  # Portugal
        ("dezanove", 19),
        ("vinte", 20),
        ("meia dúzia", 6),
        ("um par", 2),
        # "uma" is also the article, and "não sei" is "I don't know", not six
        ("veio uma rachadura na tampa", None),
        ("não sei", None),
    ],
)
def test_portuguese_counts(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a primeira", 1),
        ("o primeiro item", 1),
        ("a segunda", 2),
        ("o terceiro", 3),
        ("a última", -1),
        ("o ultimo da lista", -1),
        ("a caneca", None),
        ("duas", None),
    ],
)
def test_portuguese_ordinals(text: str, position: int | None) -> None:
    assert parse_ordinal(text) == position


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("as duas", True),
        ("os dois quebraram", True),
        ("ambas", True),
        ("todas", True),
        ("tudo quebrado", True),
        ("só uma", False),
        ("a azul", False),
    ],
)
def test_portuguese_answers_meaning_every_unit(text: str, every: bool) -> None:
    assert means_every_unit(text) is every


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("o número do meu pedido é 100231", "SO-100231"),
        ("pedido 100232", "SO-100232"),
        ("nº do pedido: 100233", "SO-100233"),
        ("encomenda n.º 100234", "SO-100234"),
        ("é o so100235", "SO-100235"),
        ("meu celular é 11987654321", None),
    ],
)
def test_portuguese_order_numbers(text: str, number: str | None) -> None:
    assert parse_order_number(text) == number


@pytest.mark.parametrize(
    ("text", "score"),
    [("quatro", 4), ("cinco estrelas", 5), ("dou um quatro", 4), ("nota 3", 3), ("zero", None)],
)
def test_portuguese_ratings(text: str, score: int | None) -> None:
    assert parse_rating(text) == score
