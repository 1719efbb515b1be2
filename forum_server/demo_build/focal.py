"""The demo's register of national focal points, and a notification to the African
States' focal points inviting them to the first session."""

from __future__ import annotations

from forum_server.accounts.admin import COMMAND_LINE
from forum_server.db import Database
from forum_server.demo_content import focal as focal_content
from forum_server.focal import register, sending
from forum_server.focal.schemas import FocalPointCreate, NotificationCreate
from forum_server.schemas import validate


async def load_focal_points(db: Database, session_id: int) -> int:
    """Fills the register and sends the notification; returns the notification's id."""
    for entry in focal_content.FOCAL_POINTS:
        await register.add_focal_point(db, COMMAND_LINE, validate(FocalPointCreate, entry))
    data = validate(
        NotificationCreate,
        {**focal_content.NOTIFICATION, "target_kind": "session", "target_id": session_id},
    )
    return await sending.send_notification(db, COMMAND_LINE, data)
