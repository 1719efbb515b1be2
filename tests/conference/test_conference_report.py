"""A conference's transcript in the reports: grouped by agenda item, each with when it
was planned and discussed, in the messages' order."""

from __future__ import annotations

import json
from datetime import timedelta

from forum_server.db import Database
from forum_server.i18n import gettext, using_language
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.reports.formats import render_bytes
from forum_server.reports.transcript import compile_session_report
from forum_server.rooms import conference
from forum_server.rooms.schemas import AgendaMove, PostCreate
from tests.conftest import SECRETARIAT, MakeUser


async def test_the_transcript_is_grouped_by_agenda_item_with_times(
    db: Database, make_user: MakeUser, make_space, make_session
):
    slug = await make_space()
    planned = utcnow() + timedelta(minutes=30)
    sid = await make_session(
        slug,
        format="conference",
        questions=[
            {"text": "Opening round", "planned_at": planned},
            {"text": "Next steps", "planned_at": planned + timedelta(hours=1)},
        ],
    )
    ana = await make_user(display_name="Ana")
    speaker = Actor(user_id=ana.id, display_name="Ana")
    await conference.move_agenda(db, SECRETARIAT, sid, AgendaMove(number=1))
    for body in ("First thought", "Second thought"):
        await conference.send_message(db, speaker, sid, PostCreate(body=body))
    await conference.move_agenda(db, SECRETARIAT, sid, AgendaMove(number=2))
    await conference.send_message(db, speaker, sid, PostCreate(body="Let us plan"))

    transcript = await compile_session_report(db, SECRETARIAT, sid)
    first, second = transcript.sessions[0].questions
    assert first.agenda and second.agenda
    assert first.agenda.started_at and first.agenda.ended_at == second.agenda.started_at
    assert second.agenda.ended_at is None

    report = json.loads(await render_bytes(transcript, "json"))
    items = report["questions"]
    assert [[p["body"] for p in q["posts"]] for q in items] == [
        ["First thought", "Second thought"],
        ["Let us plan"],
    ]
    assert items[0]["agenda"]["planned_at"][:16] == planned.isoformat()[:16]
    assert items[1]["agenda"]["started_at"] is not None

    markdown = (await render_bytes(transcript, "md")).decode()
    with using_language("en"):
        heading = gettext("Agenda item %(number)s", number=2)
        planned_line = gettext("Planned for %(when)s.", when="").strip(" .")
    assert heading in markdown and planned_line in markdown
    # In the transcript annex, each agenda item's messages come under its heading.
    with using_language("en"):
        annex = markdown[markdown.rindex(gettext("Annex II. Transcript")) :]
    assert annex.index("First thought") < annex.index(heading) < annex.index("Let us plan")
    html = (await render_bytes(transcript, "html")).decode()
    assert heading in html and planned_line in html
