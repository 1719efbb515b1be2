"""Commands on the register: add, change and remove entries, and import a CSV file.
Each owns its transaction and the secretariat's check; a country's primary focal
point is one at most (naming one clears the others)."""

from __future__ import annotations

import csv
import io
import re

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from forum_server import audit
from forum_server.accounts.countries import region_for
from forum_server.accounts.models import User
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Invalid, NotFound
from forum_server.focal.models import FocalPoint
from forum_server.focal.schemas import FocalPointCreate
from forum_server.focal.views import FocalPointView
from forum_server.orm import utcnow
from forum_server.policy import Actor, check_may_manage_focal_points
from forum_server.schemas import invalid_from
from forum_server.spreadsheet import safe_cell

CSV_COLUMNS = ("country", "name", "title", "organization", "email", "language", "primary")
MAX_IMPORT_ROWS = 2000


def view_of(entry: FocalPoint, has_account: bool) -> FocalPointView:
    return FocalPointView(
        id=entry.id,
        country=entry.country,
        region=region_for(entry.country),
        name=entry.name,
        title=entry.title,
        organization=entry.organization,
        email=entry.email,
        language=entry.language,
        primary=entry.is_primary,
        has_account=has_account,
    )


async def _account_of(uow: UnitOfWork, email: str) -> int | None:
    found: int | None = await uow.session.scalar(
        select(User.id).where(func.lower(User.email) == email)
    )
    return found


async def _taken(uow: UnitOfWork, email: str, entry_id: int | None) -> None:
    query = select(FocalPoint.id).where(FocalPoint.email == email)
    if entry_id is not None:
        query = query.where(FocalPoint.id != entry_id)
    if await uow.session.scalar(query) is not None:
        raise Conflict(
            "This address is in the register already.", code="focal_point_exists", field="email"
        )


async def _write(
    uow: UnitOfWork, actor: Actor, entry: FocalPoint, data: FocalPointCreate, action: str
) -> FocalPointView:
    await _taken(uow, data.email, entry.id)
    entry.country, entry.name, entry.title = data.country, data.name, data.title
    entry.organization, entry.email, entry.language = data.organization, data.email, data.language
    entry.is_primary, entry.updated_at = data.primary, utcnow()
    entry.user_id = await _account_of(uow, data.email)
    if entry.id is None:
        uow.session.add(entry)
    try:
        await uow.flush()
    except IntegrityError:  # lost a race for the address
        raise Conflict(
            "This address is in the register already.", code="focal_point_exists", field="email"
        ) from None
    if data.primary:
        await uow.session.execute(
            update(FocalPoint)
            .where(FocalPoint.country == data.country, FocalPoint.id != entry.id)
            .values(is_primary=False)
        )
    audit.record(
        uow,
        actor,
        action,
        space_id=None,
        target_type="focal_point",
        target_id=entry.id,
        details={"country": entry.country, "email": entry.email},
    )
    return view_of(entry, entry.user_id is not None)


async def add_focal_point(db: Database, actor: Actor, data: FocalPointCreate) -> FocalPointView:
    check_may_manage_focal_points(actor)
    async with db.write() as uow:
        return await _write(uow, actor, FocalPoint(created_at=utcnow()), data, "focal_point.added")


async def _load(uow: UnitOfWork, entry_id: int) -> FocalPoint:
    entry = await uow.session.get(FocalPoint, entry_id)
    if entry is None:
        raise NotFound("No such focal point.")
    return entry


async def change_focal_point(
    db: Database, actor: Actor, entry_id: int, data: FocalPointCreate
) -> FocalPointView:
    check_may_manage_focal_points(actor)
    async with db.write() as uow:
        entry = await _load(uow, entry_id)
        return await _write(uow, actor, entry, data, "focal_point.changed")


async def remove_focal_point(db: Database, actor: Actor, entry_id: int) -> None:
    """Removes the entry; the links already sent to it stop working (their record
    keeps the name and address they went to)."""
    check_may_manage_focal_points(actor)
    async with db.write() as uow:
        entry = await _load(uow, entry_id)
        audit.record(
            uow,
            actor,
            "focal_point.removed",
            space_id=None,
            target_type="focal_point",
            target_id=entry.id,
            details={"country": entry.country, "email": entry.email},
        )
        await uow.session.delete(entry)


# What the export's formula guard (spreadsheet.safe_cell) put in, to take out again.
_GUARD = re.compile(r"(^|[;,])( *)'(?=[=+\-@\t\r])")


def _unguarded(cell: str) -> str:
    """A cell as it was before the export's formula guard quoted it."""
    return _GUARD.sub(r"\1\2", cell)


def parse_csv(text: str) -> list[FocalPointCreate]:
    """Every row, checked; Invalid naming the first bad row and field (nothing is
    imported then)."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"country", "name", "email"} <= set(reader.fieldnames):
        raise Invalid("The file needs the columns country, name and email.", field="file")
    rows: list[FocalPointCreate] = []
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_IMPORT_ROWS:
            raise Invalid("The file has too many rows.", code="too_many_rows", field="file")
        values = {k: _unguarded((row.get(k) or "").strip()) for k in CSV_COLUMNS if k in row}
        data: dict[str, object] = {k: v for k, v in values.items() if v or k in ("name",)}
        data["primary"] = values.get("primary", "").lower() in ("1", "yes", "true", "primary")
        try:
            rows.append(FocalPointCreate.model_validate(data))
        except ValidationError as exc:
            problem = invalid_from(exc)
            raise Invalid(
                "Row %(row)s: %(problem)s",
                field=problem.field,
                params={"row": number, "problem": problem.message},
            ) from None
    return rows


async def import_focal_points(db: Database, actor: Actor, text: str) -> int:
    """Adds the file's entries, or changes those whose address is known; all or none."""
    check_may_manage_focal_points(actor)
    rows = parse_csv(text)
    async with db.write() as uow:
        for data in rows:
            entry = await uow.session.scalar(
                select(FocalPoint).where(FocalPoint.email == data.email)
            )
            if entry is None:
                await _write(uow, actor, FocalPoint(created_at=utcnow()), data, "focal_point.added")
            else:
                await _write(uow, actor, entry, data, "focal_point.changed")
    return len(rows)


def export_csv(entries: list[FocalPointView]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        cells = [e.country, e.name, e.title, e.organization, e.email, e.language or ""]
        writer.writerow([safe_cell(c) for c in cells] + ["yes" if e.primary else ""])
    return out.getvalue()
