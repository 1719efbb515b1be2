"""Browser pages for accounts: sign in, sign out, register, profile."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.accounts import credentials, email_confirmation, service
from forum_server.accounts.countries import country_choices
from forum_server.accounts.email_confirmation_web import PROFILE_NOTICES
from forum_server.accounts.queries import UserView, get_user, sign_in_methods
from forum_server.accounts.schemas import (
    AFFILIATION_LABELS,
    GENDER_LABELS,
    PasswordChange,
    ProfileUpdate,
    UserCreate,
)
from forum_server.errors import Conflict, Forbidden, Invalid, RateLimited, Unauthorized
from forum_server.policy import require_signed_in
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

_OPTIONAL = ("country", "organization", "affiliation", "gender")


def _blank_to_none(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (None if key in _OPTIONAL and value == "" else value) for key, value in data.items()
    }


def _choices() -> dict[str, Any]:
    return {
        "countries": country_choices(),
        "affiliations": AFFILIATION_LABELS,
        "genders": GENDER_LABELS,
    }


async def login_page(request: Request) -> Response:
    ctx = app_context(request)
    next_path = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return await ctx.templates.page(
            request, "login.html", {"form": {}, "errors": {}, "form_error": None, "next": next_path}
        )
    form = await read_form(request)
    next_path = safe_next(form.get("next"))
    try:
        user = await service.authenticate(
            ctx.db,
            form.get("email", ""),
            form.get("password", ""),
            client=client_address(request, ctx.settings),
            max_failures=ctx.settings.login_attempts,
        )
    except (Unauthorized, Forbidden, RateLimited) as error:
        headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
        return await ctx.templates.page(
            request,
            "login.html",
            {
                "form": {"email": form.get("email", "")},
                "errors": {},
                "form_error": error.message,
                "next": next_path,
            },
            status=error.status,
            headers=headers,
        )
    return await signed_in_redirect(request, user.id, next_path)


async def logout(request: Request) -> Response:
    ctx = app_context(request)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        async with ctx.db.write() as uow:
            await credentials.end_login_session(uow, token)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response, ctx.settings)
    return response


async def register_page(request: Request) -> Response:
    ctx = app_context(request)
    actor = await actor_of(request)
    if not ctx.settings.registration_open and not actor.is_secretariat:
        raise Unauthorized("Registration is closed; the secretariat creates accounts.")
    context: dict[str, Any] = {"form": {}, "errors": {}, "form_error": None, **_choices()}
    if request.method == "GET":
        return await ctx.templates.page(request, "register.html", context)
    form = await read_form(request)
    data, errors = validate_form(UserCreate, _blank_to_none(form))
    if data is not None:
        try:
            async with ctx.db.write() as uow:
                user = await service.create_user(
                    uow, actor, data, registration_open=ctx.settings.registration_open
                )
        except Invalid as error:
            errors = error_for_field(error)
        except Conflict as error:
            errors = {"email": error.message}
        else:
            if actor.signed_in:  # the secretariat creating someone else's account
                return RedirectResponse("/", status_code=303)
            await email_confirmation.send_after_registration(ctx.db, ctx.settings, user)
            return await signed_in_redirect(request, user.id, "/profile")
    form.pop("password", None)
    context.update(form=form, errors=errors)
    return await ctx.templates.page(request, "register.html", context, status=422)


async def _profile_context(request: Request, user: UserView, **extra: Any) -> dict[str, Any]:
    form = {
        "display_name": user.display_name,
        "country": user.country or "",
        "organization": user.organization or "",
        "affiliation": user.affiliation or "",
        "gender": user.gender or "",
    }
    ctx = app_context(request)
    async with ctx.db.read() as session:
        methods = await sign_in_methods(session, user.id)
    labels = {p.issuer: p.label for p in ctx.settings.sign_in_providers}
    context: dict[str, Any] = {
        "user": user,
        "has_password": methods.has_password,
        # Providers no longer configured are still named, by their address.
        "providers": [labels.get(issuer, issuer) for issuer in methods.issuers],
        "form": form,
        "errors": {},
        "form_error": None,
        "password_errors": {},
        "password_form_error": None,
        "notice": request.query_params.get("saved") and "Your changes are saved.",
        "confirmation_notice": PROFILE_NOTICES.get(request.query_params.get("confirmation", "")),
        **_choices(),
    }
    context.update(extra)
    return context


async def profile_page(request: Request) -> Response:
    ctx = app_context(request)
    actor = await actor_of(request)
    user_id = require_signed_in(actor)
    if request.method == "GET":
        async with ctx.db.read() as session:
            user = await get_user(session, user_id)
        return await ctx.templates.page(
            request, "profile.html", await _profile_context(request, user)
        )
    form = await read_form(request)
    data, errors = validate_form(ProfileUpdate, _blank_to_none(form))
    if data is not None:
        async with ctx.db.write() as uow:
            await service.update_profile(uow, actor, data)
        return RedirectResponse("/profile?saved=1", status_code=303)
    async with ctx.db.read() as session:
        user = await get_user(session, user_id)
    context = await _profile_context(request, user, errors=errors)
    context["form"].update(form)
    return await ctx.templates.page(request, "profile.html", context, status=422)


async def password_change(request: Request) -> Response:
    ctx = app_context(request)
    actor = await actor_of(request)
    user_id = require_signed_in(actor)
    form = await read_form(request)
    data, errors = validate_form(PasswordChange, form)
    if data is not None:
        try:
            async with ctx.db.write() as uow:
                await service.change_password(uow, actor, data)
        except Invalid as error:
            errors = error_for_field(error)
        else:
            # Every sign-in ended with the old password; this browser gets a new one.
            return await signed_in_redirect(request, user_id, "/profile?saved=1")
    async with ctx.db.read() as session:
        user = await get_user(session, user_id)
    context = await _profile_context(request, user, password_errors=errors)
    return await ctx.templates.page(request, "profile.html", context, status=422)


routes = [
    Route("/login", login_page, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/register", register_page, methods=["GET", "POST"]),
    Route("/profile", profile_page, methods=["GET", "POST"]),
    Route("/profile/password", password_change, methods=["POST"]),
]
