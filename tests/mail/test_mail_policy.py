"""Only published words go by mail, and only to those who may see them: not to
moderators either, whose queue page shows what waits."""

from __future__ import annotations

import pytest

from forum_server import policy
from forum_server.policy import Actor, SessionAccess, SpaceAccess

READER = Actor(user_id=5, display_name="Reader")
MODERATOR = Actor(user_id=6, display_name="Moderator")


def access(actor: Actor, moderators: frozenset[int] = frozenset()) -> SessionAccess:
    space = SpaceAccess(actor=actor, space_id=1, visibility="public", role=None)
    return SessionAccess(space=space, session_id=1, moderator_ids=moderators, posting="signed_in")


@pytest.mark.parametrize("status", ["pending", "hidden", "rejected"])
def test_only_published_posts_are_mailed(status: str) -> None:
    assert policy.may_mail_post(access(READER), "published", author_id=9)
    assert not policy.may_mail_post(access(READER), status, author_id=READER.user_id)
    assert not policy.may_mail_post(access(MODERATOR, frozenset({6})), status, author_id=9)
