"""Every rule of the policy, asked of every kind of caller, as one table: the predicate
and its raising twin answer the same; an anonymous caller is asked to sign in (401)
before anyone is refused (403); what a caller may not see is not there for them (404).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from forum_server import policy
from forum_server.errors import Conflict, DomainError, Forbidden, NotFound, Unauthorized
from forum_server.policy import MEMBER, MODERATOR, OWNER, Actor, SessionAccess, SpaceAccess
from forum_server.rooms.state import HIDDEN, MEMBERS, PENDING, PUBLIC, PUBLISHED

APPOINTED = 7  # the user id of the session's appointed moderator
AUTHOR = 1  # the participant wrote the post the edit rules are asked about

CALLERS: dict[str, tuple[Actor, str | None]] = {
    "anonymous": (Actor(), None),
    "participant": (Actor(user_id=AUTHOR), None),
    "member": (Actor(user_id=2), MEMBER),
    "session moderator": (Actor(user_id=APPOINTED), MEMBER),
    "space moderator": (Actor(user_id=3), MODERATOR),
    "owner": (Actor(user_id=4), OWNER),
    "secretariat": (Actor(user_id=5, is_secretariat=True), None),
}
EVERYONE = set(CALLERS)
SIGNED_IN = EVERYONE - {"anonymous"}
SPACE_MODERATORS = {"space moderator", "owner", "secretariat"}
SESSION_MODERATORS = SPACE_MODERATORS | {"session moderator"}
MANAGERS = {"owner", "secretariat"}
MEMBERS_AND_SECRETARIAT = {"member", "session moderator", "space moderator", "owner"} | {
    "secretariat"
}


def access(who: str, *, visibility: str = PUBLIC, posting: str = "signed_in") -> SessionAccess:
    actor, role = CALLERS[who]
    space = SpaceAccess(actor=actor, space_id=1, visibility=visibility, role=role)
    return SessionAccess(
        space=space, session_id=1, moderator_ids=frozenset({APPOINTED}), posting=posting
    )


def board(a: SessionAccess, *, editor: bool = False) -> policy.BoardAccess:
    """The caller's access to the space's board; `editor`: named one of its editors."""
    return policy.BoardAccess(a.space, is_editor=editor)


def calls(a: SessionAccess, *, submits_for: str | None = None) -> policy.CallAccess:
    """The caller's access to the space's calls; `submits_for`: designated to submit for
    that country (a Party)."""
    designation = policy.Designation("party", submits_for) if submits_for else None
    return policy.CallAccess(a.space, designation)


Check = Callable[[SessionAccess], object]
Rule = tuple[Check, Check, set[str]]


def space_rule(may: Callable[[SpaceAccess], bool], check: Callable[[SpaceAccess], None]) -> tuple:
    return (lambda a: may(a.space), lambda a: check(a.space))


def edit(status: str, age: timedelta) -> tuple[Check, Check]:
    window = timedelta(minutes=30)
    return (
        lambda a: policy.may_edit_post(a, AUTHOR, status, age, window),
        lambda a: policy.check_may_edit_post(a, AUTHOR, status, age, window),
    )


def download(members_may: bool, whole_space: bool) -> tuple[Check, Check]:
    def target(a: SessionAccess) -> SessionAccess | SpaceAccess:
        return a.space if whole_space else a

    return (
        lambda a: policy.may_download_report(target(a), members_may),
        lambda a: policy.check_may_download_report(target(a), members_may),
    )


RULES: dict[str, Rule] = {
    # spaces and sessions
    "manage a space": (
        *space_rule(policy.may_manage_space, policy.check_may_manage_space),
        MANAGERS,
    ),
    "edit a space's title and description": (
        *space_rule(policy.may_edit_space, policy.check_may_edit_space),
        MANAGERS,
    ),
    "edit a session and schedule its re-opening": (
        policy.may_edit_session,
        policy.check_may_edit_session,
        SESSION_MODERATORS,
    ),
    "appoint session moderators": (
        *space_rule(policy.may_appoint_moderators, policy.check_may_appoint_moderators),
        SPACE_MODERATORS,
    ),
    "see a draft session": (
        lambda a: policy.may_see_session(a, draft=True),
        lambda a: policy.check_may_see_session(a, draft=True),
        SESSION_MODERATORS,
    ),
    "see a scheduled session": (
        lambda a: policy.may_see_session(a, draft=False),
        lambda a: policy.check_may_see_session(a, draft=False),
        EVERYONE,
    ),
    "post": (lambda a: a.may_post, lambda a: a.check_may_post(), SIGNED_IN),
    "start a topic": (
        lambda a: policy.may_start_topic(a, True),
        lambda a: policy.check_may_start_topic(a, True),
        SIGNED_IN,
    ),
    "start a topic where only moderators may": (
        lambda a: policy.may_start_topic(a, False),
        lambda a: policy.check_may_start_topic(a, False),
        SESSION_MODERATORS,
    ),
    "edit one's post in time": (
        *edit(PUBLISHED, timedelta(minutes=5)),
        {"participant"} | SESSION_MODERATORS,
    ),
    "edit one's post too late": (*edit(PUBLISHED, timedelta(hours=1)), SESSION_MODERATORS),
    "edit one's hidden post": (*edit(HIDDEN, timedelta(minutes=5)), SESSION_MODERATORS),
    # search: hidden, held and rejected text is found by the session's moderators only
    "find a published text": (
        lambda a: policy.may_find(a, PUBLISHED),
        lambda a: policy.check_may_find(a, PUBLISHED),
        EVERYONE,
    ),
    "find a held, hidden or rejected post": (
        lambda a: policy.may_find(a, HIDDEN),
        lambda a: policy.check_may_find(a, HIDDEN),
        SESSION_MODERATORS,
    ),
    # conferences
    "move a conference's agenda": (
        policy.may_move_agenda,
        policy.check_may_move_agenda,
        SESSION_MODERATORS,
    ),
    # a hidden post's text: for the moderators of its session, never its readers
    "read a hidden post's text": (
        policy.may_read_hidden_text,
        policy.check_may_read_hidden_text,
        SESSION_MODERATORS,
    ),
    # webhooks
    "manage a space's webhooks": (
        *space_rule(policy.may_manage_space_webhooks, policy.check_may_manage_space_webhooks),
        MANAGERS,
    ),
    "manage site-wide webhooks": (
        lambda a: policy.may_manage_site_webhooks(a.actor),
        lambda a: policy.check_may_manage_site_webhooks(a.actor),
        {"secretariat"},
    ),
    # national focal points: the register is the secretariat's alone (focal points do
    # not see even their own country's entries); a notification's link acts only for
    # its entry's account, or makes it where there is none
    "manage the focal points register": (
        lambda a: policy.may_manage_focal_points(a.actor),
        lambda a: policy.check_may_manage_focal_points(a.actor),
        {"secretariat"},
    ),
    "follow a focal point's link (their account exists)": (
        lambda a: policy.may_follow_focal_link(a.actor, AUTHOR),
        lambda a: policy.check_may_follow_focal_link(a.actor, AUTHOR),
        {"participant"},
    ),
    "follow a focal point's link (no account yet)": (
        lambda a: policy.may_follow_focal_link(a.actor, None),
        lambda a: policy.check_may_follow_focal_link(a.actor, None),
        {"anonymous"},
    ),
    # members and invitations
    "manage members": (
        *space_rule(policy.may_manage_members, policy.check_may_manage_members),
        MANAGERS,
    ),
    "manage invitations": (
        *space_rule(policy.may_manage_invitations, policy.check_may_manage_invitations),
        MANAGERS,
    ),
    "see members": (
        *space_rule(policy.may_see_members, policy.check_may_see_members),
        MEMBERS_AND_SECRETARIAT,
    ),
    # moderation
    "moderate the whole space": (
        *space_rule(policy.may_moderate_space, policy.check_may_moderate_space),
        SPACE_MODERATORS,
    ),
    "moderate the session": (
        lambda a: a.can_moderate,
        lambda a: a.require_moderator(),
        SESSION_MODERATORS,
    ),
    "suspend in the space": (
        *space_rule(policy.may_suspend, policy.check_may_suspend),
        SPACE_MODERATORS,
    ),
    "suspend a moderator": (
        lambda a: policy.may_suspend(a.space, MODERATOR),
        lambda a: policy.check_may_suspend(a.space, MODERATOR),
        MANAGERS,
    ),
    "change holding rules": (
        *space_rule(policy.may_manage_holding_rules, policy.check_may_manage_holding_rules),
        SPACE_MODERATORS,
    ),
    "read the space's audit log": (
        *space_rule(policy.may_read_space_audit, policy.check_may_read_space_audit),
        SPACE_MODERATORS,
    ),
    # reports
    "change report settings": (
        *space_rule(policy.may_manage_report_settings, policy.check_may_manage_report_settings),
        MANAGERS,
    ),
    "set report attribution": (
        lambda a: policy.may_set_report_attribution(a.actor),
        lambda a: policy.check_may_set_report_attribution(a.actor),
        {"secretariat"},
    ),
    "download a session's report": (*download(False, whole_space=False), SESSION_MODERATORS),
    # consent and attribution
    "set a space's participation terms": (
        *space_rule(policy.may_set_terms, policy.check_may_set_terms),
        {"secretariat"},
    ),
    "read who accepted the terms": (
        *space_rule(policy.may_see_acceptances, policy.check_may_see_acceptances),
        {"secretariat"},
    ),
    "accept a space's terms": (
        *space_rule(policy.may_accept_terms, policy.check_may_accept_terms),
        SIGNED_IN,
    ),
    "choose how one is cited": (
        lambda a: policy.may_choose_own_attribution(a.actor),
        lambda a: policy.check_may_choose_own_attribution(a.actor),
        SIGNED_IN,
    ),
    "download a space's report": (*download(False, whole_space=True), SPACE_MODERATORS),
    # documents and attachments
    "add a document where moderators add": (
        lambda a: policy.may_add_document(a.space, "moderators"),
        lambda a: policy.check_may_add_document(a.space, "moderators"),
        SPACE_MODERATORS,
    ),
    "add a document where members add": (
        lambda a: policy.may_add_document(a.space, "members"),
        lambda a: policy.check_may_add_document(a.space, "members"),
        MEMBERS_AND_SECRETARIAT,
    ),
    "remove a document the participant added": (
        lambda a: policy.may_remove_document(a.space, AUTHOR),
        lambda a: policy.check_may_remove_document(a.space, AUTHOR),
        SPACE_MODERATORS | {"participant"},
    ),
    "attach files to a post": (policy.may_attach_files, policy.check_may_attach_files, SIGNED_IN),
    "see a space's library (and find its documents)": (
        *space_rule(policy.may_read_library, policy.check_may_read_library),
        EVERYONE,
    ),
    # deciding together: reactions, polls and proposals
    "react to a published post": (
        lambda a: policy.may_react(a, PUBLISHED),
        lambda a: policy.check_may_react(a, PUBLISHED),
        SIGNED_IN,
    ),
    "start a poll in a public space": (
        policy.may_create_poll,
        policy.check_may_create_poll,
        SESSION_MODERATORS,
    ),
    "vote": (policy.may_vote, policy.check_may_vote, SIGNED_IN),
    "close a poll the participant started": (
        lambda a: policy.may_close_poll(a, AUTHOR),
        lambda a: policy.check_may_close_poll(a, AUTHOR),
        SESSION_MODERATORS | {"participant"},
    ),
    "write a poll's outcome": (
        policy.may_write_outcome,
        policy.check_may_write_outcome,
        SESSION_MODERATORS,
    ),
    # the bulletin board
    "edit the board": (
        lambda a: policy.may_edit_board(board(a)),
        lambda a: policy.check_may_edit_board(board(a)),
        SPACE_MODERATORS,
    ),
    "edit the board as a named editor": (
        lambda a: policy.may_edit_board(board(a, editor=True)),
        lambda a: policy.check_may_edit_board(board(a, editor=True)),
        MEMBERS_AND_SECRETARIAT,
    ),
    "suggest a notice": (
        lambda a: policy.may_suggest_notice(board(a)),
        lambda a: policy.check_may_suggest_notice(board(a)),
        SIGNED_IN,
    ),
    "name the board's editors": (
        lambda a: policy.may_name_board_editors(board(a)),
        lambda a: policy.check_may_name_board_editors(board(a)),
        MANAGERS,
    ),
    "see a notice the participant suggested": (
        lambda a: policy.may_see_notice(board(a), "pending", AUTHOR),
        lambda a: policy.check_may_see_notice(board(a), "pending", AUTHOR),
        SPACE_MODERATORS | {"participant"},
    ),
    "see a published notice": (
        lambda a: policy.may_see_notice(board(a), "published", AUTHOR),
        lambda a: policy.check_may_see_notice(board(a), "published", AUTHOR),
        EVERYONE,
    ),
    # participation
    "open a session's participation dashboard": (
        policy.may_see_participation,
        policy.check_may_see_participation,
        SESSION_MODERATORS,
    ),
    "remind those who have not taken part, set the turnout expected": (
        policy.may_remind_participants,
        policy.check_may_remind_participants,
        SESSION_MODERATORS,
    ),
    "read the transparency summary": (
        lambda a: policy.may_read_transparency(a.space, False),
        lambda a: policy.check_may_read_transparency(a.space, False),
        SPACE_MODERATORS,
    ),
    "read the transparency summary made public": (
        lambda a: policy.may_read_transparency(a.space, True),
        lambda a: policy.check_may_read_transparency(a.space, True),
        EVERYONE,
    ),
    "make the transparency summary public": (
        *space_rule(policy.may_publish_transparency, policy.check_may_publish_transparency),
        MANAGERS,
    ),
    # calls for submissions
    "manage calls": (
        lambda a: policy.may_manage_calls(calls(a)),
        lambda a: policy.check_may_manage_calls(calls(a)),
        MANAGERS,
    ),
    "designate submitters": (
        lambda a: policy.may_name_submitters(calls(a)),
        lambda a: policy.check_may_name_submitters(calls(a)),
        MANAGERS,
    ),
    "submit to a call without a designation": (
        lambda a: policy.may_submit(calls(a), ("party",)),
        lambda a: policy.check_may_submit(calls(a), ("party",)),
        set(),
    ),
    "submit to a call as a designated submitter": (
        lambda a: policy.may_submit(calls(a, submits_for="BR"), ("party",)),
        lambda a: policy.check_may_submit(calls(a, submits_for="BR"), ("party",)),
        MEMBERS_AND_SECRETARIAT - {"secretariat"},
    ),
    "submit to a call addressed to others": (
        lambda a: policy.may_submit(calls(a, submits_for="BR"), ("organization",)),
        lambda a: policy.check_may_submit(calls(a, submits_for="BR"), ("organization",)),
        set(),
    ),
    "see a public submission": (
        lambda a: policy.may_see_submission(calls(a), True, "BR"),
        lambda a: policy.check_may_see_submission(calls(a), True, "BR"),
        EVERYONE,
    ),
    "see a restricted submission": (
        lambda a: policy.may_see_submission(calls(a), False, "BR"),
        lambda a: policy.check_may_see_submission(calls(a), False, "BR"),
        MANAGERS,
    ),
    "see a restricted submission of one's own country": (
        lambda a: policy.may_see_submission(calls(a, submits_for="BR"), False, "BR"),
        lambda a: policy.check_may_see_submission(calls(a, submits_for="BR"), False, "BR"),
        MEMBERS_AND_SECRETARIAT,
    ),
    "see a restricted submission of another country": (
        lambda a: policy.may_see_submission(calls(a, submits_for="AR"), False, "BR"),
        lambda a: policy.check_may_see_submission(calls(a, submits_for="AR"), False, "BR"),
        MANAGERS,
    ),
    # accounts
    "manage accounts": (
        lambda a: policy.may_manage_accounts(a.actor),
        lambda a: policy.check_may_manage_accounts(a.actor),
        {"secretariat"},
    ),
    "reset an account's sign-in": (
        lambda a: policy.may_reset_sign_in(a.actor, APPOINTED),
        lambda a: policy.check_may_reset_sign_in(a.actor, APPOINTED),
        {"secretariat"},
    ),
    "see every suspension on the site": (
        lambda a: policy.may_see_all_suspensions(a.actor),
        lambda a: policy.check_may_see_all_suspensions(a.actor),
        {"secretariat"},
    ),
}


def test_the_secretariat_may_not_reset_its_own_sign_in() -> None:
    actor, _ = CALLERS["secretariat"]
    assert not policy.may_reset_sign_in(actor, actor.user_id)
    error = raised(lambda: policy.check_may_reset_sign_in(actor, actor.user_id))
    assert error is Forbidden


def raised(check: Callable[[], object]) -> type[DomainError] | None:
    try:
        check()
    except DomainError as error:
        return type(error)
    return None


def test_every_rule_of_the_policy_is_in_the_table() -> None:
    asked = set(re.findall(r"policy\.(may_\w+)", Path(__file__).read_text()))
    predicates = {name for name in policy.__all__ if name.startswith("may_")}
    # Asked elsewhere with their own tables (below), or decided per post or event.
    apart = {
        "may_accept_invitation",
        "may_be_suspended",
        "may_choose_attribution",
        "may_create_user",
        "may_have_moderation_queue",
        "may_mail_post",
        "may_post_as_guest",
        "may_receive_event",
        "may_see_person",  # asked of a database: its table is at the end
        "may_see_post",
        "may_see_space",
        "may_sign_in",
    }
    assert predicates - apart <= asked, predicates - apart - asked


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("who", CALLERS)
def test_predicate_and_raising_twin_agree(rule: str, who: str) -> None:
    may, check, allowed = RULES[rule]
    a = access(who)
    assert may(a) is (who in allowed)
    error = raised(lambda: check(a))
    if who in allowed:
        assert error is None
    elif rule.startswith(("see a", "find a")):  # whoever may not see it is told it does not exist
        assert error is NotFound
    elif who == "anonymous":
        assert error is Unauthorized
    elif rule == "edit one's post too late" and who == "participant":
        assert error is Conflict  # their own post: they are told why
    else:
        assert error is Forbidden


@pytest.mark.parametrize("who", CALLERS)
def test_in_a_members_space_outsiders_are_told_nothing(who: str) -> None:
    a = access(who, visibility=MEMBERS, posting="members")
    assert policy.may_see_space(a.actor, MEMBERS, a.space.role) is (who in MEMBERS_AND_SECRETARIAT)
    assert a.may_post is (who in MEMBERS_AND_SECRETARIAT)
    assert policy.may_read_library(a.space) is (who in MEMBERS_AND_SECRETARIAT)
    library = None if who in MEMBERS_AND_SECRETARIAT else NotFound
    assert raised(lambda: policy.check_may_read_library(a.space)) is library
    # Members may download where the space lets them; outsiders never learn it exists.
    members_may = lambda: policy.check_may_download_report(a, True)  # noqa: E731
    expected = None if who in MEMBERS_AND_SECRETARIAT else NotFound
    assert raised(members_may) is expected
    # Only members suggest notices on a members space's board.
    assert policy.may_suggest_notice(board(a)) is (who in MEMBERS_AND_SECRETARIAT)


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
def test_a_download_asks_for_the_spaces_attribution_or_less(
    setting: str, requested: str, allowed: bool
) -> None:
    assert policy.may_choose_attribution(setting, requested) is allowed
    error = raised(lambda: policy.check_may_choose_attribution(setting, requested))
    assert error is (None if allowed else Forbidden)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (("named", "named"), "named"),
        (("named", "country"), "country"),
        (("named", "none"), "none"),
        (("country", "named"), "country"),
        (("country", "country"), "country"),
        (("country", "none"), "none"),
        (("none", "named"), "none"),
        (("none", "country"), "none"),
        (("none", "none"), "none"),
        (("named", "named", "country"), "country"),
        (("named", "unknown"), "none"),  # a mistake never identifies anyone further
    ],
)
def test_a_person_is_cited_as_the_most_private_of_setting_request_and_choice(
    levels: tuple[str, ...], expected: str
) -> None:
    assert policy.most_private(*levels) == expected


@pytest.mark.parametrize(
    ("current", "accepted", "offered", "allowed", "code"),
    [
        (None, None, None, True, None),  # the space has no terms
        (1, 1, None, True, None),  # accepted before
        (1, None, 1, True, None),  # accepted with the contribution
        (1, None, None, False, "terms_not_accepted"),
        (2, 1, None, False, "terms_not_accepted"),  # a new version
        (2, 1, 1, False, "terms_changed"),  # the form showed the old one
        (2, None, 2, True, None),
    ],
)
def test_a_contribution_needs_the_current_terms_accepted(
    current: int | None, accepted: int | None, offered: int | None, allowed: bool, code: str | None
) -> None:
    assert policy.terms_accepted(current, accepted, offered) is allowed
    try:
        policy.check_terms_accepted(current, accepted, offered)
    except DomainError as error:
        assert error.code == code and error.field == "accept_terms"
    else:
        assert code is None


@pytest.mark.parametrize(
    ("who", "account_email", "expected"),
    [
        ("anonymous", None, Unauthorized),
        ("participant", "someone.else@example.org", Forbidden),
        ("participant", None, Forbidden),
        ("participant", "invited@example.org", None),
    ],
)
def test_an_invitation_is_accepted_by_its_address_only(
    who: str, account_email: str | None, expected: type[DomainError] | None
) -> None:
    actor = CALLERS[who][0]
    invited = "invited@example.org"
    assert policy.may_accept_invitation(actor, account_email, invited) is (expected is None)
    error = raised(lambda: policy.check_may_accept_invitation(actor, account_email, invited))
    assert error is expected


@pytest.mark.parametrize("registration_open", [True, False])
@pytest.mark.parametrize("as_secretariat", [True, False])
@pytest.mark.parametrize("who", ["anonymous", "participant", "secretariat"])
def test_who_creates_accounts(who: str, registration_open: bool, as_secretariat: bool) -> None:
    actor = CALLERS[who][0]
    allowed = who == "secretariat" or (registration_open and not as_secretariat)
    asked = {"registration_open": registration_open, "as_secretariat": as_secretariat}
    assert policy.may_create_user(actor, **asked) is allowed
    error = raised(lambda: policy.check_may_create_user(actor, **asked))
    if allowed:
        assert error is None
    elif who == "anonymous" and not as_secretariat:
        assert error is Unauthorized
    else:
        assert error is Forbidden


@pytest.mark.parametrize("guest_posting", [True, False])
@pytest.mark.parametrize("session_posting", ["signed_in", "members"])
def test_guests_post_only_in_open_forums(guest_posting: bool, session_posting: str) -> None:
    allowed = guest_posting and session_posting != "members"
    assert policy.may_post_as_guest(guest_posting, session_posting) is allowed
    error = raised(lambda: policy.check_may_post_as_guest(guest_posting, session_posting))
    assert (error is None) is allowed


@pytest.mark.parametrize("who", CALLERS)
def test_a_hidden_or_held_post_takes_no_reactions(who: str) -> None:
    for status in (HIDDEN, PENDING):
        assert policy.may_react(access(who), status) is False
        expected = Unauthorized if who == "anonymous" else Conflict
        assert raised(lambda s=status: policy.check_may_react(access(who), s)) is expected


@pytest.mark.parametrize("who", CALLERS)
def test_in_a_members_space_members_start_polls(who: str) -> None:
    a = access(who, visibility=MEMBERS, posting="members")
    assert policy.may_create_poll(a) is (who in MEMBERS_AND_SECRETARIAT)
    assert policy.may_vote(a) is (who in MEMBERS_AND_SECRETARIAT)


@pytest.mark.parametrize("hide_results", [True, False])
@pytest.mark.parametrize("voted", [True, False])
@pytest.mark.parametrize("closed", [True, False])
def test_results_are_kept_back_only_where_asked(hide_results: bool, voted: bool, closed: bool):
    expected = not hide_results or voted or closed
    assert policy.may_see_results(hide_results, voted, closed) is expected


def test_nobody_sees_who_voted_what_in_an_anonymous_poll() -> None:
    assert policy.may_see_voters(anonymous=True) is False
    assert policy.may_see_voters(anonymous=False) is True


# A person's page (where mentions link) opens for whoever may see a session they take
# part in: fellow readers of a public session they wrote in; in a members space, its
# members. Rows: the viewer, where the person took part, whether the page opens.
PERSON_ROWS = [
    ("anonymous", "public", True),
    ("anonymous", "members", False),
    ("outsider", "public", True),
    ("outsider", "members", False),
    ("member", "members", True),
    ("removed member", "members", False),
    ("moderator of another space", "members", False),
    ("secretariat", "members", True),
    ("the person", "members", True),
    ("outsider", "nowhere", False),
]


@pytest.mark.parametrize(("viewer", "where", "opens"), PERSON_ROWS)
async def test_whose_page_a_viewer_may_open(
    viewer: str, where: str, opens: bool, db, make_user, make_space, make_session, add_member
) -> None:
    from sqlalchemy import select

    from forum_server.rooms import members, posting
    from forum_server.rooms.models import Question
    from forum_server.rooms.schemas import PostCreate
    from tests.conftest import SECRETARIAT

    person = await make_user(display_name="Person")
    others = {name: await make_user() for name in ("outsider", "member", "removed member")}
    slug = await make_space(visibility="members" if where == "members" else "public")
    other_space = await make_space(visibility="members")
    moderator = await make_user()
    await add_member(other_space, moderator.id, "moderator")
    if where == "members":
        for name in ("member", "removed member"):
            await add_member(slug, others[name].id)
        await add_member(slug, person.id)
    session_id = await make_session(slug)
    async with db.read() as session:
        thread_id = await session.scalar(
            select(Question.thread_id).where(Question.session_id == session_id)
        )
    if where != "nowhere":
        await posting.create_post(
            db, Actor(user_id=person.id, display_name="Person"), thread_id, PostCreate(body="Hi")
        )
    if where == "members":
        await members.remove_member(db, SECRETARIAT, slug, others["removed member"].id)
    actors = {
        "anonymous": Actor(),
        "secretariat": Actor(user_id=0, is_secretariat=True),
        "the person": Actor(user_id=person.id),
        "moderator of another space": Actor(user_id=moderator.id),
        **{name: Actor(user_id=user.id) for name, user in others.items()},
    }
    async with db.read() as session:
        assert await policy.may_see_person(session, actors[viewer], person.id) is opens
        error = None
        try:
            await policy.check_may_see_person(session, actors[viewer], person.id)
        except DomainError as raised_error:
            error = type(raised_error)
        assert error is (None if opens else NotFound)


# Which endpoints may carry an event every reader of its space sees: (endpoint's
# space, event's space and its visibility, session scheduled) → carried.
CARRY = [
    (None, 1, PUBLIC, True, True),  # site-wide: public spaces
    (None, 1, MEMBERS, True, False),  # site-wide: never a members space
    (1, 1, MEMBERS, True, True),  # registered for that members space
    (1, 1, PUBLIC, True, True),
    (2, 1, PUBLIC, True, False),  # another space's endpoint
    (2, 1, MEMBERS, True, False),
    (1, 1, PUBLIC, False, False),  # a draft session: nobody outside sees it
    (None, None, None, True, False),  # an event of no space
]


@pytest.mark.parametrize(("endpoint", "space", "visibility", "scheduled", "carried"), CARRY)
def test_which_webhooks_carry_an_event(
    endpoint: int | None, space: int | None, visibility: str | None, scheduled: bool, carried: bool
) -> None:
    assert policy.may_carry(endpoint, space, visibility, session_scheduled=scheduled) is carried
