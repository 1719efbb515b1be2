"""A space's bulletin board: who posts notices outright, who may only suggest them (held
for review), who reviews, who names the editors, and which notices one sees."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.board.models import PENDING, PUBLISHED, BoardEditor, Notice
from forum_server.errors import Forbidden, NotFound
from forum_server.policy.access import SpaceAccess
from forum_server.policy.actors import Actor, require_signed_in
from forum_server.policy.loading import load_space
from forum_server.rooms.models import Space
from forum_server.rooms.state import PUBLIC


@dataclass(frozen=True)
class BoardAccess:
    """What one actor may do on the board of a space they may see."""

    space: SpaceAccess
    is_editor: bool  # named an editor of this board (and still a member)

    @property
    def actor(self) -> Actor:
        return self.space.actor


def may_edit_board(board: BoardAccess) -> bool:
    """Post, edit, pin and remove notices, and approve or reject suggestions: the
    board's editors, the space's owners and moderators, the secretariat."""
    return board.space.can_moderate_space or (board.is_editor and board.space.is_member)


def check_may_edit_board(board: BoardAccess) -> None:
    if not may_edit_board(board):
        require_signed_in(board.actor)
        raise Forbidden("Only this board's editors can do this.")


def may_suggest_notice(board: BoardAccess) -> bool:
    """Suggest a notice, held until an editor approves it: the space's members, and
    anyone signed in where the space is public."""
    if may_edit_board(board):
        return True
    if not board.actor.signed_in:
        return False
    return board.space.is_member or board.space.visibility == PUBLIC


def check_may_suggest_notice(board: BoardAccess) -> None:
    if not may_suggest_notice(board):
        require_signed_in(board.actor)
        raise Forbidden("Only members of this space may suggest notices.")


def may_name_board_editors(board: BoardAccess) -> bool:
    """Name and remove the board's editors: the space's owners and the secretariat."""
    return board.space.can_manage


def check_may_name_board_editors(board: BoardAccess) -> None:
    if not may_name_board_editors(board):
        require_signed_in(board.actor)
        raise Forbidden("Only the space's owners and the secretariat name the board's editors.")


def may_see_notice(board: BoardAccess, review: str, author_id: int | None) -> bool:
    """Published notices are for all who see the space; a held suggestion (or a
    rejected one) for its author and those who review."""
    if review == PUBLISHED:
        return True
    if may_edit_board(board):
        return True
    return author_id is not None and author_id == board.actor.user_id


def check_may_see_notice(board: BoardAccess, review: str, author_id: int | None) -> None:
    if not may_see_notice(board, review, author_id):
        raise NotFound("No such notice.")


async def load_board(db: AsyncSession, actor: Actor, slug: str) -> tuple[Space, BoardAccess]:
    """The space and the actor's access to its board; NotFound where the space is not
    theirs to see."""
    space, access = await load_space(db, actor, slug)
    is_editor = False
    if actor.user_id is not None:
        is_editor = (
            await db.scalar(
                select(BoardEditor.user_id).where(
                    BoardEditor.space_id == space.id, BoardEditor.user_id == actor.user_id
                )
            )
        ) is not None
    return space, BoardAccess(access, is_editor)


def review_for(board: BoardAccess) -> str:
    """Where a new notice starts: published for editors, held for everyone else."""
    return PUBLISHED if may_edit_board(board) else PENDING


async def load_notice(
    db: AsyncSession, actor: Actor, notice_id: int
) -> tuple[Notice, Space, BoardAccess]:
    """A notice the actor may see, with its space and their access to its board; a
    removed one, or one in a space not theirs, is not there."""
    notice = await db.get(Notice, notice_id)
    if notice is None or notice.removed_at is not None:
        raise NotFound("No such notice.")
    slug = await db.scalar(select(Space.slug).where(Space.id == notice.space_id))
    try:
        space, board = await load_board(db, actor, slug or "")
    except NotFound:
        raise NotFound("No such notice.") from None
    check_may_see_notice(board, notice.review, notice.author_id)
    return notice, space, board
