"""The moderation and report rules of policy.py, as a table: each predicate and its
raising twin answer the same for everyone, anonymous callers are told to sign in first,
and a session's moderators get nothing space-wide."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from forum_server import policy
from forum_server.errors import DomainError, Forbidden, Unauthorized
from forum_server.policy import ANONYMOUS, Actor, SpaceAccess

PEOPLE: dict[str, SpaceAccess] = {
    "anonymous": SpaceAccess(ANONYMOUS, 1, "public", None),
    "participant": SpaceAccess(Actor(user_id=2), 1, "public", None),
    # Moderates one session: SessionAccess would say so; the space does not.
    "session moderator": SpaceAccess(Actor(user_id=3), 1, "public", None),
    "member": SpaceAccess(Actor(user_id=4), 1, "members", "member"),
    "space moderator": SpaceAccess(Actor(user_id=5), 1, "public", "moderator"),
    "owner": SpaceAccess(Actor(user_id=6), 1, "public", "owner"),
    "secretariat": SpaceAccess(Actor(user_id=7, is_secretariat=True), 1, "public", None),
}

Rule = tuple[Callable[[SpaceAccess], bool], Callable[[SpaceAccess], None], set[str]]
SPACE_WIDE = {"space moderator", "owner", "secretariat"}
RULES: dict[str, Rule] = {
    "suspend": (policy.may_suspend, policy.require_may_suspend, SPACE_WIDE),
    "suspend a moderator": (
        lambda a: policy.may_suspend(a, "moderator"),
        lambda a: policy.require_may_suspend(a, "moderator"),
        {"owner", "secretariat"},
    ),
    "holding rules": (
        policy.may_manage_holding_rules,
        policy.require_may_manage_holding_rules,
        SPACE_WIDE,
    ),
    "audit log": (policy.may_read_space_audit, policy.require_may_read_space_audit, SPACE_WIDE),
    "report settings": (
        policy.may_manage_report_settings,
        policy.require_may_manage_report_settings,
        {"owner", "secretariat"},
    ),
    "report attribution": (
        lambda a: policy.may_set_report_attribution(a.actor),
        lambda a: policy.require_may_set_report_attribution(a.actor),
        {"secretariat"},
    ),
}


def _raised(check: Callable[[], None]) -> type[DomainError] | None:
    try:
        check()
    except DomainError as error:
        return type(error)
    return None


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("who", PEOPLE)
def test_predicate_and_twin_agree(rule: str, who: str):
    may, require, allowed = RULES[rule]
    access = PEOPLE[who]
    assert may(access) is (who in allowed)
    raised = _raised(lambda: require(access))
    if who in allowed:
        assert raised is None
    else:
        assert raised is (Unauthorized if who == "anonymous" else Forbidden)


@pytest.mark.parametrize(
    ("setting", "requested", "allowed"),
    [
        ("named", "named", True),
        ("named", "country", True),
        ("named", "none", True),
        ("country", "named", False),
        ("country", "country", True),
        ("country", "none", True),
        ("none", "named", False),
        ("none", "country", False),
        ("none", "none", True),
    ],
)
def test_a_download_asks_for_the_setting_or_less(setting: str, requested: str, allowed: bool):
    assert policy.may_choose_attribution(setting, requested) is allowed
    raised = _raised(lambda: policy.require_may_choose_attribution(setting, requested))
    assert raised is (None if allowed else Forbidden)
