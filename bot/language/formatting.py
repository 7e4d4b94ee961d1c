"""Money and dates written the way the customer's locale writes them."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton, format_time, get_timezone_name
from babel.numbers import format_currency

# Values passed by actions under these names are formatted before a response is filled.
DATE_KEYS = frozenset({"date", "eta", "placed_at", "delivered_at", "last_scan"})
# ... and these are moments (ISO with a UTC offset), shown as day, time and zone; in the zone named
# by the `timezone` value when there is one (the business's, for opening times).
DATETIME_KEYS = frozenset({"opens_at"})
ZONE_KEY = "timezone"
MONEY_KEY, CURRENCY_KEY = "amount", "currency"


def format_money(amount: Decimal | str | float, currency: str, locale: str = "en") -> str:
    """`12.5, "EUR"` -> "€12.50" in English, "12,50 €" in Spanish."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return f"{amount} {currency}"
    return format_currency(value, currency, locale=locale)


def format_day(value: date | str, locale: str = "en") -> str:
    """An ISO date (or `date`) as a medium-length local date: "Nov 30, 2026"."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return _babel_date(value, format="medium", locale=locale)


def format_moment(value: datetime | str, locale: str = "en", zone: str | None = None) -> str:
    """An ISO date-time as day, time and zone in `zone` (an IANA name; default the value's own
    offset): "Tue, Nov 24, 2026 9:00 AM (Central European Standard Time)"."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    tz = value.tzinfo or timezone.utc
    if zone:
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    value = value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    day = format_skeleton("yMMMEd", value, locale=locale)
    clock = format_time(value, "short", locale=locale)
    return f"{day} {clock} ({get_timezone_name(value, 'long', locale=locale)})"


def babel_locale(language: str) -> str:
    """A locale Babel knows for a language code ("zh-CN" -> "zh_CN"); English when it knows none."""
    try:
        return str(Locale.parse((language or "en").replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return "en"


def format_values(values: dict, locale: str = "en") -> dict:
    """Formats the money and date values of a response's parameters for `locale`."""
    locale = babel_locale(locale)
    out = dict(values)
    if out.get(MONEY_KEY) not in (None, "") and out.get(CURRENCY_KEY):
        out[MONEY_KEY] = format_money(out[MONEY_KEY], out[CURRENCY_KEY], locale)
    for key in DATE_KEYS & out.keys():
        if out[key]:
            out[key] = format_day(out[key], locale)
    for key in DATETIME_KEYS & out.keys():
        if out[key]:
            out[key] = format_moment(out[key], locale, out.get(ZONE_KEY))
    return out
