"""Explicit requests to switch language, in the words customers use."""

from __future__ import annotations

import pytest

from bot.language.requests import is_language_request_only, requested_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("English please", "en"),
        ("can you speak english", "en"),
        ("in english", "en"),
        ("English?", "en"),
        ("请说中文", "zh"),
        ("说中文", "zh"),
        ("中文可以吗", "zh"),
        ("你会说中文吗", "zh"),
        ("en español", "es"),
        ("¿hablas español?", "es"),
        ("español", "es"),
        ("castellano por favor", "es"),
        ("auf Deutsch bitte", "de"),
        ("Sprechen Sie Deutsch?", "de"),
        ("parlez-vous français", "fr"),
        ("en francais svp", "fr"),
        ("em português por favor", "pt"),
        ("italiano per favore", "it"),
        ("по-русски пожалуйста", "ru"),
        ("на русском", "ru"),
        ("日本語でお願いします", "ja"),
        ("한국어로 해주세요", "ko"),
        ("영어 할 줄 아세요?", "en"),
        ("بالعربي", "ar"),
        ("هل تتكلم العربية", "ar"),
        ("Türkçe lütfen", "tr"),
        ("turkce konusabilir misiniz", "tr"),
        ("in het Nederlands", "nl"),
        ("Kunt u Nederlands spreken?", "nl"),
        ("po polsku", "pl"),
        ("mówisz po polsku?", "pl"),
        ("svenska?", "sv"),  # outside the 14: machine translation
        ("can you answer in Swedish please", "sv"),
    ],
)
def test_a_bare_request_names_the_language(text: str, language: str) -> None:
    assert requested_language(text) == language
    assert is_language_request_only(text)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hi, my order is late, can you answer in English", "en"),
        ("in english pls, my order SO-100231 hasn't arrived", "en"),
        ("我要退款，请说中文", "zh"),
        ("No hablo inglés, ¿hay alguien que hable español?", "es"),
        ("not spanish, english please", "en"),
    ],
)
def test_a_request_inside_a_longer_message_is_found_but_is_not_request_only(text: str, language: str) -> None:
    assert requested_language(text) == language
    assert not is_language_request_only(text)


@pytest.mark.parametrize(
    "text",
    [
        "I ordered an English dictionary and it's missing",
        "my Spanish guitar arrived broken",
        "Spanish guitar broken",
        "the manual is only in English",
        "I don't speak English",
        "the Turkish towels please",
        "nail polish arrived broken",
        "help, the english manual is missing",
        "quiero devolver el libro en inglés",
        "instrukcja jest tylko po polsku",
        "中文版说明书丢了",
        "日本語話せない",
        "영어 못해요",
        "hola",
        "where is my order",
        "",
    ],
)
def test_a_language_named_in_passing_is_not_a_request(text: str) -> None:
    assert requested_language(text) is None
    assert not is_language_request_only(text)
