"""The forum's rules, each asked of every kind of caller: the predicate and its
raising twin answer the same (anonymous callers are asked to sign in first)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from forum_server.errors import DomainError, Forbidden, NotFound, Unauthorized
from forum_server.policy import (
    MEMBER,
    MODERATOR,
    OWNER,
    Actor,
    SessionAccess,
    SpaceAccess,
    check_may_appoint_moderators,
    check_may_manage_space,
    check_may_see_session,
    check_may_start_topic,
    may_appoint_moderators,
    may_manage_space,
    may_see_session,
    may_start_topic,
)
from forum_server.rooms.state import PUBLIC

APPOINTED = 7  # the user id of the session's appointed moderator

CALLERS: dict[str, tuple[Actor, str | None]] = {
    "anonymous": (Actor(), None),
    "participant": (Actor(user_id=1), None),
    "member": (Actor(user_id=2), MEMBER),
    "session moderator": (Actor(user_id=APPOINTED), MEMBER),
    "space moderator": (Actor(user_id=3), MODERATOR),
    "owner": (Actor(user_id=4), OWNER),
    "secretariat": (Actor(user_id=5, is_secretariat=True), None),
}


def access(who: str, *, posting: str = "signed_in") -> SessionAccess:
    actor, role = CALLERS[who]
    space = SpaceAccess(actor=actor, space_id=1, visibility=PUBLIC, role=role)
    return SessionAccess(
        space=space, session_id=1, moderator_ids=frozenset({APPOINTED}), posting=posting
    )


Rule = tuple[Callable[[SessionAccess], bool], Callable[[SessionAccess], None], set[str]]
MANAGERS = {"owner", "secretariat"}
SPACE_MODERATORS = {"space moderator", "owner", "secretariat"}
PREPARERS = {"session moderator", "space moderator", "owner", "secretariat"}
SIGNED_IN = set(CALLERS) - {"anonymous"}
RULES: dict[str, Rule] = {
    "manage the space": (
        lambda a: may_manage_space(a.space),
        lambda a: check_may_manage_space(a.space),
        MANAGERS,
    ),
    "appoint session moderators": (
        lambda a: may_appoint_moderators(a.space),
        lambda a: check_may_appoint_moderators(a.space),
        SPACE_MODERATORS,
    ),
    "see a draft session": (
        lambda a: may_see_session(a, draft=True),
        lambda a: check_may_see_session(a, draft=True),
        PREPARERS,
    ),
    "see a scheduled session": (
        lambda a: may_see_session(a, draft=False),
        lambda a: check_may_see_session(a, draft=False),
        set(CALLERS),
    ),
    "start a topic where participants may": (
        lambda a: may_start_topic(a, True),
        lambda a: check_may_start_topic(a, True),
        SIGNED_IN,
    ),
    "start a topic where only moderators may": (
        lambda a: may_start_topic(a, False),
        lambda a: check_may_start_topic(a, False),
        PREPARERS,
    ),
}


@pytest.mark.parametrize("rule", list(RULES))
@pytest.mark.parametrize("who", list(CALLERS))
def test_predicate_and_raising_twin_agree(rule: str, who: str):
    may, check, allowed = RULES[rule]
    a = access(who)
    assert may(a) is (who in allowed)
    if who in allowed:
        check(a)
        return
    with pytest.raises(DomainError) as refused:
        check(a)
    if rule.startswith("see"):  # whoever may not see it is told it does not exist
        assert isinstance(refused.value, NotFound)
    elif who == "anonymous":
        assert isinstance(refused.value, Unauthorized)
    else:
        assert isinstance(refused.value, Forbidden)


@pytest.mark.parametrize("who", list(CALLERS))
def test_members_only_posting(who: str):
    a = access(who, posting="members")
    assert a.may_post is (who in {"member", "session moderator"} | SPACE_MODERATORS)
