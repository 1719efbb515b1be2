"""A live conference beside the two-week forum: the Liaison Group's coordination call,
held in writing over three hours, its agenda moved on to the second item."""

from __future__ import annotations

from dataclasses import dataclass

SLUG = "coordination-call"
SPACE_TITLE = "Liaison Group coordination call"
TITLE = "Coordination call on the capacity-building action plan"
DESCRIPTION = (
    "A three-hour conference held in writing: the moderator moves through the agenda, "
    "everyone follows live, and the conversation is kept for the report."
)
MODERATOR = "moderator_a"
OPENED_MINUTES_AGO = 70
HOURS = 3


@dataclass(frozen=True)
class AgendaItem:
    text: str
    minutes_after_open: int  # planned start


@dataclass(frozen=True)
class Message:
    key: str
    author: str  # DemoPerson.key
    item: int  # agenda item number
    minutes_after_open: float
    body: str
    reply_to: str | None = None


AGENDA = (
    AgendaItem("Round of updates: what has happened since the last meeting?", 0),
    AgendaItem("Priorities for the next two years of the action plan", 45),
    AgendaItem("Next steps and who does what", 120),
)
# The moderator moved to item 2 this long after the opening.
MOVED_TO_2_AFTER = 48

MESSAGES = (
    Message(
        "welcome", MODERATOR, 1, 2, "Welcome, everyone. Let us start with a short round of updates."
    ),
    Message(
        "ghana",
        "k_osei",
        1,
        6,
        "Ghana: our national biosafety framework review is finished; the regulations go to "
        "Parliament next month.",
    ),
    Message(
        "ghana_q",
        "p_raghunathan",
        1,
        9,
        "Congratulations. Did the review change how public participation works?",
        reply_to="ghana",
    ),
    Message(
        "ghana_a",
        "k_osei",
        1,
        12,
        "Yes: notices are now published online **and** read on community radio.",
        reply_to="ghana_q",
    ),
    Message(
        "pacific",
        "s_tupou",
        1,
        20,
        "Tonga: the regional detection laboratory training ran in March, 14 participants.",
    ),
    Message("item2", MODERATOR, 2, 49, "Thank you. On to priorities: what should come first?"),
    Message(
        "detection",
        "g_nakato",
        2,
        55,
        "Detection and identification capacity, shared regionally: few of us can afford a "
        "laboratory each.",
    ),
    Message(
        "detection_yes",
        "s_tupou",
        2,
        58,
        "Agreed, and e-learning for inspectors before any equipment.",
        reply_to="detection",
    ),
)
