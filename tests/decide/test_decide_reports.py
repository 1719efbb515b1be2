"""Polls, proposals and reactions in the session's report: counts, a chart, reasons
grouped by position, the outcome; a named poll's votes as CSV; nothing that says who
voted what in an anonymous poll, in any format."""

from __future__ import annotations

import io

import httpx
from docx import Document

from forum_server.reports import to_pdf
from tests.decide.conftest import Forum


async def _proposal(client: httpx.AsyncClient, forum: Forum, *, anonymous: bool) -> int:
    sec = forum.headers["secretariat"]
    poll = await client.post(
        f"/api/v1/sessions/{forum.session_id}/polls",
        json={
            "kind": "proposal",
            "title": "Anonymous plan" if anonymous else "Adopt the work plan",
            "thread_id": forum.thread_id,
            "anonymous": anonymous,
        },
        headers=sec,
    )
    poll_id = int(poll.json()["id"])
    for who, position, reason in (("ana", "agree", "Clear steps."), ("ben", "block", "No budget.")):
        await client.put(
            f"/api/v1/polls/{poll_id}/vote",
            json={"position": position, "reason": reason},
            headers=forum.headers[who],
        )
    await client.post(f"/api/v1/polls/{poll_id}/close", headers=sec)
    await client.put(
        f"/api/v1/polls/{poll_id}/outcome",
        json={"outcome": "Revised with a budget line."},
        headers=sec,
    )
    return poll_id


async def report(client: httpx.AsyncClient, forum: Forum, fmt: str) -> httpx.Response:
    return await client.get(
        f"/api/v1/sessions/{forum.session_id}/report?format={fmt}",
        headers=forum.headers["secretariat"],
    )


async def test_the_report_shows_results_reasons_chart_and_outcome(
    client: httpx.AsyncClient, forum: Forum
):
    await _proposal(client, forum, anonymous=False)
    post = await client.post(
        f"/api/v1/threads/{forum.thread_id}/posts",
        json={"body": "Train the trainers."},
        headers=forum.headers["ana"],
    )
    await client.put(
        f"/api/v1/posts/{post.json()['id']}/reactions/agree", headers=forum.headers["ben"]
    )
    html = (await report(client, forum, "html")).text
    assert "Adopt the work plan" in html and "Revised with a budget line." in html
    assert "User 3: No budget." in html
    assert 'alt="Votes: Agree 1, Abstain 0, Disagree 0, Block 1"' in html
    assert "Agree 1" in html  # the contribution's reactions in its byline
    md = (await report(client, forum, "md")).text
    assert "Revised with a budget line." in md and "- Block: 1" in md
    doc = Document(io.BytesIO((await report(client, forum, "docx")).content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Revised with a budget line." in text and "User 2: Clear steps." in text
    assert doc.inline_shapes  # the charts, the poll's among them
    if to_pdf._weasyprint() is not None:  # the PDF is the HTML, printed: chart and all
        pdf = await report(client, forum, "pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pdf.content.count(b"/Subtype /Image") >= 2
    data = (await report(client, forum, "json")).json()
    poll = data["session"]["polls"][0]
    assert poll["outcome"] == "Revised with a budget line."
    assert [o["count"] for o in poll["options"]] == [1, 0, 0, 1]


async def test_an_anonymous_poll_stays_anonymous_in_every_format(
    client: httpx.AsyncClient, forum: Forum
):
    poll_id = await _proposal(client, forum, anonymous=True)
    for fmt in ("html", "md", "json"):
        text = (await report(client, forum, fmt)).text
        assert "No budget." in text  # the reason, grouped under its position
        assert "User 3: No budget." not in text and "User 2: Clear steps." not in text
    refused = await client.get(
        f"/api/v1/polls/{poll_id}/votes.csv", headers=forum.headers["secretariat"]
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "poll_anonymous"


async def test_a_named_polls_votes_as_csv_for_report_readers(
    client: httpx.AsyncClient, forum: Forum
):
    poll_id = await _proposal(client, forum, anonymous=False)
    got = await client.get(
        f"/api/v1/polls/{poll_id}/votes.csv", headers=forum.headers["secretariat"]
    )
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    lines = got.text.lstrip("\ufeff").splitlines()
    assert lines[0] == "poll_id,voter,country,choices,position,reason"
    assert f"{poll_id},User 3,Kenya,,Block,No budget." in lines
    participant = await client.get(
        f"/api/v1/polls/{poll_id}/votes.csv", headers=forum.headers["ana"]
    )
    assert participant.status_code == 403
