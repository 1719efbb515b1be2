"""Compilation: what a report contains, counted in SQL, attributed as set."""

from __future__ import annotations

import asyncio

import pytest

from forum_server.db import Database
from forum_server.errors import Forbidden, Invalid
from forum_server.reports.model import ReportPost, Transcript
from forum_server.reports.posts import reading_order
from forum_server.reports.transcript import compile_session_report, compile_space_report
from tests.conftest import SECRETARIAT
from tests.reports.conftest import Forum


async def _posts(transcript: Transcript, thread_id: int) -> list[ReportPost]:
    return await asyncio.to_thread(lambda: list(transcript.posts(thread_id)))


async def test_participation_is_counted_by_region_day_gender_and_question(
    db: Database, forum: Forum
):
    t = await compile_session_report(db, SECRETARIAT, forum.session_id)
    p = t.participation
    assert (p.posts, p.participants) == (8, 5)
    regions = {c.key: (c.posts, c.participants) for c in p.by_region}
    assert regions == {"africa": (3, 2), "grulac": (2, 1), "weog": (2, 1), "asia_pacific": (1, 1)}
    assert [c.key for c in p.by_region] == ["africa", "asia_pacific", "grulac", "weog"]
    days = [(c.key, c.posts, c.participants) for c in p.by_day]
    assert days == [("2026-03-02", 2, 2), ("2026-03-03", 2, 2), ("2026-03-04", 4, 4)]
    genders = {c.key: (c.posts, c.participants) for c in p.by_gender}
    assert genders == {"female": (4, 2), "male": (2, 1), "not_declared": (2, 2)}
    countries = {c.label: c.posts for c in p.by_country}
    assert countries == {"South Africa": 2, "Brazil": 2, "Norway": 2, "China": 1, "Kenya": 1}
    affiliations = {c.key: c.participants for c in p.by_affiliation}
    assert affiliations == {"party": 3, "ngo": 1, "academia": 1}
    questions = [(q.number, q.posts, q.participants) for q in p.by_question]
    assert questions == [(1, 5, 5), (2, 2, 2), (None, 1, 1)]


async def test_grouping_by_question_reading_order_and_replies(db: Database, forum: Forum):
    t = await compile_session_report(db, SECRETARIAT, forum.session_id)
    (part,) = t.sessions
    assert [q.number for q in part.questions] == [1, 2]
    assert [topic.text for topic in part.topics] == ["-Funding ideas"]
    assert part.moderators == ["Nomvula Khumalo"]
    assert len(part.periods) == 1
    assert part.summary is not None and "went well" in part.summary.body
    q1 = part.questions[0]
    assert q1.summary is not None and "<strong>agree</strong>" in q1.summary.html
    assert [h.id for h in q1.highlights] == [forum.posts["p2"]]  # the hidden highlight is out

    posts = await _posts(t, forum.threads["q1"])
    ids = {v: k for k, v in forum.posts.items()}
    assert [ids[p.id] for p in posts] == ["p1", "p2", "p3", "p4", "p8"]
    by_key = {ids[p.id]: p for p in posts}
    assert [by_key[k].depth for k in ("p1", "p2", "p3", "p4", "p8")] == [0, 0, 1, 2, 0]
    assert by_key["p3"].parent_id == forum.posts["p2"]
    assert by_key["p3"].reply_to_author == "Ana Souza"
    assert by_key["p4"].reply_to_author == "Bjørn Eriksen"
    # Its parent is hidden: shown as a contribution, not as a reply to something absent.
    assert by_key["p8"].parent_id is None and by_key["p8"].reply_to_author is None
    assert by_key["p1"].is_moderator and by_key["p1"].country == "South Africa"
    assert by_key["p2"].organization == "MMA Brasil"


@pytest.mark.parametrize(
    ("mode", "author", "country", "organization", "moderator"),
    [
        ("named", "Ana Souza", "Brazil", "MMA Brasil", "Nomvula Khumalo"),
        ("country", "A participant from Brazil", "Brazil", None, "The moderator"),
        ("none", "A participant", None, None, "The moderator"),
    ],
)
async def test_attribution(
    db: Database, forum: Forum, mode, author, country, organization, moderator
):
    t = await compile_session_report(db, SECRETARIAT, forum.session_id, attribution=mode)
    posts = {p.id: p for p in await _posts(t, forum.threads["q1"])}
    ana = posts[forum.posts["p2"]]
    assert (ana.author, ana.country, ana.organization) == (author, country, organization)
    assert posts[forum.posts["p1"]].author == moderator
    assert posts[forum.posts["p3"]].reply_to_author == author
    assert t.sessions[0].topics[0].started_by == (
        "Bjørn Eriksen" if mode == "named" else author.replace("Brazil", "Norway")
    )


async def test_the_space_setting_is_the_default_and_the_most_a_download_may_ask(
    db: Database, forum: Forum
):
    from sqlalchemy import update

    from forum_server.rooms.models import Space

    async with db.write() as uow:
        await uow.session.execute(
            update(Space).where(Space.slug == forum.slug).values(report_attribution="none")
        )
    t = await compile_session_report(db, SECRETARIAT, forum.session_id)
    assert t.attribution == "none"
    for more in ("named", "country"):
        with pytest.raises(Forbidden):
            await compile_session_report(db, SECRETARIAT, forum.session_id, attribution=more)
    with pytest.raises(Invalid):
        await compile_session_report(db, SECRETARIAT, forum.session_id, attribution="secret")


async def test_space_report_covers_every_session(db: Database, forum: Forum, make_session):
    other = await make_session(forum.slug, title="Session II")
    t = await compile_space_report(db, SECRETARIAT, forum.slug)
    assert [s.id for s in t.sessions] == [forum.session_id, other]
    assert t.title == "Online Forum on Capacity-building"
    assert t.participation.posts == 8
    assert t.participation.by_question[0].label.startswith("Session I: NBSAPs")


async def test_posts_are_read_in_batches_from_a_worker_thread(
    db: Database, forum: Forum, monkeypatch: pytest.MonkeyPatch
):
    from forum_server.reports import posts as posts_module

    t = await compile_session_report(db, SECRETARIAT, forum.session_id)
    with pytest.raises(RuntimeError, match="worker thread"):
        next(t.posts(forum.threads["q1"]))  # on the event loop it would deadlock
    seen: list[int] = []
    t.source.progress = seen.append
    monkeypatch.setattr(posts_module, "BATCH", 2)
    posts = await _posts(t, forum.threads["q1"])
    assert len(posts) == 5 and seen == [2, 2, 1]


def test_reading_order_puts_replies_after_their_parent():
    rows = [(1, None), (2, None), (3, 1), (4, 2), (5, 3), (6, 1), (7, 99)]
    ids, depths = reading_order(rows)
    assert list(ids) == [1, 3, 5, 6, 2, 4, 7]
    assert list(depths) == [0, 1, 2, 1, 0, 1, 0]
