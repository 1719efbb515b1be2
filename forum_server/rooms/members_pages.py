"""Workspace pages: the member list with its balance, member management and
invitations for owners, and the page an invitation link opens. Each action calls
the same command as its API route; these routes only present."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.accounts.countries import REGION_NAMES
from forum_server.accounts.profile_form import form_input, profile_choices
from forum_server.accounts.schemas import GENDER_LABELS
from forum_server.errors import DomainError, Invalid
from forum_server.i18n import N_, gettext
from forum_server.policy import Actor
from forum_server.rooms import invitations, members, members_queries
from forum_server.rooms.members import MemberAdd, MemberPut
from forum_server.rooms.pages.shared import (
    REFUSALS,
    accepted_terms,
    attempt,
    checked,
    notice_from,
    see_other,
)
from forum_server.web.auth import actor_of, signed_in_redirect
from forum_server.web.context import app_context
from forum_server.web.forms import error_for_field, read_form, validate_form

ROLES = [("member", N_("Member")), ("moderator", N_("Moderator")), ("owner", N_("Owner"))]
DESIGNATIONS = [
    ("party_expert", N_("Expert from a Party")),
    ("organization_expert", N_("Expert from an organization")),
    ("observer", N_("Observer")),
]
CHANGES = {
    "member.added": N_("added a member"),
    "member.changed": N_("changed a membership"),
    "member.removed": N_("removed a member"),
    "invitation.created": N_("sent an invitation"),
    "invitation.revoked": N_("revoked an invitation"),
    "invitation.accepted": N_("accepted an invitation"),
}
LABELS = {"email": N_("E-mail address"), "role": N_("Role"), "designation": N_("Designation")}
MEMBER_FIELDS = ("role", "designation")


def _names(pairs: Any) -> dict[str, str]:
    """{value: label} in the reader's language (labels are catalogue entries, or text
    already translated where they are defined)."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return {value: gettext(str(label)) for value, label in items}


def choices() -> dict[str, Any]:
    """What the members page's forms and tables name, in the reader's language."""
    roles, designations = _names(ROLES), _names(DESIGNATIONS)
    return {
        "roles": list(roles.items()),
        "role_names": roles,
        "designations": list(designations.items()),
        "designation_names": designations,
        "region_names": _names(REGION_NAMES),
        "gender_names": _names(GENDER_LABELS),
        "change_names": _names(CHANGES),
    }


async def members_page(
    request: Request, *, error: DomainError | None = None, link: str | None = None
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        page = await members_queries.members_page(db, actor, request.path_params["slug"])
    context: dict[str, Any] = {
        **choices(),
        "space": page.space,
        "page": page,
        "pending": page.pending,
        "changes": page.changes,
        "notice": notice_from(request),
        "error": error.message if error else None,
        "link": link,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "rooms/members.html", context, status=status)


async def _act(request: Request, notice: str, command: Callable[[], Awaitable[object]]) -> Response:
    """Runs the command, then back to the members page with the notice; a refusal is
    shown on the members page."""

    async def action() -> str:
        await command()
        return f"/spaces/{request.path_params['slug']}/members?notice={notice}"

    return await attempt(action, lambda e: members_page(request, error=e))


async def add_member(request: Request) -> Response:
    """Adds an existing account, found by e-mail address."""
    ctx, actor = app_context(request), await actor_of(request)
    form = await read_form(request)
    fields = {k: form.get(k, "") for k in ("email", *MEMBER_FIELDS)}
    return await _act(
        request,
        "member_added",
        lambda: members.add_member(
            ctx.db, actor, request.path_params["slug"], checked(MemberAdd, fields, LABELS)
        ),
    )


async def change_member(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug, user_id = request.path_params["slug"], int(request.path_params["user_id"])
    form = await read_form(request)
    if form.get("remove"):
        remove = members.remove_member
        return await _act(request, "member_removed", lambda: remove(ctx.db, actor, slug, user_id))
    fields = {k: form.get(k, "") for k in MEMBER_FIELDS}
    return await _act(
        request,
        "member_changed",
        lambda: members.put_member(
            ctx.db, actor, slug, user_id, checked(MemberPut, fields, LABELS)
        ),
    )


async def invite(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    form = await read_form(request)
    fields = {k: form.get(k, "") for k in ("email", *MEMBER_FIELDS)}
    try:
        data = checked(invitations.InvitationCreate, fields, LABELS)
        issued = await invitations.invite(ctx.db, actor, request.path_params["slug"], data)
    except REFUSALS as error:
        return await members_page(request, error=error)
    # The link is shown once, to the owner, so it can also be passed on by hand.
    return await members_page(request, link=invitations.send_invitation(ctx.settings, issued))


async def revoke(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug, invitation_id = request.path_params["slug"], int(request.path_params["invitation_id"])
    await read_form(request)
    revoke = invitations.revoke
    return await _act(
        request, "invitation_revoked", lambda: revoke(ctx.db, actor, slug, invitation_id)
    )


# --- the invitation link ------------------------------------------------------------


async def invitation_page(request: Request) -> Response:
    """Accept (signed in), sign in first (an account exists), or create the account
    (even when registration is closed: the invitation is the permission)."""
    ctx, actor = app_context(request), await actor_of(request)
    token = request.path_params["token"]
    async with ctx.db.read() as db:
        link = await invitations.invitation_link(db, token)
    if request.method == "GET":
        return await _show_invitation(request, link)
    form = await read_form(request)
    if actor.signed_in:
        try:
            accepted = accepted_terms(form)
            joined = await invitations.accept(ctx.db, actor, token, accept_terms=accepted)
        except REFUSALS as error:
            return await _show_invitation(request, link, status=error.status, error=error)
        return see_other(f"/spaces/{joined.space}?notice=joined")
    if link.has_account:
        return see_other(f"/login?next=/invitations/{token}")
    return await _create_account(request, actor, link, form)


async def _create_account(
    request: Request, actor: Actor, link: invitations.InvitationLink, form: dict[str, str]
) -> Response:
    """Someone new: their account, with the invited address, then in they go."""
    ctx, token = app_context(request), request.path_params["token"]
    data, errors = validate_form(
        invitations.InvitedAccount, form_input(form, invitations.InvitedAccount)
    )
    if data is not None:
        try:
            joined = await invitations.accept_with_new_account(
                ctx.db, actor, token, data, accept_terms=accepted_terms(form)
            )
        except Invalid as error:
            errors = error_for_field(error)
        else:
            target = f"/spaces/{joined.space}?notice=joined"
            return await signed_in_redirect(request, joined.user.id, target)
    shown = {k: v for k, v in form.items() if k != "password"}
    return await _show_invitation(request, link, status=422, form=shown, errors=errors)


async def _show_invitation(
    request: Request,
    link: invitations.InvitationLink,
    *,
    status: int = 200,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    context: dict[str, Any] = {
        "invitation": link,
        "space": link.space,
        "has_account": link.has_account,
        "form": {**(form or {}), "email": link.email},
        "errors": errors or {},
        "form_error": error.message if error else None,
        "consent": link.consent,
        "terms_error": error.message if error and error.field == "accept_terms" else None,
        **choices(),
        **profile_choices(),
    }
    templates = app_context(request).templates
    return await templates.page(request, "rooms/invitation.html", context, status=status)


routes = [
    Route("/spaces/{slug}/members", members_page, methods=["GET"]),
    Route("/spaces/{slug}/members/add", add_member, methods=["POST"]),
    Route("/spaces/{slug}/members/{user_id:int}", change_member, methods=["POST"]),
    Route("/spaces/{slug}/invitations", invite, methods=["POST"]),
    Route("/spaces/{slug}/invitations/{invitation_id:int}/revoke", revoke, methods=["POST"]),
    Route("/invitations/{token}", invitation_page, methods=["GET", "POST"]),
]
