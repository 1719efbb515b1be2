"""Fixtures for mentions and notifications: people in a session, and posting as them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select

from forum_server.db import Database
from forum_server.policy import Actor
from forum_server.rooms import posting
from forum_server.rooms.models import Question
from forum_server.rooms.posts_view import PostView
from forum_server.rooms.schemas import PostCreate


def actor_of(user: Any) -> Actor:
    return Actor(user_id=user.id, display_name=user.display_name)


@pytest.fixture
def question_threads(db: Database) -> Callable[[int], Awaitable[list[int]]]:
    async def threads(session_id: int) -> list[int]:
        async with db.read() as session:
            rows = await session.scalars(
                select(Question.thread_id)
                .where(Question.session_id == session_id)
                .order_by(Question.number)
            )
            return list(rows)

    return threads


@pytest.fixture
def post_as(db: Database) -> Callable[..., Awaitable[PostView]]:
    async def post(user: Any, thread_id: int, body: str, parent_id: int | None = None) -> PostView:
        posted = await posting.create_post(
            db, actor_of(user), thread_id, PostCreate(body=body, parent_id=parent_id)
        )
        return posted.post

    return post
