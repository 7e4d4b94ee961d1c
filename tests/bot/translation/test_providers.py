"""deep-translator translators built from configuration, and getting the process's translator."""

from __future__ import annotations

import time

import pytest
from deep_translator import DeeplTranslator, GoogleTranslator, LibreTranslator

from bot.translation import get_translator, reset_translator
from bot.translation.libretranslate_peer import peer_stats
from bot.translation.providers import ProviderConfig, build, normalize, provider_code


def test_google_is_the_default_and_spells_codes_its_way() -> None:
    translator = build(ProviderConfig(), "zh", "he")
    assert isinstance(translator, GoogleTranslator)
    assert (translator.source, translator.target) == ("zh-CN", "iw")
    assert (build(ProviderConfig(), "auto", "sv").source, provider_code("google", "en")) == ("auto", "en")


def test_libretranslate_with_and_without_a_key() -> None:
    translator = build(ProviderConfig("libretranslate", "http://127.0.0.1:5000"), "no", "sv")
    assert isinstance(translator, LibreTranslator)
    assert (translator._base_url, translator.api_key) == ("http://127.0.0.1:5000/", None)
    assert (translator.source, translator.target) == ("nb", "sv")  # a language deep-translator's list lacks
    keyed = build(ProviderConfig("libretranslate", api_key="k"), "auto", "en")
    assert (keyed._base_url, keyed.api_key, keyed.source) == ("http://127.0.0.1:5000/", "k", "auto")


def test_deepl_free_keys_and_automatic_source() -> None:
    free = build(ProviderConfig("deepl", api_key="abc:fx"), "auto", "de")
    assert isinstance(free, DeeplTranslator) and "api-free.deepl.com" in free._base_url
    assert (free.source, free.target) == (None, "de")
    assert "api.deepl.com" in build(ProviderConfig("deepl", api_key="abc"), "sv", "en")._base_url


def test_codes() -> None:
    assert [normalize(c) for c in ("auto", "SV", "zh_TW", "iw", "xx-YY", "")] == [
        "auto",
        "sv",
        "zh",
        "he",
        "",
        "",
    ]
    assert provider_code("microsoft", "zh") == "zh-hans"
    assert provider_code("libretranslate", "no") == "nb"
    with pytest.raises(ValueError):
        ProviderConfig("babelfish")
    with pytest.raises(ValueError):
        build(ProviderConfig("none"), "sv", "en")


def test_unknown_target_language_is_not_sent(make_translator, calls) -> None:
    translator = make_translator()
    assert translator.translate("tack", "sv", "xx") is None
    assert translator.translate("tack", "", "en") == "thanks"  # unknown source: let it detect
    assert calls() == 1


def test_get_translator_follows_the_environment_and_is_cheap(
    monkeypatch: pytest.MonkeyPatch, peer: str, db_url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("TRANSLATOR", "libretranslate")
    monkeypatch.setenv("TRANSLATOR_URL", peer)
    reset_translator()
    try:
        translator = get_translator()
        assert translator is get_translator()
        assert translator.translate("ja tack", "sv", "en") == "yes please"
        rounds = 10_000
        started = time.perf_counter()
        for _ in range(rounds):
            get_translator()
        assert (time.perf_counter() - started) / rounds < 0.0001
        monkeypatch.setenv("TRANSLATOR", "none")
        assert get_translator() is not translator
        assert get_translator().translate("ja tack", "sv", "en") is None
        assert peer_stats(peer)["translate"] == 1
    finally:
        reset_translator()
