"""Browser pages for accounts: sign in, sign out, register, profile."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.accounts import service
from forum_server.accounts.email_confirmation_pages import profile_notice
from forum_server.accounts.profile_form import form_input, profile_choices
from forum_server.accounts.queries import UserView, get_user, sign_in_methods
from forum_server.accounts.schemas import PasswordChange, ProfileUpdate, UserCreate
from forum_server.consent import choice as attribution_choice
from forum_server.consent.views import CHOICE_LABELS
from forum_server.errors import Conflict, Forbidden, Invalid, RateLimited, Unauthorized
from forum_server.i18n import gettext as _
from forum_server.mail import watching
from forum_server.policy import check_may_create_user, require_signed_in
from forum_server.web.auth import (
    SESSION_COOKIE,
    actor_of,
    clear_session_cookie,
    client_address,
    signed_in_redirect,
)
from forum_server.web.context import app_context
from forum_server.web.forms import error_for_field, read_form, validate_form
from forum_server.web.redirects import safe_next


async def login_page(request: Request) -> Response:
    ctx = app_context(request)
    if request.method == "GET":
        return await _login_form(request, {}, safe_next(request.query_params.get("next")))
    form = await read_form(request)
    next_path, email = safe_next(form.get("next")), form.get("email", "")
    try:
        user = await service.authenticate(
            ctx.db,
            email,
            form.get("password", ""),
            client=client_address(request, ctx.settings),
            max_failures=ctx.settings.login_attempts,
        )
    except (Unauthorized, Forbidden, RateLimited) as error:
        return await _login_form(request, {"email": email}, next_path, error)
    return await signed_in_redirect(request, user.id, next_path)


async def _login_form(
    request: Request,
    form: dict[str, str],
    next_path: str,
    error: Unauthorized | Forbidden | RateLimited | None = None,
) -> Response:
    context = {
        "form": form,
        "errors": {},
        "form_error": error.message if error else None,
        "next": next_path,
    }
    status = error.status if error else 200
    headers = {"Retry-After": str(error.retry_after)} if error and error.retry_after else None
    templates = app_context(request).templates
    return await templates.page(request, "login.html", context, status=status, headers=headers)


async def logout(request: Request) -> Response:
    ctx = app_context(request)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await service.sign_out(ctx.db, token)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response, ctx.settings)
    return response


async def register_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    registration_open = ctx.settings.registration_open
    check_may_create_user(actor, registration_open=registration_open, as_secretariat=False)
    if request.method == "GET":
        return await _register_form(request, {}, {})
    form = await read_form(request)
    data, errors = validate_form(UserCreate, form_input(form, UserCreate))
    if data is not None:
        try:
            user = await service.create_user(
                ctx.db, actor, data, registration_open=registration_open, confirmation=ctx.settings
            )
        except Invalid as error:
            errors = error_for_field(error)
        except Conflict as error:
            errors = {"email": error.message}
        else:
            if actor.signed_in:  # the secretariat creating someone else's account
                return RedirectResponse("/", status_code=303)
            return await signed_in_redirect(request, user.id, "/profile")
    form.pop("password", None)
    return await _register_form(request, form, errors, status=422)


async def _register_form(
    request: Request, form: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    context = {"form": form, "errors": errors, "form_error": None, **profile_choices()}
    templates = app_context(request).templates
    return await templates.page(request, "register.html", context, status=status)


async def _profile_page(
    request: Request, user_id: int, status: int = 200, **extra: Any
) -> Response:
    """The profile page: the user's profile form (or the one they sent, with `form`),
    their sign-in methods and the password form."""
    ctx = app_context(request)
    async with ctx.db.read() as session:
        user = await get_user(session, user_id)
        methods = await sign_in_methods(session, user_id)
        cited = await attribution_choice.my_choice(session, await actor_of(request))
    labels = {p.issuer: p.label for p in ctx.settings.sign_in_providers}
    watches = await watching.my_watches(ctx.db, await actor_of(request))
    context: dict[str, Any] = {
        "watches": watches,
        "user": user,
        "attribution": cited,
        "attribution_choices": [(k, _(v)) for k, v in CHOICE_LABELS.items()],
        "has_password": methods.has_password,
        # Providers no longer configured are still named, by their address.
        "providers": [labels.get(issuer, issuer) for issuer in methods.issuers],
        "form": {**_profile_form(user), **extra.pop("form", {})},
        "errors": {},
        "form_error": None,
        "password_errors": {},
        "password_form_error": None,
        "notice": _("Your changes are saved.") if request.query_params.get("saved") else None,
        "attribution_notice": (
            _("How you are cited is saved.") if request.query_params.get("cited") else None
        ),
        "confirmation_notice": profile_notice(request.query_params.get("confirmation", "")),
        **profile_choices(),
        **extra,
    }
    return await ctx.templates.page(request, "profile.html", context, status=status)


def _profile_form(user: UserView) -> dict[str, str]:
    return {
        "display_name": user.display_name,
        "country": user.country or "",
        "organization": user.organization or "",
        "affiliation": user.affiliation or "",
        "gender": user.gender or "",
        "language": user.language or "",
        "time_zone": user.time_zone or "",
    }


async def profile_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    user_id = require_signed_in(actor)
    if request.method == "GET":
        return await _profile_page(request, user_id)
    form = await read_form(request)
    data, errors = validate_form(ProfileUpdate, form_input(form, ProfileUpdate))
    if data is None:
        return await _profile_page(request, user_id, status=422, form=form, errors=errors)
    await service.update_profile(ctx.db, actor, data)
    return RedirectResponse("/profile?saved=1", status_code=303)


async def password_change(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    user_id = require_signed_in(actor)
    data, errors = validate_form(PasswordChange, await read_form(request))
    if data is not None:
        try:
            await service.change_password(ctx.db, actor, data)
        except Invalid as error:
            errors = error_for_field(error)
        else:
            # Every sign-in ended with the old password; this browser gets a new one.
            return await signed_in_redirect(request, user_id, "/profile?saved=1")
    return await _profile_page(request, user_id, status=422, password_errors=errors)


routes = [
    Route("/login", login_page, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/register", register_page, methods=["GET", "POST"]),
    Route("/profile", profile_page, methods=["GET", "POST"]),
    Route("/profile/password", password_change, methods=["POST"]),
]
