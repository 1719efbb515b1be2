"""Which live events a subscriber may be sent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forum_server.events import EVERY_VIEWER, POST_BY_POST, audience_of
from forum_server.policy.access import SessionAccess, may_see_post


def may_receive_event(access: SessionAccess, event_type: str, data: Mapping[str, Any]) -> bool:
    """Whether a viewer with this access may be sent a live event of the session. Who
    may is registered with each type (events.EVENT_TYPES); an unregistered type goes to
    the session's moderators only, so a new kind of event is private until registered."""
    audience = audience_of(event_type)
    if audience == EVERY_VIEWER:
        return True
    if audience != POST_BY_POST:
        return access.can_moderate
    status = data.get("status")
    author = data.get("author")
    author_id = author.get("id") if isinstance(author, dict) else None
    author_id = author_id if isinstance(author_id, int) else None
    if event_type == "post.rejected":
        # It carries no text: it tells the author's page to drop the held post.
        return access.can_moderate or (author_id is not None and author_id == access.actor.user_id)
    # A post event without a readable status is not public (fail closed).
    return may_see_post(access, status if isinstance(status, str) else "", author_id)


# Who may see a post, from most to fewest: published and hidden posts (a hidden one as
# its placeholder) are for every viewer, pending ones for their author and moderators,
# rejected ones for moderators.
_AUDIENCE_RANK = {"published": 0, "hidden": 0, "pending": 1, "rejected": 2}


def post_event_still_current(stored_status: str, current_status: str) -> bool:
    """Whether a stored event about a post may still be sent, rebuilt from the post as
    it is now (whose current status then decides who receives it). Not when the post
    has since reached more people than the event was written for — a held post that
    was approved: the approval's own event announces it, and the held one is stale."""
    stored = _AUDIENCE_RANK.get(stored_status, len(_AUDIENCE_RANK))
    return stored <= _AUDIENCE_RANK.get(current_status, len(_AUDIENCE_RANK))
