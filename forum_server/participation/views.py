"""Frozen views of a session's participation, handed to the page or turned into JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from typing_extensions import TypedDict


class ParticipationGroupJson(TypedDict):
    key: str
    label: str
    posts: int
    participants: int
    expected: int | None
    share: float | None


class ParticipationDayJson(TypedDict):
    day: str
    posts: int
    participants: int


class ParticipationPersonJson(TypedDict):
    user_id: int
    name: str
    country: str | None


class ParticipationQuestionJson(TypedDict):
    id: int
    number: int
    text: str
    thread_id: int


class ParticipationReminderJson(TypedDict):
    sent_at: str
    sent_by: str | None
    recipients: int


class ParticipationJson(TypedDict):
    session_id: int
    session_title: str
    space: str
    state: str
    closes_at: str | None
    posts: int
    participants: int
    base: str
    expected_people: int
    expected_participants: int | None
    below_expected: bool
    by_day: list[ParticipationDayJson]
    by_region: list[ParticipationGroupJson]
    by_country: list[ParticipationGroupJson]
    by_affiliation: list[ParticipationGroupJson]
    by_gender: list[ParticipationGroupJson]
    not_taken_part: list[ParticipationPersonJson]
    open_invitations: int
    unanswered_questions: list[ParticipationQuestionJson]
    last_reminder: ParticipationReminderJson | None
    next_reminder_at: str | None


@dataclass(frozen=True)
class Group:
    """One group (a region, a country…): posts and people who took part, against how
    many of the expected people belong to it (None where nobody is expected)."""

    key: str
    label: str
    posts: int
    participants: int
    expected: int | None

    @property
    def share(self) -> float | None:
        """The share of the group's expected people who took part, 0 to 1."""
        if not self.expected:
            return None
        return min(1.0, self.participants / self.expected)

    def as_json(self) -> ParticipationGroupJson:
        share = self.share
        return {
            "key": self.key,
            "label": self.label,
            "posts": self.posts,
            "participants": self.participants,
            "expected": self.expected,
            "share": None if share is None else round(share, 4),
        }


@dataclass(frozen=True)
class Day:
    day: str  # YYYY-MM-DD, UTC
    label: str
    posts: int
    participants: int


@dataclass(frozen=True)
class Person:
    """A member expected to take part who has not (open invitations are counted apart:
    their addresses are for those who manage invitations)."""

    user_id: int
    name: str
    country: str | None


@dataclass(frozen=True)
class Unanswered:
    id: int
    number: int
    text: str
    thread_id: int


@dataclass(frozen=True)
class Reminder:
    sent_at: datetime
    sent_by: str | None
    recipients: int


@dataclass(frozen=True)
class ParticipationView:
    session_id: int
    session_title: str
    space_slug: str
    space_title: str
    state: str
    closes_at: datetime | None
    posts: int
    participants: int
    base: str  # members | invitations | none: what the groups are compared with
    expected_people: int  # members and open invitations expected to take part
    expected_participants: int | None  # the moderators' expectation
    by_day: tuple[Day, ...]
    by_region: tuple[Group, ...]
    by_country: tuple[Group, ...]
    by_affiliation: tuple[Group, ...]
    by_gender: tuple[Group, ...]
    not_taken_part: tuple[Person, ...]
    open_invitations: int
    unanswered: tuple[Unanswered, ...]
    last_reminder: Reminder | None
    next_reminder_at: datetime | None  # before this, a reminder is refused
    may_remind: bool = False

    @property
    def below_expected(self) -> bool:
        return (
            self.expected_participants is not None
            and self.participants < self.expected_participants
        )

    @property
    def reminder_audience(self) -> int:
        """Who a reminder now would go to: the members who have not taken part and the
        invitations still open."""
        return len(self.not_taken_part) + self.open_invitations

    def as_json(self) -> ParticipationJson:
        reminder = self.last_reminder
        return {
            "session_id": self.session_id,
            "session_title": self.session_title,
            "space": self.space_slug,
            "state": self.state,
            "closes_at": self.closes_at.isoformat() if self.closes_at else None,
            "posts": self.posts,
            "participants": self.participants,
            "base": self.base,
            "expected_people": self.expected_people,
            "expected_participants": self.expected_participants,
            "below_expected": self.below_expected,
            "by_day": [
                {"day": d.day, "posts": d.posts, "participants": d.participants}
                for d in self.by_day
            ],
            "by_region": [g.as_json() for g in self.by_region],
            "by_country": [g.as_json() for g in self.by_country],
            "by_affiliation": [g.as_json() for g in self.by_affiliation],
            "by_gender": [g.as_json() for g in self.by_gender],
            "not_taken_part": [
                {"user_id": p.user_id, "name": p.name, "country": p.country}
                for p in self.not_taken_part
            ],
            "open_invitations": self.open_invitations,
            "unanswered_questions": [
                {"id": q.id, "number": q.number, "text": q.text, "thread_id": q.thread_id}
                for q in self.unanswered
            ],
            "last_reminder": None
            if reminder is None
            else {
                "sent_at": reminder.sent_at.isoformat(),
                "sent_by": reminder.sent_by,
                "recipients": reminder.recipients,
            },
            "next_reminder_at": self.next_reminder_at.isoformat()
            if self.next_reminder_at
            else None,
        }


class ReminderSentJson(TypedDict):
    recipients: int
    sent_at: str


@dataclass(frozen=True)
class ReminderSent:
    recipients: int
    sent_at: datetime

    def as_json(self) -> ReminderSentJson:
        return {"recipients": self.recipients, "sent_at": self.sent_at.isoformat()}


class ExpectationJson(TypedDict):
    expected_participants: int | None


@dataclass(frozen=True)
class Expectation:
    expected_participants: int | None

    def as_json(self) -> ExpectationJson:
        return {"expected_participants": self.expected_participants}
