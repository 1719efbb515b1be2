"""iCalendar (RFC 5545) documents of sessions' periods, made with the icalendar
library: one event per period, in UTC, each linking back to its session."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event, vDuration

from forum_server.feeds.queries import Listing, PeriodView, SessionDates
from forum_server.i18n import gettext
from forum_server.orm import utcnow
from forum_server.search.text import plain_text

MEDIA_TYPE = "text/calendar; charset=utf-8"
# Calendar programs that honour it fetch a subscribed calendar again this often.
REFRESH = timedelta(hours=1)


def calendar_document(listing: Listing, *, base_url: str, site_name: str, host: str) -> bytes:
    """The listing's sessions as a calendar; the reader's language names it."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{site_name}//forum_server//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"{listing.title} · {site_name}" if listing.title else site_name
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("url", base_url + listing.path)
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    stamp = utcnow()
    for session in listing.sessions:
        for number, period in enumerate(session.periods):
            event = _event(session, period, number, base_url=base_url, host=host, stamp=stamp)
            calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def _event(
    session: SessionDates,
    period: PeriodView,
    number: int,
    *,
    base_url: str,
    host: str,
    stamp: datetime,
) -> Event:
    link = f"{base_url}/sessions/{session.id}"
    event = Event()
    # Stable per period: an extension changes the event, a re-opening adds one.
    event.add("uid", f"session-{session.id}-period-{period.id}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", period.opens_at)
    if period.closes_at is not None:
        event.add("dtend", period.closes_at)
    title = session.title
    if number:
        title = gettext("%(title)s (re-opened)", title=session.title)
    event.add("summary", title)
    lines = [session.space_title]
    if period.closes_at is None:
        lines.append(gettext("No closing time is set yet."))
    if session.description:
        lines.append(plain_text(session.description))
    lines.append(link)
    event.add("description", "\n\n".join(line for line in lines if line))
    event.add("url", link)
    event.add("location", link)
    event.add("transp", "TRANSPARENT")  # a forum runs for weeks: it does not make one busy
    return event
