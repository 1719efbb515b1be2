"""Frozen views of endpoints and their deliveries, for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from typing_extensions import TypedDict


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class WebhookJson(TypedDict):
    id: int
    space: str | None
    url: str
    description: str
    event_types: list[str]
    active: bool
    disabled_reason: str | None
    failing_since: str | None
    created_at: str
    secret: str


@dataclass(frozen=True)
class WebhookView:
    id: int
    space: str | None  # the space's slug; None for a site-wide endpoint
    space_title: str | None
    url: str
    description: str
    event_types: tuple[str, ...]
    active: bool
    disabled_reason: str | None
    failing_since: datetime | None
    created_at: datetime
    secret: str

    def as_json(self) -> WebhookJson:
        return {
            "id": self.id,
            "space": self.space,
            "url": self.url,
            "description": self.description,
            "event_types": list(self.event_types),
            "active": self.active,
            "disabled_reason": self.disabled_reason,
            "failing_since": _iso(self.failing_since),
            "created_at": self.created_at.isoformat(),
            "secret": self.secret,
        }


class AttemptJson(TypedDict):
    attempted_at: str
    status_code: int | None
    error: str | None
    latency_ms: int


@dataclass(frozen=True)
class AttemptView:
    attempted_at: datetime
    status_code: int | None
    error: str | None
    latency_ms: int

    def as_json(self) -> AttemptJson:
        return {
            "attempted_at": self.attempted_at.isoformat(),
            "status_code": self.status_code,
            "error": self.error,
            "latency_ms": self.latency_ms,
        }


class DeliveryJson(TypedDict):
    id: int
    event_id: int | None
    event_type: str
    status: str
    attempts: int
    next_attempt_at: str | None
    last_status_code: int | None
    created_at: str
    delivered_at: str | None
    log: list[AttemptJson]


@dataclass(frozen=True)
class DeliveryView:
    id: int
    event_id: int | None
    event_type: str
    status: str  # queued, sending, delivered or failed
    attempts: int
    next_attempt_at: datetime | None  # while it is queued
    last_status_code: int | None
    created_at: datetime
    delivered_at: datetime | None
    log: tuple[AttemptView, ...]

    def as_json(self) -> DeliveryJson:
        return {
            "id": self.id,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "status": self.status,
            "attempts": self.attempts,
            "next_attempt_at": _iso(self.next_attempt_at),
            "last_status_code": self.last_status_code,
            "created_at": self.created_at.isoformat(),
            "delivered_at": _iso(self.delivered_at),
            "log": [attempt.as_json() for attempt in self.log],
        }


class TestQueuedJson(TypedDict):
    delivery_id: int


@dataclass(frozen=True)
class TestQueued:
    delivery_id: int

    def as_json(self) -> TestQueuedJson:
        return {"delivery_id": self.delivery_id}
