"""JSON API routes for members and invitations."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.rooms import invitations, members, members_queries
from forum_server.rooms.invitations import IssuedInvitation, Joined
from forum_server.rooms.members import MemberPut
from forum_server.rooms.members_queries import MemberList, MemberView, PendingInvitation
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.shapes import ListOf

api = ApiRouter()


@api.route("GET", "/spaces/{slug}/members", summary="Members of a space", response=MemberList)
async def list_members(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        listing = await members_queries.members_of(db, actor, request.path_params["slug"])
    return json_response(listing.as_json())


@api.route(
    "PUT",
    "/spaces/{slug}/members/{user_id:int}",
    summary="Add or change a member",
    body=MemberPut,
    response=MemberView,
)
async def put_member(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, MemberPut)
    slug, user_id = request.path_params["slug"], path_int(request, "user_id")
    member = await members.put_member(ctx.db, actor, slug, user_id, data)
    return json_response(member.as_json())


@api.route("DELETE", "/spaces/{slug}/members/{user_id:int}", summary="Remove a member", status=204)
async def remove_member(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug, user_id = request.path_params["slug"], path_int(request, "user_id")
    await members.remove_member(ctx.db, actor, slug, user_id)
    return Response(status_code=204)


@api.route(
    "POST",
    "/spaces/{slug}/invitations",
    summary="Invite someone by e-mail",
    body=invitations.InvitationCreate,
    status=201,
    response=IssuedInvitation,
)
async def invite(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, invitations.InvitationCreate)
    issued = await invitations.invite(ctx.db, actor, request.path_params["slug"], data)
    link = invitations.send_invitation(ctx.settings, issued)
    return json_response(issued.as_json(link), status=201)


@api.route(
    "GET",
    "/spaces/{slug}/invitations",
    summary="Pending invitations",
    response=ListOf(PendingInvitation),
)
async def list_invitations(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        pending = await members_queries.pending_invitations(db, actor, request.path_params["slug"])
    return json_response({"items": [p.as_json() for p in pending], "next": None})


@api.route(
    "DELETE",
    "/spaces/{slug}/invitations/{invitation_id:int}",
    summary="Revoke an invitation",
    status=204,
)
async def revoke_invitation(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug, invitation_id = request.path_params["slug"], path_int(request, "invitation_id")
    await invitations.revoke(ctx.db, actor, slug, invitation_id)
    return Response(status_code=204)


@api.route("POST", "/invitations/{token}/accept", summary="Accept an invitation", response=Joined)
async def accept_invitation(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    joined = await invitations.accept(ctx.db, actor, request.path_params["token"])
    return json_response(joined.as_json())
