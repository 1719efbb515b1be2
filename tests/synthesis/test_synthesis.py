"""Draft syntheses: from published posts only, citing post numbers and authors as the
space's attribution allows, varied across participants and regions, the same on every
run, for moderators only, and marked as drafts until a moderator accepts one into a
summary."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from forum_server.accounts.models import User
from forum_server.db import Database
from forum_server.demo import DEMO_PASSWORD, load_demo
from forum_server.i18n import gettext
from forum_server.moderation.posts import hide_post
from forum_server.rooms.models import Post
from forum_server.synthesis.drafts import session_synthesis
from forum_server.synthesis.extract import Contribution, pick
from tests.conftest import SECRETARIAT
from tests.helpers import bearer, csrf_from


def contribution(post_id: int, author: str, region: str, text: str) -> Contribution:
    return Contribution(post_id, 1, post_id, author, region, text)


def test_picks_are_central_varied_and_repeatable() -> None:
    posts = [
        contribution(
            1, "a", "AFR", "Funding for national biosafety frameworks remains the main gap for us."
        ),
        contribution(
            2, "a", "AFR", "National biosafety frameworks need stable funding and trained staff."
        ),
        contribution(
            3, "b", "GRULAC", "Trained staff for national biosafety frameworks is our first need."
        ),
        contribution(
            4, "c", "WEOG", "Regional cooperation on detection laboratories helped us a great deal."
        ),
        contribution(5, "d", "APAC", "I agree."),
    ]
    first = pick(posts, 3)
    assert first == pick(list(posts), 3), "the same every time"
    assert len({e.post_id for e in first}) == 3, "one sentence a post"
    assert 5 not in {e.post_id for e in first}, "too short to stand alone"
    assert len({e.author_key for e in first}) == 3, "three voices, not one twice"
    assert pick([], 3) == [] and pick(posts, 0) == []


def test_sentences_in_chinese_and_arabic_are_found() -> None:
    posts = [
        contribution(
            1, "a", "APAC", "我们需要为国家生物安全框架提供稳定的资金。培训工作人员也很重要。"
        ),
        contribution(
            2, "b", "AFR", "نحتاج إلى تمويل مستقر لأطر السلامة الأحيائية الوطنية وتدريب الموظفين."
        ),
    ]
    assert {e.post_id for e in pick(posts, 2)} == {1, 2}


async def test_the_demo_draft_cites_published_posts_from_many_voices(
    client: httpx.AsyncClient, db: Database
) -> None:
    demo = await load_demo(db)
    session_id = demo.session_ids[0]
    async with db.read() as session:
        first = await session_synthesis(session, SECRETARIAT, session_id)
        again = await session_synthesis(session, SECRETARIAT, session_id)
    assert first == again
    for draft in (first.session, *first.questions):
        assert draft.excerpts, "every question of the demo has a draft"
        async with db.read() as session:
            rows = (
                await session.execute(
                    select(Post.status, Post.body, User.region)
                    .join(User, User.id == Post.author_id)
                    .where(Post.id.in_([c.excerpt.post_id for c in draft.excerpts]))
                )
            ).all()
        assert {status for status, _, _ in rows} == {"published"}
        cited_numbers = re.findall(r"\[#(\d+)\]", draft.body)
        assert cited_numbers == [str(c.excerpt.number) for c in draft.excerpts]
        assert len({c.author for c in draft.excerpts}) == len(draft.excerpts), "one each"
        if draft.question_id is None:  # the whole session: voices from several regions
            assert len({region for _, _, region in rows}) >= 3


async def test_hidden_posts_never_reach_a_draft(client: httpx.AsyncClient, db: Database) -> None:
    demo = await load_demo(db)
    session_id = demo.session_ids[0]
    async with db.read() as session:
        before = await session_synthesis(session, SECRETARIAT, session_id)
    hidden = before.session.excerpts[0].excerpt.post_id
    await hide_post(db, SECRETARIAT, hidden, reason="Off topic")
    async with db.read() as session:
        after = await session_synthesis(session, SECRETARIAT, session_id)
    cited = {c.excerpt.post_id for d in (after.session, *after.questions) for c in d.excerpts}
    assert hidden not in cited


async def test_only_moderators_get_a_draft_and_accepting_writes_the_summary(
    client: httpx.AsyncClient, db: Database
) -> None:
    demo = await load_demo(db)
    session_id = demo.session_ids[0]
    async with db.read() as session:
        participant_email = await session.scalar(
            select(User.email).where(
                User.email.notin_(demo.moderators), User.is_secretariat.is_(False)
            )
        )
    assert participant_email is not None
    token = (
        await client.post(
            "/api/v1/tokens", json={"email": participant_email, "password": DEMO_PASSWORD}
        )
    ).json()["token"]
    path = f"/api/v1/sessions/{session_id}/synthesis"
    assert (await client.get(path, headers=bearer(token))).status_code == 403
    assert (await client.get(path)).status_code == 401

    moderator = (
        await client.post(
            "/api/v1/tokens", json={"email": demo.moderators[0], "password": DEMO_PASSWORD}
        )
    ).json()["token"]
    drafts = (await client.get(path, headers=bearer(moderator))).json()["drafts"]
    assert all(d["status"] == "draft" for d in drafts)
    question = next(d for d in drafts if d["question_id"])

    page_login = await csrf_from(client)
    await client.post(
        "/login",
        data={"email": demo.moderators[0], "password": DEMO_PASSWORD, "csrf_token": page_login},
    )
    page = await client.get(f"/sessions/{session_id}/synthesis")
    assert page.status_code == 200
    assert page.text.count(gettext("Draft — not reviewed")) == len(drafts)
    token_form = await csrf_from(client, f"/sessions/{session_id}/synthesis")
    accepted = await client.post(
        f"/sessions/{session_id}/synthesis",
        data={
            "csrf_token": token_form,
            "question_id": str(question["question_id"]),
            "body": question["body"],
        },
    )
    assert accepted.status_code == 303
    thread = await client.get(accepted.headers["location"])
    first_excerpt = question["excerpts"][0]["text"]
    assert first_excerpt[:40] in thread.text.replace("&#34;", '"').replace("&#39;", "'")


async def test_citations_follow_each_persons_choice(
    client: httpx.AsyncClient, db: Database
) -> None:
    from sqlalchemy import update

    demo = await load_demo(db)
    session_id = demo.session_ids[0]
    async with db.read() as session:
        named = await session_synthesis(session, SECRETARIAT, session_id)
    # The demo's participant cited by country only is never named in a draft.
    assert "Aminata Ouédraogo" not in {
        c.author for d in (named.session, *named.questions) for c in d.excerpts
    }
    async with db.write() as uow:  # everyone asks not to be cited at all
        await uow.session.execute(update(User).values(attribution_choice="none"))
    async with db.read() as session:
        after = await session_synthesis(session, SECRETARIAT, session_id)
    authors = {c.author for d in (after.session, *after.questions) for c in d.excerpts}
    assert authors <= {"A participant", "The moderator"}, authors
