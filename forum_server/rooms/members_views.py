"""JSON API routes for members and invitations."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.mail.outbox import write_to_outbox
from forum_server.policy import load_space
from forum_server.rooms import invitations, members, members_queries
from forum_server.rooms.invitations import IssuedInvitation
from forum_server.rooms.members import MemberPut
from forum_server.settings import Settings
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context

api = ApiRouter()


def invitation_link(settings: Settings, token: str) -> str:
    return f"{settings.base_url}/invitations/{token}"


def send_invitation(settings: Settings, issued: IssuedInvitation, space_title: str) -> str:
    """Mails the link (to the outbox until SMTP exists) and returns it for the owner."""
    link = invitation_link(settings, issued.token)
    write_to_outbox(
        settings.data_dir,
        issued.email,
        f"Invitation to {space_title}",
        f"You are invited to take part in {space_title}.\n\n"
        f"Open this link to accept (it works once, until {issued.expires_at:%Y-%m-%d %H:%M} UTC):\n"
        f"{link}\n",
    )
    return link


@api.route("GET", "/spaces/{slug}/members", summary="Members of a space")
async def list_members(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        page = await members_queries.members_of(db, actor, request.path_params["slug"])
    return json_response(page.as_json())


@api.route(
    "PUT", "/spaces/{slug}/members/{user_id:int}", summary="Add or change a member", body=MemberPut
)
async def put_member(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, MemberPut)
    user_id = path_int(request, "user_id")
    async with ctx.db.write() as uow:
        space, access = await load_space(uow.session, actor, request.path_params["slug"])
        await members.put_member(uow, access, space, user_id, data)
    async with ctx.db.read() as db:
        page = await members_queries.members_of(db, actor, request.path_params["slug"])
    member = next(m for m in page.members if m.user_id == user_id)
    return json_response(member.as_json())


@api.route("DELETE", "/spaces/{slug}/members/{user_id:int}", summary="Remove a member")
async def remove_member(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.write() as uow:
        space, access = await load_space(uow.session, actor, request.path_params["slug"])
        await members.remove_member(uow, access, space, path_int(request, "user_id"))
    return Response(status_code=204)


@api.route(
    "POST",
    "/spaces/{slug}/invitations",
    summary="Invite someone by e-mail",
    body=invitations.InvitationCreate,
    status=201,
)
async def invite(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, invitations.InvitationCreate)
    async with ctx.db.write() as uow:
        space, access = await load_space(uow.session, actor, request.path_params["slug"])
        issued = await invitations.invite(uow, access, space, data)
        title = space.title
    link = send_invitation(ctx.settings, issued, title)
    body = {
        "id": issued.id,
        "email": issued.email,
        "link": link,
        "expires_at": issued.expires_at.isoformat(),
    }
    return json_response(body, status=201)


@api.route("GET", "/spaces/{slug}/invitations", summary="Pending invitations")
async def list_invitations(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        _, access = await load_space(db, actor, request.path_params["slug"])
        members.require_manager(access)
        pending = await members_queries.pending_invitations(db, access)
    items = [
        {
            "id": p.id,
            "email": p.email,
            "role": p.role,
            "designation": p.designation,
            "expires_at": p.expires_at.isoformat(),
        }
        for p in pending
    ]
    return json_response({"items": items, "next": None})


@api.route(
    "DELETE", "/spaces/{slug}/invitations/{invitation_id:int}", summary="Revoke an invitation"
)
async def revoke_invitation(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.write() as uow:
        space, access = await load_space(uow.session, actor, request.path_params["slug"])
        await invitations.revoke(uow, access, space, path_int(request, "invitation_id"))
    return Response(status_code=204)


@api.route("POST", "/invitations/{token}/accept", summary="Accept an invitation")
async def accept_invitation(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.write() as uow:
        space = await invitations.accept(uow, actor, request.path_params["token"])
        slug = space.slug
    return json_response({"space": slug}, status=200)
