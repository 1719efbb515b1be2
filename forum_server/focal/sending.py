"""Sending a notification to focal points, and reminders to those whose country has
not responded. Each message is one row of the record (who, when) with its own
single-use link, queued in the outbox in the same transaction; the message itself is
written when it is sent, in the recipient's language (mail.content)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server import audit
from forum_server.accounts.countries import region_for
from forum_server.accounts.credentials import new_token
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Invalid, NotFound
from forum_server.files.models import Document
from forum_server.focal.models import FocalDelivery, FocalNotification, FocalPoint
from forum_server.focal.schemas import NotificationCreate
from forum_server.focal.targets import target
from forum_server.focal.views import RemindersSent
from forum_server.mail.outbox import Outgoing, queue
from forum_server.orm import utcnow
from forum_server.periodic import repeat
from forum_server.policy import Actor, check_may_manage_focal_points

LINK_VALID_FOR = timedelta(days=30)
# A focal point reminded within this time is not reminded again by another round.
REMINDER_GAP = timedelta(hours=20)
MAIL_KIND = "focal_notification"
# Who sends the automatic reminders, in the audit log.
SCHEDULER = Actor(display_name="scheduler", is_secretariat=True)


def link_path(token: str) -> str:
    return f"/focal-links/{token}"


def regions_of(notification: FocalNotification) -> list[str]:
    return [r for r in notification.regions.split(",") if r]


def _reached(entry: FocalPoint, regions: Sequence[str]) -> bool:
    return not regions or region_for(entry.country) in regions


async def _deliver(
    uow: UnitOfWork, notification: FocalNotification, entries: Sequence[FocalPoint], reminder: bool
) -> int:
    """One record row, one link and one message per entry."""
    now = utcnow()
    messages = []
    for entry in entries:
        token, digest = (None, None)
        if notification.target_kind is not None:
            token, digest = new_token("fp_")
        delivery = FocalDelivery(
            notification_id=notification.id,
            focal_point_id=entry.id,
            name=entry.name,
            email=entry.email,
            country=entry.country,
            reminder=reminder,
            sent_at=now,
            token_hash=digest,
            expires_at=now + LINK_VALID_FOR if token else None,
        )
        uow.session.add(delivery)
        await uow.flush()
        context: dict[str, object] = {"delivery_id": delivery.id, "language": entry.language}
        if token:
            context["path"] = link_path(token)  # wiped from the outbox once sent
        messages.append(
            Outgoing(
                MAIL_KIND,
                entry.email,
                context,
                user_id=entry.user_id,
                message_key=f"focal-{delivery.id}",
            )
        )
    await queue(uow, messages)
    return len(messages)


async def _check_documents(session: AsyncSession, ids: Sequence[int]) -> None:
    if not ids:
        return
    found = set(
        await session.scalars(
            select(Document.id).where(Document.id.in_(ids), Document.removed_at.is_(None))
        )
    )
    if set(ids) - found:
        raise Invalid("No such document.", code="invalid_document", field="documents")


async def send_notification(db: Database, actor: Actor, data: NotificationCreate) -> int:
    """Sends the notification to every focal point of the chosen regions (all, without
    any), once each; returns its id. Invalid where the target or a document does not
    exist; Conflict `no_recipients` where nobody would receive it."""
    check_may_manage_focal_points(actor)
    if (data.target_kind is None) != (data.target_id is None):
        raise Invalid("Give both the kind and the id of the target.", field="target_id")
    async with db.write() as uow:
        if data.target_kind is not None and data.target_id is not None:
            await target(data.target_kind).check(uow.session, actor, data.target_id)
        await _check_documents(uow.session, data.documents)
        entries = [
            e
            for e in await uow.session.scalars(select(FocalPoint).order_by(FocalPoint.id))
            if _reached(e, data.regions)
        ]
        if not entries:
            raise Conflict("No focal point would receive it.", code="no_recipients")
        notification = FocalNotification(
            subject=data.subject,
            body=data.body,
            regions=",".join(data.regions),
            target_kind=data.target_kind,
            target_id=data.target_id,
            documents=",".join(map(str, data.documents)),
            created_by=actor.user_id,
            created_at=utcnow(),
            remind_at=data.remind_at,
        )
        uow.session.add(notification)
        await uow.flush()
        sent = await _deliver(uow, notification, entries, reminder=False)
        audit.record(
            uow,
            actor,
            "focal_notification.sent",
            space_id=None,
            target_type="focal_notification",
            target_id=notification.id,
            details={"regions": data.regions, "recipients": sent},
        )
        return notification.id


async def waiting_entries(
    session: AsyncSession, notification: FocalNotification
) -> list[FocalPoint]:
    """The focal points now in the register, of the countries the notification reached
    that have not responded."""
    if notification.target_kind is None or notification.target_id is None:
        return []
    reached = set(
        await session.scalars(
            select(FocalDelivery.country).where(FocalDelivery.notification_id == notification.id)
        )
    )
    answered = await target(notification.target_kind).responded(
        session, notification.target_id, notification.created_at
    )
    waiting = reached - answered
    if not waiting:
        return []
    return list(
        await session.scalars(
            select(FocalPoint).where(FocalPoint.country.in_(waiting)).order_by(FocalPoint.id)
        )
    )


async def _remind(uow: UnitOfWork, actor: Actor, notification: FocalNotification) -> int:
    since = utcnow() - REMINDER_GAP
    recent = set(
        await uow.session.scalars(
            select(FocalDelivery.focal_point_id).where(
                FocalDelivery.notification_id == notification.id,
                FocalDelivery.reminder.is_(True),
                FocalDelivery.sent_at >= since,
            )
        )
    )
    entries = [e for e in await waiting_entries(uow.session, notification) if e.id not in recent]
    sent = await _deliver(uow, notification, entries, reminder=True) if entries else 0
    audit.record(
        uow,
        actor,
        "focal_notification.reminded",
        space_id=None,
        target_type="focal_notification",
        target_id=notification.id,
        details={"recipients": sent},
    )
    return sent


async def send_reminders(db: Database, actor: Actor, notification_id: int) -> RemindersSent:
    """A reminder to each focal point of the countries that have not responded, except
    those reminded in the last REMINDER_GAP (a second press sends nothing twice)."""
    check_may_manage_focal_points(actor)
    async with db.write() as uow:
        notification = await uow.session.get(FocalNotification, notification_id)
        if notification is None:
            raise NotFound("No such notification.")
        if notification.target_kind is None:
            raise Conflict("This notification asks for no response.", code="nothing_to_remind")
        return RemindersSent(await _remind(uow, actor, notification))


async def send_due_reminders(db: Database) -> int:
    """The automatic reminder rounds now due, each once: the claim is a conditional
    update, so several processes can race safely. Returns how many were sent."""
    now, total = utcnow(), 0
    async with db.read() as session:
        due = list(
            await session.scalars(
                select(FocalNotification.id).where(
                    FocalNotification.remind_at <= now, FocalNotification.reminded_at.is_(None)
                )
            )
        )
    for notification_id in due:
        async with db.write() as uow:
            claimed = await uow.session.execute(
                update(FocalNotification)
                .where(
                    FocalNotification.id == notification_id,
                    FocalNotification.reminded_at.is_(None),
                )
                .values(reminded_at=now)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                continue
            notification = await uow.session.get(FocalNotification, notification_id)
            assert notification is not None
            total += await _remind(uow, SCHEDULER, notification)
    return total


async def run_reminders(db: Database, stop: asyncio.Event, *, interval: float = 300.0) -> None:
    """Sends the automatic reminder rounds as they fall due, until `stop` is set."""
    await repeat(partial(send_due_reminders, db), stop, every=interval, what="focal reminders")
