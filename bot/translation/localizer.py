"""Which words a reply goes out with, in the conversation's language.

A curated translation first; else the machine translation of the English text (through the
translation cache, bounded by the translator's timeout); else the English text itself, so a
reply is never lost because a translator is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bot.translation import catalog

Source = Literal["curated", "machine", "english"]


class TextTranslator(Protocol):
    def translate(self, text: str, source: str, target: str) -> str | None: ...


@dataclass(frozen=True)
class Localized:
    text: str
    buttons: tuple[str, ...]
    source: Source


def curated(response: str, english_buttons: tuple[str, ...], language: str) -> Localized | None:
    """The curated wording, or None when `language` has none for this response."""
    entry = catalog.curated(response, language)
    if entry is None:
        return None
    # Digit-only titles (ratings) are not translated; word titles come from the catalog in order.
    words = iter(entry.buttons)
    buttons = tuple(t if t.isdigit() else next(words, t) for t in english_buttons)
    return Localized(entry.text, buttons, "curated")


def localize(
    response: str,
    english: str,
    english_buttons: tuple[str, ...],
    language: str,
    translator: TextTranslator | None,
) -> Localized:
    """The reply's text and button titles in `language`."""
    if language == "en":
        return Localized(english, english_buttons, "english")
    found = curated(response, english_buttons, language)
    if found is not None:
        return found
    if translator is not None:
        text = translator.translate(english, "en", language)
        if text:
            buttons = tuple(
                t if t.isdigit() else (translator.translate(t, "en", language) or t) for t in english_buttons
            )
            return Localized(text, buttons, "machine")
    return Localized(english, english_buttons, "english")
