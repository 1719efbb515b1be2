"""Frozen views of the board's notices, as pages, the API, the feed and exports show
them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from typing_extensions import TypedDict

from forum_server.board.models import PENDING, PUBLISHED, Notice

__all__ = ["PENDING", "PUBLISHED", "BoardListing", "EditorView", "NoticeView", "notice_view"]
from forum_server.policy.board import BoardAccess, may_edit_board


class NoticeJson(TypedDict):
    id: int
    space: str
    kind: str
    category: str
    title: str
    summary: str
    countries: list[str]
    region: str
    organization: str
    start_date: str | None
    end_date: str | None
    expires_on: str | None
    expired: bool
    funding: str
    amount: int | None
    currency: str
    contact: str
    link: str
    status: str
    language: str
    pinned: bool
    review: str
    author: str
    created_at: str
    updated_at: str
    may_edit: bool
    may_review: bool


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def split_countries(stored: str) -> tuple[str, ...]:
    return tuple(code for code in stored.split(",") if code)


def join_countries(codes: list[str]) -> str:
    """Stored as ",BR,AR," so that one country is found with LIKE '%,BR,%'."""
    return f",{','.join(codes)}," if codes else ""


@dataclass(frozen=True)
class NoticeView:
    id: int
    space_slug: str
    kind: str
    category: str
    title: str
    summary: str
    countries: tuple[str, ...]
    region: str
    organization: str
    start_date: date | None
    end_date: date | None
    expires_on: date | None
    expired: bool
    funding: str
    amount: int | None
    currency: str
    contact: str
    link: str
    status: str
    language: str
    pinned: bool
    review: str
    author: str
    created_at: datetime
    updated_at: datetime
    may_edit: bool  # change or remove it
    may_review: bool  # pin it, approve or reject it: the board's editors

    @property
    def url(self) -> str:
        return f"/notices/{self.id}"

    def as_json(self) -> NoticeJson:
        return {
            "id": self.id,
            "space": self.space_slug,
            "kind": self.kind,
            "category": self.category,
            "title": self.title,
            "summary": self.summary,
            "countries": list(self.countries),
            "region": self.region,
            "organization": self.organization,
            "start_date": _day(self.start_date),
            "end_date": _day(self.end_date),
            "expires_on": _day(self.expires_on),
            "expired": self.expired,
            "funding": self.funding,
            "amount": self.amount,
            "currency": self.currency,
            "contact": self.contact,
            "link": self.link,
            "status": self.status,
            "language": self.language,
            "pinned": self.pinned,
            "review": self.review,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "may_edit": self.may_edit,
            "may_review": self.may_review,
        }


def notice_view(notice: Notice, slug: str, today: date, board: BoardAccess) -> NoticeView:
    editor = may_edit_board(board)
    own_suggestion = (
        notice.review != PUBLISHED
        and notice.author_id is not None
        and notice.author_id == board.actor.user_id
    )
    return NoticeView(
        notice.id,
        slug,
        notice.kind,
        notice.category,
        notice.title,
        notice.summary,
        split_countries(notice.countries),
        notice.region,
        notice.organization,
        notice.start_date,
        notice.end_date,
        notice.expires_on,
        notice.expires_on is not None and notice.expires_on < today,
        notice.funding,
        notice.amount,
        notice.currency,
        notice.contact,
        notice.link,
        notice.status,
        notice.language,
        notice.pinned,
        notice.review,
        notice.author_name,
        notice.created_at,
        notice.updated_at,
        editor or own_suggestion,
        editor,
    )


class EditorJson(TypedDict):
    user_id: int
    display_name: str


@dataclass(frozen=True)
class EditorView:
    user_id: int
    display_name: str

    def as_json(self) -> EditorJson:
        return {"user_id": self.user_id, "display_name": self.display_name}


@dataclass(frozen=True)
class BoardListing:
    space_slug: str
    space_title: str
    notices: tuple[NoticeView, ...]
    next: int | None
    may_edit: bool
    may_suggest: bool
    pending: int  # suggestions awaiting review (0 for those who do not review)
