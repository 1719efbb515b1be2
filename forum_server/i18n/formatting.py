"""Dates, times and numbers as the reader's language writes them (CLDR data via Babel)."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta, tzinfo
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
    seconds = (value - (now or datetime.now(UTC))).total_seconds()
    language = current_language.get()
    key = (*_relative_bucket(seconds), language)
    text = _relative_texts.get(key)
    if text is None:
        delta = timedelta(seconds=seconds)
        text = dates.format_timedelta(delta, add_direction=True, threshold=1, locale=language)
        if len(_relative_texts) >= _RELATIVE_TEXTS_MAX:
            _relative_texts.clear()
        _relative_texts[key] = text
    return text


# (future, unit, count, language) -> text; a few hundred in use at a time.
_relative_texts: dict[tuple[bool, str, int, str], str] = {}
_RELATIVE_TEXTS_MAX = 8192


def _relative_bucket(seconds: float) -> tuple[bool, str, int]:
    """What Babel's `format_timedelta` (threshold 1, down to seconds) writes depends
    on only this: the direction, the unit it picks and the rounded count (the same
    steps as Babel's own), so the text is kept per bucket and language."""
    size = abs(seconds)
    for unit, unit_seconds in dates.TIMEDELTA_UNITS:
        count = size / unit_seconds
        if count >= 1 or unit == "second":
            if unit == "second" and count > 0:
                count = max(1, count)
            return seconds >= 0, unit, int(round(count))  # noqa: RUF046 - Babel's own steps
    raise AssertionError("seconds is the last unit")  # pragma: no cover


def format_date(value: date | datetime, width: str = "medium") -> str:
    return dates.format_date(value, format=width, locale=current_language.get())


def format_number(value: int | float) -> str:
    return numbers.format_decimal(value, locale=current_language.get())


def format_percent(value: float) -> str:
    return numbers.format_percent(value, locale=current_language.get())


def _zone_label(when: datetime) -> str:
    return when.tzname() or "UTC"
