"""The one mapping from errors to responses: JSON for the API, pages for browsers."""

from __future__ import annotations

import logging
from urllib.parse import quote

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from forum_server.errors import DomainError, Unauthorized
from forum_server.i18n import N_, gettext
from forum_server.policy import ANONYMOUS
from forum_server.schemas import invalid_from
from forum_server.web.context import app_context
from forum_server.web.templates import Templates

log = logging.getLogger(__name__)

_TITLES = {
    400: N_("Bad request"),
    401: N_("Please sign in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not allowed"),
    409: N_("Conflict"),
    413: N_("Too large"),
    422: N_("Check your input"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
    503: N_("Busy"),
}
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}
# Starlette's own refusals (no route, wrong method) say the HTTP phrase: ours instead.
_HTTP_MESSAGES = {
    404: N_("There is nothing at this address."),
    405: N_("This address does not take this kind of request."),
}


def error_title(status: int) -> str:
    return gettext(_TITLES.get(status, N_("Error")))


def error_page_html(templates: Templates, status: int, message: str) -> str:
    """The error page for someone not (yet) known: also for refusals made before any
    route runs, such as a form from another address."""
    context = {"status": status, "title": error_title(status), "message": message}
    return templates.render_string("error.html", {**context, "actor": ANONYMOUS, "csrf_token": ""})


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def error_response(request: Request, error: DomainError) -> Response:
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
    if wants_json(request):
        return JSONResponse({"error": error.as_dict()}, status_code=error.status, headers=headers)
    if isinstance(error, Unauthorized) and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    templates = app_context(request).templates
    context = {
        "status": error.status,
        "title": error_title(error.status),
        "message": error.message,
    }
    try:
        return await templates.page(
            request, "error.html", context, status=error.status, headers=headers
        )
    except DomainError:
        # The error page itself could not find the caller (e.g. a bad token): keep it plain.
        html = error_page_html(templates, error.status, error.message)
        return HTMLResponse(html, status_code=error.status, headers=headers)


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return await error_response(request, exc)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ValidationError)
    return await error_response(request, invalid_from(exc))


async def on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = _HTTP_MESSAGES.get(exc.status_code, exc.detail)
    error = DomainError(message, code=_HTTP_CODES.get(exc.status_code, "http_error"))
    error.status = exc.status_code
    return await error_response(request, error)


async def on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    error = DomainError(
        N_("Something went wrong on our side; it has been logged."), code="internal"
    )
    error.status = 500
    return await error_response(request, error)
