"""Answers to replies by mail that did not become a post (or that wait for review):
what each says, and the message itself.

An answer goes to the account the reply address names (never to a From: header,
which anyone can write), threads under the message it answers (In-Reply-To,
References), is marked `Auto-Submitted: auto-replied` so that no program answers it
back, and carries what the person wrote, so that nothing they wrote is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from forum_server.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, RateLimited
from forum_server.i18n import N_, gettext
from forum_server.mail.compose import Draft
from forum_server.mail.outbox import Claimed

KIND = "answer"
# The reasons an answer gives, and its subject line (catalogue entries, translated
# when the answer is written, in its reader's language).
SUBJECTS = {
    "closed": N_("The session is closed"),
    "not_open": N_("The session is not open yet"),
    "locked": N_("The discussion is locked"),
    "suspended": N_("You cannot post at the moment"),
    "not_allowed": N_("You cannot post there"),
    "revoked": N_("This reply address no longer works"),
    "expired": N_("This reply address has expired"),
    "unknown": N_("What you replied to is no longer there"),
    "empty": N_("Your message was empty"),
    "too_long": N_("Your message is too long"),
    "invalid": N_("Your message could not be posted"),
    "no_title": N_("Your new topic needs a subject"),
    "rate_limited": N_("Too many contributions at once"),
    "held": N_("Your contribution awaits review"),
    "files_refused": N_("Some attached files were not kept"),
    "failed": N_("Your message could not be handled"),
}
KEEPS_TEXT_UP_TO = 20_000  # what they wrote, sent back (a post holds as much)


@dataclass(frozen=True)
class Refusal:
    """Why a reply was not posted (or `held`), and what the answer says about it."""

    reason: str
    details: dict[str, Any] = field(default_factory=dict)


def refusal_for(error: DomainError) -> Refusal:
    """The answer to a refusal of the post command (the web's error, in words)."""
    if isinstance(error, Conflict) and error.code == "session_closed":
        return Refusal("closed")
    if isinstance(error, Conflict) and error.code == "session_not_open":
        return Refusal("not_open")
    if isinstance(error, Conflict) and error.code == "thread_locked":
        return Refusal("locked")
    if isinstance(error, Forbidden) and error.code == "suspended":
        return Refusal("suspended", {"message": error.message})
    if isinstance(error, RateLimited):
        minutes = max(1, round((error.retry_after or 60) / 60))
        return Refusal("rate_limited", {"minutes": minutes})
    if isinstance(error, NotFound) or (isinstance(error, Invalid) and error.field == "parent_id"):
        return Refusal("unknown")
    if isinstance(error, Invalid):
        return Refusal("invalid", {"message": error.message})
    return Refusal("not_allowed", {"message": error.message})


def subject_for(reason: str, their_subject: str) -> str:
    if their_subject:
        subject = (
            their_subject if their_subject.lower().startswith("re:") else f"Re: {their_subject}"
        )
        return subject[:200]
    return gettext(SUBJECTS[reason])


async def draft_answer(_look: object, m: Claimed) -> Draft | None:
    """The answer's text: all of it was decided when the reply was handled."""
    reason = m.context.get("reason", "failed")
    if reason not in SUBJECTS:
        return None
    references = [r for r in m.context.get("references", []) if isinstance(r, str)]
    answered = m.context.get("in_reply_to")
    closed_at = m.context.get("closed_at")
    when = {"closed_at": datetime.fromisoformat(closed_at)} if closed_at else {}
    return Draft(
        subject=subject_for(reason, m.context.get("subject", "")),
        template="answer",
        context={**m.context, "reason": reason, "headline": gettext(SUBJECTS[reason]), **when},
        auto_replied=True,
        answers=answered if isinstance(answered, str) else None,
        references=tuple(references),
    )
