"""Japanese answers the parser must read (bot/language/words/ja.yml)."""

import pytest

from bot.parsing import means_every_unit, parse_count, parse_order_number, parse_ordinal, parse_rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ふたつ", 2),
        ("２つ届きました", 2),
        ("二個です", 2),
        ("ひとつだけ", 1),
        ("1個しか入ってなかった", 1),
        ("二つしか入ってなかった", 2),  # the number comes before the "not there" word
        ("三つ入ってなかった", 3),
        ("ひとつも届いてない", 0),
        ("一つも入っていません", 0),
        ("なし", 0),
        ("ありません", 0),
        ("ゼロです", 0),
        ("十個", 10),
        ("たくさん", None),
    ],
)
def test_counts(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("最初のやつ", 1),
        ("二つ目です", 2),
        ("ふたつめ", 2),
        ("3番目の商品", 3),
        ("最後のです", -1),
        ("マグカップ", None),
    ],
)
def test_ordinals(text: str, expected: int | None) -> None:
    assert parse_ordinal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("両方とも", True), ("全部割れてた", True), ("どっちもです", True), ("よくわからない", False)],
)
def test_every_unit(text: str, expected: bool) -> None:
    assert means_every_unit(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("注文番号は100231です", "SO-100231"),
        ("ご注文 100243 の件", "SO-100243"),
        ("オーダー番号：１００２３８", "SO-100238"),
        ("ＳＯ－１００２４２です", "SO-100242"),
        ("まだわかりません", None),
    ],
)
def test_order_numbers(text: str, expected: str | None) -> None:
    assert parse_order_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("星4つ", 4), ("５です", 5), ("⭐⭐⭐", 3), ("ゼロ", None)])
def test_ratings(text: str, expected: int | None) -> None:
    assert parse_rating(text) == expected
