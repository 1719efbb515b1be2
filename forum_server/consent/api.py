"""JSON API of consent and attribution: a space's terms (every version), accepting
them, who accepted them (the secretariat), and one's own attribution choice."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.consent import acceptance, choice, terms
from forum_server.consent.schemas import AttributionChoice, TermsAccept, TermsInput
from forum_server.consent.views import (
    AcceptanceView,
    AttributionChoiceView,
    ConsentView,
    TermsVersionView,
)
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int, query_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.shapes import ListOf

api = ApiRouter()


@api.route(
    "GET",
    "/spaces/{slug}/terms",
    summary="A space's attribution and current participation terms, and whether the "
    "caller has accepted them",
    auth="optional",
    response=ConsentView,
)
async def get_terms(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await terms.consent(db, actor, request.path_params["slug"])
    return json_response(found.as_json())


@api.route(
    "POST",
    "/spaces/{slug}/terms",
    summary="Write a new version of a space's participation terms (secretariat)",
    body=TermsInput,
    status=201,
    response=TermsVersionView,
)
async def set_terms(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, TermsInput)
    created = await terms.set_terms(ctx.db, actor, request.path_params["slug"], data)
    return json_response(created.as_json(), status=201)


@api.route(
    "GET",
    "/spaces/{slug}/terms/versions",
    summary="Every version of a space's participation terms, newest first",
    auth="optional",
    response=ListOf(TermsVersionView),
)
async def list_versions(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await terms.versions(db, actor, request.path_params["slug"])
    return json_response({"items": [v.as_json() for v in found], "next": None})


@api.route(
    "GET",
    "/spaces/{slug}/terms/versions/{version:int}",
    summary="One version of a space's participation terms",
    auth="optional",
    response=TermsVersionView,
)
async def get_version(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await terms.version(
            db, actor, request.path_params["slug"], path_int(request, "version")
        )
    return json_response(found.as_json())


@api.route(
    "POST",
    "/spaces/{slug}/terms/acceptances",
    summary="Accept the current version of a space's participation terms",
    body=TermsAccept,
    response=ConsentView,
)
async def accept_terms(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, TermsAccept)
    found = await acceptance.accept_terms(ctx.db, actor, request.path_params["slug"], data)
    return json_response(found.as_json())


@api.route(
    "GET",
    "/spaces/{slug}/terms/acceptances",
    summary="Who accepted which version of a space's terms, and when (secretariat)",
    query=("limit", "after"),
    response=ListOf(AcceptanceView),
)
async def list_acceptances(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        items, following = await acceptance.acceptances(
            db,
            actor,
            request.path_params["slug"],
            limit=query_int(request, "limit") or 50,
            after=query_int(request, "after") or 0,
        )
    return json_response({"items": [a.as_json() for a in items], "next": following})


@api.route(
    "GET",
    "/me/attribution",
    summary="How reports may cite the caller: named, by country only, or not at all",
    response=AttributionChoiceView,
)
async def get_attribution(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await choice.my_choice(db, actor)
    return json_response(found.as_json())


@api.route(
    "PUT",
    "/me/attribution",
    summary="Choose how reports compiled from now on cite the caller",
    body=AttributionChoice,
    response=AttributionChoiceView,
)
async def set_attribution(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, AttributionChoice)
    found = await choice.set_choice(ctx.db, actor, data)
    return json_response(found.as_json())
