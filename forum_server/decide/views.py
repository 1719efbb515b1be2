"""Frozen views of reactions and polls, as pages, the API and reports show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from typing_extensions import TypedDict


class ReactionCountsJson(TypedDict):
    agree: int
    disagree: int
    thanks: int
    question: int
    important: int


class ReactionsJson(TypedDict):
    post_id: int
    counts: ReactionCountsJson
    mine: list[str]


class ReactionPeopleJson(TypedDict):
    agree: list[str]
    disagree: list[str]
    thanks: list[str]
    question: list[str]
    important: list[str]


class ReactionsWithPeopleJson(TypedDict):
    post_id: int
    counts: ReactionCountsJson
    mine: list[str]
    people: ReactionPeopleJson


@dataclass(frozen=True)
class ReactionsView:
    """A post's reactions: how many of each kind, which are the reader's own, and
    (asked for on their own) who reacted."""

    post_id: int
    counts: dict[str, int]
    mine: frozenset[str]
    people: dict[str, list[str]] | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_json(self) -> ReactionsJson:
        return {
            "post_id": self.post_id,
            "counts": _counts(self.counts),
            "mine": sorted(self.mine),
        }

    def with_people_json(self) -> ReactionsWithPeopleJson:
        people = self.people or {}
        return {
            "post_id": self.post_id,
            "counts": _counts(self.counts),
            "mine": sorted(self.mine),
            "people": {
                "agree": people.get("agree", []),
                "disagree": people.get("disagree", []),
                "thanks": people.get("thanks", []),
                "question": people.get("question", []),
                "important": people.get("important", []),
            },
        }


def _counts(counts: dict[str, int]) -> ReactionCountsJson:
    return {
        "agree": counts.get("agree", 0),
        "disagree": counts.get("disagree", 0),
        "thanks": counts.get("thanks", 0),
        "question": counts.get("question", 0),
        "important": counts.get("important", 0),
    }


class ReasonJson(TypedDict):
    name: str | None
    reason: str


class OptionResultJson(TypedDict):
    key: str
    label: str
    count: int
    voters: list[str]
    reasons: list[ReasonJson]


class ResultsJson(TypedDict):
    votes: int
    options: list[OptionResultJson]


class MyVoteJson(TypedDict):
    choices: list[int]
    position: str | None
    reason: str


class PollJson(TypedDict):
    id: int
    session_id: int
    thread_id: int | None
    kind: str
    title: str
    details: str
    options: list[str]
    anonymous: bool
    hide_results: bool
    closes_at: str | None
    closed_at: str | None
    open: bool
    created_by: str | None
    votes: int
    voted: bool
    my_vote: MyVoteJson | None
    results: ResultsJson | None
    outcome: str | None
    outcome_at: str | None
    may_vote: bool
    may_close: bool
    may_write_outcome: bool


@dataclass(frozen=True)
class Reason:
    name: str | None  # None in an anonymous poll
    text: str


@dataclass(frozen=True)
class OptionResult:
    key: str  # the option's number ("0", "1"…) or the proposal's position
    label: str
    count: int
    voters: tuple[str, ...]  # names, in a named poll only
    reasons: tuple[Reason, ...]

    def share(self, votes: int) -> int:
        """Its share of the votes, in whole per cent (for the bars on the page)."""
        return round(100 * self.count / votes) if votes else 0


@dataclass(frozen=True)
class MyVote:
    choices: tuple[int, ...]
    position: str | None
    reason: str


@dataclass(frozen=True)
class PollView:
    id: int
    session_id: int
    thread_id: int | None
    kind: str
    title: str
    details: str
    options: tuple[str, ...]
    anonymous: bool
    hide_results: bool
    closes_at: datetime | None
    closed_at: datetime | None  # when it closed, by hand or at its time
    is_open: bool
    created_by: str | None
    votes: int  # how many people voted
    voted: bool  # the reader did
    my_vote: MyVote | None
    results: tuple[OptionResult, ...] | None  # None while they are kept back
    outcome: str | None
    outcome_at: datetime | None
    may_vote: bool
    may_close: bool
    may_write_outcome: bool

    def as_json(self) -> PollJson:
        results: ResultsJson | None = None
        if self.results is not None:
            results = {
                "votes": self.votes,
                "options": [
                    {
                        "key": option.key,
                        "label": option.label,
                        "count": option.count,
                        "voters": list(option.voters),
                        "reasons": [{"name": r.name, "reason": r.text} for r in option.reasons],
                    }
                    for option in self.results
                ],
            }
        mine: MyVoteJson | None = None
        if self.my_vote is not None:
            mine = {
                "choices": list(self.my_vote.choices),
                "position": self.my_vote.position,
                "reason": self.my_vote.reason,
            }
        return {
            "id": self.id,
            "session_id": self.session_id,
            "thread_id": self.thread_id,
            "kind": self.kind,
            "title": self.title,
            "details": self.details,
            "options": list(self.options),
            "anonymous": self.anonymous,
            "hide_results": self.hide_results,
            "closes_at": _time(self.closes_at),
            "closed_at": _time(self.closed_at),
            "open": self.is_open,
            "created_by": self.created_by,
            "votes": self.votes,
            "voted": self.voted,
            "my_vote": mine,
            "results": results,
            "outcome": self.outcome,
            "outcome_at": _time(self.outcome_at),
            "may_vote": self.may_vote,
            "may_close": self.may_close,
            "may_write_outcome": self.may_write_outcome,
        }


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
