"""Browser routes for OpenID Connect sign-in:

    GET  /auth/oidc/login?next=/path         start with the default provider
    GET  /auth/oidc/callback                 the provider sends the browser back here
    GET  /auth/oidc/{name}/login, /callback  the same for a further provider
    GET/POST /auth/oidc/welcome              someone new completes their profile

The flow's `state`, `nonce`, PKCE verifier and `next` live in a signed, HttpOnly,
SameSite=Lax cookie for ten minutes and are consumed at the callback. Someone new is
held in a second signed cookie until their profile is complete; only then is the
account made. Every sign-in gets a new login session (web.auth.begin_sign_in).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.accounts import oidc_identities as identities
from forum_server.accounts.oidc import (
    Identity,
    OidcClient,
    OidcError,
    Signup,
    seal_flow,
    seal_signup,
    unseal_flow,
    unseal_signup,
)
from forum_server.accounts.profile_form import form_input, profile_choices
from forum_server.accounts.schemas import ProfileUpdate
from forum_server.errors import DomainError, NotFound
from forum_server.i18n import N_
from forum_server.i18n import gettext as _
from forum_server.settings import OidcProvider, Settings
from forum_server.text import clean_line
from forum_server.web.auth import signed_in_redirect
from forum_server.web.context import app_context
from forum_server.web.forms import read_form, validate_form
from forum_server.web.redirects import safe_next

FLOW_COOKIE = "forum_oidc_flow"
SIGNUP_COOKIE = "forum_oidc_signup"
COOKIE_PATH = "/auth/oidc"
FLOW_MAX_AGE = 600  # seconds to sign in at the provider
SIGNUP_MAX_AGE = 1800  # seconds to complete the profile
MAX_NEXT = 1000
NO_FLOW = N_("No sign-in was in progress in this browser, or it took too long. Please start again.")
SIGNUP_EXPIRED = N_("Your sign-in expired before your profile was completed. Please sign in again.")


def oidc_client(request: Request) -> OidcClient:
    """The app's client, made on first use (it caches discovery and keys per app)."""
    client: OidcClient | None = getattr(request.app.state, "oidc", None)
    if client is None:
        client = OidcClient(app_context(request).settings.sign_in_providers)
        request.app.state.oidc = client
    return client


def _provider(request: Request) -> OidcProvider:
    """The default provider at /auth/oidc/..., a further one at /auth/oidc/{name}/..."""
    name = request.path_params.get("provider")
    provider = oidc_client(request).provider(name or "default") if name != "default" else None
    if provider is None:
        raise NotFound("No such sign-in service.")
    return provider


def redirect_uri(settings: Settings, provider: OidcProvider) -> str:
    """The address to register with the provider (API.md: <base>/auth/oidc/callback)."""
    middle = "" if provider.is_default else f"/{provider.name}"
    return f"{settings.base_url}{COOKIE_PATH}{middle}/callback"


def _set_cookie(response: Response, settings: Settings, name: str, value: str, age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        path=COOKIE_PATH,
        httponly=True,
        secure=settings.cookies_secure,
        samesite="lax",
    )


def _drop_cookie(response: Response, settings: Settings, name: str) -> None:
    response.delete_cookie(
        name, path=COOKIE_PATH, httponly=True, secure=settings.cookies_secure, samesite="lax"
    )


async def _sign_in_page(
    request: Request, message: str, *, status: int, next_path: str = "/"
) -> Response:
    """The sign-in page, saying why signing in with a provider did not work (`message`
    in the reader's language)."""
    ctx = app_context(request)
    context: dict[str, Any] = {
        "form": {},
        "errors": {},
        "form_error": None,
        "next": next_path,
        "sso_error": message,
    }
    return await ctx.templates.page(request, "login.html", context, status=status)


async def _refused(request: Request, provider: OidcProvider, error: DomainError) -> Response:
    ctx = app_context(request)
    context = {"provider": provider, "message": error.message, "code": error.code}
    return await ctx.templates.page(
        request, "accounts/oidc_refused.html", context, status=error.status
    )


async def start(request: Request) -> Response:
    ctx = app_context(request)
    provider = _provider(request)
    next_path = safe_next(request.query_params.get("next"))
    if len(next_path) > MAX_NEXT:
        next_path = "/"
    try:
        url, flow = await oidc_client(request).start(
            provider, redirect_uri(ctx.settings, provider), next_path
        )
    except OidcError as error:
        return await _sign_in_page(request, error.message, status=502, next_path=next_path)
    response = RedirectResponse(url, status_code=303)
    sealed = seal_flow(ctx.settings.secret_key, flow)
    _set_cookie(response, ctx.settings, FLOW_COOKIE, sealed, FLOW_MAX_AGE)
    return response


async def callback(request: Request) -> Response:
    response = await _callback(request)
    _drop_cookie(response, app_context(request).settings, FLOW_COOKIE)  # used once
    return response


async def _callback(request: Request) -> Response:
    ctx = app_context(request)
    provider = _provider(request)
    flow = unseal_flow(ctx.settings.secret_key, request.cookies.get(FLOW_COOKIE), FLOW_MAX_AGE)
    if flow is None:
        return await _sign_in_page(request, _(NO_FLOW), status=400)
    try:
        arrival = await identities.finish_sign_in(
            ctx.db,
            oidc_client(request),
            provider,
            flow,
            request.query_params,
            redirect_uri=redirect_uri(ctx.settings, provider),
            registration_open=ctx.settings.registration_open,
        )
        if arrival.user_id is not None:  # refused here too if deactivated or suspended
            return await signed_in_redirect(request, arrival.user_id, flow.next)
    except OidcError as error:
        return await _sign_in_page(request, error.message, status=400, next_path=flow.next)
    except DomainError as error:
        return await _refused(request, provider, error)
    # Someone new: their profile first, then the account.
    return _to_welcome(ctx.settings, Signup(provider.name, arrival.identity, flow.next))


def _to_welcome(settings: Settings, signup: Signup) -> Response:
    """On to the welcome page, the sign-up held in its cookie until the profile is done."""
    response = RedirectResponse(f"{COOKIE_PATH}/welcome", status_code=303)
    sealed = seal_signup(settings.secret_key, signup)
    _set_cookie(response, settings, SIGNUP_COOKIE, sealed, SIGNUP_MAX_AGE)
    return response


async def welcome(request: Request) -> Response:
    """First sign-in: the profile the provider does not know (country, organization,
    affiliation), then the account, then on to `next`."""
    ctx = app_context(request)
    pending = _pending_signup(request)
    if pending is None:
        return await _sign_in_page(request, _(SIGNUP_EXPIRED), status=400)
    signup, provider = pending
    if request.method == "GET":
        form = {"display_name": _suggested_name(signup.identity)}
        return await _welcome_form(request, provider, signup, form, {})
    form = await read_form(request)
    data, errors = validate_form(ProfileUpdate, form_input(form, ProfileUpdate))
    if data is None:
        return await _welcome_form(request, provider, signup, form, errors, status=422)
    try:
        account = await identities.create_account(
            ctx.db, signup, data, registration_open=ctx.settings.registration_open
        )
    except DomainError as error:
        response = await _refused(request, provider, error)
    else:
        response = await signed_in_redirect(request, account.user.id, account.destination)
    _drop_cookie(response, ctx.settings, SIGNUP_COOKIE)
    return response


def _pending_signup(request: Request) -> tuple[Signup, OidcProvider] | None:
    """The sign-up this browser's cookie holds, with its provider (None once expired)."""
    settings = app_context(request).settings
    signup = unseal_signup(settings.secret_key, request.cookies.get(SIGNUP_COOKIE), SIGNUP_MAX_AGE)
    provider = oidc_client(request).provider(signup.provider) if signup else None
    if signup is None or provider is None:
        return None
    return replace(signup, next=safe_next(signup.next)), provider


async def _welcome_form(
    request: Request,
    provider: OidcProvider,
    signup: Signup,
    form: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "provider": provider,
        "identity": signup.identity,
        "form": form,
        "errors": errors,
        **profile_choices(),
    }
    templates = app_context(request).templates
    return await templates.page(request, "accounts/oidc_welcome.html", context, status=status)


def _suggested_name(identity: Identity) -> str:
    try:
        return clean_line(identity.name or (identity.email or "").split("@")[0], max_length=80)
    except ValueError:  # nothing usable: they type one
        return ""


routes = [
    Route("/auth/oidc/login", start, methods=["GET"]),
    Route("/auth/oidc/callback", callback, methods=["GET"]),
    Route("/auth/oidc/welcome", welcome, methods=["GET", "POST"]),
    Route("/auth/oidc/{provider}/login", start, methods=["GET"]),
    Route("/auth/oidc/{provider}/callback", callback, methods=["GET"]),
]
