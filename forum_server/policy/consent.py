"""Consent and attribution: who sets a space's participation terms, who sees who
accepted them, whether a contribution may be written without accepting them, and how
identifying a report may be about one person.

The terms are the secretariat's text (like the space's report attribution, they are a
commitment made on behalf of the organizers, so space owners do not change them). Each
account chooses how it may be cited; a report names a person at most as identifyingly
as the space's setting, the download's request and the person's own choice all allow.
"""

from __future__ import annotations

from forum_server.errors import Forbidden, Invalid
from forum_server.policy.access import SpaceAccess
from forum_server.policy.actors import Actor, require_signed_in
from forum_server.policy.moderation import ATTRIBUTION_ORDER


def most_private(*levels: str) -> str:
    """The least identifying of the attributions given ("none" < "country" < "named");
    an unknown value counts as "none", so a mistake never identifies anyone further."""
    ranks = [ATTRIBUTION_ORDER.index(a) if a in ATTRIBUTION_ORDER else 0 for a in levels]
    return ATTRIBUTION_ORDER[min(ranks, default=0)]


def may_set_terms(access: SpaceAccess) -> bool:
    """Write a new version of a space's participation terms: the secretariat."""
    return access.actor.is_secretariat


def check_may_set_terms(access: SpaceAccess) -> None:
    if not may_set_terms(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the secretariat sets a space's participation terms.")


def may_see_acceptances(access: SpaceAccess) -> bool:
    """See who accepted which version of the terms, and when: the secretariat."""
    return access.actor.is_secretariat


def check_may_see_acceptances(access: SpaceAccess) -> None:
    if not may_see_acceptances(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the secretariat sees who accepted the participation terms.")


def may_accept_terms(access: SpaceAccess) -> bool:
    """Accept a space's terms (ahead of a first contribution): anyone signed in who sees
    it; guests accept on their post form, with the post."""
    return access.actor.user_id is not None


def check_may_accept_terms(access: SpaceAccess) -> None:
    if not may_accept_terms(access):
        require_signed_in(access.actor)


def may_choose_own_attribution(actor: Actor) -> bool:
    """Choose how one's own contributions are cited: any signed-in account."""
    return actor.user_id is not None


def check_may_choose_own_attribution(actor: Actor) -> None:
    require_signed_in(actor)


def terms_accepted(current: int | None, accepted: int | None, offered: int | None) -> bool:
    """Whether a contribution may be written: the space has no terms (`current` None),
    or the writer accepted the current version before (`accepted`) or with it (`offered`)."""
    return current is None or current in (accepted, offered)


def check_terms_accepted(current: int | None, accepted: int | None, offered: int | None) -> None:
    """Invalid, on the field `accept_terms`, when the current terms are not accepted:
    nothing is written."""
    if terms_accepted(current, accepted, offered):
        return
    if offered is not None:
        raise Invalid(
            "The participation terms have changed; read version %(version)s and accept it.",
            params={"version": current},
            code="terms_changed",
            field="accept_terms",
        )
    raise Invalid(
        "Accept the participation terms to contribute.",
        code="terms_not_accepted",
        field="accept_terms",
    )
