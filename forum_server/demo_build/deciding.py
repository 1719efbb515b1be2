"""The demo's named proposal with its positions, and reactions to contributions."""

from __future__ import annotations

from sqlalchemy import select

from forum_server.db import Database
from forum_server.decide import polls, reactions
from forum_server.decide.schemas import PollCreate, VoteInput
from forum_server.demo_content import deciding
from forum_server.policy import Actor
from forum_server.rooms.models import Post, Question

# A named poll's ballots are keyed by the voter's id: no secret takes part.
NAMED_POLL = ""


async def load_deciding(db: Database, session_id: int, user_ids: dict[str, int]) -> None:
    """A named proposal with its positions, and reactions to the first contributions of
    the session's first question (see demo_content/deciding.py)."""
    async with db.read() as session:
        thread_id = await session.scalar(
            select(Question.thread_id).where(
                Question.session_id == session_id, Question.number == 1
            )
        )
        first_posts = list(
            await session.scalars(
                select(Post.id).where(Post.thread_id == thread_id).order_by(Post.id).limit(4)
            )
        )
    moderator = Actor(user_id=user_ids[deciding.PROPOSAL_MODERATOR])
    proposal = await polls.create_poll(
        db,
        moderator,
        session_id,
        PollCreate(
            kind="proposal",
            title=deciding.PROPOSAL_TITLE,
            details=deciding.PROPOSAL_DETAILS,
            thread_id=thread_id,
        ),
        secret=NAMED_POLL,
    )
    for person, position, reason in deciding.POSITIONS:
        ballot = VoteInput(position=position, reason=reason)  # type: ignore[arg-type]
        await polls.vote(
            db, Actor(user_id=user_ids[person]), proposal.id, ballot, secret=NAMED_POLL
        )
    for post_id, (person, kind) in zip(first_posts, deciding.REACTIONS, strict=False):
        await reactions.set_reaction(db, Actor(user_id=user_ids[person]), post_id, kind, on=True)
