"""Workspace pages: the member list with its balance, member management and
invitations for owners, and the page an invitation link opens."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.accounts import service as accounts
from forum_server.accounts.countries import REGION_NAMES, country_choices
from forum_server.accounts.models import User
from forum_server.accounts.schemas import AFFILIATION_LABELS, GENDER_LABELS, UserCreate
from forum_server.errors import DomainError, Invalid
from forum_server.policy import load_space
from forum_server.rooms import invitations, members, members_queries
from forum_server.rooms.members import MemberPut
from forum_server.rooms.members_views import send_invitation
from forum_server.rooms.pages_shared import REFUSALS, attempt, checked, notice_from, see_other
from forum_server.web.auth import actor_of, begin_sign_in, set_session_cookie
from forum_server.web.context import app_context
from forum_server.web.forms import read_form, validate_form

ROLES = [("member", "Member"), ("moderator", "Moderator"), ("owner", "Owner")]
DESIGNATIONS = [
    ("party_expert", "Expert from a Party"),
    ("organization_expert", "Expert from an organization"),
    ("observer", "Observer"),
]
LABELS = {"email": "E-mail address", "role": "Role", "designation": "Designation"}


async def members_page(
    request: Request, *, error: DomainError | None = None, link: str | None = None
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug = request.path_params["slug"]
    async with ctx.db.read() as db:
        page = await members_queries.members_of(db, actor, slug)
        pending = await members_queries.pending_invitations(db, page.access)
        changes = await members_queries.membership_changes(db, page.access)
    context: dict[str, Any] = {
        "space": page.space,
        "page": page,
        "pending": pending,
        "changes": changes,
        "roles": ROLES,
        "designations": DESIGNATIONS,
        "designation_names": dict(DESIGNATIONS),
        "region_names": REGION_NAMES,
        "gender_names": GENDER_LABELS,
        "notice": notice_from(request),
        "error": error.message if error else None,
        "link": link,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "rooms/members.html", context, status=status)


async def add_member(request: Request) -> Response:
    """Adds an existing account, found by e-mail address."""
    ctx, actor = app_context(request), await actor_of(request)
    slug = request.path_params["slug"]
    form = await read_form(request)

    async def action() -> str:
        data = checked(MemberPut, {k: form.get(k, "") for k in ("role", "designation")}, LABELS)
        async with ctx.db.write() as uow:
            space, access = await load_space(uow.session, actor, slug)
            members.require_manager(access)
            user_id = await uow.session.scalar(
                select(User.id).where(User.email == form.get("email", "").strip().lower())
            )
            if user_id is None:
                raise Invalid(
                    "No account has this e-mail address: send an invitation instead.",
                    field="email",
                )
            await members.put_member(uow, access, space, user_id, data)
        return f"/spaces/{slug}/members?notice=member_added"

    return await attempt(action, lambda e: members_page(request, error=e))


async def change_member(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug, user_id = request.path_params["slug"], int(request.path_params["user_id"])
    form = await read_form(request)

    async def action() -> str:
        async with ctx.db.write() as uow:
            space, access = await load_space(uow.session, actor, slug)
            if form.get("remove"):
                await members.remove_member(uow, access, space, user_id)
                return f"/spaces/{slug}/members?notice=member_removed"
            data = checked(MemberPut, {k: form.get(k, "") for k in ("role", "designation")}, LABELS)
            await members.put_member(uow, access, space, user_id, data)
        return f"/spaces/{slug}/members?notice=member_changed"

    return await attempt(action, lambda e: members_page(request, error=e))


async def invite(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug = request.path_params["slug"]
    form = await read_form(request)
    try:
        data = checked(
            invitations.InvitationCreate,
            {k: form.get(k, "") for k in ("email", "role", "designation")},
            LABELS,
        )
        async with ctx.db.write() as uow:
            space, access = await load_space(uow.session, actor, slug)
            issued = await invitations.invite(uow, access, space, data)
            title = space.title
    except REFUSALS as error:
        return await members_page(request, error=error)
    link = send_invitation(ctx.settings, issued, title)
    # The link is shown once, to the owner, so it can also be passed on by hand.
    return await members_page(request, link=link)


async def revoke(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug = request.path_params["slug"]
    await read_form(request)

    async def action() -> str:
        async with ctx.db.write() as uow:
            space, access = await load_space(uow.session, actor, slug)
            await invitations.revoke(uow, access, space, int(request.path_params["invitation_id"]))
        return f"/spaces/{slug}/members?notice=invitation_revoked"

    return await attempt(action, lambda e: members_page(request, error=e))


# --- the invitation link ------------------------------------------------------------


async def invitation_page(request: Request) -> Response:
    """Accept (signed in), sign in first (an account exists), or create the account
    (even when registration is closed: the invitation is the permission)."""
    ctx, actor = app_context(request), await actor_of(request)
    token = request.path_params["token"]
    async with ctx.db.read() as db:
        invitation, space = await invitations.pending_invitation(db, token)
        has_account = (
            await db.scalar(select(User.id).where(User.email == invitation.email)) is not None
        )
    context: dict[str, Any] = {
        "invitation": invitation,
        "space": space,
        "has_account": has_account,
        "form": {"email": invitation.email},
        "errors": {},
        "form_error": None,
        "countries": country_choices(),
        "affiliations": AFFILIATION_LABELS,
        "genders": GENDER_LABELS,
        "designation_names": dict(DESIGNATIONS),
    }
    if request.method == "GET":
        return await ctx.templates.page(request, "rooms/invitation.html", context)
    form = await read_form(request)
    if actor.signed_in:
        try:
            async with ctx.db.write() as uow:
                joined = await invitations.accept(uow, actor, token)
        except REFUSALS as error:
            context["form_error"] = error.message
            return await ctx.templates.page(
                request, "rooms/invitation.html", context, status=error.status
            )
        return see_other(f"/spaces/{joined.slug}?notice=joined")
    if has_account:
        return see_other(f"/login?next=/invitations/{token}")
    allowed = set(UserCreate.model_fields) - {"is_secretariat"}
    fields = {k: v for k, v in form.items() if k in allowed and v != ""}
    fields["email"] = invitation.email
    data, errors = validate_form(UserCreate, fields)
    if data is None:
        context.update(form={**form, "email": invitation.email}, errors=errors)
        context["form"].pop("password", None)
        return await ctx.templates.page(request, "rooms/invitation.html", context, status=422)
    async with ctx.db.write() as uow:
        user = await accounts.create_user(
            uow, invitations.INVITATION_AUTHORITY, data, registration_open=True
        )
        new_actor = invitations.actor_for(user)
        joined = await invitations.accept(uow, new_actor, token)
        login = await begin_sign_in(uow, request, user.id)
    response = see_other(f"/spaces/{joined.slug}?notice=joined")
    set_session_cookie(response, ctx.settings, login)
    return response


routes = [
    Route("/spaces/{slug}/members", members_page, methods=["GET"]),
    Route("/spaces/{slug}/members/add", add_member, methods=["POST"]),
    Route("/spaces/{slug}/members/{user_id:int}", change_member, methods=["POST"]),
    Route("/spaces/{slug}/invitations", invite, methods=["POST"]),
    Route("/spaces/{slug}/invitations/{invitation_id:int}/revoke", revoke, methods=["POST"]),
    Route("/invitations/{token}", invitation_page, methods=["GET", "POST"]),
]
