"""Moderation and reports: who moderates what, suspends whom, reads the audit
log, and downloads reports with which attribution.

A session's moderators act on their session's threads and posts (SessionAccess.
can_moderate). What reaches the whole space — suspending people in it, its holding
rules, its audit log — is for the space's moderators and owners and the secretariat.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true

from forum_server.errors import Forbidden, NotFound, Unauthorized
from forum_server.i18n import N_
from forum_server.policy.access import MODERATOR, OWNER, SessionAccess, SpaceAccess
from forum_server.policy.actors import Actor, require_caller, require_signed_in
from forum_server.policy.loading import moderated_sessions_clause
from forum_server.rooms.models import (
    ForumSession,
    Membership,
    Post,
    Space,
)
from forum_server.rooms.state import MEMBERS, PUBLISHED


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
        if isinstance(access, SessionAccess):
            raise NotFound("No such session.")
        raise NotFound("No such space.")
    require_signed_in(space.actor)
    raise Forbidden(
        "Only the moderators, the space's owners and the secretariat can download reports."
    )


def may_moderate_space(access: SpaceAccess) -> bool:
    """Space-wide moderation: the space's owners and moderators, the secretariat."""
    return access.can_moderate_space


def check_may_moderate_space(
    access: SpaceAccess, message: str = N_("Only this space's moderators can do this.")
) -> None:
    """`message`: the refusal, a catalogue entry (marked with N_ where it is written)."""
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


def check_may_suspend(access: SpaceAccess, target_role: str | None = None) -> None:
    check_may_moderate_space(access, N_("Only this space's moderators can suspend people here."))
    if not may_suspend(access, target_role):
        raise Forbidden("Only the space's owners can suspend its moderators.")


def may_be_suspended(target_is_secretariat: bool) -> bool:
    """Anyone can be suspended but the secretariat (in a space or site-wide)."""
    return not target_is_secretariat


def check_may_be_suspended(target_is_secretariat: bool) -> None:
    if not may_be_suspended(target_is_secretariat):
        raise Forbidden("The secretariat cannot be suspended.")


def may_have_moderation_queue(actor: Actor, moderates_anything: bool) -> bool:
    """A review queue: for whoever moderates a space or a session, and the secretariat."""
    return actor.is_secretariat or moderates_anything


def check_may_have_moderation_queue(actor: Actor, moderates_anything: bool) -> None:
    require_caller(actor)
    if not may_have_moderation_queue(actor, moderates_anything):
        raise Forbidden("Only moderators have a moderation queue.")


def may_post_as_guest(guest_posting: bool, session_posting: str) -> bool:
    """Without an account: only in an open forum, never in a session for members."""
    return guest_posting and session_posting != "members"


def check_may_post_as_guest(guest_posting: bool, session_posting: str) -> None:
    """Unauthorized (sign in) where a guest may not post; the reason names which."""
    if not guest_posting:
        raise Unauthorized("Sign in to take part.")
    if not may_post_as_guest(guest_posting, session_posting):
        raise Unauthorized("Only members of this space may post in this session.")


def may_manage_holding_rules(access: SpaceAccess) -> bool:
    """See and change what the space holds for review (its moderation settings)."""
    return may_moderate_space(access)


def check_may_manage_holding_rules(access: SpaceAccess) -> None:
    check_may_moderate_space(
        access, N_("Only this space's moderators can manage its holding rules.")
    )


def may_read_space_audit(access: SpaceAccess) -> bool:
    """Read the space's audit log (which names invited e-mail addresses)."""
    return may_moderate_space(access)


def check_may_read_space_audit(access: SpaceAccess) -> None:
    check_may_moderate_space(access, N_("Only this space's moderators can read its audit log."))


def may_manage_report_settings(access: SpaceAccess) -> bool:
    """See and change the space's report settings: its owners and the secretariat."""
    return access.can_manage


def check_may_manage_report_settings(access: SpaceAccess) -> None:
    if not may_manage_report_settings(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat manage its report settings.")


def may_set_report_attribution(actor: Actor) -> bool:
    """Choose how a space's reports attribute contributions: the secretariat."""
    return actor.is_secretariat


def check_may_set_report_attribution(actor: Actor) -> None:
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


def check_may_choose_attribution(setting: str, requested: str) -> None:
    if not may_choose_attribution(setting, requested):
        raise Forbidden(
            "This space's reports are attributed at most as '%(setting)s'; "
            "'%(requested)s' would identify contributors further.",
            params={"setting": setting, "requested": requested},
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
