"""Reads of calls, through the policy: a space's calls, one call, its submissions (the
restricted ones only for those who may see them), the status table, the designated
submitters, a submission's document, and everything the compilation needs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.calls.models import Call, CallSubmitter, Submission, SubmissionFile
from forum_server.calls.views import (
    CallView,
    StatusRow,
    SubmissionDocument,
    SubmissionView,
    SubmitterView,
    split_list,
    submitter_name,
)
from forum_server.errors import Conflict, Forbidden, NotFound
from forum_server.files.models import Upload
from forum_server.files.queries import Servable
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    CallAccess,
    check_may_manage_calls,
    check_may_see_members,
    check_may_submit,
    load_call,
    load_calls,
    load_submission,
    may_manage_calls,
    may_name_submitters,
    may_submit,
)
from forum_server.rooms.members_queries import members_of
from forum_server.rooms.models import Space

MAX_LIMIT = 200


def call_addressees(call: Call) -> tuple[str, ...]:
    return split_list(call.addressed_to)


def visible_submissions_clause(access: CallAccess) -> ColumnElement[bool]:
    """The submissions this reader may see, inside the query (never filtered after)."""
    if may_manage_calls(access):
        return Submission.id.is_not(None)
    speaks = access.speaks_for
    own = Submission.submitter == speaks.submitter if speaks is not None else false()
    return or_(Submission.public.is_(True), own)


async def _count(db: AsyncSession, call: Call, access: CallAccess) -> int:
    return (
        await db.scalar(
            select(func.count(Submission.id)).where(
                Submission.call_id == call.id, visible_submissions_clause(access)
            )
        )
    ) or 0


async def _mine(db: AsyncSession, call: Call, access: CallAccess) -> int | None:
    speaks = access.speaks_for
    if speaks is None:
        return None
    return await db.scalar(
        select(Submission.id).where(
            Submission.call_id == call.id, Submission.submitter == speaks.submitter
        )
    )


async def call_view(db: AsyncSession, call: Call, space: Space, access: CallAccess) -> CallView:
    now = utcnow()
    is_open = now < call.deadline
    return CallView(
        call.id,
        space.slug,
        space.title,
        call.title,
        call.text,
        call.text_html,
        call_addressees(call),
        call.deadline,
        is_open,
        tuple(int(d) for d in split_list(call.reminder_days)),
        call.symbol,
        call.distribution,
        await _count(db, call, access),
        call.created_at,
        may_manage_calls(access),
        is_open and may_submit(access, call_addressees(call)),
        await _mine(db, call, access),
    )


@dataclass(frozen=True)
class CallListing:
    space_slug: str
    space_title: str
    calls: tuple[CallView, ...]
    may_manage: bool
    may_name_submitters: bool


async def calls_of(db: AsyncSession, actor: Actor, slug: str) -> CallListing:
    """The space's calls, open ones first (soonest deadline first), then closed ones."""
    space, access = await load_calls(db, actor, slug)
    rows = list(
        await db.scalars(
            select(Call).where(Call.space_id == space.id).order_by(Call.deadline.desc(), Call.id)
        )
    )
    views = [await call_view(db, call, space, access) for call in rows]
    views.sort(key=lambda v: (not v.open, v.deadline if v.open else -v.deadline.timestamp()))
    return CallListing(
        space.slug,
        space.title,
        tuple(views),
        may_manage_calls(access),
        may_name_submitters(access),
    )


async def call_detail(db: AsyncSession, actor: Actor, call_id: int) -> CallView:
    call, space, access = await load_call(db, actor, call_id)
    return await call_view(db, call, space, access)


async def _documents(
    db: AsyncSession, submission_ids: list[int]
) -> dict[int, list[SubmissionDocument]]:
    found: dict[int, list[SubmissionDocument]] = {i: [] for i in submission_ids}
    if not submission_ids:
        return found
    rows = await db.execute(
        select(SubmissionFile.submission_id, Upload.id, Upload.name, Upload.media_type, Upload.size)
        .join(Upload, Upload.id == SubmissionFile.upload_id)
        .where(SubmissionFile.submission_id.in_(submission_ids), Upload.removed_at.is_(None))
        .order_by(Upload.id)
    )
    for submission_id, upload_id, name, media_type, size in rows:
        found[submission_id].append(
            SubmissionDocument(upload_id, submission_id, name, media_type, size)
        )
    return found


def _view(
    submission: Submission,
    call: Call,
    access: CallAccess,
    documents: list[SubmissionDocument],
) -> SubmissionView:
    speaks = access.speaks_for
    own = speaks is not None and speaks.submitter == submission.submitter
    editable = own and utcnow() < call.deadline and may_submit(access, call_addressees(call))
    return SubmissionView(
        submission.id,
        submission.call_id,
        submission.kind,
        submission.submitter,
        submitter_name(submission.kind, submission.submitter),
        submission.text,
        submission.text_html,
        submission.public,
        submission.position,
        tuple(documents),
        submission.created_at,
        submission.updated_at,
        editable,
    )


async def submission_view(
    db: AsyncSession, submission: Submission, access: CallAccess
) -> SubmissionView:
    call = await db.get(Call, submission.call_id)
    assert call is not None
    documents = await _documents(db, [submission.id])
    return _view(submission, call, access, documents[submission.id])


async def submission_detail(db: AsyncSession, actor: Actor, submission_id: int) -> SubmissionView:
    submission, call, _, access = await load_submission(db, actor, submission_id)
    documents = await _documents(db, [submission.id])
    return _view(submission, call, access, documents[submission.id])


def _ordered(query):  # type: ignore[no-untyped-def]
    # The secretariat's order first; the rest as they came.
    return query.order_by(
        Submission.position.is_(None), Submission.position, Submission.created_at, Submission.id
    )


async def submissions_of(
    db: AsyncSession, actor: Actor, call_id: int, *, limit: int = 50, offset: int = 0
) -> tuple[tuple[SubmissionView, ...], int | None]:
    """The call's submissions the reader may see, in the compilation's order."""
    call, _, access = await load_call(db, actor, call_id)
    limit = max(1, min(limit, MAX_LIMIT))
    rows = list(
        await db.scalars(
            _ordered(
                select(Submission).where(
                    Submission.call_id == call.id, visible_submissions_clause(access)
                )
            )
            .offset(offset)
            .limit(limit + 1)
        )
    )
    documents = await _documents(db, [s.id for s in rows[:limit]])
    views = tuple(_view(s, call, access, documents[s.id]) for s in rows[:limit])
    return views, offset + limit if len(rows) > limit else None


async def status_of(db: AsyncSession, actor: Actor, call_id: int) -> tuple[StatusRow, ...]:
    """Every country and organization the call is addressed to that has designated
    submitters here or has submitted, and when it submitted (or not yet): who has and
    who has not. It names who submitted, never what."""
    call, space, _ = await load_call(db, actor, call_id)
    addressed = call_addressees(call)
    submitted = {
        (kind, key): at
        for kind, key, at in await db.execute(
            select(Submission.kind, Submission.submitter, Submission.created_at).where(
                Submission.call_id == call.id
            )
        )
    }
    expected = await db.execute(
        select(CallSubmitter.kind, CallSubmitter.submitter)
        .where(CallSubmitter.space_id == space.id, CallSubmitter.kind.in_(addressed))
        .distinct()
    )
    keys = set(submitted) | {(kind, key) for kind, key in expected}
    rows = [StatusRow(kind, key, submitted.get((kind, key))) for kind, key in keys]
    rows.sort(
        key=lambda r: (addressed.index(r.kind) if r.kind in addressed else 9, r.submitter_name)
    )
    return tuple(rows)


async def submitters_of(db: AsyncSession, actor: Actor, slug: str) -> tuple[SubmitterView, ...]:
    """The space's designated submitters, for those who see its members."""
    space, access = await load_calls(db, actor, slug)
    check_may_see_members(access.space)
    rows = await db.execute(
        select(User.id, User.display_name, CallSubmitter.kind, CallSubmitter.submitter)
        .join(CallSubmitter, CallSubmitter.user_id == User.id)
        .where(CallSubmitter.space_id == space.id)
        .order_by(CallSubmitter.submitter, User.display_name, User.id)
    )
    return tuple(SubmitterView(*row) for row in rows)


async def document_to_serve(
    db: AsyncSession, actor: Actor, submission_id: int, upload_id: int
) -> Servable:
    """A document of a submission the reader may see."""
    await load_submission(db, actor, submission_id)
    upload = await db.scalar(
        select(Upload)
        .join(SubmissionFile, SubmissionFile.upload_id == Upload.id)
        .where(SubmissionFile.submission_id == submission_id, Upload.id == upload_id)
    )
    if upload is None or upload.removed_at is not None:
        raise NotFound("No such file.")
    return Servable(upload.sha256, upload.media_type, upload.name, upload.size)


@dataclass(frozen=True)
class Compilation:
    call: CallView
    submissions: tuple[SubmissionView, ...]
    site_name: str


async def compilation(db: AsyncSession, actor: Actor, call_id: int, site_name: str) -> Compilation:
    """Every submission of the call, in the secretariat's order, for its managers once
    the deadline has passed (409 `call_open` before)."""
    call, space, access = await load_call(db, actor, call_id)
    check_may_manage_calls(access)
    if utcnow() < call.deadline:
        raise Conflict(
            "The compilation is made at the deadline; this call is still open.", code="call_open"
        )
    rows = list(await db.scalars(_ordered(select(Submission).where(Submission.call_id == call.id))))
    documents = await _documents(db, [s.id for s in rows])
    views = tuple(_view(s, call, access, documents[s.id]) for s in rows)
    return Compilation(await call_view(db, call, space, access), views, site_name)


async def check_may_open_call(db: AsyncSession, actor: Actor, slug: str) -> None:
    _, access = await load_calls(db, actor, slug)
    check_may_manage_calls(access)


async def managed_call(db: AsyncSession, actor: Actor, call_id: int) -> CallView:
    """A call its manager is about to change."""
    call, space, access = await load_call(db, actor, call_id)
    check_may_manage_calls(access)
    return await call_view(db, call, space, access)


async def check_may_submit_now(db: AsyncSession, actor: Actor, call_id: int) -> None:
    """Before a form's files are read: the actor submits for an addressee."""
    call, _, access = await load_call(db, actor, call_id)
    check_may_submit(access, call_addressees(call))


async def check_may_edit_submission(db: AsyncSession, actor: Actor, submission_id: int) -> None:
    submission, call, _, access = await load_submission(db, actor, submission_id)
    check_may_submit(access, call_addressees(call))
    speaks = access.speaks_for
    if speaks is None or speaks.submitter != submission.submitter:
        raise Forbidden("Only this submission's own submitters can change it.")


@dataclass(frozen=True)
class CallPage:
    call: CallView
    status: tuple[StatusRow, ...]
    submissions: tuple[SubmissionView, ...]


async def call_page(db: AsyncSession, actor: Actor, call_id: int) -> CallPage:
    call = await call_detail(db, actor, call_id)
    status = await status_of(db, actor, call_id)
    found, _ = await submissions_of(db, actor, call_id, limit=MAX_LIMIT)
    return CallPage(call, status, found)


@dataclass(frozen=True)
class SubmissionPage:
    call: CallView
    submission: SubmissionView


async def submission_page(db: AsyncSession, actor: Actor, submission_id: int) -> SubmissionPage:
    submission = await submission_detail(db, actor, submission_id)
    return SubmissionPage(await call_detail(db, actor, submission.call_id), submission)


@dataclass(frozen=True)
class SubmittersPage:
    space_slug: str
    space_title: str
    submitters: tuple[SubmitterView, ...]
    candidates: tuple[SubmitterView, ...]  # members who are not designated yet
    may_name: bool


async def submitters_page(db: AsyncSession, actor: Actor, slug: str) -> SubmittersPage:
    space, access = await load_calls(db, actor, slug)
    named = await submitters_of(db, actor, slug)
    may_name = may_name_submitters(access)
    candidates: tuple[SubmitterView, ...] = ()
    if may_name:
        taken = {s.user_id for s in named}
        members = (await members_of(db, actor, slug)).members
        candidates = tuple(
            SubmitterView(m.user_id, m.display_name, "", "")
            for m in members
            if m.user_id not in taken
        )
    return SubmittersPage(space.slug, space.title, named, candidates, may_name)
