"""The write path of submissions: a country's or organization's one submission to a
call, its edits until the deadline, and its documents. Each command owns its
transaction and checks access and the deadline inside it.

Two submitters of one country submitting at once: there is no look-up before the
insert, so the second insert meets the database's unique constraint (call, country)
and its sender is told 409 `already_submitted`, to edit the submission that exists."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from forum_server import audit
from forum_server.calls.models import Call, Submission, SubmissionFile
from forum_server.calls.queries import call_addressees, submission_view
from forum_server.calls.schemas import MAX_DOCUMENTS, SubmissionInput
from forum_server.calls.views import SubmissionView
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Forbidden, Invalid, NotFound
from forum_server.files.ingest import ReadForm, ReceivedFile, Stored, no_file, store_file
from forum_server.files.library import new_upload
from forum_server.files.storage import LocalFileStore
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    CallAccess,
    check_may_submit,
    load_call,
    load_submission,
)
from forum_server.rooms.render_workers import render_markdown_off_loop
from forum_server.search.index import index_submission


def check_open(call: Call) -> None:
    """Submissions are taken and changed until the deadline, checked in the transaction."""
    if utcnow() >= call.deadline:
        raise Conflict(
            "The deadline of this call has passed: submissions are locked.", code="call_closed"
        )


async def _html(text: str) -> str:
    try:
        return await render_markdown_off_loop(text)
    except ValueError as exc:
        raise Invalid(str(exc), field="text") from None


async def store_files(store: LocalFileStore, files: list[ReceivedFile]) -> list[Stored]:
    """Checks and stores the received files before the transaction; Invalid if one is
    refused (the others are consumed all the same)."""
    if len(files) > MAX_DOCUMENTS:
        for file in files:
            file.incoming.discard()
        raise Invalid("Too many documents.", field="file")
    stored: list[Stored] = []
    for index, file in enumerate(files):
        try:
            stored.append(await store_file(store, file))
        except BaseException:
            for rest in files[index + 1 :]:
                rest.incoming.discard()
            raise
    return stored


async def _attach(
    uow: UnitOfWork, actor: Actor, space_id: int, submission_id: int, stored: list[Stored]
) -> None:
    count = len(
        list(
            await uow.session.scalars(
                select(SubmissionFile.upload_id).where(
                    SubmissionFile.submission_id == submission_id
                )
            )
        )
    )
    if count + len(stored) > MAX_DOCUMENTS:
        raise Invalid("A submission holds at most ten documents.", field="file")
    now = utcnow()
    for item in stored:
        upload = new_upload(actor, space_id, item, now)
        uow.session.add(upload)
        await uow.flush()
        uow.session.add(SubmissionFile(submission_id=submission_id, upload_id=upload.id))


def _check_submitter(access: CallAccess, call: Call) -> str:
    check_may_submit(access, call_addressees(call))
    assert access.speaks_for is not None
    return access.speaks_for.submitter


async def submit(
    db: Database,
    actor: Actor,
    call_id: int,
    data: SubmissionInput,
    files: list[Stored] | None = None,
) -> SubmissionView:
    """The submission of the actor's country or organization, with its documents.
    409 `already_submitted` where it has one (even one made a moment ago by a colleague),
    409 `call_closed` after the deadline."""
    html = await _html(data.text)
    async with db.write() as uow:
        call, space, access = await load_call(uow.session, actor, call_id)
        submitter = _check_submitter(access, call)
        check_open(call)
        assert access.speaks_for is not None
        now = utcnow()
        submission = Submission(
            call_id=call.id,
            kind=access.speaks_for.kind,
            submitter=submitter,
            text=data.text,
            text_html=html,
            public=data.public,
            created_by=actor.user_id,
            created_at=now,
            updated_by=actor.user_id,
            updated_at=now,
        )
        uow.session.add(submission)
        try:
            await uow.flush()
        except IntegrityError:
            raise Conflict(
                "Your country or organization has already submitted to this call: edit "
                "that submission instead.",
                code="already_submitted",
            ) from None
        await _attach(uow, actor, space.id, submission.id, files or [])
        audit.record(
            uow,
            actor,
            "call.submission_received",
            space_id=space.id,
            target_type="submission",
            target_id=submission.id,
            details={"call_id": call.id, "submitter": submitter},
        )
        uow.emit(
            "submission.received",
            {
                "call_id": call.id,
                "submission_id": submission.id,
                "kind": submission.kind,
                "submitter": submitter,
                "public": submission.public,
            },
            space_id=space.id,
        )
        await index_submission(uow, submission.id)
        return await submission_view(uow.session, submission, access)


async def _editable(
    uow: UnitOfWork, actor: Actor, submission_id: int
) -> tuple[Submission, Call, int, CallAccess]:
    """A submission its country's submitters may change now: before the deadline."""
    submission, call, space, access = await load_submission(uow.session, actor, submission_id)
    if _check_submitter(access, call) != submission.submitter:
        raise Forbidden("Only this submission's own submitters can change it.")
    check_open(call)
    return submission, call, space.id, access


async def update_submission(
    db: Database,
    actor: Actor,
    submission_id: int,
    data: SubmissionInput,
    files: list[Stored] | None = None,
) -> SubmissionView:
    """Replaces the text and visibility (and adds documents) until the deadline."""
    html = await _html(data.text)
    async with db.write() as uow:
        submission, call, space_id, access = await _editable(uow, actor, submission_id)
        submission.text, submission.text_html = data.text, html
        submission.public = data.public
        submission.updated_by, submission.updated_at = actor.user_id, utcnow()
        await _attach(uow, actor, space_id, submission.id, files or [])
        audit.record(
            uow,
            actor,
            "call.submission_changed",
            space_id=space_id,
            target_type="submission",
            target_id=submission.id,
            details={"call_id": call.id},
        )
        await index_submission(uow, submission.id)
        return await submission_view(uow.session, submission, access)


async def add_document(
    db: Database, actor: Actor, submission_id: int, stored: Stored
) -> SubmissionView:
    async with db.write() as uow:
        submission, _, space_id, access = await _editable(uow, actor, submission_id)
        await _attach(uow, actor, space_id, submission.id, [stored])
        submission.updated_by, submission.updated_at = actor.user_id, utcnow()
        await index_submission(uow, submission.id)
        return await submission_view(uow.session, submission, access)


async def remove_document(db: Database, actor: Actor, submission_id: int, upload_id: int) -> None:
    async with db.write() as uow:
        submission, _, _, _ = await _editable(uow, actor, submission_id)
        gone = await uow.session.execute(
            delete(SubmissionFile).where(
                SubmissionFile.submission_id == submission.id,
                SubmissionFile.upload_id == upload_id,
            )
        )
        if not getattr(gone, "rowcount", 0):
            raise NotFound("No such document.")
        await index_submission(uow, submission.id)


async def add_document_from_form(
    db: Database, store: LocalFileStore, actor: Actor, submission_id: int, read_form: ReadForm
) -> SubmissionView:
    """A document sent as multipart `file`, checked for access before it is read."""
    async with db.write() as uow:
        await _editable(uow, actor, submission_id)
    received = await read_form()
    if not received.files:
        received.discard()
        raise no_file()
    stored = await store_files(store, received.files)
    return await add_document(db, actor, submission_id, stored[0])


async def save_from_form(
    db: Database,
    store: LocalFileStore,
    actor: Actor,
    data: SubmissionInput,
    files: list[ReceivedFile],
    *,
    call_id: int | None = None,
    submission_id: int | None = None,
) -> SubmissionView:
    """A browser's form: the submission (to `call_id`) or its edit (`submission_id`),
    with the files sent beside it, checked and stored first, joined in the same
    transaction as the text (a refused submission leaves no document behind)."""
    stored = await store_files(store, files)
    if submission_id is not None:
        return await update_submission(db, actor, submission_id, data, stored)
    assert call_id is not None
    return await submit(db, actor, call_id, data, stored)
