"""What the calls' forms and API accept, checked field by field: a call (addressees,
deadline with its offset, reminder lead times), a submission, a designation of a
submitter, and the compilation's order."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from forum_server.board.schemas import iso_country
from forum_server.calls.models import ORGANIZATION
from forum_server.i18n import N_
from forum_server.schemas import Id, Input, Timestamp, aware_utc

Addressee = Literal["party", "other_government", "organization"]
MAX_TEXT = 20_000  # Markdown source, as a post's
MAX_SUBMISSION = 50_000
MAX_REMINDERS = 5
MAX_DOCUMENTS = 10


class CallInput(Input):
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(default="", max_length=MAX_TEXT)
    addressed_to: list[Addressee] = Field(min_length=1, max_length=3)
    deadline: Timestamp
    # Days before the deadline at which those who have not submitted are reminded.
    reminder_days: list[int] = Field(default_factory=lambda: [7, 1], max_length=MAX_REMINDERS)
    symbol: str = Field(default="", max_length=100)
    distribution: str = Field(default="", max_length=100)

    @field_validator("addressed_to")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return [a for a in ("party", "other_government", "organization") if a in value]

    @field_validator("deadline")
    @classmethod
    def _utc(cls, value: datetime) -> datetime | None:
        return aware_utc(value)

    @field_validator("reminder_days")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        if any(not 1 <= day <= 90 for day in value):
            raise ValueError(N_("each reminder must be between 1 and 90 days before the deadline"))
        return sorted(set(value), reverse=True)


class SubmissionInput(Input):
    text: str = Field(min_length=1, max_length=MAX_SUBMISSION)
    public: bool = True


class SubmitterInput(Input):
    user_id: Id
    kind: Addressee
    country: str = Field(default="", max_length=10, validate_default=True)
    organization: str = Field(default="", max_length=200, validate_default=True)

    @field_validator("country")
    @classmethod
    def _iso(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("kind") in {"party", "other_government"}:
            if not value:
                raise ValueError(N_("say which country, e.g. BR"))
            return iso_country(value)
        if value:
            raise ValueError(N_("an organization's submitter names no country"))
        return value

    @field_validator("organization")
    @classmethod
    def _named(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("kind") == ORGANIZATION and not value:
            raise ValueError(N_("name the organization"))
        if info.data.get("kind") not in {None, ORGANIZATION} and value:
            raise ValueError(N_("a government's submitter names no organization"))
        return value

    @property
    def submitter(self) -> str:
        """The key a submission is kept under: the country code or the organization."""
        return self.organization if self.kind == ORGANIZATION else self.country


class OrderInput(Input):
    """The compilation's order: every submission's id, first to last."""

    submission_ids: list[Id] = Field(min_length=1, max_length=1000)
