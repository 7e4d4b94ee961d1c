"""Korean answers the parser must read (bot/language/words/ko.yml)."""

import pytest

from bot.parsing import means_every_unit, parse_count, parse_order_number, parse_ordinal, parse_rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("두 개요", 2),
        ("두개왔어요", 2),  # spaces dropped, as in chat
        ("2개", 2),
        ("하나요", 1),
        ("하나만 왔어요", 1),
        ("한 개만 도착했고 나머지는 안 왔어요", 1),  # the count comes before "did not come"
        ("둘이요", 2),
        ("세 개", 3),
        ("열두 개", 12),
        ("하나도 없어요", 0),
        ("한 개도 안 왔어요", 0),
        ("없어요", 0),
        ("0개", 0),
        ("네 좋아요", None),  # 네 is "yes" here, not four
        ("많이요", None),
    ],
)
def test_counts(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("첫번째 거요", 1), ("두 번째요", 2), ("세번째 상품", 3), ("마지막 거", -1), ("머그컵이요", None)],
)
def test_ordinals(text: str, expected: int | None) -> None:
    assert parse_ordinal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("둘 다요", True), ("전부 깨졌어요", True), ("다 깨졌어요", True), ("모르겠어요", False)],
)
def test_every_unit(text: str, expected: bool) -> None:
    assert means_every_unit(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("주문번호는 100243입니다", "SO-100243"),
        ("주문 번호 100238이요", "SO-100238"),
        ("SO100231이요", "SO-100231"),
        ("번호를 잊어버렸어요", None),
    ],
)
def test_order_numbers(text: str, expected: str | None) -> None:
    assert parse_order_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("별 다섯 개", 5), ("4점이요", 4), ("⭐⭐", 2), ("하나도 없어요", None)]
)
def test_ratings(text: str, expected: int | None) -> None:
    assert parse_rating(text) == expected
