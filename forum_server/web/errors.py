"""The one mapping from errors to responses: JSON for the API, pages for browsers."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from forum_server.errors import DomainError, Unauthorized
from forum_server.i18n import N_, gettext
from forum_server.policy import ANONYMOUS
from forum_server.schemas import invalid_from
from forum_server.web.context import app_context
from forum_server.web.redirects import safe_next
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


def came_from(headers: Headers, origins: Iterable[str]) -> str | None:
    """The page of this site the browser came from (its Referer), to offer a way back;
    None for another site's or none."""
    referer = headers.get("referer", "")
    parts = urlsplit(referer)
    if not parts.scheme or f"{parts.scheme}://{parts.netloc}" not in set(origins):
        return None
    return safe_next(urlunsplit(("", "", parts.path or "/", parts.query, "")), "") or None


def error_context(
    status: int,
    message: str,
    *,
    code: str = "",
    retry_after: int | None = None,
    request_id: str | None = None,
    back: str | None = None,
) -> dict[str, Any]:
    """What the error page says: the problem, then what to do next (error.html picks the
    advice from the status and code)."""
    return {
        "status": status,
        "title": error_title(status),
        "message": message,
        "code": code,
        "retry_after": retry_after,
        "request_id": request_id,
        "back": back,
    }


def error_page_html(templates: Templates, status: int, message: str, **details: Any) -> str:
    """The error page for someone not (yet) known: also for refusals made before any
    route runs, such as a form from another address."""
    context = error_context(status, message, **details)
    return templates.render_string("error.html", {**context, "actor": ANONYMOUS, "csrf_token": ""})


def _details(request: Request, error: DomainError) -> dict[str, Any]:
    origins = app_context(request).settings.origins
    return {
        "code": error.code,
        "retry_after": error.retry_after,
        "request_id": request.scope.get("state", {}).get("request_id"),
        "back": came_from(request.headers, origins),
    }


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def error_response(request: Request, error: DomainError) -> Response:
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
    if wants_json(request):
        return JSONResponse({"error": error.as_dict()}, status_code=error.status, headers=headers)
    if isinstance(error, Unauthorized) and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    templates = app_context(request).templates
    details = _details(request, error)
    context = error_context(error.status, error.message, **details)
    try:
        return await templates.page(
            request, "error.html", context, status=error.status, headers=headers
        )
    except DomainError:
        # The error page itself could not find the caller (e.g. a bad token): keep it plain.
        html = error_page_html(templates, error.status, error.message, **details)
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
