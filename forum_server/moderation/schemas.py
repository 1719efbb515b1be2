"""Validated input for moderation actions, shared by the API and the pages."""

from __future__ import annotations

from pydantic import Field, field_validator

from forum_server.i18n import gettext as _
from forum_server.rooms.markdown import MAX_SOURCE_CHARS
from forum_server.schemas import Id, Input, Timestamp, aware_utc

MAX_REASON_CHARS = 1_000


def _reason(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError(_("must not be empty"))
    return value


def _optional_reason(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


class Reason(Input):
    """A required reason: hiding a post, flagging one."""

    reason: str = Field(max_length=MAX_REASON_CHARS)

    _reason = field_validator("reason")(_reason)


class OptionalReason(Input):
    reason: str | None = Field(default=None, max_length=MAX_REASON_CHARS)

    _reason = field_validator("reason")(_optional_reason)


class SuspensionCreate(Input):
    user_id: Id
    until: Timestamp | None = None  # none: until lifted
    reason: str = Field(max_length=MAX_REASON_CHARS)

    _reason = field_validator("reason")(_reason)
    _until = field_validator("until")(aware_utc)


class SummaryWrite(Input):
    body: str = Field(max_length=MAX_SOURCE_CHARS)

    _body = field_validator("body")(_reason)


class SettingsUpdate(Input):
    hold_first_posts: int | None = Field(default=None, ge=0, le=1_000)
    hold_guest_posts: bool | None = None
    # Posts per 10 minutes, per account and per guest network.
    account_post_limit: int | None = Field(default=None, ge=1, le=10_000)
    guest_post_limit: int | None = Field(default=None, ge=1, le=10_000)


class Empty(Input):
    """Actions that take no input (an empty body or `{}`)."""
