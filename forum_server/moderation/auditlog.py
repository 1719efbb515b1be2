"""Reading the audit log: filtered, paginated, and exported as CSV for a transparency
report. The log is append-only: forum_server.audit.record writes it, and nothing updates or
deletes an entry."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.audit import AuditEntry
from forum_server.errors import Invalid
from forum_server.policy import (
    Actor,
    check_may_read_space_audit,
    load_space,
    require_caller,
    require_secretariat,
)
from forum_server.schemas import MAX_ID, parse_id
from forum_server.spreadsheet import safe_cell
from forum_server.times import utc_time

MAX_PAGE = 200
DEFAULT_PAGE = 50
MAX_EXPORT = 50_000
CSV_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor",
    "action",
    "target_type",
    "target_id",
    "reason",
    "details",
)


@dataclass(frozen=True)
class AuditFilters:
    action: str | None = None
    actor_id: int | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> AuditFilters:
        """The filters of a request's query (the API and the page take the same);
        Invalid naming the parameter for a value that is not a number or a time."""
        actor = params.get("actor", "").strip()
        actor_id = parse_id(actor) if actor else None
        if actor and actor_id is None:
            raise Invalid(
                "actor must be a whole number from 1 to %(max)s.",
                field="actor",
                params={"max": MAX_ID},
            )
        return cls(
            action=params.get("action", "").strip() or None,
            actor_id=actor_id,
            since=_time(params, "since"),
            until=_time(params, "until"),
        )


def _time(params: Mapping[str, str], name: str) -> datetime | None:
    try:
        return utc_time(params.get(name, ""))
    except ValueError as exc:  # not a time, or outside the years any time may take
        raise Invalid(
            "%(name)s: %(problem)s", field=name, params={"name": name, "problem": exc}
        ) from None


class AuditActorJson(TypedDict):
    id: int | None
    display_name: str


class AuditTargetJson(TypedDict):
    type: str
    id: int | None


class AuditRowJson(TypedDict):
    id: int
    at: str
    actor: AuditActorJson
    space_id: int | None
    action: str
    target: AuditTargetJson
    reason: str | None
    details: dict[str, Any]


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    space_id: int | None
    action: str
    target_type: str
    target_id: int | None
    reason: str | None
    details: dict[str, Any]

    def as_json(self) -> AuditRowJson:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": {"id": self.actor_id, "display_name": self.actor_name},
            "space_id": self.space_id,
            "action": self.action,
            "target": {"type": self.target_type, "id": self.target_id},
            "reason": self.reason,
            "details": self.details,
        }

    def cells(self) -> list[str]:
        return [
            str(self.id),
            self.at.isoformat(),
            "" if self.actor_id is None else str(self.actor_id),
            self.actor_name,
            self.action,
            self.target_type,
            "" if self.target_id is None else str(self.target_id),
            self.reason or "",
            json.dumps(self.details, ensure_ascii=False, sort_keys=True),
        ]


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    next: int | None  # the cursor for the next page
    actors: list[tuple[int, str]]  # everyone who appears in this log, for a filter
    actions: list[str]  # every action that appears in this log, for a filter


def _row(entry: AuditEntry) -> AuditRow:
    try:
        details = json.loads(entry.details or "{}")
    except ValueError:
        details = {"raw": entry.details}
    return AuditRow(
        entry.id,
        entry.at,
        entry.actor_id,
        entry.actor_name,
        entry.space_id,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.reason,
        details,
    )


def _filtered(query: Select[Any], filters: AuditFilters) -> Select[Any]:
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.actor_id is not None:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.since is not None:
        query = query.where(AuditEntry.at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEntry.at < filters.until)
    return query


async def _page(
    db: AsyncSession, where: Any, filters: AuditFilters, after: int, limit: int
) -> AuditPage:
    limit = max(1, min(limit, MAX_EXPORT))
    query = _filtered(select(AuditEntry).where(where), filters)
    rows = list(
        await db.scalars(
            query.where(AuditEntry.id > after).order_by(AuditEntry.id).limit(limit + 1)
        )
    )
    actors = await db.execute(
        select(AuditEntry.actor_id, AuditEntry.actor_name)
        .where(where, AuditEntry.actor_id.is_not(None))
        .distinct()
        .order_by(AuditEntry.actor_name)
    )
    actions = await db.scalars(
        select(AuditEntry.action).where(where).distinct().order_by(AuditEntry.action)
    )
    return AuditPage(
        [_row(entry) for entry in rows[:limit]],
        rows[limit - 1].id if len(rows) > limit else None,
        [(actor_id, name) for actor_id, name in actors if actor_id is not None],
        list(actions),
    )


async def space_audit(
    db: AsyncSession,
    actor: Actor,
    slug: str,
    filters: AuditFilters,
    *,
    after: int = 0,
    limit: int = DEFAULT_PAGE,
) -> AuditPage:
    """The audit log of one space, oldest first: its moderators and owners and the
    secretariat (not the moderators of one of its sessions). NotFound for a space the caller may
    not see, Forbidden for its other readers."""
    require_caller(actor)
    space, access = await load_space(db, actor, slug)
    check_may_read_space_audit(access)
    return await _page(db, AuditEntry.space_id == space.id, filters, after, limit)


async def site_audit(
    db: AsyncSession,
    actor: Actor,
    filters: AuditFilters,
    *,
    after: int = 0,
    limit: int = DEFAULT_PAGE,
) -> AuditPage:
    """The whole audit log, site-wide actions included: the secretariat only."""
    require_caller(actor)
    require_secretariat(actor)
    return await _page(db, AuditEntry.id.is_not(None), filters, after, limit)


def audit_csv(rows: Iterable[AuditRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row.cells()])
    return out.getvalue()
