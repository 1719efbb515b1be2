"""Who may download reports, for the pages' "Download report" control, and the space
settings that decide it (attribution; whether members may download).

The rule itself is `policy.check_may_download_report`; this module only applies it
for callers that want a yes or no, and keeps the write path of the settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server import audit
from forum_server.db import UnitOfWork
from forum_server.errors import DomainError, Forbidden
from forum_server.policy import (
    Actor,
    SessionAccess,
    SpaceAccess,
    check_may_download_report,
    load_session,
    load_space,
    require_signed_in,
)
from forum_server.rooms.models import Space
from forum_server.schemas import Input


def may_download(access: SessionAccess | SpaceAccess, members_may_download: bool) -> bool:
    """The download rule as a yes or no, for an access already loaded."""
    try:
        check_may_download_report(access, members_may_download)
    except DomainError:
        return False
    return True


async def can_download_session_report(db: AsyncSession, actor: Actor, session_id: int) -> bool:
    """True when the actor may download this session's report (False also when the
    session does not exist or is not theirs to see). For the session page's
    `can_download_report`."""
    try:
        forum_session, access = await load_session(db, actor, session_id)
    except DomainError:
        return False
    allowed = await db.scalar(
        select(Space.members_may_download_reports).where(Space.id == forum_session.space_id)
    )
    return may_download(access, bool(allowed))


async def can_download_space_report(db: AsyncSession, actor: Actor, slug: str) -> bool:
    """True when the actor may download the whole space's report. For the space page's
    `can_download_report`."""
    try:
        space, access = await load_space(db, actor, slug)
    except DomainError:
        return False
    return may_download(access, space.members_may_download_reports)


# --- the space's report settings ------------------------------------------------------


class ReportSettingsUpdate(Input):
    report_attribution: Literal["named", "country", "none"] | None = None
    members_may_download_reports: bool | None = None


@dataclass(frozen=True)
class ReportSettings:
    report_attribution: str
    members_may_download_reports: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "report_attribution": self.report_attribution,
            "members_may_download_reports": self.members_may_download_reports,
        }


def _require_manager(access: SpaceAccess) -> None:
    if not access.can_manage:
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat manage its report settings.")


async def report_settings(db: AsyncSession, actor: Actor, slug: str) -> ReportSettings:
    """The space's settings, for its owners and the secretariat. NotFound for those
    who cannot see the space, Forbidden for others."""
    space, access = await load_space(db, actor, slug)
    _require_manager(access)
    return ReportSettings(space.report_attribution, space.members_may_download_reports)


async def update_report_settings(
    uow: UnitOfWork, actor: Actor, slug: str, data: ReportSettingsUpdate
) -> ReportSettings:
    """Changes the settings given. The attribution is the secretariat's choice; whether
    members of a members space may download is also their owners'. Audited."""
    space, access = await load_space(uow.session, actor, slug)
    _require_manager(access)
    changes: dict[str, Any] = {}
    if data.report_attribution is not None:
        if not actor.is_secretariat:
            raise Forbidden(
                "Only the secretariat chooses how reports attribute contributions.",
                field="report_attribution",
            )
        changes["report_attribution"] = data.report_attribution
        space.report_attribution = data.report_attribution
    if data.members_may_download_reports is not None:
        changes["members_may_download_reports"] = data.members_may_download_reports
        space.members_may_download_reports = data.members_may_download_reports
    if changes:
        audit.record(
            uow,
            actor,
            "space.report_settings_changed",
            space_id=space.id,
            target_type="space",
            target_id=space.id,
            details=changes,
        )
        await uow.flush()
    return ReportSettings(space.report_attribution, space.members_may_download_reports)
