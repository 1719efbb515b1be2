"""Demographics are kept as they were when each contribution was made: a later change
of profile rewrites neither a past report nor the dashboard."""

from __future__ import annotations

from sqlalchemy import select

from forum_server.accounts import service
from forum_server.accounts.schemas import ProfileUpdate
from forum_server.policy import Actor
from forum_server.rooms.models import Post


def keys(groups: list[dict] | dict[str, dict]) -> dict[str, int]:
    """Who took part by group: the dashboard lists groups, the report keys them."""
    rows = [{"key": k, **v} for k, v in groups.items()] if isinstance(groups, dict) else groups
    return {g["key"]: g["participants"] for g in rows if g["participants"]}


async def test_a_profile_change_does_not_rewrite_a_past_report(client, forum, db):
    sid, headers = forum["session_id"], forum["tokens"]["moderator"]
    active = forum["users"]["active"]
    report = f"/api/v1/sessions/{sid}/report?format=json"
    before = (await client.get(report, headers=headers)).json()["participation"]
    assert keys(before["by_country"]) == {"KE": 1}
    assert keys(before["by_region"]) == {"africa": 1}

    await service.update_profile(
        db,
        Actor(user_id=active.id),
        ProfileUpdate(
            display_name=active.display_name, country="FR", gender="male", affiliation="academia"
        ),
    )
    after = (await client.get(report, headers=headers)).json()["participation"]
    assert after["by_country"] == before["by_country"]
    assert after["by_region"] == before["by_region"]
    assert after["by_affiliation"] == before["by_affiliation"]
    assert after.get("by_gender") == before.get("by_gender")
    dashboard = (await client.get(f"/api/v1/sessions/{sid}/participation", headers=headers)).json()
    assert keys(dashboard["by_country"]) == {"KE": 1}
    assert keys(dashboard["by_gender"]) == {"female": 1}

    # What they write from now on counts as they are now.
    thread_id = forum["questions"][1]["thread_id"]
    posted = await client.post(
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "From my new post."},
        headers=forum["tokens"]["active"],
    )
    assert posted.status_code == 201
    async with db.read() as session:
        kept = (
            await session.execute(
                select(Post.author_country, Post.author_region, Post.author_gender)
                .where(Post.author_id == active.id)
                .order_by(Post.id)
            )
        ).all()
    assert [tuple(row) for row in kept] == [("KE", "africa", "female"), ("FR", "weog", "male")]
    now = (await client.get(report, headers=headers)).json()["participation"]
    assert keys(now["by_country"]) == {"KE": 1, "FR": 1}
