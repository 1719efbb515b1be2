"""Frozen views of calls, submissions, designated submitters and the status table, as
pages, the API and the compilation show them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from typing_extensions import TypedDict

from forum_server.accounts.countries import country_name
from forum_server.calls.models import ORGANIZATION


def submitter_name(kind: str, submitter: str) -> str:
    """A country's name in the reader's language, or the organization's name."""
    if kind == ORGANIZATION:
        return submitter
    try:
        return country_name(submitter)
    except ValueError:
        return submitter


def split_list(stored: str) -> tuple[str, ...]:
    return tuple(part for part in stored.split(",") if part)


def join_list(values: Sequence[str] | Sequence[int]) -> str:
    return f",{','.join(str(v) for v in values)}," if values else ""


class CallJson(TypedDict):
    id: int
    space: str
    title: str
    text: str
    html: str
    addressed_to: list[str]
    deadline: str
    open: bool
    reminder_days: list[int]
    symbol: str
    distribution: str
    submissions: int
    created_at: str
    may_manage: bool
    may_submit: bool
    my_submission_id: int | None


@dataclass(frozen=True)
class CallView:
    id: int
    space_slug: str
    space_title: str
    title: str
    text: str
    html: str
    addressed_to: tuple[str, ...]
    deadline: datetime
    open: bool
    reminder_days: tuple[int, ...]
    symbol: str
    distribution: str
    submissions: int  # those the reader may see
    created_at: datetime
    may_manage: bool
    may_submit: bool  # designated for an addressee, the deadline not passed
    my_submission_id: int | None

    @property
    def url(self) -> str:
        return f"/calls/{self.id}"

    def as_json(self) -> CallJson:
        return {
            "id": self.id,
            "space": self.space_slug,
            "title": self.title,
            "text": self.text,
            "html": self.html,
            "addressed_to": list(self.addressed_to),
            "deadline": self.deadline.isoformat(),
            "open": self.open,
            "reminder_days": list(self.reminder_days),
            "symbol": self.symbol,
            "distribution": self.distribution,
            "submissions": self.submissions,
            "created_at": self.created_at.isoformat(),
            "may_manage": self.may_manage,
            "may_submit": self.may_submit,
            "my_submission_id": self.my_submission_id,
        }


class SubmissionDocumentJson(TypedDict):
    id: int
    name: str
    media_type: str
    size: int
    url: str


@dataclass(frozen=True)
class SubmissionDocument:
    id: int
    submission_id: int
    name: str
    media_type: str
    size: int

    @property
    def url(self) -> str:
        return f"/api/v1/submissions/{self.submission_id}/files/{self.id}"

    def as_json(self) -> SubmissionDocumentJson:
        return {
            "id": self.id,
            "name": self.name,
            "media_type": self.media_type,
            "size": self.size,
            "url": self.url,
        }


class SubmissionJson(TypedDict):
    id: int
    call_id: int
    kind: str
    submitter: str
    submitter_name: str
    text: str
    html: str
    public: bool
    position: int | None
    documents: list[SubmissionDocumentJson]
    created_at: str
    updated_at: str
    may_edit: bool


@dataclass(frozen=True)
class SubmissionView:
    id: int
    call_id: int
    kind: str
    submitter: str
    submitter_name: str
    text: str
    html: str
    public: bool
    position: int | None
    documents: tuple[SubmissionDocument, ...]
    created_at: datetime
    updated_at: datetime
    may_edit: bool

    @property
    def url(self) -> str:
        return f"/submissions/{self.id}"

    def as_json(self) -> SubmissionJson:
        return {
            "id": self.id,
            "call_id": self.call_id,
            "kind": self.kind,
            "submitter": self.submitter,
            "submitter_name": self.submitter_name,
            "text": self.text,
            "html": self.html,
            "public": self.public,
            "position": self.position,
            "documents": [d.as_json() for d in self.documents],
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "may_edit": self.may_edit,
        }


class SubmitterJson(TypedDict):
    user_id: int
    display_name: str
    kind: str
    submitter: str
    submitter_name: str


@dataclass(frozen=True)
class SubmitterView:
    user_id: int
    display_name: str
    kind: str
    submitter: str

    @property
    def submitter_name(self) -> str:
        return submitter_name(self.kind, self.submitter)

    def as_json(self) -> SubmitterJson:
        return {
            "user_id": self.user_id,
            "display_name": self.display_name,
            "kind": self.kind,
            "submitter": self.submitter,
            "submitter_name": self.submitter_name,
        }


class StatusRowJson(TypedDict):
    kind: str
    submitter: str
    submitter_name: str
    submitted: bool
    submitted_at: str | None


@dataclass(frozen=True)
class StatusRow:
    """One country or organization the call is addressed to, and whether it submitted."""

    kind: str
    submitter: str
    submitted_at: datetime | None

    @property
    def submitter_name(self) -> str:
        return submitter_name(self.kind, self.submitter)

    def as_json(self) -> StatusRowJson:
        return {
            "kind": self.kind,
            "submitter": self.submitter,
            "submitter_name": self.submitter_name,
            "submitted": self.submitted_at is not None,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
        }


class ReminderJson(TypedDict):
    reminded: int


@dataclass(frozen=True)
class ReminderView:
    reminded: int  # people written to

    def as_json(self) -> ReminderJson:
        return {"reminded": self.reminded}
