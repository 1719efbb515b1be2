"""Who may download reports, for the pages' "Download report" control, and the space
settings that decide it (attribution; whether members may download).

The rules themselves are in the policy package (`may_download_report`,
`may_choose_attribution`, `may_manage_report_settings`, `may_set_report_attribution`);
this module reads what they need and keeps the settings' write path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import field_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server import audit
from forum_server.db import Database
from forum_server.errors import NotFound
from forum_server.policy import (
    ATTRIBUTION_ORDER,
    Actor,
    SessionAccess,
    SpaceAccess,
    check_may_manage_report_settings,
    check_may_publish_transparency,
    check_may_set_report_attribution,
    load_session,
    load_space,
    may_choose_attribution,
    may_download_report,
)
from forum_server.rooms.models import Space
from forum_server.rooms.schemas import cover_line
from forum_server.schemas import Input


@dataclass(frozen=True)
class ReportDownload:
    """The download control of a page: the attributions this space's reports may be
    asked for (most identifying first, the space's setting the default)."""

    attribution: str  # the space's setting
    attributions: tuple[str, ...]


def _download(access: SessionAccess | SpaceAccess, space: Space | None) -> ReportDownload | None:
    if space is None or not may_download_report(access, space.members_may_download_reports):
        return None
    setting = space.report_attribution
    allowed = tuple(a for a in reversed(ATTRIBUTION_ORDER) if may_choose_attribution(setting, a))
    return ReportDownload(setting, allowed)


async def session_report_download(
    db: AsyncSession, actor: Actor, session_id: int
) -> ReportDownload | None:
    """The session page's download control; None where the actor may not download its
    report (nor see the session)."""
    try:
        forum_session, access = await load_session(db, actor, session_id)
    except NotFound:
        return None
    space = await db.scalar(select(Space).where(Space.id == forum_session.space_id))
    return _download(access, space)


async def space_report_download(db: AsyncSession, actor: Actor, slug: str) -> ReportDownload | None:
    """The space page's download control for the whole space's report, or None."""
    try:
        space, access = await load_space(db, actor, slug)
    except NotFound:
        return None
    return _download(access, space)


# --- the space's report settings ------------------------------------------------------


class ReportSettingsUpdate(Input):
    report_attribution: Literal["named", "country", "none"] | None = None
    members_may_download_reports: bool | None = None
    # Whether the space's transparency summary is for all who may read the space.
    transparency_public: bool | None = None
    # The cover of the space's reports (and of its sessions' that set none); "" clears.
    report_symbol: str | None = None
    report_distribution: str | None = None

    _cover = field_validator("report_symbol", "report_distribution")(cover_line)


class ReportSettingsJson(TypedDict):
    report_attribution: str
    members_may_download_reports: bool
    report_symbol: str
    report_distribution: str
    transparency_public: bool


@dataclass(frozen=True)
class ReportSettings:
    report_attribution: str
    members_may_download_reports: bool
    report_symbol: str = ""
    report_distribution: str = ""
    transparency_public: bool = False

    @classmethod
    def of(cls, space: Space) -> ReportSettings:
        return cls(
            space.report_attribution,
            space.members_may_download_reports,
            space.report_symbol,
            space.report_distribution,
            space.transparency_public,
        )

    def as_json(self) -> ReportSettingsJson:
        return {
            "report_attribution": self.report_attribution,
            "members_may_download_reports": self.members_may_download_reports,
            "report_symbol": self.report_symbol,
            "report_distribution": self.report_distribution,
            "transparency_public": self.transparency_public,
        }


async def report_settings(db: AsyncSession, actor: Actor, slug: str) -> ReportSettings:
    """The space's settings, for its owners and the secretariat. NotFound for those
    who cannot see the space, Forbidden for others."""
    space, access = await load_space(db, actor, slug)
    check_may_manage_report_settings(access)
    return ReportSettings.of(space)


async def update_report_settings(
    db: Database, actor: Actor, slug: str, data: ReportSettingsUpdate
) -> ReportSettings:
    """Changes the settings given. The attribution is the secretariat's choice; whether
    members of a members space may download is also their owners'. Audited."""
    async with db.write() as uow:
        space, access = await load_space(uow.session, actor, slug)
        check_may_manage_report_settings(access)
        changes: dict[str, Any] = {}
        if data.report_attribution is not None:
            check_may_set_report_attribution(actor)
            changes["report_attribution"] = data.report_attribution
            space.report_attribution = data.report_attribution
        if data.members_may_download_reports is not None:
            changes["members_may_download_reports"] = data.members_may_download_reports
            space.members_may_download_reports = data.members_may_download_reports
        if data.transparency_public is not None:
            check_may_publish_transparency(access)
            if data.transparency_public != space.transparency_public:
                changes["transparency_public"] = data.transparency_public
                space.transparency_public = data.transparency_public
        for name in ("report_symbol", "report_distribution"):
            value = getattr(data, name)
            if value is not None and value != getattr(space, name):
                changes[name] = value
                setattr(space, name, value)
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
        return ReportSettings.of(space)
