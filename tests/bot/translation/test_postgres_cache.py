"""The translation cache on the real PostgreSQL server (127.0.0.1:5432, trust authentication)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from bot.config import get_settings
from bot.db.migrate import migrate
from bot.db.models import Base, TranslationCache
from bot.db.session import get_engine, session_scope
from bot.translation import Translator
from bot.translation.cache import TableCache
from bot.translation.libretranslate_peer import peer_stats

pytestmark = pytest.mark.postgres



def test_translation_cache_on_postgresql(pg_url: str, peer: str) -> None:
    migrate(pg_url)
    with get_engine(pg_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []

    settings = replace(get_settings(), database_url=pg_url, translator="libretranslate", translator_url=peer)
    assert Translator(settings).translate("Mitt ordernummer är SO-100231", "sv", "en") == (
        "My order number is SO-100231"
    )
    # Another translator (another process would be the same) reads it from the table.
    second = Translator(settings)
    assert second.translate("Mitt ordernummer är SO-100999", "sv", "en") == "My order number is SO-100999"
    assert second.stats.table_hits == 1 and peer_stats(peer)["translate"] == 1

    table = TableCache(pg_url)
    key = ("libretranslate", "sv", "en", "ja tack")
    barrier = threading.Barrier(6)
    results: list[bool] = []

    def put() -> None:
        barrier.wait()
        results.append(table.put(key, "yes please"))

    threads = [threading.Thread(target=put) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]
    with session_scope(pg_url) as session:
        assert session.scalar(select(func.count()).select_from(TranslationCache)) == 2
        assert session.scalar(
            select(TranslationCache.translated_text).where(TranslationCache.source_text == "ja tack")
        ) == ("yes please")
