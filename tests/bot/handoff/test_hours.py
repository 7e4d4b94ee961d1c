"""Business hours: open or closed now, and when the next shift starts, across timezones."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.config import get_settings
from bot.handoff.hours import BusinessHours

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")


def hours(spec: str = "Mon-Fri 09:00-18:00", zone: str = "Europe/Berlin", holidays=()) -> BusinessHours:
    return BusinessHours.parse(spec, zone, holidays)


def test_open_within_the_shift_in_the_business_timezone() -> None:
    h = hours()
    # Wednesday 25 November 2026: Berlin is UTC+1.
    assert h.is_open(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))  # 09:00 Berlin
    assert not h.is_open(datetime(2026, 11, 25, 7, 59, tzinfo=UTC))  # 08:59 Berlin
    assert not h.is_open(datetime(2026, 11, 25, 17, 0, tzinfo=UTC))  # 18:00 Berlin: closed
    # The same instant seen from Shanghai is the same answer.
    assert h.is_open(datetime(2026, 11, 25, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai")))  # 09:30 Berlin


def test_next_opening_after_hours_is_the_next_morning() -> None:
    opening = hours().next_opening(datetime(2026, 11, 25, 19, 0, tzinfo=UTC))  # Wed 20:00 Berlin
    assert opening == datetime(2026, 11, 26, 9, 0, tzinfo=BERLIN)
    assert opening.tzinfo == BERLIN


def test_when_open_the_next_opening_is_now() -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert hours().next_opening(now) == now


def test_a_weekend_waits_until_monday() -> None:
    friday_evening = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)
    assert hours().next_opening(friday_evening) == datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)
    assert not hours().is_open(datetime(2026, 11, 28, 11, 0, tzinfo=UTC))  # Saturday


def test_holidays_and_several_groups() -> None:
    h = hours("Mon-Fri 09:00-12:00 13:00-18:00; Sat 10:00-14:00", holidays=("2026-12-25",))
    assert not h.is_open(datetime(2026, 11, 25, 11, 30, tzinfo=UTC))  # 12:30 Berlin: lunch
    assert h.next_opening(datetime(2026, 11, 25, 11, 30, tzinfo=UTC)) == datetime(
        2026, 11, 25, 13, 0, tzinfo=BERLIN
    )
    # Thursday 24 December after hours: Friday is a holiday, Saturday has a short shift.
    assert h.next_opening(datetime(2026, 12, 24, 18, 0, tzinfo=UTC)) == datetime(
        2026, 12, 26, 10, 0, tzinfo=BERLIN
    )


def test_a_shift_keeps_its_wall_clock_time_across_daylight_saving() -> None:
    h = hours(zone="America/New_York")
    # Friday 6 March 2026 after hours; the clocks go forward on Sunday 8 March.
    opening = h.next_opening(datetime(2026, 3, 6, 23, 30, tzinfo=UTC))
    assert opening.astimezone(UTC) == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # 09:00 EDT
    assert h.next_opening(datetime(2026, 3, 2, 23, 30, tzinfo=UTC)).astimezone(UTC) == datetime(
        2026, 3, 3, 14, 0, tzinfo=UTC
    )  # 09:00 EST


def test_round_the_clock_and_naive_times_as_utc() -> None:
    h = hours("Mon-Sun 00:00-24:00", zone="Asia/Shanghai")
    assert h.is_open(datetime(2026, 11, 29, 23, 59))
    assert hours().is_open(datetime(2026, 11, 25, 8, 30))  # naive: UTC, 09:30 Berlin


def test_no_shift_means_no_opening() -> None:
    assert hours("", zone="UTC").next_opening(datetime(2026, 11, 25, tzinfo=UTC)) is None


@pytest.mark.parametrize(
    "spec, zone, holidays",
    [
        ("Mon-Fry 09:00-18:00", "Europe/Berlin", ()),
        ("Mon-Fri 9-18", "Europe/Berlin", ()),
        ("Mon-Fri 18:00-09:00", "Europe/Berlin", ()),
        ("Mon-Fri", "Europe/Berlin", ()),
        ("Mon-Fri 09:00-18:00", "Europe/Berlinn", ()),
        ("Mon-Fri 09:00-18:00", "Europe/Berlin", ("25.12.2026",)),
    ],
)
def test_misconfiguration_is_an_error(spec: str, zone: str, holidays: tuple) -> None:
    with pytest.raises(ValueError):
        hours(spec, zone, holidays)


def test_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_HOURS", "Sat-Sun 10:00-16:00")
    monkeypatch.setenv("HANDOFF_TIMEZONE", "Asia/Shanghai")
    monkeypatch.setenv("HANDOFF_HOLIDAYS", "2026-11-28, 2026-11-29")
    h = BusinessHours.from_settings(get_settings())
    assert h.next_opening(datetime(2026, 11, 25, tzinfo=UTC)) == datetime(
        2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")
    )
