"""The write path of calls: open and change a call, order its compilation, designate
and remove submitters. Each command owns its transaction and checks access inside it.
Submissions are submissions.py's."""

from __future__ import annotations

from sqlalchemy import select, update

from forum_server import audit
from forum_server.accounts.models import User
from forum_server.calls.models import Call, CallSubmitter, Submission
from forum_server.calls.queries import call_view
from forum_server.calls.schemas import CallInput, OrderInput, SubmitterInput
from forum_server.calls.views import CallView, SubmitterView, join_list
from forum_server.db import Database
from forum_server.errors import Invalid, NotFound
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    check_may_manage_calls,
    check_may_name_submitters,
    load_call,
    load_calls,
    role_in_space,
)
from forum_server.rooms.render_workers import render_markdown_off_loop


def _fill(call: Call, data: CallInput, html: str) -> None:
    call.title = data.title
    call.text = data.text
    call.text_html = html
    call.addressed_to = join_list(list(data.addressed_to))
    call.deadline = data.deadline
    call.reminder_days = join_list(data.reminder_days)
    call.symbol = data.symbol
    call.distribution = data.distribution


async def _html(text: str) -> str:
    try:
        return await render_markdown_off_loop(text)
    except ValueError as exc:
        raise Invalid(str(exc), field="text") from None


async def open_call(db: Database, actor: Actor, slug: str, data: CallInput) -> CallView:
    """Opens a call for submissions in the space (its owners, the secretariat)."""
    html = await _html(data.text)
    async with db.write() as uow:
        space, access = await load_calls(uow.session, actor, slug)
        check_may_manage_calls(access)
        now = utcnow()
        call = Call(space_id=space.id, created_by=actor.user_id, created_at=now, updated_at=now)
        _fill(call, data, html)
        uow.session.add(call)
        await uow.flush()
        audit.record(
            uow,
            actor,
            "call.opened",
            space_id=space.id,
            target_type="call",
            target_id=call.id,
            details={"title": call.title, "deadline": call.deadline.isoformat()},
        )
        uow.emit(
            "call.opened",
            {
                "call_id": call.id,
                "title": call.title,
                "deadline": call.deadline.isoformat(),
                "addressed_to": list(data.addressed_to),
            },
            space_id=space.id,
        )
        return await call_view(uow.session, call, space, access)


async def update_call(db: Database, actor: Actor, call_id: int, data: CallInput) -> CallView:
    """Replaces a call's fields; a later deadline re-opens it for submissions."""
    html = await _html(data.text)
    async with db.write() as uow:
        call, space, access = await load_call(uow.session, actor, call_id)
        check_may_manage_calls(access)
        before = call.deadline
        _fill(call, data, html)
        call.updated_at = utcnow()
        audit.record(
            uow,
            actor,
            "call.changed",
            space_id=space.id,
            target_type="call",
            target_id=call.id,
            details={"deadline_before": before.isoformat(), "deadline": call.deadline.isoformat()},
        )
        return await call_view(uow.session, call, space, access)


async def order_submissions(db: Database, actor: Actor, call_id: int, data: OrderInput) -> None:
    """Sets the compilation's order: the ids of the call's submissions, first to last,
    each once and all of them."""
    async with db.write() as uow:
        call, space, access = await load_call(uow.session, actor, call_id)
        check_may_manage_calls(access)
        ids = set(
            await uow.session.scalars(select(Submission.id).where(Submission.call_id == call.id))
        )
        given = data.submission_ids
        if len(set(given)) != len(given) or set(given) != ids:
            raise Invalid(
                "Name every submission of this call once, in the order wanted.",
                field="submission_ids",
            )
        for position, submission_id in enumerate(given, start=1):
            await uow.session.execute(
                update(Submission).where(Submission.id == submission_id).values(position=position)
            )
        audit.record(
            uow,
            actor,
            "call.ordered",
            space_id=space.id,
            target_type="call",
            target_id=call.id,
        )


async def add_submitter(
    db: Database, actor: Actor, slug: str, data: SubmitterInput
) -> SubmitterView:
    """Designates a member of the space to submit for a country or an organization (one
    designation per person and space; a new one replaces the old)."""
    async with db.write() as uow:
        space, access = await load_calls(uow.session, actor, slug)
        check_may_name_submitters(access)
        if await role_in_space(uow.session, data.user_id, space.id) is None:
            raise Invalid(
                "Only a member of this space can be designated a submitter.", field="user_id"
            )
        name = await uow.session.scalar(select(User.display_name).where(User.id == data.user_id))
        row = await uow.session.get(CallSubmitter, (space.id, data.user_id))
        if row is None:
            row = CallSubmitter(space_id=space.id, user_id=data.user_id, added_at=utcnow())
            uow.session.add(row)
        row.kind, row.submitter = data.kind, data.submitter
        audit.record(
            uow,
            actor,
            "call.submitter_added",
            space_id=space.id,
            target_type="user",
            target_id=data.user_id,
            details={"kind": data.kind, "submitter": data.submitter},
        )
        return SubmitterView(data.user_id, name or "", data.kind, data.submitter)


async def remove_submitter(db: Database, actor: Actor, slug: str, user_id: int) -> None:
    async with db.write() as uow:
        space, access = await load_calls(uow.session, actor, slug)
        check_may_name_submitters(access)
        row = await uow.session.get(CallSubmitter, (space.id, user_id))
        if row is None:
            raise NotFound("This person is not a designated submitter here.")
        await uow.session.delete(row)
        audit.record(
            uow,
            actor,
            "call.submitter_removed",
            space_id=space.id,
            target_type="user",
            target_id=user_id,
        )
