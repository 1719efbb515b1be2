"""Conferences: who steers the agenda, and who hears who is here.

Presence (the names of those following a conference live) is part of the session:
it reaches only live subscriptions and callers that `load_session` let in, so whoever
may read the session may see it and nobody else; a members space's presence never
leaves its members. Moving the agenda belongs to the session's
moderators, as opening and closing it does.
"""

from __future__ import annotations

from forum_server.policy.access import SessionAccess


def may_move_agenda(access: SessionAccess) -> bool:
    return access.can_moderate


def check_may_move_agenda(access: SessionAccess) -> None:
    """Unauthorized for anonymous callers, Forbidden for other non-moderators."""
    access.require_moderator()
