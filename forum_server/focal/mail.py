"""The message a focal point receives, written when it is sent, in their language:
dropped when its register entry was removed since it was queued."""

from __future__ import annotations

from sqlalchemy import select

from forum_server.files.models import Document
from forum_server.focal.models import FocalDelivery, FocalNotification, FocalPoint
from forum_server.focal.targets import target
from forum_server.i18n import gettext
from forum_server.mail.compose import Draft
from forum_server.mail.outbox import Claimed


async def draft_focal(look: object, m: Claimed) -> Draft | None:
    db = look.db  # type: ignore[attr-defined]
    delivery = await db.get(FocalDelivery, m.context.get("delivery_id", 0))
    if delivery is None or delivery.focal_point_id is None:
        return None  # removed from the register since
    entry = await db.get(FocalPoint, delivery.focal_point_id)
    if entry is None or entry.email != delivery.email:
        return None  # its address changed: the link would be refused anyway
    notification = await db.get(FocalNotification, delivery.notification_id)
    if notification is None:
        return None
    target_title = None
    if notification.target_kind is not None and notification.target_id is not None:
        described = await target(notification.target_kind).describe(db, notification.target_id)
        target_title = described.title if described else None
    ids = [int(d) for d in notification.documents.split(",") if d]
    documents = []
    if ids:
        found = await db.scalars(
            select(Document).where(Document.id.in_(ids), Document.removed_at.is_(None))
        )
        documents = [{"title": d.title, "link": f"/documents/{d.id}"} for d in found]
    subject = notification.subject
    if delivery.reminder:
        subject = gettext("Reminder: %(subject)s", subject=subject)
    return Draft(
        subject=subject,
        template="focal_notification",
        context={
            "name": delivery.name,
            "body": notification.body,
            "reminder": delivery.reminder,
            "target_title": target_title,
            "path": m.context.get("path"),
            "expires_at": delivery.expires_at,
            "documents": documents,
        },
    )
