"""Reads about a space's members: the list, its balance, pending invitations and
the record of membership changes."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.countries import country_name
from forum_server.accounts.models import User
from forum_server.audit import AuditEntry
from forum_server.errors import Forbidden
from forum_server.orm import utcnow
from forum_server.policy import Actor, SpaceAccess, load_space
from forum_server.rooms.composition import LIAISON_GROUP
from forum_server.rooms.models import Invitation, Membership, Space


@dataclass(frozen=True)
class MemberView:
    user_id: int
    display_name: str
    country: str | None
    region: str | None
    organization: str | None
    affiliation: str | None
    gender: str | None
    is_secretariat: bool
    role: str
    designation: str | None
    joined_at: datetime

    @property
    def country_name(self) -> str:
        return country_name(self.country) if self.country else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "user": {
                "id": self.user_id,
                "display_name": self.display_name,
                "country": self.country,
                "region": self.region,
                "organization": self.organization,
                "affiliation": self.affiliation,
            },
            "role": self.role,
            "designation": self.designation,
            "joined_at": self.joined_at.isoformat(),
        }


@dataclass(frozen=True)
class Balance:
    """Who the group's counted members are (secretariat staff left out)."""

    by_designation: dict[str, int]
    by_region: dict[str, int]
    by_gender: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        return {
            "by_designation": self.by_designation,
            "by_region": self.by_region,
            "by_gender": self.by_gender,
        }


@dataclass(frozen=True)
class MembersPage:
    space: Space
    access: SpaceAccess
    members: list[MemberView]
    balance: Balance | None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "items": [m.as_json() for m in self.members],
            "next": None,
        }
        if self.balance is not None:
            data["balance"] = self.balance.as_json()
        return data


def balance_of(members: list[MemberView]) -> Balance:
    counted = [m for m in members if not m.is_secretariat]
    return Balance(
        by_designation=dict(Counter(m.designation or "none" for m in counted)),
        by_region=dict(Counter(m.region or "unknown" for m in counted)),
        by_gender=dict(Counter(m.gender or "not_declared" for m in counted)),
    )


async def members_of(db: AsyncSession, actor: Actor, slug: str) -> MembersPage:
    """The member list, for the space's members and the secretariat. Others: 404 for a
    members space (via the policy loader), 403 for a public one."""
    space, access = await load_space(db, actor, slug)
    if not (access.is_member or actor.is_secretariat):
        raise Forbidden("Only members of this space see its member list.")
    rows = await db.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.space_id == space.id)
        .order_by(User.display_name)
    )
    members = [
        MemberView(
            user.id,
            user.display_name,
            user.country,
            user.region,
            user.organization,
            user.affiliation,
            user.gender,
            user.is_secretariat,
            m.role,
            m.designation,
            m.created_at,
        )
        for m, user in rows
    ]
    balance = balance_of(members) if space.composition == LIAISON_GROUP else None
    return MembersPage(space, access, members, balance)


@dataclass(frozen=True)
class PendingInvitation:
    id: int
    email: str
    role: str
    designation: str | None
    expires_at: datetime


async def pending_invitations(db: AsyncSession, access: SpaceAccess) -> list[PendingInvitation]:
    if not access.can_manage:
        return []
    rows = await db.scalars(
        select(Invitation)
        .where(
            Invitation.space_id == access.space_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.id)
    )
    return [PendingInvitation(i.id, i.email, i.role, i.designation, i.expires_at) for i in rows]


@dataclass(frozen=True)
class MembershipChange:
    at: datetime
    actor_name: str
    action: str
    details: dict[str, Any]


async def membership_changes(
    db: AsyncSession, access: SpaceAccess, limit: int = 50
) -> list[MembershipChange]:
    """Who changed whose membership, when: for owners and the secretariat."""
    if not access.can_manage:
        return []
    rows = await db.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.space_id == access.space_id,
            AuditEntry.action.like("member.%") | AuditEntry.action.like("invitation.%"),
        )
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [MembershipChange(e.at, e.actor_name, e.action, json.loads(e.details)) for e in rows]
