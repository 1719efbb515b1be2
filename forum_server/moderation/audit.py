"""Writing to the audit log: one function, called by every moderation and
membership action inside its own transaction."""

from __future__ import annotations

import json
from typing import Any

from forum_server.db import UnitOfWork
from forum_server.moderation.models import AuditEntry
from forum_server.policy import Actor


def record(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    *,
    space_id: int | None,
    target_type: str,
    target_id: int | None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    uow.session.add(
        AuditEntry(
            actor_id=actor.user_id,
            actor_name=actor.display_name or "system",
            space_id=space_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            reason=reason,
            details=json.dumps(details or {}, ensure_ascii=False, default=str),
        )
    )
