"""Reminders of a call's deadline to the designated submitters of the countries and
organizations that have not submitted: at the call's lead times (each lead time once,
recorded in call_reminders so that neither a restart nor a second process repeats it),
and when the secretariat asks. They go out through the mail outbox to those with an
address; at send time the message is dropped if its reader has submitted meanwhile, is
no longer designated, or the deadline has passed."""

from __future__ import annotations

import asyncio
import secrets
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server import audit
from forum_server.accounts.models import User
from forum_server.calls.models import Call, CallReminder, CallSubmitter, Submission
from forum_server.calls.views import ReminderView, split_list
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict
from forum_server.i18n import gettext
from forum_server.mail.compose import Draft
from forum_server.mail.outbox import Claimed, Outgoing, queue
from forum_server.orm import utcnow
from forum_server.periodic import repeat
from forum_server.policy import Actor, check_may_manage_calls, load_call, role_in_space
from forum_server.rooms.models import Space

KIND = "call_reminder"


async def _waiting(session: AsyncSession, call: Call) -> list[tuple[int, str]]:
    """(user id, address) of the designated submitters, still members, of every
    country or organization the call is addressed to that has not submitted."""
    done = set(
        await session.scalars(select(Submission.submitter).where(Submission.call_id == call.id))
    )
    rows = await session.execute(
        select(CallSubmitter.user_id, CallSubmitter.submitter, User.email)
        .join(User, User.id == CallSubmitter.user_id)
        .where(
            CallSubmitter.space_id == call.space_id,
            CallSubmitter.kind.in_(split_list(call.addressed_to)),
        )
    )
    found = []
    for user_id, submitter, email in rows:
        if submitter in done or not email:
            continue
        if await role_in_space(session, user_id, call.space_id) is None:
            continue
        found.append((user_id, email))
    return found


async def _queue(uow: UnitOfWork, call: Call, key: str) -> int:
    space_title = await uow.session.scalar(select(Space.title).where(Space.id == call.space_id))
    waiting = await _waiting(uow.session, call)
    context = {"call_id": call.id, "title": call.title, "space_title": space_title or ""}
    return await queue(
        uow,
        [
            Outgoing(
                KIND,
                email,
                {**context, "deadline": call.deadline.isoformat(), "path": f"/calls/{call.id}"},
                user_id=user_id,
                message_key=f"call-{call.id}-{key}-{user_id}",
            )
            for user_id, email in waiting
        ],
    )


async def remind_now(db: Database, actor: Actor, call_id: int) -> ReminderView:
    """The secretariat's button: remind now all who have not submitted to an open call."""
    async with db.write() as uow:
        call, space, access = await load_call(uow.session, actor, call_id)
        check_may_manage_calls(access)
        now = utcnow()
        if now >= call.deadline:
            raise Conflict("The deadline of this call has passed.", code="call_closed")
        # Each press is its own reminder (a key of its own).
        count = await _queue(uow, call, f"manual-{secrets.token_hex(6)}")
        audit.record(
            uow,
            actor,
            "call.reminded",
            space_id=space.id,
            target_type="call",
            target_id=call.id,
            details={"reminded": count},
        )
        return ReminderView(count)


def due_lead(call: Call, sent: set[int], now: datetime) -> int | None:
    """The lead time whose reminder is due now and not yet sent; when several are due
    at once (the server was down), the nearest one to the deadline."""
    due = [
        int(d)
        for d in split_list(call.reminder_days)
        if now >= call.deadline - timedelta(days=int(d)) and int(d) not in sent
    ]
    return min(due) if due else None


async def send_due_reminders(db: Database) -> int:
    """One pass: queue each open call's reminder whose lead time has come. Every due
    lead time is recorded as sent in the same transaction (so a missed one is not sent
    late after a nearer one)."""
    now = utcnow()
    async with db.read() as session:
        calls = list(await session.scalars(select(Call.id).where(Call.deadline > now)))
    queued = 0
    for call_id in calls:
        try:
            async with db.write() as uow:
                call = await uow.session.get(Call, call_id)
                if call is None or now >= call.deadline:
                    continue
                sent = set(
                    await uow.session.scalars(
                        select(CallReminder.days).where(CallReminder.call_id == call.id)
                    )
                )
                lead = due_lead(call, sent, now)
                if lead is None:
                    continue
                for d in split_list(call.reminder_days):
                    if int(d) not in sent and now >= call.deadline - timedelta(days=int(d)):
                        uow.session.add(CallReminder(call_id=call.id, days=int(d), sent_at=now))
                await uow.flush()  # a second process that raced here fails on the key
                queued += await _queue(uow, call, f"lead-{lead}")
        except IntegrityError:
            continue
    return queued


async def run_call_reminders(db: Database, stop: asyncio.Event, *, interval: float = 300) -> None:
    await repeat(partial(send_due_reminders, db), stop, every=interval, what="call reminders")


async def draft_reminder(session: AsyncSession, m: Claimed) -> Draft | None:
    """The reminder as it stands at send time, or None where it no longer applies."""
    call = await session.get(Call, int(m.context.get("call_id", 0)))
    if call is None or utcnow() >= call.deadline or m.user_id is None:
        return None
    if m.user_id not in {user_id for user_id, _ in await _waiting(session, call)}:
        return None
    context = dict(m.context)
    context["deadline"] = call.deadline
    subject = gettext("Reminder: %(title)s is due", title=call.title)
    return Draft(subject=subject, template=KIND, context=context, user_id=m.user_id)
