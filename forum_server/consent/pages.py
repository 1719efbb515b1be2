"""Pages of consent and attribution, working without JavaScript: a space's terms with
every version (and, for the secretariat, the form to write a new one), accepting them,
who accepted them, and one's choice of how reports cite one (on the profile)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.consent import acceptance, choice, terms
from forum_server.consent.schemas import AttributionChoice, TermsAccept, TermsInput
from forum_server.errors import DomainError
from forum_server.i18n import N_
from forum_server.policy import may_see_acceptances, may_set_terms, require_caller
from forum_server.rooms.pages.shared import attempt, checked
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form
from forum_server.web.redirects import safe_next

LABELS = {"body": N_("Participation terms"), "version": N_("Version")}


async def terms_page(
    request: Request, *, form: dict[str, str] | None = None, error: DomainError | None = None
) -> Response:
    """Every version of the space's terms, newest first; the secretariat's form."""
    ctx, actor = app_context(request), await actor_of(request)
    slug: str = request.path_params["slug"]
    async with ctx.db.read() as db:
        consent, access = await terms.consent_with_access(db, actor, slug)
        versions = await terms.versions(db, actor, slug)
    context: dict[str, Any] = {
        "slug": slug,
        "consent": consent,
        "versions": versions,
        "may_edit": may_set_terms(access),
        "may_see_acceptances": may_see_acceptances(access),
        "typed": (form or {}).get("body", versions[0].body if versions else ""),
        "form_error": error.message if error else None,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "consent/terms.html", context, status=status)


async def set_terms(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    require_caller(actor)
    slug: str = request.path_params["slug"]
    form = await read_form(request)

    async def run() -> str:
        data = checked(TermsInput, {"body": form.get("body", "")}, LABELS)
        await terms.set_terms(ctx.db, actor, slug, data)
        return f"/spaces/{slug}/terms"

    async def refused(error: DomainError) -> Response:
        return await terms_page(request, form=form, error=error)

    return await attempt(run, refused)


async def accept_terms(request: Request) -> Response:
    """Accepts the version the form showed; back to where it was sent from."""
    ctx, actor = app_context(request), await actor_of(request)
    require_caller(actor)
    slug: str = request.path_params["slug"]
    form = await read_form(request)

    async def run() -> str:
        version = form.get("version", "")
        number = int(version) if version.isascii() and version.isdigit() and len(version) < 9 else 0
        data = checked(TermsAccept, {"version": number}, LABELS)
        await acceptance.accept_terms(ctx.db, actor, slug, data)
        return safe_next(form.get("next"), f"/spaces/{slug}#terms")

    async def refused(error: DomainError) -> Response:
        return await terms_page(request, error=error)

    return await attempt(run, refused)


async def acceptances_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug: str = request.path_params["slug"]
    after = request.query_params.get("after", "")
    start = int(after) if after.isascii() and after.isdigit() and len(after) < 12 else 0
    async with ctx.db.read() as db:
        items, following = await acceptance.acceptances(db, actor, slug, limit=200, after=start)
    context = {"slug": slug, "acceptances": items, "next": following}
    return await ctx.templates.page(request, "consent/acceptances.html", context)


async def set_attribution(request: Request) -> Response:
    """The profile's choice of how reports cite one."""
    ctx, actor = app_context(request), await actor_of(request)
    require_caller(actor)
    form = await read_form(request)

    async def run() -> str:
        data = checked(AttributionChoice, {"attribution": form.get("attribution", "")}, LABELS)
        await choice.set_choice(ctx.db, actor, data)
        return "/profile?cited=1#attribution"

    async def refused(error: DomainError) -> Response:
        raise error

    return await attempt(run, refused)


routes: list[Route] = [
    Route("/spaces/{slug}/terms", terms_page, methods=["GET"]),
    Route("/spaces/{slug}/terms", set_terms, methods=["POST"]),
    Route("/spaces/{slug}/terms/accept", accept_terms, methods=["POST"]),
    Route("/spaces/{slug}/terms/acceptances", acceptances_page, methods=["GET"]),
    Route("/profile/attribution", set_attribution, methods=["POST"]),
]
