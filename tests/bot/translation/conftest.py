"""Fixtures for bot.translation: a LibreTranslate peer on loopback and translators pointed at it.

Every translator here drives deep-translator's real LibreTranslator over HTTP; only the backoff
sleep is replaced (by a recorder), so retry tests do not wait.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from bot.config import get_settings
from bot.translation import Translator
from bot.translation.libretranslate_peer import peer_stats, running_peer


class Sleeps(list):
    """Records backoff delays instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def peer() -> Iterator[str]:
    with running_peer() as url:
        yield url


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_translator(peer: str, db_url: str, sleeps: Sleeps) -> Callable[..., Translator]:
    """`make_translator(translator_timeout=0.5, ...)`: settings overrides; keyword `real_sleep=True`
    keeps time.sleep, other Translator keywords (max_in_flight, ...) are passed on."""

    def make(real_sleep: bool = False, max_in_flight: int = 4, **overrides) -> Translator:
        values = {"database_url": db_url, "translator": "libretranslate", "translator_url": peer}
        settings = replace(get_settings(), **(values | overrides))
        if real_sleep:
            return Translator(settings, max_in_flight=max_in_flight)
        return Translator(settings, max_in_flight=max_in_flight, sleep=sleeps)

    return make


@pytest.fixture
def calls(peer: str) -> Callable[[], int]:
    """How many /translate requests the peer has received so far."""
    return lambda: peer_stats(peer)["translate"]
