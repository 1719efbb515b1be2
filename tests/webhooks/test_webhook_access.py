"""Who registers what, and what reaches whom: a members space's events reach only
endpoints registered for it; to anyone who does not manage an endpoint it does not
exist; loopback endpoints are refused unless the site allows them."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import select

from forum_server.app import create_app
from forum_server.db import Database
from forum_server.policy import Actor
from forum_server.rooms import posting
from forum_server.rooms.schemas import PostCreate
from forum_server.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import MakeUser
from tests.helpers import bearer, client_for, make_settings, token_for
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_webhook_delivery import first_thread

CANARY = "Quendrilith zorblaxite"
TYPES = ["post.published", "thread.created", "question.added"]


async def test_a_members_space_reaches_only_its_own_endpoints(
    client: httpx.AsyncClient,
    db: Database,
    make_user: MakeUser,
    make_space,
    make_session,
    add_member,
    receiver: Receiver,
) -> None:
    secretariat = await make_user(is_secretariat=True)
    owner = await make_user(display_name="Owner")
    other_owner = await make_user(display_name="Other owner")
    member = await make_user(display_name="Member")
    public = await make_space(slug="open")
    workspace = await make_space(slug="workspace", visibility="members")
    other = await make_space(slug="other", visibility="members")
    await add_member(workspace, owner.id, "owner")
    await add_member(workspace, member.id)
    await add_member(other, other_owner.id, "owner")

    async def register(user, path: str, space: str | None) -> None:  # type: ignore[no-untyped-def]
        body: dict[str, object] = {"url": receiver.url + path, "event_types": TYPES}
        if space:
            body["space"] = space
        token = await token_for(client, user)
        answer = await client.post("/api/v1/webhooks", json=body, headers=bearer(token))
        assert answer.status_code == 201, answer.text

    await register(secretariat, "/site", None)
    await register(other_owner, "/other", other)
    await register(owner, "/workspace", workspace)
    await register(secretariat, "/asked-for-workspace", workspace)

    secret_session = await make_session(workspace, questions=[f"{CANARY}?"])
    writer = Actor(user_id=member.id, display_name="Member")
    await posting.create_post(
        db, writer, await first_thread(db, secret_session), PostCreate(body=CANARY)
    )
    public_session = await make_session(public)
    await posting.create_post(
        db, writer, await first_thread(db, public_session), PostCreate(body="Open words")
    )
    # Every delivery is queued with its change: the table says all that will be sent.
    async with db.read() as session:
        queued = (
            await session.execute(
                select(WebhookEndpoint.url, WebhookDelivery.body).join(
                    WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id
                )
            )
        ).all()
    by_path: dict[str, list[str]] = {}
    for url, body in queued:
        by_path.setdefault(url.removeprefix(receiver.url), []).append(body)
    assert sorted(by_path) == ["/asked-for-workspace", "/site", "/workspace"]
    assert len(by_path["/site"]) == 1 and "Open words" in by_path["/site"][0]
    for path in ("/workspace", "/asked-for-workspace"):
        assert len(by_path[path]) == 1 and CANARY in by_path[path][0]
    assert all(CANARY not in body for body in by_path["/site"])
    await receiver.wait_for(3)
    got = {r.path.removeprefix("/hook"): r.body.decode() for r in receiver.received}
    assert CANARY not in got["/site"] and CANARY in got["/workspace"]


async def test_only_managers_see_or_change_an_endpoint(
    client: httpx.AsyncClient, make_user: MakeUser, make_space, add_member
) -> None:
    owner, member, outsider = (await make_user(), await make_user(), await make_user())
    secretariat = await make_user(is_secretariat=True)
    workspace = await make_space(slug="ws", visibility="members")
    public = await make_space(slug="pub")
    await add_member(workspace, owner.id, "owner")
    await add_member(workspace, member.id)
    tokens = {
        who: await token_for(client, user)
        for who, user in {
            "owner": owner,
            "member": member,
            "outsider": outsider,
            "secretariat": secretariat,
        }.items()
    }
    hook = {"url": "http://127.0.0.1:9/hook", "event_types": ["post.published"]}

    async def post(who: str, **extra: str) -> httpx.Response:
        headers = bearer(tokens[who]) if who in tokens else {}
        return await client.post("/api/v1/webhooks", json={**hook, **extra}, headers=headers)

    assert (await post("guest", space="ws")).status_code == 401
    assert (await post("member", space="ws")).status_code == 403
    assert (await post("outsider", space="ws")).status_code == 404
    assert (await post("owner", space="pub")).status_code == 403
    assert (await post("owner")).status_code == 403, "site-wide: the secretariat only"
    created = await post("owner", space="ws")
    assert created.status_code == 201
    hook_id = created.json()["id"]
    assert (await post("secretariat")).status_code == 201
    assert public

    for who, expected in (("member", 404), ("outsider", 404), ("owner", 200)):
        got = await client.get(f"/api/v1/webhooks/{hook_id}", headers=bearer(tokens[who]))
        assert got.status_code == expected, who
        log = await client.get(
            f"/api/v1/webhooks/{hook_id}/deliveries", headers=bearer(tokens[who])
        )
        assert log.status_code == expected, who
        changed = await client.patch(
            f"/api/v1/webhooks/{hook_id}", json={"active": False}, headers=bearer(tokens[who])
        )
        assert changed.status_code == expected, who
    listed = await client.get("/api/v1/webhooks?space=ws", headers=bearer(tokens["owner"]))
    assert [e["id"] for e in listed.json()["items"]] == [hook_id]
    everything = await client.get("/api/v1/webhooks", headers=bearer(tokens["secretariat"]))
    assert len(everything.json()["items"]) == 2
    mine = await client.get("/api/v1/webhooks", headers=bearer(tokens["owner"]))
    assert mine.status_code == 403


async def test_loopback_and_private_endpoints_are_refused_by_default(
    tmp_path: Path, database_url: str
) -> None:
    settings = make_settings(tmp_path / "strict", database_url)
    application = create_app(settings)
    async with application.router.lifespan_context(application), client_for(application) as http:
        from forum_server.accounts import service
        from forum_server.accounts.schemas import UserCreate
        from tests.conftest import SECRETARIAT
        from tests.helpers import PASSWORD

        user = await service.create_user(
            application.state.ctx.db,
            SECRETARIAT,
            UserCreate.model_validate(
                {
                    "email": "sec@example.org",
                    "password": PASSWORD,
                    "display_name": "Sec",
                    "is_secretariat": True,
                }
            ),
            registration_open=True,
        )
        token = await token_for(http, user)
        for url in (
            "https://127.0.0.1/hook",
            "https://[::1]/hook",
            "https://localhost/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://10.0.0.8/hook",
            "http://203.0.113.10/hook",
        ):
            answer = await http.post(
                "/api/v1/webhooks",
                json={"url": url, "event_types": ["post.published"]},
                headers=bearer(token),
            )
            assert answer.status_code == 422, url
            assert answer.json()["error"]["field"] == "url"
