"""Dates, times and numbers as the reader's language writes them (CLDR data via Babel)."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, date, datetime, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import dates, numbers

from forum_server.i18n.catalogues import current_language

# The reader's time zone for times shown without a script to convert them: the
# account's (web/language.py) or a mail recipient's; None is UTC.
current_time_zone: ContextVar[str | None] = ContextVar("current_time_zone", default=None)


def time_zone(name: str | None) -> tzinfo:
    """The zone called `name`, UTC when empty or unknown."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


@cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA zones a profile may choose (regions like Europe/Paris, and UTC)."""
    zones = available_timezones()
    return tuple(sorted(zone for zone in zones if "/" in zone or zone == "UTC"))


def format_datetime(value: datetime, zone: str | None = None, width: str = "medium") -> str:
    """`value` in `zone` (the reader's when None, else UTC), as the language writes it,
    e.g. "3 déc. 2026, 14:05:00 UTC", with the zone's abbreviation."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return _formatted(value, zone or current_time_zone.get(), width, current_language.get())


@lru_cache(maxsize=16_384)
def _formatted(value: datetime, zone: str | None, width: str, language: str) -> str:
    # A pure function of its arguments, and the costliest part of a long thread page
    # (one date or two per post): each post's times are formatted once per language
    # and zone, not on every render. (Equal instants in other zones share an entry:
    # the result depends on the instant and `zone` only.)
    when = value.astimezone(time_zone(zone))
    text = dates.format_datetime(when, format=width, locale=language)
    return f"{text} {_zone_label(when)}"


def format_relative(value: datetime, now: datetime | None = None) -> str:
    """How long ago (or how far ahead) `value` is, as the language says it: "3 hours
    ago", "il y a 3 heures"; "now" within a minute."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value - (now or datetime.now(UTC))
    return dates.format_timedelta(
        delta, add_direction=True, threshold=1, locale=current_language.get()
    )


def format_date(value: date | datetime, width: str = "medium") -> str:
    return dates.format_date(value, format=width, locale=current_language.get())


def format_number(value: int | float) -> str:
    return numbers.format_decimal(value, locale=current_language.get())


def format_percent(value: float) -> str:
    return numbers.format_percent(value, locale=current_language.get())


def _zone_label(when: datetime) -> str:
    return when.tzname() or "UTC"
