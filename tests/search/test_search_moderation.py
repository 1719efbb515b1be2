"""Text a moderator took out of the discussion — hidden, held for review, rejected,
or edited away — is found by nobody but the session's moderators, from the moment of
the action; what comes back (restored, approved) is found by all at once."""

from __future__ import annotations

from datetime import timedelta

from forum_server.moderation import posts as moderation
from forum_server.moderation.holding import change_holding_rules
from forum_server.moderation.schemas import SettingsUpdate
from forum_server.rooms import editing, posting
from forum_server.rooms.schemas import PostEdit
from tests.conftest import SECRETARIAT
from tests.search.conftest import Forum

READERS = ["guest", "outsider", "writer", "other_mod"]
MODERATORS = ["public_mod", "sec"]


async def _found_by(forum: Forum, word: str) -> set[str]:
    everyone = [*READERS, *MODERATORS]
    return {who for who in everyone if await forum.find(who, word)}


async def test_hidden_text_is_found_by_moderators_only_until_restored(forum: Forum) -> None:
    post_id = await forum.post("writer", forum.public, "The plinkovar report is out.")
    assert await _found_by(forum, "plinkovar") == {*READERS, *MODERATORS}
    await moderation.hide_post(forum.db, forum.actor("public_mod"), post_id, "Off topic.")
    assert await _found_by(forum, "plinkovar") == set(MODERATORS)
    [hit] = await forum.find("public_mod", "plinkovar")
    assert hit.status == "hidden"
    await moderation.restore_post(forum.db, forum.actor("public_mod"), post_id)
    assert await _found_by(forum, "plinkovar") == {*READERS, *MODERATORS}
    [hit] = await forum.find("guest", "plinkovar")
    assert hit.status == "published"


async def _hold_everything(forum: Forum) -> None:
    await change_holding_rules(
        forum.db, SECRETARIAT, forum.public.slug, SettingsUpdate(hold_first_posts=1000)
    )


async def test_held_text_is_found_by_moderators_until_approved(forum: Forum) -> None:
    await _hold_everything(forum)
    post_id = await forum.post("outsider", forum.public, "A glimmerquay proposal.")
    # Not even its author: a held post's text is the moderators' until published.
    assert await _found_by(forum, "glimmerquay") == set(MODERATORS)
    assert not await forum.find("outsider", "glimmerquay")
    [hit] = await forum.find("sec", "glimmerquay")
    assert hit.status == "pending"
    await moderation.approve_post(forum.db, forum.actor("public_mod"), post_id)
    assert await _found_by(forum, "glimmerquay") == {*READERS, *MODERATORS}


async def test_rejected_text_stays_with_the_moderators(forum: Forum) -> None:
    await _hold_everything(forum)
    post_id = await forum.post("outsider", forum.public, "Buy trombulax now.")
    await moderation.reject_post(forum.db, forum.actor("public_mod"), post_id, "Spam.")
    assert await _found_by(forum, "trombulax") == set(MODERATORS)
    [hit] = await forum.find("public_mod", "trombulax")
    assert hit.status == "rejected"


async def test_a_held_topic_is_not_found_by_its_title(forum: Forum) -> None:
    from forum_server.rooms.schemas import ThreadCreate

    await _hold_everything(forum)
    await posting.create_thread(
        forum.db,
        forum.actor("outsider"),
        forum.public.session_id,
        ThreadCreate(title="Snorvelhaven question", body="Details to follow."),
    )
    assert await _found_by(forum, "snorvelhaven") == set(MODERATORS)


async def test_edited_away_text_is_found_by_nobody(forum: Forum) -> None:
    post_id = await forum.post("writer", forum.public, "My phone is 555 quixobrand.")
    await editing.edit_post(
        forum.db,
        forum.actor("writer"),
        post_id,
        PostEdit(body="My phone is in my profile."),
        edit_window=timedelta(minutes=30),
    )
    assert await _found_by(forum, "quixobrand") == set()
    assert await _found_by(forum, "profile") == {*READERS, *MODERATORS}


async def test_the_session_moderator_of_one_session_finds_held_text_there_only(
    forum: Forum,
) -> None:
    await _hold_everything(forum)
    await forum.post("outsider", forum.public, "Held zephyrwold note.")
    # The workspace's session moderator moderates nothing in the public forum.
    assert not await forum.find("session_mod", "zephyrwold")
    assert not await forum.find("ws_mod", "zephyrwold")
