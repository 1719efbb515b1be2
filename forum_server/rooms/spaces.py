"""The write path for spaces: creating them (the secretariat), and their title and
description (their owners and the secretariat)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum_server import audit
from forum_server.db import Database
from forum_server.errors import Conflict
from forum_server.policy import (
    Actor,
    check_may_edit_space,
    load_space,
    require_caller,
    require_secretariat,
)
from forum_server.rooms.models import Space
from forum_server.rooms.queries import space_detail
from forum_server.rooms.render_workers import render_markdown_off_loop
from forum_server.rooms.schemas import SpaceCreate, SpaceUpdate
from forum_server.rooms.space_views import SpaceDetail


async def create_space(db: Database, actor: Actor, data: SpaceCreate) -> SpaceDetail:
    """A new forum or workspace. Secretariat only; Conflict `slug_taken` on a used slug."""
    require_secretariat(actor)
    # Descriptions are Markdown like posts, rendered once by the one renderer.
    description_html = await render_markdown_off_loop(data.description)
    async with db.write() as uow:
        if await uow.session.scalar(select(Space.id).where(Space.slug == data.slug)) is not None:
            raise Conflict("A space with this slug exists.", code="slug_taken", field="slug")
        space = Space(
            slug=data.slug,
            title=data.title,
            description=data.description,
            description_html=description_html,
            visibility=data.visibility,
            guest_posting=data.guest_posting,
            composition=data.composition,
            report_symbol=data.report_symbol,
            report_distribution=data.report_distribution,
            created_by=actor.user_id,
        )
        uow.session.add(space)
        try:
            await uow.flush()
        except IntegrityError:
            raise Conflict(
                "A space with this slug exists.", code="slug_taken", field="slug"
            ) from None
        return await space_detail(uow.session, actor, space.slug)


async def update_space(db: Database, actor: Actor, slug: str, data: SpaceUpdate) -> SpaceDetail:
    """Changes the title and/or description; audited with what changed."""
    require_caller(actor)
    description_html = (
        await render_markdown_off_loop(data.description) if data.description is not None else None
    )
    async with db.write() as uow:
        space, access = await load_space(uow.session, actor, slug)
        check_may_edit_space(access)
        changed: list[str] = []
        if data.title is not None and data.title != space.title:
            space.title = data.title
            changed.append("title")
        if data.description is not None and description_html is not None:
            if data.description != space.description:
                changed.append("description")
            space.description, space.description_html = data.description, description_html
        if changed:
            audit.record(
                uow,
                actor,
                "space.updated",
                space_id=space.id,
                target_type="space",
                target_id=space.id,
                details={"changed": changed},
            )
        await uow.flush()
        return await space_detail(uow.session, actor, space.slug)
