"""Reading times that people type: a form's `datetime-local` value or a query string."""

from __future__ import annotations

from datetime import datetime

from forum_server.schemas import TIME_RANGE_MESSAGE, parse_utc


def utc_time(value: str) -> datetime | None:
    """An ISO 8601 date or time ("2026-03-01T09:00"), read as UTC when it has no offset
    (as the forms say), in the years every time field accepts; None when empty. Raises
    ValueError with a message for the person filling in the form."""
    value = value.strip()
    if not value:
        return None
    try:
        return parse_utc(value)
    except ValueError as exc:
        if str(exc) == TIME_RANGE_MESSAGE:
            raise ValueError(f"The time {exc}.") from None
        raise ValueError("Use a date and time like 2026-03-01T09:00 (UTC).") from None
