"""What the forum pages share: turning form fields into what the strict input models
take, the session status line, notices after a redirect, where live updates resume,
and showing a service's refusal on the page the form came from instead of on a bare
error page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from babel.lists import format_list
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from forum_server.errors import Conflict, DomainError, Forbidden, Invalid, Unauthorized
from forum_server.i18n import LANGUAGES, N_, current_language, gettext, language, ngettext
from forum_server.rooms.space_views import SessionDetail
from forum_server.rooms.state import CLOSED, OPEN, SCHEDULED
from forum_server.schemas import invalid_from, problem_text
from forum_server.times import utc_time
from forum_server.web.forms import validate_form

ModelT = TypeVar("ModelT", bound=BaseModel)


def live_resume_position(request: Request) -> int:
    """Where a page's live updates resume (`data-live-after`); read it before the page.

    The hub's position, not the newest id in the database: every event up to it has
    been dispatched, in id order, so none below it is still committing (PostgreSQL
    can commit a lower id after a higher one). It is the whole log's position, so a
    quiet session whose events were pruned does not ask for a reload. What committed
    after it is replayed; the script ignores what the page already shows.
    """
    position: int = request.app.state.hub.position
    return position


# A redirect names one of these; the page never echoes text it was given.
NOTICES = {
    "space_created": N_("The space is created."),
    "space_edited": N_("The space is changed."),
    "session_created": N_("The session is created."),
    "opened": N_("The session is open."),
    "closed": N_("The session is closed."),
    "extended": N_("The closing time is changed."),
    "reopened": N_("The session is open again for a new period."),
    "question_added": N_("The question is added."),
    "question_edited": N_("The question is corrected."),
    "moderators_changed": N_("The session's moderators are changed."),
    "session_edited": N_("The session is changed."),
    "times_changed": N_("The session's times are changed."),
    "reopening_scheduled": N_("The re-opening is scheduled."),
    "reopening_cancelled": N_("The scheduled re-opening is cancelled."),
    "report_cover_changed": N_("The report's cover is saved."),
    "member_added": N_("The member is added."),
    "member_changed": N_("The membership is changed."),
    "member_removed": N_("The member is removed."),
    "invitation_revoked": N_("The invitation is revoked."),
    "joined": N_("Welcome: you are now a member."),
    "conference_settings": N_("The format and message limit are saved."),
}

# Refusals a person can act on: shown on the page they came from. NotFound and the
# rest go to the one error mapping (a hidden thing must look like a missing one).
REFUSALS = (Conflict, Forbidden, Invalid, Unauthorized)


def notice_from(request: Request) -> str | None:
    notice = NOTICES.get(request.query_params.get("notice", ""))
    return gettext(notice) if notice else None


def see_other(target: str) -> Response:
    return RedirectResponse(target, status_code=303)


async def attempt(
    action: Callable[[], Awaitable[str]],
    show: Callable[[DomainError], Awaitable[Response]],
) -> Response:
    """Runs `action` (one service call) and redirects to the path it returns; on a
    refusal, `show` renders the page again with the message."""
    try:
        target = await action()
    except REFUSALS as error:
        return await show(error)
    except ValidationError as exc:  # a model a service built from what it was given
        return await show(invalid_from(exc))
    return see_other(target)


# --- form fields ------------------------------------------------------------------


def checkbox(form: dict[str, str], name: str) -> bool:
    """A ticked box is sent (as "on"); an unticked one is not sent at all."""
    return form.get(name, "") != ""


def accepted_terms(form: dict[str, str]) -> int | None:
    """The version of the participation terms a form's box accepts (None: not ticked;
    0 for a value that is no version, which the command refuses on its field)."""
    value = form.get("accept_terms", "")
    if not value:
        return None
    return int(value) if value.isascii() and value.isdigit() and len(value) < 9 else 0


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def field_problem(label: str, problem: str, name: str) -> Invalid:
    """A form's field refused: its label (a catalogue entry) and what is wrong with it."""
    return Invalid(
        "%(field)s: %(problem)s", field=name, params={"field": gettext(label), "problem": problem}
    )


def checked(model: type[ModelT], data: dict[str, Any], labels: dict[str, str]) -> ModelT:
    """`data` validated by `model`; raises Invalid with the first problem, naming the
    field by its label on the form (labels are catalogue entries)."""
    valid, errors = validate_form(model, data)
    if valid is None:
        name, message = next(iter(errors.items()))
        raise field_problem(labels.get(name, name), message, name)
    return valid


def time_field(form: dict[str, str], name: str, label: str) -> datetime | None:
    """A time typed into a form (UTC), None when empty; `label` is a catalogue entry."""
    try:
        return utc_time(form.get(name, ""))
    except ValueError as exc:
        raise field_problem(label, problem_text(exc), name) from None


def post_language(form: dict[str, str]) -> str:
    """The language a contribution is written in, as the form chose it: one of the six
    (the model refuses anything else), the reader's language when the form has none."""
    return form.get("lang") or current_language.get()


def language_filter(request: Request) -> str | None:
    """The `?lang=` a thread page is filtered by: one of the six, or None for all
    (anything else shows all: a page is never refused for its filter)."""
    code = request.query_params.get("lang", "")
    return code if code in LANGUAGES else None


def language_name(code: str) -> str:
    """A language's name in the reader's language ("French", "français", "法语")."""
    return str(language(code).locale.get_display_name(current_language.get()))


def names_list(names: list[str]) -> str:
    """Names as the reader's language lists them ("A, B and C", "A、B和C")."""
    return format_list(names, locale=current_language.get()) if names else ""


# --- the session status line ------------------------------------------------------


@dataclass(frozen=True)
class SessionStatus:
    state: str
    at: datetime | None  # when it opens (scheduled), closes (open) or closed
    left: str | None  # time until it closes, in words
    reopening: bool = False  # scheduled: a re-opening after a close, not the first period
    until: datetime | None = None  # scheduled: when the coming period closes


def _days(n: int) -> str:
    return ngettext("%(num)s day", "%(num)s days", n)


def _hours(n: int) -> str:
    return ngettext("%(num)s hour", "%(num)s hours", n)


def _minutes(n: int) -> str:
    return ngettext("%(num)s minute", "%(num)s minutes", n)


def duration_text(delta: timedelta) -> str:
    """The two largest units, e.g. "3 days 4 hours", "1 hour 5 minutes", in the
    reader's language."""
    minutes = max(0, int(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    units = [(days, _days), (hours, _hours), (mins, _minutes)]
    first = next((i for i, (n, _) in enumerate(units) if n), None)
    if first is None:
        return gettext("less than a minute")
    larger = units[first][1](units[first][0])
    if first + 1 < len(units) and units[first + 1][0]:
        smaller = units[first + 1][1](units[first + 1][0])
        return gettext("%(larger)s %(smaller)s", larger=larger, smaller=smaller)
    return larger


def session_status(session: SessionDetail, now: datetime) -> SessionStatus:
    if session.state == OPEN:
        left = duration_text(session.next_change - now) if session.next_change else None
        return SessionStatus(OPEN, session.next_change, left)
    if session.state == SCHEDULED:
        reopening = len(session.periods) > 1
        return SessionStatus(SCHEDULED, session.opens_at, None, reopening, session.closes_at)
    if session.state == CLOSED:
        return SessionStatus(CLOSED, session.closes_at, None)
    return SessionStatus(session.state, None, None)
