"""The forum pages' shared helpers, under the name other page modules import them by;
they live in `rooms.pages.shared`."""

from __future__ import annotations

from forum_server.rooms.pages.shared import (
    REFUSALS,
    attempt,
    checkbox,
    checked,
    lines,
    notice_from,
    see_other,
    time_field,
    utc_time,
)

__all__ = [
    "REFUSALS",
    "attempt",
    "checkbox",
    "checked",
    "lines",
    "notice_from",
    "see_other",
    "time_field",
    "utc_time",
]
