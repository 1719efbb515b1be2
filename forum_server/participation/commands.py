"""The participation page's writes: the turnout the moderators expect, and the reminder
to those who have not taken part (queued in the outbox, one message a person, each
written in its recipient's language when it is sent)."""

from __future__ import annotations

from sqlalchemy import select

from forum_server import audit
from forum_server.accounts.models import User
from forum_server.db import Database
from forum_server.errors import Conflict, RateLimited
from forum_server.i18n import current_language
from forum_server.mail.outbox import Outgoing, queue
from forum_server.orm import utcnow
from forum_server.participation.models import ParticipationReminder
from forum_server.participation.queries import (
    last_reminder,
    next_reminder_at,
    not_taken_part,
)
from forum_server.participation.schemas import ExpectationInput
from forum_server.participation.views import Expectation, ReminderSent
from forum_server.policy import (
    Actor,
    check_may_remind_participants,
    load_participation,
    open_invitations_query,
)
from forum_server.rooms.models import Invitation, SessionPeriod, Space
from forum_server.rooms.sessions import lock_session, state_of
from forum_server.rooms.state import CLOSED, OPEN

REMINDER = "participation_reminder"


async def set_expectation(
    db: Database, actor: Actor, session_id: int, data: ExpectationInput
) -> Expectation:
    """Sets (or clears, with None) how many people the moderators expect to take part."""
    async with db.write() as uow:
        forum_session, access = await load_participation(uow.session, actor, session_id)
        check_may_remind_participants(access)
        if forum_session.expected_participants != data.expected_participants:
            forum_session.expected_participants = data.expected_participants
            audit.record(
                uow,
                actor,
                "session.expectation_set",
                space_id=forum_session.space_id,
                target_type="session",
                target_id=session_id,
                details={"expected_participants": data.expected_participants},
            )
            await uow.flush()
        return Expectation(forum_session.expected_participants)


async def send_reminder(db: Database, actor: Actor, session_id: int) -> ReminderSent:
    """Mails every member expected to take part who has not, and every invitation still
    open, once; records who sent it and to how many. Refused while the session is not
    open, and within an hour of the last reminder (429, with when to try again)."""
    async with db.write() as uow:
        db_session = uow.session
        forum_session, access = await load_participation(db_session, actor, session_id)
        check_may_remind_participants(access)
        # Two moderators pressing at once: the second sees the first's reminder.
        await lock_session(uow, session_id)
        periods = list(
            await db_session.scalars(
                select(SessionPeriod).where(SessionPeriod.session_id == session_id)
            )
        )
        now = utcnow()
        state = state_of(periods, now)
        if state == CLOSED:
            raise Conflict("The session is closed.", code="session_closed")
        if state != OPEN:
            raise Conflict("The session is not open yet.", code="session_not_open")
        wait_until = next_reminder_at(await last_reminder(db_session, session_id), now)
        if wait_until is not None:
            raise RateLimited(
                "A reminder was sent less than an hour ago; try again later.",
                code="reminder_too_soon",
                retry_after=max(1, int((wait_until - now).total_seconds())),
            )
        space = await db_session.get(Space, forum_session.space_id)
        assert space is not None
        people = await not_taken_part(db_session, forum_session)
        emails = dict(
            (
                await db_session.execute(
                    select(User.id, User.email).where(User.id.in_([p.user_id for p in people]))
                )
            ).all()
        )
        invited = list(
            await db_session.scalars(
                select(Invitation).where(Invitation.id.in_(open_invitations_query(space.id)))
            )
        )
        reminder = ParticipationReminder(
            session_id=session_id, sent_by=actor.user_id, sent_at=now, recipients=0
        )
        db_session.add(reminder)
        await uow.flush()
        # Written in the sender's language only for someone who chose none.
        language = current_language.get()
        messages = [
            Outgoing(
                REMINDER,
                emails[p.user_id],
                {"language": language},
                user_id=p.user_id,
                session_id=session_id,
                message_key=f"reminder-{reminder.id}-u{p.user_id}",
            )
            for p in people
            if emails.get(p.user_id)
        ]
        messages += [
            Outgoing(
                REMINDER,
                invitation.email,
                {"language": language, "space_title": space.title, "invited": True},
                message_key=f"reminder-{reminder.id}-i{invitation.id}",
            )
            for invitation in invited
        ]
        reminder.recipients = await queue(uow, messages)
        audit.record(
            uow,
            actor,
            "session.reminder_sent",
            space_id=space.id,
            target_type="session",
            target_id=session_id,
            details={"recipients": reminder.recipients},
        )
        await uow.flush()
        return ReminderSent(reminder.recipients, now)
