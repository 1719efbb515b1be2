"""The register and its notifications are the secretariat's: anyone else, a focal
point included, meets 401 or 403 and reads nothing of them (a canary in an entry, a
notification and a members space's session appears in no listing, page, API answer,
export, search result or e-mail of theirs). The pages work without JavaScript."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from tests.conftest import MakeUser
from tests.focal.helpers import link_in, sent_mail
from tests.focal.test_focal_notifications import _follow_in, follow
from tests.helpers import bearer, client_for, csrf_from, sign_in, token_for

CANARY = "Quorvexian blatterfrost"


def paths(entry_id: int, notification_id: int) -> list[str]:
    return [
        "/focal-points",
        f"/focal-points/{entry_id}",
        "/focal-notifications",
        f"/focal-notifications/{notification_id}",
        "/api/v1/focal-points",
        "/api/v1/focal-points?country=KE",
        "/api/v1/focal-points/export",
        f"/api/v1/focal-points/{entry_id}",
        "/api/v1/focal-notifications",
        f"/api/v1/focal-notifications/{notification_id}",
        f"/api/v1/search?q={CANARY.split()[0]}",
        f"/search?q={CANARY.split()[0]}",
    ]


async def test_nothing_of_the_register_reaches_anyone_but_the_secretariat(
    app: Starlette,
    client: httpx.AsyncClient,
    make_user: MakeUser,
    make_space,
    make_session,
    add_member,
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    entry = await client.post(
        "/api/v1/focal-points",
        json={
            "country": "KE",
            "name": "Wanjiru Kamau",
            "email": "quorvex@env.go.ke",
            "title": CANARY,
        },
        headers=secretariat,
    )
    other = await client.post(
        "/api/v1/focal-points",
        json={"country": "DE", "name": "Anna Schmidt", "email": "schmidt@bmuv.de"},
        headers=secretariat,
    )
    assert other.status_code == 201
    slug = await make_space(slug="experts", visibility="members")
    session_id = await make_session(slug, title=f"{CANARY} session")
    sent = await client.post(
        "/api/v1/focal-notifications",
        json={
            "subject": f"{CANARY} call",
            "body": CANARY,
            "regions": ["africa"],
            "target_kind": "session",
            "target_id": session_id,
        },
        headers=secretariat,
    )
    assert sent.status_code == 201
    participant = await make_user(email="someone@example.org", country="KE")
    member = await make_user(email="member@example.org", country="DE")
    await add_member(await make_space(slug="elsewhere", visibility="members"), member.id)
    mail = await sent_mail(app)
    # The focal point follows the link: they now have an account, and still see nothing
    # of the register (their own entry included).
    async with client_for(app) as focal_point:
        followed = await _follow_in(focal_point, link_in(mail["quorvex@env.go.ke"][0]))
        assert followed.status_code == 303
        for path in paths(entry.json()["id"], sent.json()["id"]):
            answer = await focal_point.get(path)
            if "search" not in path:
                assert answer.status_code == 403, path
                assert CANARY not in answer.text, path

    async with client_for(app) as anonymous:
        for path in paths(entry.json()["id"], sent.json()["id"]):
            answer = await anonymous.get(path)
            assert CANARY not in answer.text, path
            if "search" not in path:
                assert answer.status_code in (401, 303, 200), path
    for user in (participant, member):
        async with client_for(app) as browser:
            await sign_in(browser, user)
            for path in paths(entry.json()["id"], sent.json()["id"]):
                answer = await browser.get(path)
                assert CANARY not in answer.text, (user.email, path)
                if "search" not in path:
                    assert answer.status_code == 403, path
    mail = await sent_mail(app)
    for to, messages in mail.items():
        if to != "quorvex@env.go.ke":
            assert not any(CANARY in m for m in messages), to
    # Schmidt (WEOG) was not sent anything at all.
    assert "schmidt@bmuv.de" not in mail


async def test_the_secretariat_sends_and_reminds_without_javascript(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser, make_space, make_session
) -> None:
    await sign_in(client, await make_user(is_secretariat=True))
    csrf = await csrf_from(client, "/focal-points")
    added = await client.post(
        "/focal-points",
        data={
            "csrf_token": csrf,
            "country": "BR",
            "name": "Lucas Pereira",
            "email": "pereira@mma.gov.br",
            "primary": "yes",
            "language": "es",
        },
    )
    assert added.status_code == 303
    rows = "country,name,email,primary\nAR,Sofía Díaz,diaz@ambiente.gob.ar,yes\n"
    imported = await client.post("/focal-points/import", data={"csrf_token": csrf, "csv": rows})
    assert imported.status_code == 303
    register = await client.get("/focal-points")
    assert "Lucas Pereira" in register.text and "Sofía Díaz" in register.text
    exported = await client.get("/api/v1/focal-points/export")
    assert "diaz@ambiente.gob.ar" in exported.text and exported.headers["content-type"].startswith(
        "text/csv"
    )

    session_id = await make_session(await make_space(slug="forum"))
    csrf = await csrf_from(client, "/focal-notifications")
    sent = await client.post(
        "/focal-notifications",
        data={
            "csrf_token": csrf,
            "subject": "Online forum",
            "body": "Please join.",
            "regions": "grulac",
            "target": f"session:{session_id}",
        },
    )
    assert sent.status_code == 303
    record = await client.get(sent.headers["location"])
    assert record.status_code == 200
    assert "pereira@mma.gov.br" in record.text and "diaz@ambiente.gob.ar" in record.text
    mail = await sent_mail(app)
    assert sorted(mail) == ["diaz@ambiente.gob.ar", "pereira@mma.gov.br"]
    await follow(app, link_in(mail["diaz@ambiente.gob.ar"][0]))  # Argentina responds
    reminded = await client.post(
        sent.headers["location"].split("?")[0] + "/reminders", data={"csrf_token": csrf}
    )
    assert reminded.status_code == 303
    mail = await sent_mail(app)
    # Pereira asked for Spanish: "Recordatorio: Online forum".
    reminders = {to: [m for m in msgs if ": Online forum\n" in m] for to, msgs in mail.items()}
    assert len(reminders["pereira@mma.gov.br"]) == 1 and reminders["diaz@ambiente.gob.ar"] == []
