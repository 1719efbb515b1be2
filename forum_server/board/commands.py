"""The write path of the board: post or suggest a notice, edit, pin, remove, review a
suggestion, and name or remove editors. Each command owns its transaction and checks
access inside it."""

from __future__ import annotations

from sqlalchemy import select

from forum_server import audit
from forum_server.accounts.models import User
from forum_server.board.models import PENDING, PUBLISHED, REJECTED, BoardEditor, Notice
from forum_server.board.schemas import NoticeInput
from forum_server.board.views import EditorView, NoticeView, join_countries, notice_view
from forum_server.db import Database
from forum_server.errors import Conflict, Forbidden, Invalid, NotFound
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    BoardAccess,
    check_may_edit_board,
    check_may_name_board_editors,
    check_may_suggest_notice,
    load_board,
    load_notice,
    may_edit_board,
    review_for,
    role_in_space,
)


def _fill(notice: Notice, data: NoticeInput) -> None:
    fields = data.model_dump(exclude={"countries", "pinned"})
    for name, value in fields.items():
        setattr(notice, name, value)
    notice.countries = join_countries(data.countries)


def _check_pin(board: BoardAccess, data: NoticeInput) -> None:
    if data.pinned and not may_edit_board(board):
        raise Forbidden("Only this board's editors can pin notices.")


async def create_notice(db: Database, actor: Actor, slug: str, data: NoticeInput) -> NoticeView:
    """Posts a notice (editors) or suggests one, held for review (everyone else who may)."""
    async with db.write() as uow:
        space, board = await load_board(uow.session, actor, slug)
        check_may_suggest_notice(board)
        _check_pin(board, data)
        now = utcnow()
        notice = Notice(
            space_id=space.id,
            review=review_for(board),
            pinned=data.pinned,
            author_id=actor.user_id,
            # The command line (the demo, imports) is no one to name.
            author_name=(actor.display_name or "") if actor.user_id is not None else "",
            created_at=now,
            updated_at=now,
        )
        _fill(notice, data)
        uow.session.add(notice)
        await uow.flush()
        return notice_view(notice, space.slug, now.date(), board)


async def update_notice(
    db: Database, actor: Actor, notice_id: int, data: NoticeInput
) -> NoticeView:
    """Replaces a notice's fields: its editors, or its author while it awaits review."""
    async with db.write() as uow:
        notice, space, board = await load_notice(uow.session, actor, notice_id)
        own_suggestion = notice.review == PENDING and notice.author_id == actor.user_id
        if not own_suggestion:
            check_may_edit_board(board)
        _check_pin(board, data)
        _fill(notice, data)
        notice.pinned = data.pinned
        notice.updated_at = utcnow()
        return notice_view(notice, space.slug, notice.updated_at.date(), board)


async def set_pinned(db: Database, actor: Actor, notice_id: int, pinned: bool) -> NoticeView:
    async with db.write() as uow:
        notice, space, board = await load_notice(uow.session, actor, notice_id)
        check_may_edit_board(board)
        if notice.review != PUBLISHED:
            raise Conflict("Only a published notice can be pinned.")
        notice.pinned = pinned
        return notice_view(notice, space.slug, utcnow().date(), board)


async def review_notice(db: Database, actor: Actor, notice_id: int, approve: bool) -> NoticeView:
    """Approves a suggestion (it is published) or rejects it (only its author and the
    editors still see it)."""
    async with db.write() as uow:
        notice, space, board = await load_notice(uow.session, actor, notice_id)
        check_may_edit_board(board)
        if notice.review != PENDING:
            raise Conflict("This notice is not awaiting review.")
        notice.review = PUBLISHED if approve else REJECTED
        now = utcnow()
        if approve:
            notice.created_at = now  # listed as new from the day it is published
        audit.record(
            uow,
            actor,
            "notice.approved" if approve else "notice.rejected",
            space_id=space.id,
            target_type="notice",
            target_id=notice.id,
            details={"title": notice.title},
        )
        return notice_view(notice, space.slug, now.date(), board)


async def remove_notice(db: Database, actor: Actor, notice_id: int) -> str:
    """Removes a notice (editors; an author their own suggestion); returns the slug."""
    async with db.write() as uow:
        notice, space, board = await load_notice(uow.session, actor, notice_id)
        own_suggestion = notice.review != PUBLISHED and notice.author_id == actor.user_id
        if not own_suggestion:
            check_may_edit_board(board)
        notice.removed_at = utcnow()
        audit.record(
            uow,
            actor,
            "notice.removed",
            space_id=space.id,
            target_type="notice",
            target_id=notice.id,
            details={"title": notice.title},
        )
        return space.slug


async def add_editor(db: Database, actor: Actor, slug: str, user_id: int) -> EditorView:
    """Names a member of the space an editor of its board."""
    async with db.write() as uow:
        space, board = await load_board(uow.session, actor, slug)
        check_may_name_board_editors(board)
        if await role_in_space(uow.session, user_id, space.id) is None:
            raise Invalid(
                "Only a member of this space can be an editor of its board.", field="user_id"
            )
        name = await uow.session.scalar(select(User.display_name).where(User.id == user_id))
        exists = await uow.session.get(BoardEditor, (space.id, user_id))
        if exists is None:
            uow.session.add(BoardEditor(space_id=space.id, user_id=user_id, added_at=utcnow()))
            audit.record(
                uow,
                actor,
                "board.editor_added",
                space_id=space.id,
                target_type="user",
                target_id=user_id,
            )
        return EditorView(user_id, name or "")


async def remove_editor(db: Database, actor: Actor, slug: str, user_id: int) -> None:
    async with db.write() as uow:
        space, board = await load_board(uow.session, actor, slug)
        check_may_name_board_editors(board)
        editor = await uow.session.get(BoardEditor, (space.id, user_id))
        if editor is None:
            raise NotFound("This person is not an editor of this board.")
        await uow.session.delete(editor)
        audit.record(
            uow,
            actor,
            "board.editor_removed",
            space_id=space.id,
            target_type="user",
            target_id=user_id,
        )
