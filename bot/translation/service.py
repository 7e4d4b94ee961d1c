"""`Translator.translate(text, source, target)`: a translation, or None when there is none to give.

Order of work for one text: placeholders are protected; the in-process LRU, then the shared
table are asked; only then the provider, within a time budget, with retries on 429/5xx/timeouts,
behind a circuit breaker; the answer is checked (garbage, lost tokens) before it is cached and
shown.  The caller falls back to the curated or English text on None.

`translate` blocks for at most the budget (TRANSLATOR_BUDGET); from asyncio code call it through
`asyncio.to_thread` or an executor.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.config import TRANSLATION_VARIABLES, Settings, get_settings
from bot.translation import providers
from bot.translation.cache import Key, MemoryCache, TableCache
from bot.translation.placeholders import Protected, protect
from bot.translation.resilience import (
    BUSY,
    TIMEOUT,
    BoundedCaller,
    Busy,
    CallTimeout,
    CircuitBreaker,
    Failure,
    classify,
    garbage,
)

log = logging.getLogger(__name__)

MIN_ATTEMPT = 0.05  # seconds: less than this left in the budget is not worth a call
BACKOFF = 0.2  # seconds before the first retry; doubled each time, with jitter


@dataclass
class TranslatorStats:
    """Counters for tests and diagnostics."""

    memory_hits: int = 0
    table_hits: int = 0
    calls: int = 0  # provider calls attempted (retries included)
    translated: int = 0
    short_circuited: int = 0  # translations refused at once because the circuit was open
    failures: dict[str, int] = field(default_factory=dict)  # by Failure.kind


class Translator:
    """Machine translation through the configured provider, cached and guarded.

    Thread-safe; one per process is enough (`get_translator()`).  Tests build their own with
    explicit settings, e.g. `Translator(replace(get_settings(), translator="libretranslate",
    translator_url=url, database_url=db_url))`.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        max_in_flight: int = 4,
        memory_size: int = 4096,
        backoff: float = BACKOFF,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.settings = settings = settings or get_settings()
        self.provider = providers.ProviderConfig.from_settings(settings)
        self.timeout, self.budget = settings.translator_timeout, settings.translator_budget
        self.retries = settings.translator_retries
        self.breaker = CircuitBreaker(
            settings.translator_breaker_threshold, settings.translator_breaker_cooldown, clock
        )
        self.memory = MemoryCache(memory_size)
        self.table = TableCache(settings.database_url)
        self.stats = TranslatorStats()
        self._caller = BoundedCaller(max_in_flight)
        self._backoff, self._sleep, self._clock = backoff, sleep, clock
        self._stats_lock = threading.Lock()
        self.enabled = self.provider.name != "none"
        if self.provider.name in ("deepl", "microsoft") and not self.provider.api_key:
            log.error(
                "TRANSLATOR=%s needs TRANSLATOR_API_KEY: machine translation is off", self.provider.name
            )
            self.enabled = False

    def translate(self, text: str, source: str, target: str) -> str | None:
        """`text` from `source` ("auto" to let the provider detect it) into `target`.

        Returns the text itself when there is nothing to translate (same language, blank, only
        numbers and codes), None when it could not be translated in time or correctly."""
        if not isinstance(text, str) or not self.enabled:
            return None
        deadline = self._clock() + self.budget  # the cache lookups count too
        src, tgt = providers.normalize(source) or "auto", providers.normalize(target)
        stripped = text.strip()
        if not stripped or src == tgt:
            return text
        if not tgt or tgt == "auto":  # no language to translate into
            return None
        # The LRU holds finished translations of exact texts: a hit needs no placeholder work.
        exact: Key = (self.provider.name, src, tgt, stripped)
        restored = self.memory.get(exact)
        if restored is not None:
            self._count("memory_hits")
        else:
            restored = self._translate(protect(stripped), src, tgt, deadline)
            if restored is None:
                return None
            self.memory.put(exact, restored)
        # Keep the original's surrounding whitespace (line breaks of multi-part messages).
        return text[: len(text) - len(text.lstrip())] + restored + text[len(text.rstrip()) :]

    def _translate(self, protected: Protected, source: str, target: str, deadline: float) -> str | None:
        """The table, then the provider, for a protected text; the values restored."""
        if not protected.translatable:
            return protected.restore(protected.text)
        # The table holds texts as sent, tokens included: one row serves every order number.
        key: Key = (self.provider.name, source, target, protected.text)
        translated = self.table.get(key)
        if translated is not None and protected.restore(translated) is not None:
            self._count("table_hits")
        else:
            translated = self._call(protected, source, target, deadline)
            if translated is None:
                return None
            self.table.put(key, translated)
        return protected.restore(translated)

    def _call(self, protected: Protected, source: str, target: str, deadline: float) -> str | None:
        """The provider's checked answer for `protected.text` before `deadline`, or None."""
        attempt = 0
        while True:
            remaining = deadline - self._clock()
            if remaining < MIN_ATTEMPT:
                return None
            if not self.breaker.allow():
                self._count("short_circuited")
                return None
            self._count("calls")
            failure: Failure | None
            try:
                result = self._caller.call(
                    lambda: providers.build(self.provider, source, target).translate(protected.text),
                    min(self.timeout, remaining),
                )
                failure = garbage(result, protected)
            except CallTimeout:
                failure = TIMEOUT
            except Busy:
                failure = BUSY
            except Exception as exc:  # deep-translator and requests raise many unrelated types
                failure = classify(exc)
            self.breaker.record(failure)
            if failure is None:
                self._count("translated")
                return result
            with self._stats_lock:
                self.stats.failures[failure.kind] = self.stats.failures.get(failure.kind, 0) + 1
            log.warning(
                "%s translation %s->%s failed (attempt %d): %s %s %s",
                self.provider.name,
                source,
                target,
                attempt + 1,
                failure.kind,
                failure.status or "",
                failure.detail,
            )
            if not failure.retry or attempt >= self.retries:
                return None
            delay = self._backoff * 2**attempt * random.uniform(0.5, 1.0)
            if self._clock() + delay + MIN_ATTEMPT > deadline:
                return None
            self._sleep(delay)
            attempt += 1

    def _count(self, name: str) -> None:
        with self._stats_lock:
            setattr(self.stats, name, getattr(self.stats, name) + 1)


_instance: tuple[tuple[str | None, ...], Translator] | None = None
_instance_lock = threading.Lock()


def get_translator() -> Translator:
    """This process's translator, built from the settings; rebuilt only when one of the
    variables it depends on changes, so the circuit breaker and the LRU live with the process.

    Cheap: compares a few environment variables instead of building the settings."""
    global _instance
    env = tuple(os.environ.get(name) for name in TRANSLATION_VARIABLES)
    current = _instance
    if current is not None and current[0] == env:
        return current[1]
    with _instance_lock:
        if _instance is None or _instance[0] != env:
            _instance = (env, Translator(get_settings()))
        return _instance[1]


def reset_translator() -> None:
    """Forgets the process's translator (tests)."""
    global _instance
    with _instance_lock:
        _instance = None
