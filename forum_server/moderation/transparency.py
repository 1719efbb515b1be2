"""The transparency summary of a space over a period: how much moderation there was
and why — posts held for review, approved, rejected, hidden and restored; flags
raised and dismissed; suspensions — counted from the audit log (and the posts still
waiting), with the reasons moderators gave, most frequent first. For the space's
moderators, owners and the secretariat; and for everyone who may read the space where
its owners made it public (a setting of the space's reports)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.audit import AuditEntry
from forum_server.policy import (
    Actor,
    check_may_read_transparency,
    load_space,
    may_publish_transparency,
    may_read_space_audit,
)
from forum_server.rooms.models import ForumSession, Post
from forum_server.rooms.state import PENDING
from forum_server.spreadsheet import safe_cell

# What is counted, by the audit log's action names.
COUNTED = (
    "post.approved",
    "post.rejected",
    "post.hidden",
    "post.restored",
    "post.flagged",
    "flag.dismissed",
    "user.suspended",
    "user.suspension_lifted",
)
WITH_REASONS = ("post.rejected", "post.hidden", "post.flagged", "user.suspended")
TOP_REASONS = 10


class TransparencyReasonJson(TypedDict):
    reason: str
    count: int


class TransparencyJson(TypedDict):
    space: str
    since: str | None
    until: str | None
    held: int
    still_waiting: int
    counts: dict[str, int]
    reasons: dict[str, list[TransparencyReasonJson]]
    public: bool


@dataclass(frozen=True)
class Transparency:
    space: str
    since: datetime | None
    until: datetime | None
    counts: dict[str, int]  # by action name, every COUNTED one present
    still_waiting: int  # held posts written in the period, not yet decided
    reasons: dict[str, list[tuple[str, int]]]  # by action, most frequent first
    public: bool = False  # for all who may read the space, as its owners chose
    # What the reader may do besides reading it (shown on the page, not in the JSON).
    may_read_audit: bool = False
    may_publish: bool = False

    @property
    def held(self) -> int:
        """Posts held for review: those decided (approved or rejected) and those still
        waiting."""
        return self.counts["post.approved"] + self.counts["post.rejected"] + self.still_waiting

    def as_json(self) -> TransparencyJson:
        return {
            "space": self.space,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "held": self.held,
            "still_waiting": self.still_waiting,
            "public": self.public,
            "counts": dict(self.counts),
            "reasons": {
                action: [{"reason": r, "count": n} for r, n in found]
                for action, found in self.reasons.items()
            },
        }


async def transparency_summary(
    db: AsyncSession,
    actor: Actor,
    slug: str,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Transparency:
    space, access = await load_space(db, actor, slug)
    check_may_read_transparency(access, space.transparency_public)
    in_period = [AuditEntry.space_id == space.id, AuditEntry.action.in_(COUNTED)]
    if since is not None:
        in_period.append(AuditEntry.at >= since)
    if until is not None:
        in_period.append(AuditEntry.at < until)
    rows = (await db.execute(select(AuditEntry.action, AuditEntry.reason).where(*in_period))).all()
    counts = Counter(action for action, _ in rows)
    reasons: dict[str, Counter[str]] = {action: Counter() for action in WITH_REASONS}
    for action, reason in rows:
        if action in reasons and reason and reason.strip():
            reasons[action][reason.strip()] += 1
    waiting = (
        select(func.count(Post.id))
        .join(ForumSession, ForumSession.id == Post.session_id)
        .where(ForumSession.space_id == space.id, Post.status == PENDING)
    )
    if since is not None:
        waiting = waiting.where(Post.created_at >= since)
    if until is not None:
        waiting = waiting.where(Post.created_at < until)
    return Transparency(
        space=slug,
        since=since,
        until=until,
        counts={action: counts.get(action, 0) for action in COUNTED},
        still_waiting=await db.scalar(waiting) or 0,
        reasons={
            action: sorted(found.items(), key=lambda item: (-item[1], item[0]))[:TOP_REASONS]
            for action, found in reasons.items()
        },
        public=space.transparency_public,
        may_read_audit=may_read_space_audit(access),
        may_publish=may_publish_transparency(access),
    )


def transparency_csv(summary: Transparency) -> str:
    """One row a figure, then one a reason: `measure, reason, count`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["measure", "reason", "count"])
    writer.writerow(["post.held", "", summary.held])
    writer.writerow(["post.still_waiting", "", summary.still_waiting])
    for action, count in summary.counts.items():
        writer.writerow([action, "", count])
    for action, found in summary.reasons.items():
        for reason, count in found:
            writer.writerow([action, safe_cell(reason), count])
    return out.getvalue()
