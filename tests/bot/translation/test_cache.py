"""The translation cache: in-process LRU in front of the `translation_cache` table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from bot.config import PROJECT_ROOT
from bot.db.models import TranslationCache
from bot.db.session import session_scope
from bot.translation.cache import MemoryCache, TableCache, text_hash


def rows(db_url: str) -> list[tuple[str, str, str, str, str]]:
    with session_scope(db_url) as session:
        return [
            tuple(row)
            for row in session.execute(
                select(
                    TranslationCache.provider,
                    TranslationCache.source_lang,
                    TranslationCache.target_lang,
                    TranslationCache.source_text,
                    TranslationCache.translated_text,
                )
            )
        ]


def test_a_cache_hit_avoids_a_second_call(make_translator, db_url: str, calls) -> None:
    translator = make_translator()
    assert translator.translate("Hej, det saknas en sak i mitt paket", "sv", "en") is not None
    assert translator.translate("Hej, det saknas en sak i mitt paket", "sv", "en") == (
        "Hi, an item is missing from my parcel"
    )
    assert calls() == 1 and translator.stats.memory_hits == 1
    assert rows(db_url) == [
        (
            "libretranslate",
            "sv",
            "en",
            "Hej, det saknas en sak i mitt paket",
            "Hi, an item is missing from my parcel",
        )
    ]
    # A fresh translator (empty LRU) finds it in the table.
    other = make_translator()
    assert other.translate("Hej, det saknas en sak i mitt paket", "sv", "en") is not None
    assert calls() == 1 and other.stats.table_hits == 1
    other.translate("Hej, det saknas en sak i mitt paket", "sv", "en")
    assert other.stats.memory_hits == 1


def test_one_row_serves_every_order_number(make_translator, db_url: str, calls) -> None:
    translator = make_translator()
    assert translator.translate("Mitt ordernummer är SO-100231", "sv", "en") == "My order number is SO-100231"
    assert translator.translate("Mitt ordernummer är SO-100232", "sv", "en") == "My order number is SO-100232"
    assert calls() == 1
    assert [row[3:] for row in rows(db_url)] == [("Mitt ordernummer är ⟦0⟧", "My order number is ⟦0⟧")]


def test_the_cache_is_shared_with_another_process(make_translator, db_url: str, peer: str, calls) -> None:
    assert make_translator().translate("tack så mycket", "sv", "en") == "thank you very much"
    script = (
        "import json; from bot.translation import get_translator; t = get_translator(); "
        "text = t.translate('tack så mycket', 'sv', 'en'); "
        "print(json.dumps({'text': text, 'table_hits': t.stats.table_hits, 'calls': t.stats.calls}))"
    )
    env = os.environ | {
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": db_url,
        "TRANSLATOR": "libretranslate",
        "TRANSLATOR_URL": peer,
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == {"text": "thank you very much", "table_hits": 1, "calls": 0}
    assert calls() == 1


def test_concurrent_inserts_of_the_same_key_do_not_fail(db_url: str) -> None:
    table = TableCache(db_url)
    key = ("libretranslate", "sv", "en", "ja tack")
    barrier = threading.Barrier(8)
    results: list[bool] = []

    def put() -> None:
        barrier.wait()
        results.append(table.put(key, "yes please"))

    threads = [threading.Thread(target=put) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    assert table.get(key) == "yes please"
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(TranslationCache)) == 1


def test_two_translators_translating_the_same_text_at_once(make_translator, db_url: str) -> None:
    translators = [make_translator() for _ in range(4)]
    barrier = threading.Barrier(len(translators))
    results: list[str | None] = []

    def run(translator) -> None:
        barrier.wait()
        results.append(translator.translate("Jag skickar ett foto", "sv", "en"))

    threads = [threading.Thread(target=run, args=(t,)) for t in translators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["I'm sending a photo"] * 4
    assert len(rows(db_url)) == 1


def test_the_table_keys_on_provider_languages_and_hash(db_url: str) -> None:
    table = TableCache(db_url)
    assert table.put(("google", "sv", "en", "tack"), "thanks")
    assert table.put(("libretranslate", "sv", "en", "tack"), "thank you")
    assert table.put(("google", "sv", "de", "tack"), "danke")
    assert table.get(("google", "sv", "en", "tack")) == "thanks"
    assert table.get(("libretranslate", "sv", "en", "tack")) == "thank you"
    assert table.get(("google", "da", "en", "tack")) is None
    with session_scope(db_url) as session:
        hashes = set(session.scalars(select(TranslationCache.source_hash)))
    assert hashes == {text_hash("tack")} and len(text_hash("tack")) == 64


def test_a_database_without_the_table_only_costs_the_cache(make_translator, tmp_path: Path, calls) -> None:
    translator = make_translator(database_url=f"sqlite:///{tmp_path / 'not-migrated.db'}")
    assert translator.translate("tack", "sv", "en") == "thanks"
    assert translator.translate("tack", "sv", "en") == "thanks"  # from memory
    assert calls() == 1


def test_memory_cache_is_least_recently_used() -> None:
    cache = MemoryCache(size=2)
    cache.put(("p", "sv", "en", "a"), "A")
    cache.put(("p", "sv", "en", "b"), "B")
    assert cache.get(("p", "sv", "en", "a")) == "A"  # now b is the oldest
    cache.put(("p", "sv", "en", "c"), "C")
    assert cache.get(("p", "sv", "en", "b")) is None
    assert (cache.get(("p", "sv", "en", "a")), cache.get(("p", "sv", "en", "c")), len(cache)) == ("A", "C", 2)


def test_a_hit_costs_well_under_a_millisecond(make_translator, calls) -> None:
    translator = make_translator()
    text = "Thank you, I found order SO-100231 placed on Nov 30, 2026."
    assert translator.translate(text, "en", "sv") is not None
    rounds = 2000
    started = time.perf_counter()
    for _ in range(rounds):
        translator.translate(text, "en", "sv")
    per_hit = (time.perf_counter() - started) / rounds
    assert per_hit < 0.0005, f"{per_hit * 1000:.3f} ms per memory hit"
    assert calls() == 1
