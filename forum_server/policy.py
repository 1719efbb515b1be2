"""Who may see and do what: the one way in.

Every read of protected data and every permission check goes through here, so a
rule changes in one place for pages, the API, WebSocket events, search, reports
and e-mail alike. A caller that may not see something is told it does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.errors import Forbidden, NotFound, Unauthorized
from forum_server.events import EVERY_VIEWER, POST_BY_POST, audience_of
from forum_server.rooms.models import (
    ForumSession,
    Membership,
    Post,
    Question,
    SessionModerator,
    SessionPeriod,
    Space,
    Thread,
)
from forum_server.rooms.state import HIDDEN, MEMBERS, PENDING, PUBLIC, PUBLISHED


@dataclass(frozen=True)
class Actor:
    """Whoever is making a request: a signed-in user, or nobody in particular."""

    user_id: int | None = None
    display_name: str = ""
    is_secretariat: bool = False

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


ANONYMOUS = Actor()


def require_signed_in(actor: Actor) -> int:
    """The actor's user id; raises Unauthorized for anonymous callers."""
    if actor.user_id is None:
        raise Unauthorized()
    return actor.user_id


def require_secretariat(actor: Actor) -> None:
    if actor.is_secretariat:  # the command line acts as the secretariat without a user id
        return
    require_signed_in(actor)
    if not actor.is_secretariat:
        raise Forbidden("Only the secretariat can do this.")


def check_can_create_user(actor: Actor, *, registration_open: bool, as_secretariat: bool) -> None:
    """Raises unless may_create_user (below): Forbidden for secretariat accounts asked by
    others; where registration is closed, Unauthorized for anonymous callers and
    Forbidden for everyone else."""
    if may_create_user(actor, registration_open=registration_open, as_secretariat=as_secretariat):
        return
    if as_secretariat:
        raise Forbidden("Only the secretariat can create secretariat accounts.")
    if actor.signed_in:
        raise Forbidden("Registration is closed; the secretariat creates accounts.")
    raise Unauthorized("Registration is closed; the secretariat creates accounts.")


# --- spaces, sessions, threads, posts -------------------------------------------------

OWNER, MODERATOR, MEMBER = "owner", "moderator", "member"


@dataclass(frozen=True)
class SpaceAccess:
    """What one actor may do in one space they may see."""

    actor: Actor
    space_id: int
    visibility: str
    role: str | None  # their membership role, if any

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def can_manage(self) -> bool:
        """Create sessions, manage members: owners and the secretariat."""
        return self.actor.is_secretariat or self.role == OWNER

    @property
    def can_moderate_space(self) -> bool:
        return self.actor.is_secretariat or self.role in {OWNER, MODERATOR}


def may_see_space(actor: Actor, visibility: str, role: str | None) -> bool:
    return visibility == PUBLIC or actor.is_secretariat or role is not None


@dataclass(frozen=True)
class SessionAccess:
    space: SpaceAccess
    session_id: int
    moderator_ids: frozenset[int]
    posting: str  # signed_in | members

    @property
    def actor(self) -> Actor:
        return self.space.actor

    @property
    def can_moderate(self) -> bool:
        """Open, close, re-open, add questions, moderate posts: the session's moderators,
        the space's owners and moderators, and the secretariat."""
        return self.space.can_moderate_space or self.actor.user_id in self.moderator_ids

    def require_moderator(self) -> None:
        if not self.can_moderate:
            require_signed_in(self.actor)
            raise Forbidden("Only this session's moderators can do this.")

    @property
    def may_post(self) -> bool:
        """Whether the actor has the right to post here (state is checked apart)."""
        if not self.actor.signed_in:
            return False
        return self.can_moderate or self.posting != MEMBERS or self.space.is_member

    def check_may_post(self) -> None:
        """Raises unless the actor has the right to post here (state is checked apart)."""
        require_signed_in(self.actor)
        if not self.may_post:
            raise Forbidden("Only members of this space may post in this session.")


def may_see_post(access: SessionAccess, status: str, author_id: int | None) -> bool:
    """Published and hidden posts (as a placeholder) are for all who see the session;
    pending ones for their author and moderators; rejected ones for moderators."""
    if status in {PUBLISHED, HIDDEN}:
        return True
    if access.can_moderate:
        return True
    return status == PENDING and author_id is not None and author_id == access.actor.user_id


def may_receive_event(access: SessionAccess, event_type: str, data: Mapping[str, Any]) -> bool:
    """Whether a viewer with this access may be sent a live event of the session. Who
    may is registered with each type (events.EVENT_TYPES); an unregistered type goes to
    the session's moderators only, so a new kind of event is private until registered."""
    audience = audience_of(event_type)
    if audience == EVERY_VIEWER:
        return True
    if audience != POST_BY_POST:
        return access.can_moderate
    status = data.get("status")
    author = data.get("author")
    author_id = author.get("id") if isinstance(author, dict) else None
    author_id = author_id if isinstance(author_id, int) else None
    if event_type == "post.rejected":
        # It carries no text: it tells the author's page to drop the held post.
        return access.can_moderate or (author_id is not None and author_id == access.actor.user_id)
    # A post event without a readable status is not public (fail closed).
    return may_see_post(access, status if isinstance(status, str) else "", author_id)


# --- loading protected things: every read of a space's content starts here ------------


def visible_spaces_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on Space selecting the spaces the actor may see."""
    if actor.is_secretariat:
        return true()
    if actor.user_id is None:
        return Space.visibility == PUBLIC
    member_of = select(Membership.space_id).where(Membership.user_id == actor.user_id)
    return or_(Space.visibility == PUBLIC, Space.id.in_(member_of))


async def _role(db: AsyncSession, actor: Actor, space_id: int) -> str | None:
    if actor.user_id is None:
        return None
    role: str | None = await db.scalar(
        select(Membership.role).where(
            Membership.space_id == space_id, Membership.user_id == actor.user_id
        )
    )
    return role


async def load_space(db: AsyncSession, actor: Actor, slug: str) -> tuple[Space, SpaceAccess]:
    """The space and the actor's access to it; NotFound if missing or not visible."""
    space = await db.scalar(select(Space).where(Space.slug == slug))
    access = await _space_access(db, actor, space)
    assert space is not None  # _space_access raised NotFound otherwise
    return space, access


async def _space_access(db: AsyncSession, actor: Actor, space: Space | None) -> SpaceAccess:
    if space is None:
        raise NotFound("No such space.")
    role = await _role(db, actor, space.id)
    if not may_see_space(actor, space.visibility, role):
        raise NotFound("No such space.")
    return SpaceAccess(actor=actor, space_id=space.id, visibility=space.visibility, role=role)


async def load_session(
    db: AsyncSession, actor: Actor, session_id: int
) -> tuple[ForumSession, SessionAccess]:
    forum_session = await db.get(ForumSession, session_id)
    if forum_session is None:
        raise NotFound("No such session.")
    space = await db.get(Space, forum_session.space_id)
    try:
        space_access = await _space_access(db, actor, space)
    except NotFound:
        raise NotFound("No such session.") from None
    assert space is not None
    moderators = await db.scalars(
        select(SessionModerator.user_id).where(
            SessionModerator.session_id == session_id,
            acting_moderators_clause(space.id, space.visibility),
        )
    )
    access = SessionAccess(
        space=space_access,
        session_id=session_id,
        moderator_ids=frozenset(moderators),
        posting=forum_session.posting,
    )
    if not access.can_moderate:  # those who prepare a session see it in any state
        scheduled = await db.scalar(
            select(SessionPeriod.id).where(SessionPeriod.session_id == session_id).limit(1)
        )
        check_may_see_session(access, draft=scheduled is None)
    return forum_session, access


async def load_thread(
    db: AsyncSession, actor: Actor, thread_id: int
) -> tuple[Thread, SessionAccess]:
    thread = await db.get(Thread, thread_id)
    if thread is None:
        raise NotFound("No such thread.")
    try:
        _, access = await load_session(db, actor, thread.session_id)
    except NotFound:
        raise NotFound("No such thread.") from None
    if not access.can_moderate:
        shown = select(Thread.id).where(Thread.id == thread_id, visible_threads_clause(access))
        if await db.scalar(shown) is None:
            raise NotFound("No such thread.")
    return thread, access


async def load_post(db: AsyncSession, actor: Actor, post_id: int) -> tuple[Post, SessionAccess]:
    post = await db.get(Post, post_id)
    if post is None:
        raise NotFound("No such post.")
    try:
        _, access = await load_session(db, actor, post.session_id)
    except NotFound:
        raise NotFound("No such post.") from None
    if not may_see_post(access, post.status, post.author_id):
        raise NotFound("No such post.")
    return post, access


def visible_posts_clause(access: SessionAccess) -> ColumnElement[bool]:
    """SQL condition on Post matching may_see_post, for listings."""
    if access.can_moderate:
        return true()
    shown: list[Any] = [Post.status.in_((PUBLISHED, HIDDEN))]
    if access.actor.user_id is not None:
        shown.append((Post.status == PENDING) & (Post.author_id == access.actor.user_id))
    return or_(*shown)


def threads_shown_clause(posts: ColumnElement[bool]) -> ColumnElement[bool]:
    """SQL condition on Thread: a guiding question's thread always; a participant's
    topic only once one of its posts matches `posts`. Its title is the author's words
    too: while the opening post waits for review (or after it was turned down), the
    topic is not there for those who may not see that post."""
    # correlate_except: the outer query may name Question or Post itself.
    question = select(Question.id).where(Question.thread_id == Thread.id)
    shown_post = select(Post.id).where(Post.thread_id == Thread.id, posts)
    return or_(
        exists(question.correlate_except(Question)), exists(shown_post.correlate_except(Post))
    )


def visible_threads_clause(access: SessionAccess) -> ColumnElement[bool]:
    """SQL condition on Thread for listings: topics whose posts this viewer may see."""
    return threads_shown_clause(visible_posts_clause(access))


# --- moderation: who moderates what ---------------------------------------------------


def moderated_sessions_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on ForumSession selecting the sessions the actor moderates: every
    session of a space they own or moderate, the sessions they were made moderator of
    (in a members space, while they are members), and everything for the secretariat.
    Raises Unauthorized for anonymous callers."""
    if actor.is_secretariat:
        return true()
    user_id = require_signed_in(actor)
    space_roles = select(Membership.space_id).where(
        Membership.user_id == user_id, Membership.role.in_((OWNER, MODERATOR))
    )
    appointed = select(SessionModerator.session_id).where(SessionModerator.user_id == user_id)
    member_of = select(Membership.space_id).where(Membership.user_id == user_id)
    public = select(Space.id).where(Space.visibility == PUBLIC)
    acting = ForumSession.id.in_(appointed) & or_(
        ForumSession.space_id.in_(member_of), ForumSession.space_id.in_(public)
    )
    return or_(ForumSession.space_id.in_(space_roles), acting)


def require_caller(actor: Actor) -> None:
    """Raises Unauthorized for anonymous callers; the command line, acting as the
    secretariat without an account, passes."""
    if not actor.is_secretariat:
        require_signed_in(actor)


# --- reports ----------------------------------------------------------------------------


def report_posts_clause() -> ColumnElement[bool]:
    """SQL condition on Post selecting what a report may contain: published posts only.
    Hidden, pending and rejected posts are never in a report, whoever downloads it
    (nor the title of a topic with none of its posts published)."""
    return Post.status == PUBLISHED


def check_may_download_report(
    access: SessionAccess | SpaceAccess, members_may_download: bool
) -> None:
    """Who may download a report. A session's: its moderators (with the space's owners
    and moderators) and the secretariat; a whole space's: its owners and moderators and
    the secretariat. Members of a `members` space too, where the space allows it
    (`members_may_download`). Raises Unauthorized for anonymous callers and Forbidden for
    everyone else who can see the space; those who cannot see it never get here, the
    loaders answered NotFound, and a non-member is told NotFound here too."""
    if may_download_report(access, members_may_download):
        return
    space = access.space if isinstance(access, SessionAccess) else access
    if space.visibility == MEMBERS and not space.is_member:
        raise NotFound(
            "No such session." if isinstance(access, SessionAccess) else "No such space."
        )
    require_signed_in(space.actor)
    raise Forbidden(
        "Only the moderators, the space's owners and the secretariat can download reports."
    )


# --- moderation and reports -----------------------------------------------------------
#
# A session's moderators act on their session's threads and posts (SessionAccess.
# can_moderate). What reaches the whole space — suspending people in it, its holding
# rules, its audit log — is for the space's moderators and owners and the secretariat.


def may_moderate_space(access: SpaceAccess) -> bool:
    """Space-wide moderation: the space's owners and moderators, the secretariat."""
    return access.can_moderate_space


def _require_space_moderator(access: SpaceAccess, message: str) -> None:
    if not may_moderate_space(access):
        require_signed_in(access.actor)
        raise Forbidden(message)


def moderated_spaces_clause(actor: Actor, *, whole: bool = False) -> ColumnElement[bool]:
    """SQL condition on Space selecting the spaces whose content (or part of it: one of
    their sessions) the actor moderates; with `whole`, only those they moderate space-wide
    (may_moderate_space). Raises Unauthorized for anonymous callers."""
    if actor.is_secretariat:
        return true()
    user_id = require_signed_in(actor)
    roles = select(Membership.space_id).where(
        Membership.user_id == user_id, Membership.role.in_((OWNER, MODERATOR))
    )
    if whole:
        return Space.id.in_(roles)
    sessions = select(ForumSession.space_id).where(moderated_sessions_clause(actor))
    return or_(Space.id.in_(roles), Space.id.in_(sessions))


def may_suspend(access: SpaceAccess, target_role: str | None = None) -> bool:
    """Suspend someone from posting in the space (and see or lift its suspensions): its
    moderators and owners and the secretariat; only owners and the secretariat suspend
    the space's own owners and moderators (`target_role`)."""
    if target_role in {OWNER, MODERATOR}:
        return access.can_manage
    return may_moderate_space(access)


def require_may_suspend(access: SpaceAccess, target_role: str | None = None) -> None:
    _require_space_moderator(access, "Only this space's moderators can suspend people here.")
    if not may_suspend(access, target_role):
        raise Forbidden("Only the space's owners can suspend its moderators.")


def may_be_suspended(target_is_secretariat: bool) -> bool:
    """Anyone can be suspended but the secretariat (in a space or site-wide)."""
    return not target_is_secretariat


def require_may_be_suspended(target_is_secretariat: bool) -> None:
    if not may_be_suspended(target_is_secretariat):
        raise Forbidden("The secretariat cannot be suspended.")


def may_have_moderation_queue(actor: Actor, moderates_anything: bool) -> bool:
    """A review queue: for whoever moderates a space or a session, and the secretariat."""
    return actor.is_secretariat or moderates_anything


def require_moderation_queue(actor: Actor, moderates_anything: bool) -> None:
    require_caller(actor)
    if not may_have_moderation_queue(actor, moderates_anything):
        raise Forbidden("Only moderators have a moderation queue.")


def may_post_as_guest(guest_posting: bool, session_posting: str) -> bool:
    """Without an account: only in an open forum, never in a session for members."""
    return guest_posting and session_posting != "members"


def require_may_post_as_guest(guest_posting: bool, session_posting: str) -> None:
    """Unauthorized (sign in) where a guest may not post; the reason names which."""
    if not guest_posting:
        raise Unauthorized("Sign in to take part.")
    if not may_post_as_guest(guest_posting, session_posting):
        raise Unauthorized("Only members of this space may post in this session.")


async def role_in_space(db: AsyncSession, user_id: int, space_id: int) -> str | None:
    """Someone's role in a space (None: not a member), for decisions about them."""
    return await _role(db, Actor(user_id=user_id), space_id)


def may_manage_holding_rules(access: SpaceAccess) -> bool:
    """See and change what the space holds for review (its moderation settings)."""
    return may_moderate_space(access)


def require_may_manage_holding_rules(access: SpaceAccess) -> None:
    _require_space_moderator(access, "Only this space's moderators can manage its holding rules.")


def may_read_space_audit(access: SpaceAccess) -> bool:
    """Read the space's audit log (which names invited e-mail addresses)."""
    return may_moderate_space(access)


def require_may_read_space_audit(access: SpaceAccess) -> None:
    _require_space_moderator(access, "Only this space's moderators can read its audit log.")


def may_manage_report_settings(access: SpaceAccess) -> bool:
    """See and change the space's report settings: its owners and the secretariat."""
    return access.can_manage


def require_may_manage_report_settings(access: SpaceAccess) -> None:
    if not may_manage_report_settings(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat manage its report settings.")


def may_set_report_attribution(actor: Actor) -> bool:
    """Choose how a space's reports attribute contributions: the secretariat."""
    return actor.is_secretariat


def require_may_set_report_attribution(actor: Actor) -> None:
    if not may_set_report_attribution(actor):
        require_signed_in(actor)
        raise Forbidden(
            "Only the secretariat chooses how reports attribute contributions.",
            field="report_attribution",
        )


# Least identifying first: a download may ask for its setting or anything before it.
ATTRIBUTION_ORDER = ("none", "country", "named")


def may_choose_attribution(setting: str, requested: str) -> bool:
    """Whether a download may use `requested` where the space is set to `setting`: never
    more identifying than the setting, whoever asks (the secretariat changes the setting,
    which is audited, rather than overriding it once)."""
    return ATTRIBUTION_ORDER.index(requested) <= ATTRIBUTION_ORDER.index(setting)


def require_may_choose_attribution(setting: str, requested: str) -> None:
    if not may_choose_attribution(setting, requested):
        raise Forbidden(
            f"This space's reports are attributed at most as '{setting}'; "
            f"'{requested}' would identify contributors further.",
            code="attribution_not_allowed",
            field="attribution",
        )


def may_download_report(access: SessionAccess | SpaceAccess, members_may_download: bool) -> bool:
    """The yes or no of check_may_download_report, for pages showing the control."""
    space = access.space if isinstance(access, SessionAccess) else access
    allowed = (
        access.can_moderate if isinstance(access, SessionAccess) else access.can_moderate_space
    )
    return allowed or (members_may_download and space.visibility == MEMBERS and space.is_member)


# --- rooms: spaces, sessions, questions -----------------------------------------------


def may_manage_space(access: SpaceAccess) -> bool:
    """Create sessions (and manage members): the space's owners and the secretariat."""
    return access.can_manage


def check_may_manage_space(access: SpaceAccess) -> None:
    if not may_manage_space(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat can do this.")


def may_appoint_moderators(access: SpaceAccess) -> bool:
    """Change who moderates a session: the space's owners and moderators and the
    secretariat (a session's own moderators do not choose each other)."""
    return access.can_moderate_space


def check_may_appoint_moderators(access: SpaceAccess) -> None:
    if not may_appoint_moderators(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners, its moderators and the secretariat can do this.")


def acting_moderators_clause(space_id: int, visibility: str) -> ColumnElement[bool]:
    """SQL condition on SessionModerator, for the sessions of one space, keeping the
    appointed moderators who act as such: in a members space, only those who are
    members now, so leaving the space ends a session moderator's rights with it."""
    if visibility != MEMBERS:
        return true()
    members = select(Membership.user_id).where(Membership.space_id == space_id)
    return SessionModerator.user_id.in_(members)


def may_see_session(access: SessionAccess, *, draft: bool) -> bool:
    """A session of a space one may see; a draft (no period yet) only for those who
    prepare it: its moderators, the space's owners and moderators, the secretariat."""
    return not draft or access.can_moderate


def check_may_see_session(access: SessionAccess, *, draft: bool) -> None:
    # Whoever may not see it is told it does not exist, signed in or not.
    if not may_see_session(access, draft=draft):
        raise NotFound("No such session.")


def visible_sessions_clause(access: SpaceAccess) -> ColumnElement[bool]:
    """SQL condition on ForumSession matching may_see_session, for a space's listings."""
    if access.can_moderate_space:
        return true()
    scheduled = exists(
        select(SessionPeriod.id)
        .where(SessionPeriod.session_id == ForumSession.id)
        .correlate_except(SessionPeriod)
    )
    if access.actor.user_id is None:
        return scheduled
    # Reached only by those who see the space: in a members space, members.
    appointed = select(SessionModerator.session_id).where(
        SessionModerator.user_id == access.actor.user_id
    )
    return or_(scheduled, ForumSession.id.in_(appointed))


def may_start_topic(access: SessionAccess, participant_topics: bool) -> bool:
    """Start a topic of one's own: whoever may post, where the session takes topics
    from participants; its moderators always (state is checked apart)."""
    return access.may_post and (participant_topics or access.can_moderate)


def check_may_start_topic(access: SessionAccess, participant_topics: bool) -> None:
    access.check_may_post()
    if not may_start_topic(access, participant_topics):
        raise Forbidden("This session does not take new topics from participants.")


async def load_question(
    db: AsyncSession, actor: Actor, question_id: int
) -> tuple[Question, SessionAccess]:
    """A guiding question and the actor's access to its session; NotFound as for the
    session."""
    question = await db.get(Question, question_id)
    if question is None:
        raise NotFound("No such question.")
    try:
        _, access = await load_session(db, actor, question.session_id)
    except NotFound:
        raise NotFound("No such question.") from None
    return question, access


# --- members, invitations, accounts ---------------------------------------------------


def may_manage_members(access: SpaceAccess) -> bool:
    """Add, change and remove members, invite and revoke invitations, see the pending
    invitations and the record of membership changes: the space's owners and the
    secretariat."""
    return access.can_manage


def check_may_manage_members(access: SpaceAccess) -> None:
    """Raises unless may_manage_members: Unauthorized for anonymous callers, Forbidden
    for everyone else (those who may not see the space were answered NotFound by
    load_space)."""
    if not may_manage_members(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat manage its members.")


def may_see_members(access: SpaceAccess) -> bool:
    """The member list (with its balance): the space's members and the secretariat."""
    return access.actor.is_secretariat or access.is_member


def check_may_see_members(access: SpaceAccess) -> None:
    if not may_see_members(access):
        require_signed_in(access.actor)
        raise Forbidden("Only members of this space see its member list.")


# Who may invite, revoke and list a space's invitations: those who manage its members.
may_manage_invitations = may_manage_members
check_may_manage_invitations = check_may_manage_members


def may_accept_invitation(actor: Actor, account_email: str | None, invited_email: str) -> bool:
    """An invitation is for one address: only the signed-in account with that address
    accepts it, so a forwarded link opens nothing for anyone else."""
    return actor.signed_in and account_email is not None and account_email == invited_email


def check_may_accept_invitation(
    actor: Actor, account_email: str | None, invited_email: str
) -> None:
    require_signed_in(actor)
    if not may_accept_invitation(actor, account_email, invited_email):
        raise Forbidden(
            f"This invitation is for {invited_email}; sign in with that address to accept it."
        )


def may_create_user(actor: Actor, *, registration_open: bool, as_secretariat: bool) -> bool:
    """The secretariat creates any account; others only their own, where registration
    is open (the registration page asks with `as_secretariat=False`)."""
    if actor.is_secretariat:
        return True
    return registration_open and not as_secretariat


# --- accounts: who may sign in and who manages accounts ---------------------------------


@dataclass(frozen=True)
class Standing:
    """What decides whether an account may sign in or use its tokens now."""

    active: bool
    # The site-wide suspension in force, if any: its reason and end (None: until lifted).
    suspended: bool = False
    suspension_reason: str = ""
    suspended_until: datetime | None = None


def may_sign_in(standing: Standing) -> bool:
    """Deactivated and site-wide suspended accounts neither sign in nor use API tokens."""
    return standing.active and not standing.suspended


def check_may_sign_in(standing: Standing) -> None:
    """Raises Forbidden `account_deactivated` or `suspended` (with the reason and end)."""
    if not standing.active:
        raise Forbidden(
            "This account is deactivated; ask the secretariat.", code="account_deactivated"
        )
    if standing.suspended:
        until = (
            f"until {standing.suspended_until:%Y-%m-%d %H:%M} UTC"
            if standing.suspended_until is not None
            else "until the secretariat lifts the suspension"
        )
        raise Forbidden(
            "This account is suspended: it may not sign in, use its API tokens or post "
            f"anywhere on this site {until}. Reason: {standing.suspension_reason}",
            code="suspended",
        )


def may_manage_accounts(actor: Actor) -> bool:
    """List, deactivate and reactivate accounts: the secretariat (and the command line)."""
    return actor.is_secretariat


def check_may_manage_accounts(actor: Actor, target_id: int | None = None) -> None:
    """Raises Unauthorized for anonymous callers, Forbidden for everyone else but the
    secretariat, and Forbidden for a secretariat member acting on their own account
    (they would lock themselves out)."""
    require_caller(actor)
    if not may_manage_accounts(actor):
        raise Forbidden("Only the secretariat can manage accounts.")
    if target_id is not None and target_id == actor.user_id:
        raise Forbidden("You cannot deactivate your own account.", code="own_account")
