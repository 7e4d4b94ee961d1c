"""Translations already obtained: a small LRU in this process in front of the shared table.

The table (`translation_cache`) is shared by every process and survives restarts; the LRU makes a
repeated text cost microseconds instead of a database round trip.  A database that is down or
not migrated is logged and treated as a miss: translation must not fail because of its cache.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.db.models import TranslationCache
from bot.db.session import session_scope

log = logging.getLogger(__name__)

Key = tuple[str, str, str, str]  # provider, source language, target language, text as sent


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class MemoryCache:
    """A thread-safe least-recently-used map of `Key` to translation."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._items: OrderedDict[Key, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> str | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Key, value: str) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class TableCache:
    """The `translation_cache` table of `database_url` (None: the settings' DATABASE_URL)."""

    def __init__(self, database_url: str | None = None):
        self.database_url = database_url

    def get(self, key: Key) -> str | None:
        provider, source, target, text = key
        try:
            with session_scope(self.database_url) as session:
                row = session.execute(
                    select(TranslationCache.source_text, TranslationCache.translated_text).where(
                        TranslationCache.provider == provider,
                        TranslationCache.source_lang == source,
                        TranslationCache.target_lang == target,
                        TranslationCache.source_hash == text_hash(text),
                    )
                ).first()
        except SQLAlchemyError as exc:
            log.warning("translation cache unavailable for reading: %s", type(exc).__name__)
            return None
        # The text is compared too, so even a hash collision could not serve a wrong translation.
        return row.translated_text if row is not None and row.source_text == text else None

    def put(self, key: Key, translated: str) -> bool:
        """Stores a translation; False when the key was already there (another process may have
        stored it a moment ago) or the database refused."""
        provider, source, target, text = key
        try:
            with session_scope(self.database_url) as session:
                session.add(
                    TranslationCache(
                        provider=provider,
                        source_lang=source,
                        target_lang=target,
                        source_hash=text_hash(text),
                        source_text=text,
                        translated_text=translated,
                    )
                )
        except IntegrityError:
            return False  # same key inserted concurrently: theirs is as good as ours
        except SQLAlchemyError as exc:
            log.warning("translation cache unavailable for writing: %s", type(exc).__name__)
            return False
        return True
