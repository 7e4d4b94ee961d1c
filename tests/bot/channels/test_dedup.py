"""A platform's repeated deliveries of one message are handled once, on SQLite and PostgreSQL,
across sessions, engines (a restart) and concurrent receivers."""

from __future__ import annotations

import threading

import pytest

from bot.channels.dedup import first_delivery
from bot.db.migrate import migrate
from bot.db.session import dispose_engines


def test_the_first_delivery_counts_and_repeats_do_not(db_url: str) -> None:
    assert first_delivery("telegram", "1001", db_url) is True
    assert first_delivery("telegram", "1001", db_url) is False
    assert first_delivery("telegram", "1001", db_url) is False
    # Ids are the platform's own: the same id on another platform is another message.
    assert first_delivery("messenger", "1001", db_url) is True
    assert first_delivery("telegram", "1002", db_url) is True


def test_processed_ids_survive_a_restart(db_url: str) -> None:
    assert first_delivery("whatsapp_cloud", "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTdFQkY", db_url)
    dispose_engines()  # every pooled connection gone, as after a restart
    assert not first_delivery("whatsapp_cloud", "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTdFQkY", db_url)


def _race(url: str, receivers: int) -> list[bool]:
    results: list[bool] = []
    start = threading.Barrier(receivers)

    def receive() -> None:
        start.wait()
        results.append(first_delivery("twilio_whatsapp", "SM0123456789abcdef", url))

    threads = [threading.Thread(target=receive) for _ in range(receivers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_deliveries_on_sqlite_are_handled_once(db_url: str) -> None:
    assert sorted(_race(db_url, 6)) == [False] * 5 + [True]


@pytest.mark.postgres
def test_simultaneous_deliveries_on_postgresql_are_handled_once(pg_url: str) -> None:
    migrate(pg_url)
    assert sorted(_race(pg_url, 6)) == [False] * 5 + [True]
    assert first_delivery("twilio_whatsapp", "SM0123456789abcdef", pg_url) is False
    assert first_delivery("twilio_whatsapp", "SM-another", pg_url) is True
