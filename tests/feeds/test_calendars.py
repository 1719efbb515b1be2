"""iCalendar files of sessions and spaces: they parse, hold each period in UTC with a
link back, and follow an extension and a re-opening."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from icalendar import Calendar
from starlette.applications import Starlette

from forum_server.db import Database
from forum_server.i18n import gettext, using_language
from forum_server.orm import utcnow
from forum_server.rooms import reopening, sessions
from forum_server.rooms.schemas import Reopen, SessionUpdate
from tests.conftest import SECRETARIAT
from tests.feeds.conftest import Places, personal_base
from tests.helpers import BASE_URL, sign_in


def events(response: httpx.Response) -> list[dict[str, object]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return [
        {
            "uid": str(e["uid"]),
            "summary": str(e["summary"]),
            "start": e.decoded("dtstart"),
            "end": e.decoded("dtend") if "dtend" in e else None,
            "url": str(e["url"]),
        }
        for e in calendar.walk("VEVENT")
    ]


def close_to(a: object, b: datetime) -> bool:
    assert isinstance(a, datetime)
    return a.utcoffset() == timedelta(0) and abs(a - b) < timedelta(seconds=1)


async def test_a_session_calendar_follows_extension_and_reopening(
    client: httpx.AsyncClient, db: Database, places: Places
) -> None:
    path = f"/api/v1/sessions/{places.public_session}/calendar.ics"
    (first,) = events(await client.get(path))
    assert first["summary"] == "Public consultation"
    assert first["url"] == f"{BASE_URL}/sessions/{places.public_session}"

    later = (utcnow() + timedelta(days=5)).replace(microsecond=0)
    await sessions.update_session(
        db, SECRETARIAT, places.public_session, SessionUpdate(closes_at=later)
    )
    (extended,) = events(await client.get(path))
    assert extended["uid"] == first["uid"], "the same event, moved"
    assert close_to(extended["end"], later)

    await sessions.close_now(db, SECRETARIAT, places.public_session)
    again = (utcnow() + timedelta(days=14)).replace(microsecond=0)
    await reopening.reopen(db, SECRETARIAT, places.public_session, Reopen(closes_at=again))
    closed, reopened = events(await client.get(path))
    assert closed["uid"] == first["uid"] and closed["end"] <= reopened["start"]
    assert reopened["summary"] == "Public consultation (re-opened)"
    assert close_to(reopened["end"], again)
    assert reopened["start"] <= datetime.now(UTC) + timedelta(seconds=1)


async def test_a_space_calendar_lists_its_scheduled_sessions_only(
    client: httpx.AsyncClient, make_session, places: Places
) -> None:
    await make_session(places.public_slug, title="Not yet scheduled", opens_at=None, closes_at=None)
    found = events(await client.get(f"/api/v1/spaces/{places.public_slug}/calendar.ics"))
    assert [e["summary"] for e in found] == ["Public consultation"]


async def test_calendars_come_in_the_readers_language(
    client: httpx.AsyncClient, db: Database, places: Places
) -> None:
    await sessions.close_now(db, SECRETARIAT, places.public_session)
    await reopening.reopen(db, SECRETARIAT, places.public_session, Reopen())
    path = f"/api/v1/sessions/{places.public_session}/calendar.ics"
    response = await client.get(path, headers={"Accept-Language": "fr"})
    summaries = [e["summary"] for e in events(response)]
    with using_language("fr"):
        expected = gettext("%(title)s (re-opened)", title="Public consultation")
    assert summaries == ["Public consultation", expected]
    assert expected != "Public consultation (re-opened)", "the catalogue has it"


async def test_a_members_calendar_is_for_members_only(
    app: Starlette, client: httpx.AsyncClient, db: Database, places: Places
) -> None:
    paths = (
        f"/api/v1/sessions/{places.members_session}/calendar.ics",
        f"/api/v1/spaces/{places.members_slug}/calendar.ics",
    )
    for path in paths:
        assert (await client.get(path)).status_code == 404
    outsider = await personal_base(app, db, places.outsider)
    for path in paths:
        assert (await client.get(outsider + path.removeprefix("/api/v1"))).status_code == 404
    member = await personal_base(app, db, places.member)
    for path in paths:
        (event,) = events(await client.get(member + path.removeprefix("/api/v1")))
        assert event["summary"] == "Confidential drafting"
    await sign_in(client, places.member)
    for path in paths:
        assert len(events(await client.get(path))) == 1
