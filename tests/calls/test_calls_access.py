"""The canary: a call in a members space, and a restricted submission anywhere, leak
through no listing, page, document, status table, compilation or search for those who
may not see them; 404 exactly as for what does not exist."""

from __future__ import annotations

import httpx
import pytest

from tests.calls.conftest import close_call

CANARY = "canary-7f3a submission text"
CALL_CANARY = "Views on capacity-building needs"
OUTSIDERS = ["guest", "outsider", "other"]


async def _submit(client: httpx.AsyncClient, calls: dict, *, public: bool) -> dict:
    sent = await client.post(
        f"/api/v1/calls/{calls['call']['id']}/submissions",
        json={"text": CANARY, "public": public},
        headers=calls["tokens"]["brazil"],
    )
    assert sent.status_code == 201, sent.text
    submission = sent.json()
    added = await client.post(
        f"/api/v1/submissions/{submission['id']}/files",
        files={"file": ("canary-annex.txt", b"canary annex", "text/plain")},
        headers=calls["tokens"]["brazil"],
    )
    assert added.status_code == 201, added.text
    return added.json()


def reads(calls: dict, submission: dict) -> list[str]:
    slug, call_id, sid = calls["slug"], calls["call"]["id"], submission["id"]
    doc = submission["documents"][0]["url"]
    return [
        f"/api/v1/spaces/{slug}/calls",
        f"/api/v1/calls/{call_id}",
        f"/api/v1/calls/{call_id}/submissions",
        f"/api/v1/calls/{call_id}/status",
        f"/api/v1/calls/{call_id}/compilation?format=html",
        f"/api/v1/submissions/{sid}",
        doc,
        f"/api/v1/spaces/{slug}/call-submitters",
        f"/spaces/{slug}/calls",
        f"/spaces/{slug}/calls/new",
        f"/spaces/{slug}/calls/submitters",
        f"/calls/{call_id}",
        f"/calls/{call_id}/edit",
        f"/submissions/{sid}",
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
async def test_a_members_space_call_is_not_there_for_outsiders(
    client: httpx.AsyncClient, calls: dict, who: str
) -> None:
    submission = await _submit(client, calls, public=True)
    await close_call(client, calls["call"], calls["tokens"]["owner"])
    headers = calls["tokens"].get(who, {})
    for path in reads(calls, submission):
        response = await client.get(path, headers=headers)
        assert response.status_code in {401, 404}, (who, path, response.status_code)
        assert response.status_code == 404 or who == "guest", (who, path)
        assert CANARY not in response.text and CALL_CANARY not in response.text, path
        assert "canary annex" not in response.text
    for path in ("/api/v1/search?q=canary-7f3a", "/search?q=canary-7f3a", "/", "/api/v1/spaces"):
        response = await client.get(path, headers=headers)
        assert CANARY not in response.text and CALL_CANARY not in response.text, path
    call_id, sid = calls["call"]["id"], submission["id"]
    for method, path, body in [
        ("POST", f"/api/v1/calls/{call_id}/submissions", {"text": "x"}),
        ("PUT", f"/api/v1/submissions/{sid}", {"text": "x"}),
        ("PUT", f"/api/v1/calls/{call_id}/order", {"submission_ids": [sid]}),
        ("POST", f"/api/v1/calls/{call_id}/reminders", None),
        (
            "POST",
            f"/api/v1/spaces/{calls['slug']}/call-submitters",
            {"user_id": 1, "kind": "party", "country": "BR"},
        ),
    ]:
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code in ({401} if who == "guest" else {404}), (who, method, path)


@pytest.mark.parametrize("who", ["member", "argentina", "iucn"])
async def test_a_restricted_submission_is_for_its_country_and_the_managers_only(
    client: httpx.AsyncClient, calls: dict, who: str
) -> None:
    submission = await _submit(client, calls, public=False)
    headers = calls["tokens"][who]
    call_id, sid = calls["call"]["id"], submission["id"]
    for path in [
        f"/api/v1/calls/{call_id}/submissions",
        f"/api/v1/calls/{call_id}",
        f"/api/v1/calls/{call_id}/status",
        f"/calls/{call_id}",
        f"/spaces/{calls['slug']}/calls",
    ]:
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, (who, path)
        assert CANARY not in response.text and "canary-annex" not in response.text, (who, path)
    for path in (
        f"/api/v1/submissions/{sid}",
        f"/submissions/{sid}",
        submission["documents"][0]["url"],
    ):
        response = await client.get(path, headers=headers)
        assert response.status_code == 404, (who, path)
        assert CANARY not in response.text
    listed = await client.get(f"/api/v1/calls/{call_id}", headers=headers)
    assert listed.json()["submissions"] == 0
    for path in ("/api/v1/search?q=canary-7f3a", "/search?q=canary-7f3a"):
        assert CANARY not in (await client.get(path, headers=headers)).text
    # Brazil's other submitter and the owner see it.
    for name in ("brazil too", "owner"):
        seen = await client.get(f"/api/v1/submissions/{sid}", headers=calls["tokens"][name])
        assert seen.status_code == 200 and seen.json()["text"] == CANARY


async def test_the_compilation_and_the_tools_are_the_managers_own(
    client: httpx.AsyncClient, calls: dict
) -> None:
    call_id = calls["call"]["id"]
    await close_call(client, calls["call"], calls["tokens"]["owner"])
    for name in ("member", "brazil"):
        headers = calls["tokens"][name]
        compiled = await client.get(f"/api/v1/calls/{call_id}/compilation", headers=headers)
        assert compiled.status_code == 403
        page = await client.get(f"/calls/{call_id}", headers=headers)
        assert "/compilation" not in page.text and "/remind" not in page.text
