"""The members, invitations and accounts rules of the policy, for every kind of
caller: each predicate and its raising twin agree, and anonymous callers are asked
to sign in (401) before anyone is refused (403)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from forum_server.errors import DomainError, Forbidden, Unauthorized
from forum_server.policy import (
    ANONYMOUS,
    Actor,
    SpaceAccess,
    check_can_create_user,
    check_may_accept_invitation,
    check_may_manage_invitations,
    check_may_manage_members,
    check_may_see_members,
    may_accept_invitation,
    may_create_user,
    may_manage_invitations,
    may_manage_members,
    may_see_members,
)

PERSON = Actor(user_id=7, display_name="Person")
SECRETARIAT = Actor(user_id=1, display_name="Secretariat", is_secretariat=True)

# Who asks, with which membership role, in a public space.
CALLERS: dict[str, tuple[Actor, str | None]] = {
    "anonymous": (ANONYMOUS, None),
    "participant": (PERSON, None),
    "member": (PERSON, "member"),
    "moderator": (PERSON, "moderator"),
    "owner": (PERSON, "owner"),
    "secretariat": (SECRETARIAT, None),
}

Rule = tuple[Callable[[SpaceAccess], bool], Callable[[SpaceAccess], None]]
RULES: dict[str, Rule] = {
    "manage members": (may_manage_members, check_may_manage_members),
    "manage invitations": (may_manage_invitations, check_may_manage_invitations),
    "see members": (may_see_members, check_may_see_members),
}
EXPECTED: dict[str, dict[str, bool]] = {
    "manage members": {"owner": True, "secretariat": True},
    "manage invitations": {"owner": True, "secretariat": True},
    "see members": {"member": True, "moderator": True, "owner": True, "secretariat": True},
}


def raised(check: Callable[[], None]) -> type[DomainError] | None:
    try:
        check()
    except DomainError as error:
        return type(error)
    return None


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("caller", CALLERS)
def test_space_rules(rule: str, caller: str) -> None:
    actor, role = CALLERS[caller]
    access = SpaceAccess(actor=actor, space_id=1, visibility="public", role=role)
    predicate, check = RULES[rule]
    allowed = EXPECTED[rule].get(caller, False)
    assert predicate(access) is allowed
    expected = None if allowed else Unauthorized if caller == "anonymous" else Forbidden
    assert raised(lambda: check(access)) is expected


@pytest.mark.parametrize(
    ("actor", "account_email", "expected"),
    [
        (ANONYMOUS, None, Unauthorized),
        (PERSON, "someone.else@example.org", Forbidden),
        (PERSON, None, Forbidden),
        (PERSON, "invited@example.org", None),
    ],
)
def test_accepting_an_invitation(
    actor: Actor, account_email: str | None, expected: type[DomainError] | None
) -> None:
    invited = "invited@example.org"
    assert may_accept_invitation(actor, account_email, invited) is (expected is None)
    assert raised(lambda: check_may_accept_invitation(actor, account_email, invited)) is expected


@pytest.mark.parametrize("registration_open", [True, False])
@pytest.mark.parametrize("as_secretariat", [True, False])
@pytest.mark.parametrize("caller", ["anonymous", "participant", "secretariat"])
def test_creating_accounts(caller: str, registration_open: bool, as_secretariat: bool) -> None:
    actor = CALLERS[caller][0]
    allowed = caller == "secretariat" or (registration_open and not as_secretariat)
    assert (
        may_create_user(actor, registration_open=registration_open, as_secretariat=as_secretariat)
        is allowed
    )
    error = raised(
        lambda: check_can_create_user(
            actor, registration_open=registration_open, as_secretariat=as_secretariat
        )
    )
    if allowed:
        assert error is None
    elif caller == "anonymous" and not as_secretariat:
        assert error is Unauthorized
    else:
        assert error is Forbidden
