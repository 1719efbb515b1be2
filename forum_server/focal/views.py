"""Frozen views of the register, notifications and their record, for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from typing_extensions import TypedDict


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class FocalPointJson(TypedDict):
    id: int
    country: str
    region: str | None
    name: str
    title: str
    organization: str
    email: str
    language: str | None
    primary: bool
    has_account: bool


@dataclass(frozen=True)
class FocalPointView:
    id: int
    country: str
    region: str | None
    name: str
    title: str
    organization: str
    email: str
    language: str | None
    primary: bool
    has_account: bool

    def as_json(self) -> FocalPointJson:
        return {
            "id": self.id,
            "country": self.country,
            "region": self.region,
            "name": self.name,
            "title": self.title,
            "organization": self.organization,
            "email": self.email,
            "language": self.language,
            "primary": self.primary,
            "has_account": self.has_account,
        }


class FocalTargetJson(TypedDict):
    kind: str
    id: int
    title: str | None


class FocalRecipientJson(TypedDict):
    focal_point_id: int | None
    name: str
    email: str
    country: str
    reminder: bool
    sent_at: str
    link_used_at: str | None


@dataclass(frozen=True)
class RecipientView:
    focal_point_id: int | None  # None: removed from the register since
    name: str
    email: str
    country: str
    reminder: bool
    sent_at: datetime
    link_used_at: datetime | None

    def as_json(self) -> FocalRecipientJson:
        return {
            "focal_point_id": self.focal_point_id,
            "name": self.name,
            "email": self.email,
            "country": self.country,
            "reminder": self.reminder,
            "sent_at": self.sent_at.isoformat(),
            "link_used_at": _iso(self.link_used_at),
        }


class FocalNotificationJson(TypedDict):
    id: int
    subject: str
    body: str
    regions: list[str]
    target: FocalTargetJson | None
    documents: list[int]
    created_at: str
    remind_at: str | None
    reminded_at: str | None
    sent: int
    responded_countries: list[str]
    waiting_countries: list[str]
    recipients: list[FocalRecipientJson]


@dataclass(frozen=True)
class NotificationView:
    id: int
    subject: str
    body: str
    regions: tuple[str, ...]
    target_kind: str | None
    target_id: int | None
    target_title: str | None
    target_path: str | None
    documents: tuple[int, ...]
    created_at: datetime
    remind_at: datetime | None
    reminded_at: datetime | None
    responded: tuple[str, ...]  # countries
    waiting: tuple[str, ...]  # countries reached that have not responded
    recipients: tuple[RecipientView, ...]

    def as_json(self) -> FocalNotificationJson:
        target: FocalTargetJson | None = None
        if self.target_kind is not None and self.target_id is not None:
            target = {"kind": self.target_kind, "id": self.target_id, "title": self.target_title}
        return {
            "id": self.id,
            "subject": self.subject,
            "body": self.body,
            "regions": list(self.regions),
            "target": target,
            "documents": list(self.documents),
            "created_at": self.created_at.isoformat(),
            "remind_at": _iso(self.remind_at),
            "reminded_at": _iso(self.reminded_at),
            "sent": len(self.recipients),
            "responded_countries": list(self.responded),
            "waiting_countries": list(self.waiting),
            "recipients": [r.as_json() for r in self.recipients],
        }


class RemindersSentJson(TypedDict):
    sent: int


@dataclass(frozen=True)
class RemindersSent:
    sent: int

    def as_json(self) -> RemindersSentJson:
        return {"sent": self.sent}
