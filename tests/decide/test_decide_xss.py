"""Payloads from tests/data/xss-payload-list.txt as a poll's title, details and options,
a proposal's reasons and its outcome: the page and the HTML report show them as text,
never as markup."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.decide.conftest import Forum

PAYLOADS = [
    line
    for line in (Path(__file__).parents[1] / "data" / "xss-payload-list.txt")
    .read_text()
    .splitlines()
    if "<" in line
][::40][:12]


async def test_poll_texts_are_shown_as_text(client: httpx.AsyncClient, forum: Forum):
    sec = forum.headers["secretariat"]
    shown = 0
    for payload in PAYLOADS:
        poll = await client.post(
            f"/api/v1/sessions/{forum.session_id}/polls",
            json={
                "kind": "single",
                "title": payload[:300],
                "details": payload,
                "options": [payload[:200], "plain"],
            },
            headers=sec,
        )
        if poll.status_code == 422:  # a line break or control character: refused
            continue
        assert poll.status_code == 201, poll.text
        shown += 1
        proposal = await client.post(
            f"/api/v1/sessions/{forum.session_id}/polls",
            json={"kind": "proposal", "title": "Plain", "thread_id": forum.thread_id},
            headers=sec,
        )
        pid = proposal.json()["id"]
        await client.put(
            f"/api/v1/polls/{pid}/vote",
            json={"position": "block", "reason": payload},
            headers=forum.headers["ana"],
        )
        await client.post(f"/api/v1/polls/{pid}/close", headers=sec)
        await client.put(f"/api/v1/polls/{pid}/outcome", json={"outcome": payload}, headers=sec)
        for path in (f"/polls/{poll.json()['id']}", f"/polls/{pid}", f"/threads/{forum.thread_id}"):
            page = await client.get(path, headers=sec)
            assert payload not in page.text, (path, payload)
    assert shown >= len(PAYLOADS) // 2
    report = await client.get(
        f"/api/v1/sessions/{forum.session_id}/report?format=html", headers=sec
    )
    assert report.status_code == 200
    for payload in PAYLOADS:
        assert payload not in report.text, payload
