"""`forum-server report` on the command line, and the pages' download control."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import update
from starlette.applications import Starlette

from forum_server.cli import main
from forum_server.db import Database
from forum_server.errors import Forbidden
from forum_server.i18n import CODES
from forum_server.reports.access import session_report_download
from forum_server.reports.command import write_report
from forum_server.reports.formats import FORMATS
from forum_server.rooms.models import Space
from forum_server.settings import Settings
from tests.reports.conftest import Forum, actor
from tests.rooms.conftest import browser  # noqa: F401  (the fixture, signed in as a user)


def test_cli_writes_the_report_file(
    tmp_path: Path,
    database_url: str,
    forum: Forum,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    # In-process (tests/test_cli.py runs the real `python -m forum_server` already).
    monkeypatch.setenv("FORUM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FORUM_DATABASE_URL", database_url)
    target = tmp_path / "out" / "report.docx"
    target.parent.mkdir()
    args = [str(forum.session_id), "--format", "docx", "--attribution", "country"]
    assert main(["report", *args, "-o", str(target)]) == 0
    assert f"wrote {target}" in capsys.readouterr().err
    doc = Document(io.BytesIO(target.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Question 1" in text and "A participant from Brazil" in text
    assert "Ana Souza" not in text
    assert not list(target.parent.glob("*.part"))

    monkeypatch.chdir(tmp_path)  # without -o: a file named after the title and the date
    assert main(["report", "--space", forum.slug, "--format", "csv"]) == 0
    (written,) = tmp_path.glob("online-forum-on-capacity-building-*.csv")
    assert written.read_bytes().count(b"\r\n") == 9  # the header and 8 posts

    assert main(["report", "999999", "--format", "md"]) == 2
    assert "No such session. (not_found)" in capsys.readouterr().err
    assert main(["report", "--format", "md"]) == 2


def _render(app: Starlette, **context: object) -> str:
    html: str = app.state.ctx.templates.render_string("reports/_download.html", context)
    return html


async def test_download_control_shows_only_when_allowed(app: Starlette):
    assert _render(app, can_download_report=False, session={"id": 7}).strip() == ""
    assert _render(app, session={"id": 7}).strip() == ""  # pages that do not say
    session_form = _render(app, can_download_report=True, session={"id": 7})
    assert 'action="/api/v1/sessions/7/report"' in session_form
    assert 'method="get"' in session_form and "Download report" in session_form
    space_form = _render(app, can_download_report=True, space={"slug": "forum-1"})
    assert 'action="/api/v1/spaces/forum-1/report"' in space_form
    offered = re.findall(r'<option value="(\w+)"', session_form)
    # Formats, attributions, and the six languages (the report's; its contributions').
    assert set(offered) == set(FORMATS) | {"named", "country", "none"} | set(CODES)


async def test_downloads_never_identify_more_than_the_space_allows(
    app: Starlette,
    db: Database,
    forum: Forum,
    tmp_path: Path,
    settings: Settings,
):
    async with db.write() as uow:
        await uow.session.execute(
            update(Space).where(Space.slug == forum.slug).values(report_attribution="country")
        )
    # The page offers only what the setting allows.
    async with db.read() as session:
        choice = await session_report_download(session, actor(forum.users["mod"]), forum.session_id)
    assert choice is not None and choice.attributions == ("country", "none")
    form = _render(app, can_download_report=choice, session={"id": forum.session_id})
    offered = re.findall(r'<option value="(\w+)"', form)
    assert "named" not in offered and {"country", "none"} <= set(offered)
    # The command line acts as the secretariat, and is held to the setting too.
    target = tmp_path / "named.md"
    options = {"session_id": forum.session_id, "space_slug": None, "format_name": "md"}
    with pytest.raises(Forbidden) as refused:
        await write_report(settings, output=str(target), attribution="named", **options)
    assert refused.value.code == "attribution_not_allowed" and not target.exists()
    await write_report(settings, output=str(target), attribution="none", **options)
    assert "Ana Souza" not in target.read_text()


async def test_moderators_set_the_report_cover_on_the_session_page(
    forum: Forum,
    browser,  # noqa: F811
):
    """Without JavaScript: a form on the session page, and the report's cover shows it."""
    from tests.helpers import csrf_from

    page = f"/sessions/{forum.session_id}"
    action = f"{page}/report-cover"
    async with browser(forum.users["ana"]) as http:
        assert f'action="{action}"' not in (await http.get(page)).text
        token = await csrf_from(http, page)
        refused = await http.post(action, data={"csrf_token": token, "report_symbol": "X"})
        assert refused.status_code == 403
    async with browser(forum.users["mod"]) as http:
        assert f'action="{action}"' in (await http.get(page)).text
        token = await csrf_from(http, page)
        too_long = await http.post(action, data={"csrf_token": token, "report_symbol": "S" * 101})
        assert too_long.status_code == 422 and 'value="' + "S" * 101 in too_long.text
        done = await http.post(
            action,
            data={
                "csrf_token": token,
                "report_symbol": "CBD/CP/LG-CB/10/INF/2",
                "report_distribution": "Limited distribution",
            },
        )
        assert done.status_code == 303
        assert done.headers["location"] == f"{page}?notice=report_cover_changed"
        shown = (await http.get(done.headers["location"])).text
        assert 'value="CBD/CP/LG-CB/10/INF/2"' in shown
        md = (await http.get(f"/api/v1/sessions/{forum.session_id}/report?format=md")).text
        cover = md.split("\n# ")[0]
        assert "CBD/CP/LG-CB/10/INF/2" in cover and "Limited distribution" in cover


async def test_a_members_sessions_cover_form_tells_outsiders_nothing(
    members_forum: Forum,
    browser,  # noqa: F811
):
    from tests.helpers import csrf_from

    forum = members_forum
    page = f"/sessions/{forum.session_id}"
    for who, status in (("outsider", 404), ("member", 403)):
        async with browser(forum.users[who]) as http:
            token = await csrf_from(http, "/")
            data = {"csrf_token": token, "report_symbol": "LEAK/1"}
            response = await http.post(f"{page}/report-cover", data=data)
            assert response.status_code == status, who
            if who == "outsider":  # a member may see the session, not change its cover
                assert "Session I" not in response.text
            api = await http.patch(f"/api/v1/sessions/{forum.session_id}", json=data)
            assert api.status_code in (403, status), who
