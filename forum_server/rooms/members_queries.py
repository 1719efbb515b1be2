"""Reads about a space's members: the list, its balance, pending invitations and
the record of membership changes."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NotRequired

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.accounts.countries import country_name
from forum_server.accounts.models import User
from forum_server.audit import AuditEntry
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    check_may_manage_invitations,
    check_may_see_members,
    load_space,
    may_manage_members,
)
from forum_server.rooms.composition import LIAISON_GROUP
from forum_server.rooms.models import Invitation, Membership, Space


class MemberUserJson(TypedDict):
    id: int
    display_name: str
    country: str | None
    region: str | None
    organization: str | None
    affiliation: str | None


class MemberJson(TypedDict):
    user: MemberUserJson
    role: str
    designation: str | None
    joined_at: str


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

    def as_json(self) -> MemberJson:
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


class BalanceJson(TypedDict):
    by_designation: dict[str, int]
    by_region: dict[str, int]
    by_gender: dict[str, int]


@dataclass(frozen=True)
class Balance:
    """Who the group's counted members are (secretariat staff left out)."""

    by_designation: dict[str, int]
    by_region: dict[str, int]
    by_gender: dict[str, int]

    def as_json(self) -> BalanceJson:
        return {
            "by_designation": self.by_designation,
            "by_region": self.by_region,
            "by_gender": self.by_gender,
        }


@dataclass(frozen=True)
class SpaceRef:
    """The space a members page is about, as its templates name it."""

    slug: str
    title: str
    visibility: str


class MemberListJson(TypedDict):
    items: list[MemberJson]
    next: None
    balance: NotRequired[BalanceJson]  # liaison groups only


@dataclass(frozen=True)
class MemberList:
    """The member list as the API gives it."""

    members: list[MemberView]
    balance: Balance | None

    def as_json(self) -> MemberListJson:
        data: MemberListJson = {
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


def member_view(membership: Membership, user: User) -> MemberView:
    return MemberView(
        user.id,
        user.display_name,
        user.country,
        user.region,
        user.organization,
        user.affiliation,
        user.gender,
        user.is_secretariat,
        membership.role,
        membership.designation,
        membership.created_at,
    )


async def members_of(db: AsyncSession, actor: Actor, slug: str) -> MemberList:
    """The member list, for the space's members and the secretariat. Others: 404 for a
    members space (via the policy loader), 401 or 403 for a public one."""
    space, access = await load_space(db, actor, slug)
    check_may_see_members(access)
    return await _member_list(db, space)


async def _member_list(db: AsyncSession, space: Space) -> MemberList:
    rows = await db.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.space_id == space.id)
        .order_by(User.display_name)
    )
    members = [member_view(m, user) for m, user in rows]
    balance = balance_of(members) if space.composition == LIAISON_GROUP else None
    return MemberList(members, balance)


class PendingInvitationJson(TypedDict):
    id: int
    email: str
    role: str
    designation: str | None
    expires_at: str


@dataclass(frozen=True)
class PendingInvitation:
    id: int
    email: str
    role: str
    designation: str | None
    expires_at: datetime

    def as_json(self) -> PendingInvitationJson:
        return {
            "id": self.id,
            "email": self.email,
            "role": self.role,
            "designation": self.designation,
            "expires_at": self.expires_at.isoformat(),
        }


async def pending_invitations(db: AsyncSession, actor: Actor, slug: str) -> list[PendingInvitation]:
    """The space's invitations not yet used, revoked or expired: for those who manage
    its members."""
    space, access = await load_space(db, actor, slug)
    check_may_manage_invitations(access)
    return await _pending(db, space.id)


async def _pending(db: AsyncSession, space_id: int) -> list[PendingInvitation]:
    rows = await db.scalars(
        select(Invitation)
        .where(
            Invitation.space_id == space_id,
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


async def _membership_changes(
    db: AsyncSession, space_id: int, limit: int = 50
) -> list[MembershipChange]:
    rows = await db.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.space_id == space_id,
            AuditEntry.action.like("member.%") | AuditEntry.action.like("invitation.%"),
        )
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [MembershipChange(e.at, e.actor_name, e.action, json.loads(e.details)) for e in rows]


@dataclass(frozen=True)
class MembersPage:
    """Everything the members page shows; pending invitations and the record of
    membership changes only to those who manage the members (empty for others)."""

    space: SpaceRef
    listing: MemberList
    can_manage: bool
    pending: list[PendingInvitation]
    changes: list[MembershipChange]

    @property
    def members(self) -> list[MemberView]:
        return self.listing.members

    @property
    def balance(self) -> Balance | None:
        return self.listing.balance


async def members_page(db: AsyncSession, actor: Actor, slug: str) -> MembersPage:
    """The members page: NotFound, Unauthorized or Forbidden as for members_of."""
    space, access = await load_space(db, actor, slug)
    check_may_see_members(access)
    manager = may_manage_members(access)
    return MembersPage(
        SpaceRef(space.slug, space.title, space.visibility),
        await _member_list(db, space),
        manager,
        await _pending(db, space.id) if manager else [],
        await _membership_changes(db, space.id) if manager else [],
    )
