"""When agents work: "is a person there now?" and "when does the next shift start?".

Configured as `HANDOFF_HOURS` (default "Mon-Fri 09:00-18:00"), `HANDOFF_TIMEZONE` (an IANA name,
default "Europe/Berlin") and `HANDOFF_HOLIDAYS` (ISO dates, comma-separated).  The hours are one or
more groups separated by ";", each days then time ranges:

    Mon-Fri 09:00-18:00; Sat 10:00-14:00
    Mon,Wed,Fri 08:00-12:00 13:00-17:00

A range ending at "24:00" runs to midnight.  Times are wall-clock times in the business timezone,
so a shift starts at 09:00 local on both sides of a daylight-saving change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import Settings, get_settings

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEARCH_DAYS = 400  # a year of holidays cannot hide every opening; a longer search means "never"

_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _day(name: str, spec: str) -> int:
    key = name.strip().lower()[:3]
    if key not in DAYS:
        raise ValueError(f"unknown day {name!r} in business hours {spec!r}")
    return DAYS.index(key)


def _days(text: str, spec: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        if "-" in part:
            first, last = (_day(p, spec) for p in part.split("-", 1))
            # "Fri-Mon" wraps over the weekend.
            days.extend((first + i) % 7 for i in range((last - first) % 7 + 1))
        else:
            days.append(_day(part, spec))
    return days


def _range(text: str, spec: str) -> tuple[time, time | None]:
    match = _RANGE.match(text)
    if not match:
        raise ValueError(f"bad time range {text!r} in business hours {spec!r} (want HH:MM-HH:MM)")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
        raise ValueError(f"bad time range {text!r} in business hours {spec!r}")
    start, end = time(h1, m1), None if h2 == 24 else time(h2, m2)  # None: until midnight
    if end is not None and end <= start:
        raise ValueError(f"time range {text!r} in business hours {spec!r} ends before it starts")
    return start, end


@dataclass(frozen=True)
class BusinessHours:
    windows: tuple[tuple[tuple[time, time | None], ...], ...]  # per weekday, Monday first
    zone: ZoneInfo
    holidays: frozenset[date] = frozenset()

    @classmethod
    def parse(cls, spec: str, zone: str, holidays: tuple[str, ...] | list[str] = ()) -> BusinessHours:
        """Raises ValueError on a misspelt day, range, timezone or holiday."""
        windows: list[list[tuple[time, time | None]]] = [[] for _ in DAYS]
        for group in filter(None, (g.strip() for g in spec.split(";"))):
            days, *ranges = group.split()
            if not ranges:
                raise ValueError(f"no time range after {days!r} in business hours {spec!r}")
            for day in _days(days, spec):
                windows[day].extend(_range(r, spec) for r in ranges)
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {zone!r}") from None
        try:
            days_off = frozenset(date.fromisoformat(d) for d in holidays)
        except ValueError:
            raise ValueError(f"holidays must be ISO dates (YYYY-MM-DD); got {list(holidays)!r}") from None
        return cls(tuple(tuple(sorted(w)) for w in windows), tz, days_off)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> BusinessHours:
        settings = settings or get_settings()
        return cls.parse(settings.handoff_hours, settings.handoff_timezone, settings.handoff_holidays)

    def _local(self, at: datetime | None) -> datetime:
        # Naive datetimes are UTC, as everywhere in the database (bot.db.models).
        at = at or datetime.now(timezone.utc)
        if at.tzinfo is None:
            at = at.replace(tzinfo=timezone.utc)
        return at.astimezone(self.zone)

    def _intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """That day's shifts as aware datetimes (empty on a holiday)."""
        if day in self.holidays:
            return []
        out = []
        for start, end in self.windows[day.weekday()]:
            begin = datetime.combine(day, start, self.zone)
            finish = (
                datetime.combine(day + timedelta(days=1), time(0), self.zone)
                if end is None
                else (datetime.combine(day, end, self.zone))
            )
            out.append((begin, finish))
        return out

    def is_open(self, at: datetime | None = None) -> bool:
        local = self._local(at)
        return any(b <= local < f for b, f in self._intervals(local.date()))

    def next_opening(self, at: datetime | None = None) -> datetime | None:
        """`at` itself (in the business timezone) when open, else when the next shift starts;
        None when no shift is configured at all."""
        local = self._local(at)
        for offset in range(SEARCH_DAYS):
            for begin, finish in self._intervals(local.date() + timedelta(days=offset)):
                if finish <= local:
                    continue
                # Normalised through UTC: a start inside a DST gap becomes a real instant.
                return local if begin <= local else begin.astimezone(timezone.utc).astimezone(self.zone)
        return None
