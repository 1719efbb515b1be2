"""Domain errors with machine codes.

Services raise these; the web layer maps them, in one place, to the JSON error
format, HTML error pages and WebSocket error frames.
"""

from __future__ import annotations

from collections.abc import Mapping

from forum_server.i18n.catalogues import N_, gettext


def _fill(text: str, params: Mapping[str, object]) -> str:
    return text % params if params else text


class DomainError(Exception):
    status = 400
    code = "bad_request"
    default_message = N_("The request could not be handled.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        retry_after: int | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        # `message` is the English text, a catalogue entry with %(name)s placeholders
        # that `params` fill; it is translated when shown (`message`), codes never are.
        self.template = message or self.default_message
        self.params = dict(params or {})
        if code:
            self.code = code
        self.field = field
        self.retry_after = retry_after
        super().__init__(_fill(self.template, self.params))

    @property
    def message(self) -> str:
        """The message in the current language."""
        return _fill(gettext(self.template), self.params)

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return body


class Invalid(DomainError):
    status = 422
    code = "invalid"
    default_message = N_("Some of the input is not valid.")


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class Unauthorized(DomainError):
    status = 401
    code = "not_signed_in"
    default_message = N_("Sign in to do this.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = N_("You are not allowed to do this.")


class NotFound(DomainError):
    """Also what a caller gets for anything it may not see: existence must not leak."""

    status = 404
    code = "not_found"
    default_message = N_("Not found.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = N_("This conflicts with the current state.")


class TooLarge(DomainError):
    status = 413
    code = "too_large"
    default_message = N_("The request is too large.")


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = N_("Too many requests; try again later.")


class Unavailable(DomainError):
    status = 503
    code = "unavailable"
    default_message = N_("The server is busy; try again shortly.")
