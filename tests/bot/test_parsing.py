"""Values out of free text in English, Spanish and Chinese."""

from __future__ import annotations

import pytest

from bot.parsing import (
    means_every_unit,
    normalize_digits,
    parse_count,
    parse_email,
    parse_order_number,
    parse_ordinal,
    parse_phone,
    parse_rating,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SO-100231", "SO-100231"),
        ("so100231", "SO-100231"),
        ("So 100231", "SO-100231"),
        ("SO–100231", "SO-100231"),  # en dash
        ("#100231", "SO-100231"),
        ("order 100231", "SO-100231"),
        ("My order number is 100231, thanks", "SO-100231"),
        ("Order no. 100231 arrived broken", "SO-100231"),
        ("mi pedido nº 100231 llegó roto", "SO-100231"),
        ("１００２３１", "SO-100231"),
        ("ＳＯ－１００２３１", "SO-100231"),
        ("我的订单号是SO100231", "SO-100231"),
        ("订单号：100231，谢谢", "SO-100231"),
        ("订单号是１００２３１", "SO-100231"),
        ("100231", "SO-100231"),
        ("it's 100231 and anna.schmidt@example.de", "SO-100231"),
        ("SO-100231 +49 151 23456789", "SO-100231"),
        ("hello", None),
        ("", None),
        ("SO-1002311", None),  # seven digits: not one of our numbers
        ("12345", None),
        ("call me on +34 612 345 678", None),
        ("also 123456 and 7", None),
    ],
)
def test_parse_order_number(text: str, expected: str | None) -> None:
    assert parse_order_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("anna.schmidt@example.de", "anna.schmidt@example.de"),
        ("  Anna.Schmidt@Example.DE  ", "anna.schmidt@example.de"),
        ("my mail is diego.hernandez@example.com.mx.", "diego.hernandez@example.com.mx"),
        ("我的邮箱是wang.fang@example.cn谢谢", "wang.fang@example.cn"),
        ("ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｎ", "wang@example.cn"),
        ("SO-100231 lucia+shop@example.es", "lucia+shop@example.es"),
        ("no e-mail here", None),
        ("anna@", None),
    ],
)
def test_parse_email(text: str, expected: str | None) -> None:
    assert parse_email(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+49 151 2345 6789", "+4915123456789"),
        ("+1 (202) 555-0143", "+12025550143"),
        ("0049 151 23456789", "+4915123456789"),
        ("0151 23456789", "015123456789"),
        ("mi teléfono es 612 345 678", "612345678"),
        ("我的电话是13812345678", "13812345678"),
        ("＋８６ １３８ １２３４ ５６７８", "+8613812345678"),
        ("SO-100231 +34 612 345 678", "+34612345678"),
        ("SO-100231", None),
        ("100231", None),
        ("delivered on 2026-11-20", None),
        ("call me", None),
    ],
)
def test_parse_phone(text: str, expected: str | None) -> None:
    assert parse_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", 2),
        ("0", 0),
        ("-1", -1),
        ("I got 3 of them", 3),
        ("２", 2),
        ("two", 2),
        ("Only ONE", 1),
        ("twenty", 20),
        ("none", 0),
        ("nothing arrived", 0),
        ("dos", 2),
        ("solo una", 1),
        ("dieciséis", 16),
        ("ninguno", 0),
        ("ninguna llegó", 0),
        ("两", 2),
        ("三个", 3),
        ("我只收到一个", 1),
        ("十二", 12),
        ("二十", 20),
        ("没有", 0),
        ("一个也没有", 0),
        ("lots", None),
        ("", None),
        ("I don't know", None),
    ],
)
def test_parse_count(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", 5),
        ("4/5", 4),
        ("I'd say 3 out of 5", 3),
        ("four", 4),
        ("cinco", 5),
        ("五星", 5),
        ("四", 4),
        ("⭐⭐⭐⭐", 4),
        ("⭐️⭐️", 2),  # with emoji variation selectors
        ("★★★☆☆", 3),
        ("0", None),
        ("6", None),
        ("10/10", None),
        ("great", None),
        ("⭐⭐⭐⭐⭐⭐", None),
    ],
)
def test_parse_rating(text: str, expected: int | None) -> None:
    assert parse_rating(text) == expected


def test_normalize_digits() -> None:
    assert normalize_digits("１２３") == "123"
    assert normalize_digits("٤٥٦ and ७८९") == "456 and 789"
    assert normalize_digits("SO-100231") == "SO-100231"


@pytest.mark.parametrize(
    ("text", "position"),
    [("the second one", 2), ("第二个", 2), ("la primera", 1), ("el último", -1), ("the mug", None)],
)
def test_ordinals_in_three_languages(text: str, position: int | None) -> None:
    assert parse_ordinal(text) == position


@pytest.mark.parametrize(
    ("text", "every"), [("both of them", True), ("las dos", True), ("两个都坏了", True), ("just one", False)]
)
def test_answers_meaning_every_unit(text: str, every: bool) -> None:
    assert means_every_unit(text) is every
