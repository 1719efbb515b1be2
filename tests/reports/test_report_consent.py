"""Attribution with each person's own choice: for every space setting and every choice
Ana Souza (Brazil, MMA Brasil) may make, in every format, the proceedings, highlights,
topics and the list of participants cite her as the most private of the two — and a
download that asks for less gets less, never more."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from sqlalchemy import update

from forum_server.accounts.models import User
from forum_server.db import Database
from forum_server.policy import ATTRIBUTION_ORDER, may_choose_attribution, most_private
from forum_server.reports.formats import FORMATS, render_bytes
from forum_server.reports.transcript import compile_session_report
from forum_server.rooms.models import Space
from tests.conftest import SECRETARIAT
from tests.reports.conftest import Forum

SETTINGS = ("named", "country", "none")
CHOICES = ("named", "country", "none")
NAME, ORGANIZATION, FROM_BRAZIL = "Ana Souza", "MMA Brasil", "A participant from Brazil"
UNNAMED = "participant who asked not to be named"


async def _set(db: Database, forum: Forum, setting: str, choice: str) -> None:
    async with db.write() as uow:
        await uow.session.execute(
            update(Space).where(Space.slug == forum.slug).values(report_attribution=setting)
        )
        await uow.session.execute(
            update(User).where(User.id == forum.users["ana"].id).values(attribution_choice=choice)
        )


def _text(fmt: str, data: bytes) -> str:
    """Everything a reader of the file could find, as text."""
    if fmt == "docx":
        doc = Document(io.BytesIO(data))
        cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
        return "\n".join([*(p.text for p in doc.paragraphs), *cells, xml])
    if fmt == "pdf":
        if shutil.which("pdftotext") is None:
            pytest.fail("pdftotext is needed to read the PDF report back", pytrace=False)
        done = subprocess.run(
            ["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=60
        )
        return " ".join(done.stdout.decode().split())
    text = data.decode("utf-8-sig")
    if fmt == "json":  # escaped characters read back as they are
        text += json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _check(fmt: str, text: str, effective: str) -> None:
    # The attribution's label gives an example ("A participant from Brazil"): not a citation.
    text = text.replace("“A participant from Brazil”", "")
    if effective == "named":
        assert NAME in text and ORGANIZATION in text, fmt
        assert FROM_BRAZIL not in text and UNNAMED not in text, fmt
    elif effective == "country":
        assert NAME not in text and ORGANIZATION not in text, fmt
        assert FROM_BRAZIL in text, fmt
    else:
        assert NAME not in text and ORGANIZATION not in text, fmt
        assert FROM_BRAZIL not in text, fmt


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("setting", SETTINGS)
async def test_a_person_is_cited_as_the_most_private_of_setting_and_choice(
    db: Database, forum: Forum, setting: str, choice: str, fmt: str
) -> None:
    await _set(db, forum, setting, choice)
    t = await compile_session_report(db, SECRETARIAT, forum.session_id)
    text = _text(fmt, await render_bytes(t, fmt))
    effective = most_private(setting, choice)
    _check(fmt, text, effective)
    # Everyone else keeps the space's setting: only her own choice moved her.
    assert ("Bjørn Eriksen" in text) is (setting == "named"), fmt
    # The list of participants (named reports) follows her choice too.
    listed = [(p.name, p.country, p.organization) for p in t.participants]
    if setting != "named":
        assert listed == []
    elif effective == "named":
        assert (NAME, "Brazil", ORGANIZATION) in listed
    elif effective == "country":
        assert (FROM_BRAZIL, "Brazil", None) in listed
        assert all(NAME not in name for name, _, _ in listed)
    else:
        assert all(NAME not in n and c != "Brazil" for n, c, _ in listed)
        assert listed[-1][0] == f"1 {UNNAMED}"
    if setting == "named" and fmt in {"md", "html", "json"}:
        shown = (f"1 {UNNAMED}" in text) is (effective == "none")
        assert shown, fmt


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("setting", SETTINGS)
async def test_the_downloader_never_gets_more_than_setting_request_and_choice_allow(
    db: Database, forum: Forum, setting: str, choice: str
) -> None:
    await _set(db, forum, setting, choice)
    for requested in ATTRIBUTION_ORDER:
        if not may_choose_attribution(setting, requested):
            continue
        t = await compile_session_report(db, SECRETARIAT, forum.session_id, attribution=requested)
        for fmt in ("md", "csv", "json"):
            text = _text(fmt, await render_bytes(t, fmt))
            _check(fmt, text, most_private(setting, requested, choice))


async def test_a_changed_choice_applies_to_reports_compiled_afterwards(
    db: Database, forum: Forum
) -> None:
    await _set(db, forum, "named", "named")
    before = await compile_session_report(db, SECRETARIAT, forum.session_id)
    await _set(db, forum, "named", "none")
    after = await compile_session_report(db, SECRETARIAT, forum.session_id)
    assert NAME in _text("md", await render_bytes(before, "md"))
    assert NAME not in _text("md", await render_bytes(after, "md"))
    assert FROM_BRAZIL not in _text("md", await render_bytes(after, "md"))
    highlights = [p.author for p in after.highlights]  # her post p2 is highlighted
    assert "A participant" in highlights and NAME not in highlights
