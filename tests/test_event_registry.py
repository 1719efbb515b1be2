"""The registry of event types (forum_server/events.py) is the truth about events: every
type the code emits is registered, every registered type is emitted, with the payload
it declares, and docs/api.md lists each with its audience."""

from __future__ import annotations

import ast
import json
import re
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from forum_server.db import Database
from forum_server.events import EVENT_TYPES, MODERATORS, POST_FIELDS, EventRecord, audience_of
from forum_server.orm import utcnow
from forum_server.policy import ANONYMOUS, Actor, SessionAccess, SpaceAccess, may_receive_event
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for

ROOT = Path(__file__).resolve().parent.parent
EMITTERS = {"emit", "_emit", "emit_session", "emit_post", "_question_view"}
TYPE_NAME = re.compile(r"^[a-z]+\.[a-z_]+$")


def _literals(node: ast.expr, assigned: dict[str, list[ast.expr]]) -> set[str]:
    """Type names an argument can take: a string, either branch of `a if c else b`, or
    a local name assigned such values in the same function."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} if TYPE_NAME.match(node.value) else set()
    if isinstance(node, ast.IfExp):
        return _literals(node.body, assigned) | _literals(node.orelse, assigned)
    if isinstance(node, ast.Name):
        return {name for value in assigned.get(node.id, []) for name in _literals(value, {})}
    return set()


def emitted_types() -> set[str]:
    """Every event type the source passes to uow.emit, _emit or emit_post."""
    found: set[str] = set()
    for path in (ROOT / "forum_server").rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            assigned: dict[str, list[ast.expr]] = {}
            for node in ast.walk(function):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            assigned.setdefault(target.id, []).append(node.value)
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in EMITTERS:
                    for arg in node.args:
                        found |= _literals(arg, assigned)
    return found


def documented_types() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The event table of docs/api.md: type → (audience, payload fields)."""
    text = (ROOT / "docs" / "api.md").read_text()
    section = text.split("## Live events", 1)[1]
    rows = re.findall(r"^\| `([a-z_.]+)` \| ([^|]+) \| ([^|]+) \|", section, re.M)
    table = {}
    for name, audience, fields in rows:
        if fields.strip() == "the post, as the posts list shows it":
            declared = POST_FIELDS
        else:
            declared = tuple(re.findall(r"`([a-z_]+)`", fields))
        table[name] = (audience.strip(), declared)
    return table


def test_every_emitted_type_is_registered():
    assert emitted_types() - set(EVENT_TYPES) == set()


def test_every_registered_type_is_emitted():
    assert set(EVENT_TYPES) - emitted_types() == set()


def test_the_documentation_lists_every_type_with_its_audience_and_payload():
    registered = {t.name: (t.audience, t.fields) for t in EVENT_TYPES.values()}
    assert documented_types() == registered


def test_an_unregistered_type_goes_to_moderators_only():
    assert audience_of("post.something_new") == audience_of("ballot.counted") == MODERATORS
    space = SpaceAccess(actor=ANONYMOUS, space_id=1, visibility="public", role=None)
    viewer = SessionAccess(space=space, session_id=1, moderator_ids=frozenset(), posting="")
    moderator = SessionAccess(
        space=SpaceAccess(actor=Actor(user_id=5), space_id=1, visibility="public", role=None),
        session_id=1,
        moderator_ids=frozenset({5}),
        posting="",
    )
    data = {"status": "published", "author": {"id": 7}}
    for event_type in ("post.something_new", "ballot.counted", "user.suspended"):
        assert not may_receive_event(viewer, event_type, data)
        assert may_receive_event(moderator, event_type, data)
    assert may_receive_event(viewer, "post.created", data)
    assert may_receive_event(viewer, "question.edited", {})


async def test_every_type_is_emitted_with_its_declared_payload(
    client: httpx.AsyncClient, db: Database, make_user: MakeUser, make_space
):
    """One of everything, through the API: the event log then holds every registered
    type, each payload with exactly its declared fields."""
    sec_user = await make_user(is_secretariat=True)
    ana_user, ben_user = await make_user(), await make_user()
    sec, ana, ben = [bearer(await token_for(client, u)) for u in (sec_user, ana_user, ben_user)]
    slug = await make_space()

    async def call(method: str, path: str, headers: dict[str, str], **body: object) -> dict:
        response = await client.request(
            method, f"/api/v1{path}", json=body if body else None, headers=headers
        )
        assert response.status_code < 300, (method, path, response.text)
        return response.json() if response.content else {}

    session = await call(
        "POST",
        f"/spaces/{slug}/sessions",
        sec,
        title="Capacity-building",
        questions=["What worked?"],
        participant_topics=True,
    )
    sid = session["id"]
    await call("POST", f"/sessions/{sid}/open", sec)
    await call("PATCH", f"/sessions/{sid}", sec, title="Capacity-building, renamed")
    later = (utcnow() + timedelta(days=3)).isoformat()
    await call("PATCH", f"/sessions/{sid}", sec, closes_at=later)
    question = await call("POST", f"/sessions/{sid}/questions", sec, text="What next?")
    await call("PATCH", f"/questions/{question['id']}", sec, text="What comes next?")
    await call("PATCH", f"/sessions/{sid}", sec, format="conference")
    await call("POST", f"/sessions/{sid}/agenda", sec, number=2)
    await call("PATCH", f"/sessions/{sid}", sec, format="forum")
    thread_id = question["thread_id"]
    first = await call("POST", f"/threads/{thread_id}/posts", ana, body="We trained inspectors.")
    await call("PATCH", f"/posts/{first['id']}", ana, body="We trained 40 inspectors.")
    await call("POST", f"/sessions/{sid}/threads", ana, title="Funding", body="Let us talk.")
    for action, body in (("hide", {"reason": "check"}), ("restore", {}), ("highlight", {})):
        await call("POST", f"/posts/{first['id']}/{action}", sec, **body)
    await call("POST", f"/posts/{first['id']}/unhighlight", sec)
    flag = await call("POST", f"/posts/{first['id']}/flags", ben, reason="Off topic?")
    await call("POST", f"/flags/{flag['id']}/dismiss", sec)
    await call("PUT", f"/posts/{first['id']}/reactions/thanks", ben)
    poll = await call("POST", f"/sessions/{sid}/polls", sec, kind="proposal", title="Adopt?")
    await call("PUT", f"/polls/{poll['id']}/vote", ana, position="agree")
    await call("POST", f"/polls/{poll['id']}/close", sec)
    await call("PUT", f"/polls/{poll['id']}/outcome", sec, outcome="Adopted.")
    await call("POST", f"/threads/{thread_id}/lock", sec)
    await call("POST", f"/threads/{thread_id}/unlock", sec)
    await call("PUT", f"/sessions/{sid}/summary", sec, body="So far: training works.")
    await call("PUT", f"/spaces/{slug}/moderation", sec, hold_first_posts=5)
    held = await call("POST", f"/threads/{thread_id}/posts", ben, body="A held contribution.")
    await call("POST", f"/posts/{held['id']}/reject", sec)
    suspension = await call(
        "POST", f"/spaces/{slug}/suspensions", sec, user_id=ben_user.id, reason="Shouting"
    )
    await call("DELETE", f"/spaces/{slug}/suspensions/{suspension['id']}", sec)
    await call("PUT", f"/spaces/{slug}/members/{ben_user.id}", sec, role="member")
    deadline = (utcnow() + timedelta(days=7)).isoformat()
    opened = await call(
        "POST",
        f"/spaces/{slug}/calls",
        sec,
        title="Views",
        addressed_to=["party"],
        deadline=deadline,
    )
    await call(
        "POST",
        f"/spaces/{slug}/call-submitters",
        sec,
        user_id=ben_user.id,
        kind="party",
        country="BR",
    )
    await call("POST", f"/calls/{opened['id']}/submissions", ben, text="Brazil's views.")
    await call("DELETE", f"/spaces/{slug}/members/{ben_user.id}", sec)
    outsider = await make_user()
    await call("DELETE", "/tokens/current", bearer(await token_for(client, outsider)))
    await call("POST", f"/users/{outsider.id}/reset-sign-in", sec)
    await call("POST", f"/users/{outsider.id}/deactivate", sec)
    await call("POST", f"/sessions/{sid}/close", sec)
    await call("POST", f"/sessions/{sid}/reopen", sec, closes_at=later)

    async with db.read() as read:
        records = list(await read.scalars(select(EventRecord).order_by(EventRecord.id)))
    assert {r.type for r in records} == set(EVENT_TYPES)
    for record in records:
        data = json.loads(record.data)
        assert tuple(sorted(data)) == tuple(sorted(EVENT_TYPES[record.type].fields)), record.type
