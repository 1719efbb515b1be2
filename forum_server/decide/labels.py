"""The words for reactions and proposal positions (catalogue entries, translated where
they are shown); the machine names stay English."""

from __future__ import annotations

from forum_server.i18n import N_

REACTION_LABELS = {
    "agree": N_("Agree"),
    "disagree": N_("Disagree"),
    "thanks": N_("Thanks"),
    "question": N_("Question"),
    "important": N_("Important"),
}

POSITION_LABELS = {
    "agree": N_("Agree"),
    "abstain": N_("Abstain"),
    "disagree": N_("Disagree"),
    "block": N_("Block"),
}
