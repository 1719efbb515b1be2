"""Who may read the text of a hidden post: the moderators of its session (its
appointed moderators, the space's moderators and owners, the secretariat), who may
restore it. Everyone else who sees the thread gets the placeholder and the reason,
in pages, the API and live events alike."""

from __future__ import annotations

from forum_server.errors import Forbidden
from forum_server.policy.access import SessionAccess
from forum_server.policy.actors import require_signed_in


def may_read_hidden_text(access: SessionAccess) -> bool:
    return access.can_moderate


def check_may_read_hidden_text(access: SessionAccess) -> None:
    if not may_read_hidden_text(access):
        require_signed_in(access.actor)
        raise Forbidden("Only this session's moderators can read a hidden contribution.")
