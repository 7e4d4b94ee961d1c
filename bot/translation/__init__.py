"""Machine translation for what has no curated translation: deep-translator behind a timeout,
retries, a circuit breaker, placeholder protection and a cache shared by every process.

    from bot.translation import get_translator
    text = get_translator().translate("Hej, det saknas en sak i mitt paket", "sv", "en")  # or None

The service is imported on first use, so `bot.translation.catalog` stays light to import.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Translator", "TranslatorStats", "get_translator", "reset_translator"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from bot.translation import service

        return getattr(service, name)
    raise AttributeError(f"module 'bot.translation' has no attribute {name!r}")
