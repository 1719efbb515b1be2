"""What the reactions' and polls' forms and API accept."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from forum_server.i18n import N_
from forum_server.schemas import Id, Input, Timestamp
from forum_server.text import clean_line

# The fixed set of reactions, in the order they are shown.
REACTION_KINDS = ("agree", "disagree", "thanks", "question", "important")
ReactionKind = Literal["agree", "disagree", "thanks", "question", "important"]

SINGLE, MULTIPLE, PROPOSAL = "single", "multiple", "proposal"
PollKind = Literal["single", "multiple", "proposal"]
# A proposal's positions, in the order they are shown.
POSITIONS = ("agree", "abstain", "disagree", "block")
Position = Literal["agree", "abstain", "disagree", "block"]

MAX_OPTIONS = 20
MAX_REASON_CHARS = 2_000
MAX_OUTCOME_CHARS = 10_000


def _line(value: str) -> str:
    return clean_line(value, max_length=300)


class PollCreate(Input):
    kind: PollKind
    title: str
    details: str = Field(default="", max_length=10_000)
    options: list[str] = Field(default_factory=list, max_length=MAX_OPTIONS, validate_default=True)
    thread_id: Id | None = None
    closes_at: Timestamp | None = None  # None: when the session closes
    anonymous: bool = False
    hide_results: bool = False

    _title = field_validator("title")(_line)

    @field_validator("options")
    @classmethod
    def _options(cls, values: list[str], info: ValidationInfo) -> list[str]:
        options = [clean_line(value, max_length=200) for value in values if value.strip()]
        if info.data.get("kind") == PROPOSAL:
            if options:
                raise ValueError(N_("a proposal has no options: its positions are fixed"))
        elif len(options) < 2:
            raise ValueError(N_("a poll needs at least two options"))
        elif len(set(options)) != len(options):
            raise ValueError(N_("the options must differ from each other"))
        return options


class VoteInput(Input):
    """A poll's vote: `choices` (option numbers from 0; one for a single choice); a
    proposal's: `position`, with an optional `reason`."""

    choices: list[int] = Field(default_factory=list, max_length=MAX_OPTIONS)
    position: Position | None = None
    reason: str = Field(default="", max_length=MAX_REASON_CHARS)


class OutcomeInput(Input):
    outcome: str = Field(min_length=1, max_length=MAX_OUTCOME_CHARS)
