"""What a participation reminder says, decided when it is sent. A member's names the
session and links to it, if they may still see it then (else it is dropped); an open
invitation's names only the space, as the invitation itself did."""

from __future__ import annotations

from typing import TYPE_CHECKING

from forum_server.i18n import gettext
from forum_server.mail.compose import Draft
from forum_server.mail.outbox import Claimed
from forum_server.rooms.models import ForumSession

if TYPE_CHECKING:
    from forum_server.mail.content import Lookups

KIND = "participation_reminder"


async def draft_reminder(look: Lookups, m: Claimed) -> Draft | None:
    if m.user_id is None:
        if not m.context.get("invited"):
            return None
        space_title = str(m.context.get("space_title", ""))
        return Draft(
            subject=gettext("Your invitation to %(space)s is waiting", space=space_title),
            template="participation_reminder",
            context={"invited": True, "space_title": space_title},
        )
    if m.session_id is None or await look.access(m.session_id, m.user_id) is None:
        return None
    forum_session = await look.db.get(ForumSession, m.session_id)
    if forum_session is None:
        return None
    return Draft(
        subject=f"[{forum_session.title}] " + gettext("Your contribution is awaited"),
        template="participation_reminder",
        context={
            "invited": False,
            "session_title": forum_session.title,
            "link": f"/sessions/{forum_session.id}",
        },
        session_id=forum_session.id,
        session_title=forum_session.title,
        user_id=m.user_id,
    )
