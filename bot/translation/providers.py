"""deep-translator translators built from configuration, with our language codes mapped to theirs.

A new translator object is built for every call (it is cheap): deep-translator's objects keep
per-call state (GoogleTranslator rewrites its URL parameters on every call), so sharing one
between threads is not safe.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from deep_translator import DeeplTranslator, GoogleTranslator, LibreTranslator, MicrosoftTranslator
from deep_translator.base import BaseTranslator

from bot.config import TRANSLATORS, Settings
from bot.language import codes

PROVIDERS = TRANSLATORS  # google, libretranslate, deepl, microsoft, none
LIBRETRANSLATE_DEFAULT_URL = "http://127.0.0.1:5000/"  # LibreTranslate's own default port

# Spellings bot.language.codes does not cover (it knows Google's and LibreTranslate's).
_MICROSOFT = {"zh": "zh-hans", "no": "nb"}
_DEEPL = {"no": "nb"}


@dataclass(frozen=True)
class ProviderConfig:
    name: str = "google"
    url: str | None = None
    api_key: str | None = None
    region: str | None = None

    def __post_init__(self) -> None:
        if self.name not in PROVIDERS:
            raise ValueError(f"translator must be one of {', '.join(PROVIDERS)}; got {self.name!r}")

    @classmethod
    def from_settings(cls, settings: Settings) -> ProviderConfig:
        return cls(
            settings.translator,
            settings.translator_url,
            settings.translator_api_key,
            settings.translator_region,
        )


def normalize(lang: str) -> str:
    """Our code for a language tag ("zh_CN" -> "zh", "iw" -> "he"), "auto" for "auto", "" when
    the tag names no language."""
    code = lang.strip().lower() if isinstance(lang, str) else ""
    return "auto" if code == "auto" else codes.normalize(code)


def provider_code(provider: str, lang: str) -> str:
    """Our language code as `provider` spells it: Google wants "zh-CN" and "iw" for Hebrew."""
    if provider == "google":
        return codes.to_google(lang)
    if provider == "libretranslate":
        return codes.to_libretranslate(lang)
    code = normalize(lang)
    return {"microsoft": _MICROSOFT, "deepl": _DEEPL}.get(provider, {}).get(code, code)


class _MicrosoftTranslator(MicrosoftTranslator):
    """MicrosoftTranslator downloads the list of languages in its constructor; once is enough."""

    _cached_languages: dict | None = None
    _languages_lock = threading.Lock()

    def _get_supported_languages(self) -> dict:
        with self._languages_lock:
            if _MicrosoftTranslator._cached_languages is None:
                _MicrosoftTranslator._cached_languages = super()._get_supported_languages()
            return _MicrosoftTranslator._cached_languages


def build(config: ProviderConfig, source: str, target: str) -> BaseTranslator:
    """A deep-translator translator for one call from `source` to `target` (our codes or "auto").

    Languages are set after construction: deep-translator's built-in lists for LibreTranslate
    and DeepL are years old (no Swedish for LibreTranslate), while the services themselves
    answer a language they lack with a 400, which we handle like any other refusal.
    """
    name = config.name
    src = "auto" if normalize(source) == "auto" else provider_code(name, source)
    tgt = provider_code(name, target)
    if name == "google":
        translator: BaseTranslator = GoogleTranslator(source="auto", target="en")
    elif name == "libretranslate":
        url = config.url or LIBRETRANSLATE_DEFAULT_URL
        # LibreTranslator refuses to start without a key, although self-hosted servers need none:
        # give it a stand-in and clear it, so that no key is sent.
        translator = LibreTranslator(
            source="auto", target="en", api_key=config.api_key or "-", custom_url=url.rstrip("/") + "/"
        )
        translator.api_key = config.api_key
    elif name == "deepl":
        # Free-plan keys end in ":fx" and have their own endpoint.
        key = config.api_key or ""
        translator = DeeplTranslator(source="en", target="de", api_key=key, use_free_api=key.endswith(":fx"))
        if src == "auto":
            src = None  # DeepL detects the language when source_lang is left out (requests drops None)
    elif name == "microsoft":
        translator = _MicrosoftTranslator(
            source="auto", target="en", api_key=config.api_key, region=config.region
        )
    else:
        raise ValueError(f"translator {name!r} does not translate")
    translator.source, translator.target = src, tgt
    return translator
