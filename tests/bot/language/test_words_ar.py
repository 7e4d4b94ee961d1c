"""Arabic answers the parser must read (bot/language/words/ar.yml): MSA, Gulf, Egyptian and
Levantine spellings, Arabic-Indic digits and a little Arabizi."""

from __future__ import annotations

import pytest

from bot.parsing import means_every_unit, parse_count, parse_order_number, parse_ordinal, parse_rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اثنين", 2),
        ("وصلني اثنين", 2),
        ("اتنين بس", 2),  # Egyptian
        ("ثنتين", 2),  # Gulf
        ("تنين", 2),  # Levantine
        ("etnein", 2),
        ("واحد", 1),
        ("وصلني واحد بس", 1),
        ("بس وحدة", 1),
        ("واحده", 1),  # ة typed as ه
        ("ولا واحد", 0),  # "not a single one", not 1
        ("ما وصلني ولا شي", 0),
        ("ولا حاجة", 0),
        ("صفر", 0),
        ("٣", 3),  # Arabic-Indic digits
        ("استلمت ٢ من ٣", 2),
        ("ثلاثة", 3),
        ("تلاتة", 3),
        ("أربعة", 4),
        ("اربعه", 4),  # without hamza
        ("خمسة", 5),
        ("ست", 6),
        ("عشرة", 10),
        ("حداشر", 11),
        ("عشرين", 20),
        ("كتير", None),
        ("ما أدري", None),
    ],
)
def test_counts(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الأول", 1),
        ("الاول", 1),
        ("اول واحد", 1),
        ("الثاني", 2),
        ("التانية", 2),
        ("الكوب الثاني", 2),
        ("الثالث", 3),
        ("الرابع", 4),
        ("الأخير", -1),
        ("الاخيرة", -1),
        ("آخر واحد", -1),
        ("el tani", 2),
        ("الكوب", None),
        ("ابعتوه تاني", None),  # "send it again", not "the second"
    ],
)
def test_ordinals(text: str, expected: int | None) -> None:
    assert parse_ordinal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الاثنين", True),
        ("الاتنين مكسورين", True),
        ("كلهم", True),
        ("كلها مكسورة", True),
        ("كلاهما", True),
        ("واحد بس", False),
    ],
)
def test_every_unit(text: str, expected: bool) -> None:
    assert means_every_unit(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("رقم طلبي ١٠٠٢٣١", "SO-100231"),
        ("رقم الطلب هو 100231 وجوالي 0501234567", "SO-100231"),
        ("الأوردر رقم 100244 والإيميل fatimah.alqahtani@example.sa", "SO-100244"),
        ("طلبي SO-100231", "SO-100231"),
        ("so١٠٠٢٣٧", "SO-100237"),
        ("جوالي ٠٥٠١٢٣٤٥٦٧", None),
    ],
)
def test_order_numbers(text: str, expected: str | None) -> None:
    assert parse_order_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("٥", 5), ("أعطيكم ٤", 4), ("خمسة", 5), ("عشرة", None)])
def test_ratings(text: str, expected: int | None) -> None:
    assert parse_rating(text) == expected
