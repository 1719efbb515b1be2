"""What each delivery's `data` holds: the event's public payload, completed where the
stored event carries only ids (a closed poll's results) or where the webhook type
says more than the event (the report links of a closed session)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.decide.queries import every_readers_poll
from forum_server.events import EventRecord
from forum_server.reports.formats import FORMATS
from forum_server.webhooks import catalogue


async def delivery_data(
    session: AsyncSession, record: EventRecord, name: str, *, visibility: str, site_url: str
) -> dict[str, Any] | None:
    """The `data` of a delivery of `record` as webhook type `name`, or None if it
    carries nothing every reader of its space may see."""
    data = catalogue.public_data(record)
    if data is None:
        return None
    if name == "poll.closed":
        poll = await every_readers_poll(session, int(data["id"]), visibility)
        return None if poll is None else dict(poll.as_json())
    if name == "report.ready" and record.session_id is not None:
        base = f"{site_url.rstrip('/')}/api/v1/sessions/{record.session_id}/report"
        return {**data, "reports": {fmt: f"{base}?format={fmt}" for fmt in FORMATS}}
    return data
