"""Turkish answers the parser must read (bot/language/words/tr.yml): suffixed forms (ikisi, ikisini,
ilkini), text typed without Turkish letters (alti, hicbiri) and words that must not count."""

from __future__ import annotations

import pytest

from bot.parsing import means_every_unit, parse_count, parse_order_number, parse_ordinal, parse_rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("iki", 2),
        ("iki tane", 2),
        ("ikisi geldi", 2),  # "two of them came"
        ("ikisini aldım", 2),
        ("İKİ", 2),  # Turkish capital İ
        ("bir tane", 1),
        ("sadece biri geldi", 1),
        ("birini aldım", 1),
        ("tek", 1),
        ("hiçbiri", 0),
        ("hicbiri gelmedi", 0),  # typed without ç
        ("hiç", 0),
        ("yok", 0),
        ("kupa yok", 0),
        ("sıfır", 0),
        ("sifir", 0),
        ("üç", 3),
        ("uc tane", 3),
        ("dördü geldi", 4),
        ("beş", 5),
        ("altı", 6),
        ("alti", 6),  # dotless ı typed as i
        ("altısı", 6),
        ("on tane", 10),
        ("on iki", 12),  # not 10
        ("yirmi", 20),
        ("iki gün önce geldi", 2),
        ("birkaç tane", None),  # "a few" is no count
        ("biraz", None),
        ("ücretsiz", None),  # starts like "üç" but is "free of charge"
        ("bilmiyorum", None),
    ],
)
def test_counts(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ilki", 1),
        ("ilkini", 1),
        ("birinci", 1),
        ("ikincisi", 2),
        ("ikinciyi istiyorum", 2),
        ("üçüncü", 3),
        ("ucuncusu", 3),
        ("dördüncü", 4),
        ("sonuncu", -1),
        ("sondaki", -1),
        ("son olan", -1),
        ("kupa", None),
        ("son", None),  # also Spanish "son" (they are): only longer forms mean "the last"
    ],
)
def test_ordinals(text: str, expected: int | None) -> None:
    assert parse_ordinal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hepsi", True),
        ("hepsi kırık", True),
        ("ikisi de", True),
        ("tümü", True),
        ("tamami", True),
        ("her ikisi", True),
        ("biri", False),
    ],
)
def test_every_unit(text: str, expected: bool) -> None:
    assert means_every_unit(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sipariş numaram 100231", "SO-100231"),
        ("siparisim 100231 telefonum 05321234567", "SO-100231"),  # the order word picks the number
        ("siparis no: 100244", "SO-100244"),
        ("SO-100231 nolu siparişim", "SO-100231"),
        ("telefonum 0532 123 45 67", None),
    ],
)
def test_order_numbers(text: str, expected: str | None) -> None:
    assert parse_order_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("5", 5), ("beş", 5), ("dört veriyorum", 4), ("on", None)])
def test_ratings(text: str, expected: int | None) -> None:
    assert parse_rating(text) == expected
