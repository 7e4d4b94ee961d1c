"""Language codes: one spelling inside the bot, each translator's spelling at the edge."""

from __future__ import annotations

import pytest
from babel import Locale

from bot.language.codes import (
    SUPPORTED,
    is_supported,
    language_name,
    normalize,
    to_babel,
    to_google,
    to_libretranslate,
)


def test_the_fourteen_languages_in_order() -> None:
    assert SUPPORTED == ("en", "zh", "es", "fr", "de", "pt", "it", "ru", "ja", "ko", "ar", "tr", "nl", "pl")


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("zh-cn", "zh"),
        ("zh-TW", "zh"),
        ("zh_Hans", "zh"),
        ("zh-CN", "zh"),
        ("zh-Hant-TW", "zh"),
        ("pt-BR", "pt"),
        ("en_US", "en"),
        ("EN", "en"),
        (" de-DE ", "de"),
        ("iw", "he"),
        ("jw", "jv"),
        ("in", "id"),
        ("nb", "no"),
        ("nn", "no"),
        ("no", "no"),
        ("fil", "tl"),
        ("eng", "en"),
        ("sv-SE", "sv"),
    ],
)
def test_tags_from_apps_and_translators_normalise_to_iso_639_1(tag: str, code: str) -> None:
    assert normalize(tag) == code


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("es-ES,es;q=0.9", "es"),
        ("es-ES,es;q=0.9,en;q=0.8", "es"),
        ("fr;q=0.5, de-DE,de;q=0.9", "de"),  # the highest q wins, not the first
        ("*;q=0.1, ja", "ja"),
    ],
)
def test_a_browser_accept_language_header_gives_its_preferred_language(header: str, code: str) -> None:
    assert normalize(header) == code


@pytest.mark.parametrize("junk", ["", None, "xx", "klingon", "*", "123", "e"])
def test_unknown_or_empty_tags_normalise_to_empty(junk: str | None) -> None:
    assert normalize(junk) == ""


def test_is_supported() -> None:
    assert is_supported("pt-BR") and is_supported("zh_Hant")
    assert not is_supported("sv") and not is_supported("")


def test_google_spellings() -> None:
    assert to_google("zh") == "zh-CN" and to_google("zh-TW") == "zh-CN"
    assert to_google("he") == "iw" and to_google("iw") == "iw"
    assert to_google("jv") == "jw"
    assert to_google("pt-BR") == "pt"


def test_libretranslate_spellings() -> None:
    assert to_libretranslate("zh-CN") == "zh"
    assert to_libretranslate("nb") == "nb"  # Argos names Norwegian "nb"
    assert to_libretranslate("he") == "he"
    # A server that lists the newer names gets them.
    assert to_libretranslate("zh", available={"en", "zh-Hans", "zh-Hant"}) == "zh-Hans"


@pytest.mark.parametrize("code", [*SUPPORTED, "no", "tl", "he", "sv", "fa", "jv"])
def test_babel_accepts_every_locale_name(code: str) -> None:
    Locale.parse(to_babel(code))


def test_babel_names_norwegian_and_filipino_its_own_way() -> None:
    assert to_babel("no") == "nb"
    assert to_babel("tl") == "fil"
    assert to_babel("zh-TW") == "zh"
    assert to_babel("nonsense") == "en"


def test_language_names_come_from_cldr() -> None:
    assert language_name("de") == "German"
    assert language_name("es", "es") == "español"
    assert language_name("zh", "zh") == "中文"
    assert language_name("ja", "ja") == "日本語"
    assert language_name("en", "fr") == "anglais"
    assert language_name("sv", "de") == "Schwedisch"
    assert language_name("no") == "Norwegian"
