"""The 24-hour customer-service window, counted from the customer's last message."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.channels.window import (
    CUSTOMER_SERVICE_WINDOW,
    HUMAN_AGENT_TAG_WINDOW,
    is_open,
    last_inbound,
    record_inbound,
)

NOON = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


def test_the_window_is_24_hours_from_the_last_message() -> None:
    assert CUSTOMER_SERVICE_WINDOW == timedelta(hours=24) and HUMAN_AGENT_TAG_WINDOW == timedelta(days=7)
    assert is_open(NOON, NOON + timedelta(hours=23, minutes=59))
    assert not is_open(NOON, NOON + timedelta(hours=24))
    assert not is_open(None, NOON)  # a customer who never wrote: closed
    assert is_open(NOON, NOON + timedelta(days=6), HUMAN_AGENT_TAG_WINDOW)


def test_the_last_inbound_time_is_kept_per_channel_and_customer(db_url: str) -> None:
    record_inbound("messenger", "2411", NOON, db_url)
    assert last_inbound("messenger", "2411", db_url) == NOON
    assert last_inbound("messenger", "9999", db_url) is None
    assert last_inbound("whatsapp_cloud", "2411", db_url) is None
    record_inbound("messenger", "2411", NOON + timedelta(hours=3), db_url)
    assert last_inbound("messenger", "2411", db_url) == NOON + timedelta(hours=3)


def test_a_late_delivery_never_moves_the_time_back_nor_a_fast_clock_forward(db_url: str) -> None:
    record_inbound("whatsapp_cloud", "4915", NOON, db_url)
    record_inbound("whatsapp_cloud", "4915", NOON - timedelta(hours=5), db_url)  # retried hours later
    assert last_inbound("whatsapp_cloud", "4915", db_url) == NOON
    future = datetime.now(timezone.utc) + timedelta(days=2)
    stored = record_inbound("whatsapp_cloud", "4915", future, db_url)
    assert stored <= datetime.now(timezone.utc)


def test_no_time_means_now(db_url: str) -> None:
    before = datetime.now(timezone.utc)
    record_inbound("twilio_whatsapp", "+4917", None, db_url)
    assert before <= last_inbound("twilio_whatsapp", "+4917", db_url) <= datetime.now(timezone.utc)
