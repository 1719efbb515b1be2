"""What a webhook's registration and changes accept."""

from __future__ import annotations

from pydantic import Field, field_validator

from forum_server.i18n import N_
from forum_server.schemas import Input
from forum_server.webhooks.addresses import MAX_URL
from forum_server.webhooks.catalogue import TYPES


def _types(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    if set(value) - set(TYPES):
        raise ValueError(N_("names an event type a webhook cannot send"))
    if not value:
        raise ValueError(N_("choose at least one event type"))
    return sorted(set(value))


class WebhookCreate(Input):
    url: str = Field(min_length=1, max_length=MAX_URL)
    description: str = Field(default="", max_length=200)
    event_types: list[str] = Field(max_length=len(TYPES))
    # A space's slug: its events only. None: every public space (the secretariat).
    space: str | None = Field(default=None, max_length=64)

    _types = field_validator("event_types")(_types)


class WebhookUpdate(Input):
    url: str | None = Field(default=None, min_length=1, max_length=MAX_URL)
    description: str | None = Field(default=None, max_length=200)
    event_types: list[str] | None = Field(default=None, max_length=len(TYPES))
    active: bool | None = None

    _types = field_validator("event_types")(_types)
