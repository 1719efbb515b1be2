"""The forum's pages and messages in the reader's language: French and Arabic (written
right to left) for the home, session and thread pages, their notices and form errors,
times in the reader's language and time zone, and the API's errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from forum_server.accounts.models import User
from forum_server.accounts.queries import UserView
from forum_server.db import Database
from forum_server.i18n import using_language
from forum_server.orm import utcnow
from forum_server.rooms.pages.shared import duration_text
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for
from tests.rooms.test_pages import text_of

FRENCH = {"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5"}
ARABIC = {"Accept-Language": "ar"}


def html_tag(page: str) -> str:
    found = re.search(r"<html [^>]*>", page)
    assert found
    return found.group(0)


@pytest.fixture
async def forum(make_space, make_session, client: httpx.AsyncClient) -> dict[str, Any]:
    slug = await make_space(slug="forum", title="Forum en ligne", description="Un *forum*.")
    now = utcnow().replace(microsecond=0)
    session_id = await make_session(
        slug,
        title="Approches stratégiques",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=3, hours=4, minutes=30),
    )
    later = await make_session(
        slug,
        title="Session suivante",
        opens_at=datetime(2030, 3, 1, 9, 0, tzinfo=UTC),
        closes_at=datetime(2030, 3, 15, 17, 0, tzinfo=UTC),
    )
    detail = (await client.get(f"/api/v1/sessions/{session_id}")).json()
    return {
        "session": f"/sessions/{session_id}",
        "later": f"/sessions/{later}",
        "thread": f"/threads/{detail['questions'][0]['thread_id']}",
    }


async def test_the_home_page_in_french_and_in_arabic(
    client: httpx.AsyncClient, forum: dict[str, Any]
) -> None:
    french = (await client.get("/", headers=FRENCH)).text
    assert html_tag(french) == '<html lang="fr" dir="ltr">'
    seen = text_of(french)
    assert "Forums et espaces de travail" in seen and "Bienvenue" in seen
    assert "Forums and workspaces" not in seen

    arabic = (await client.get("/", headers=ARABIC)).text
    assert html_tag(arabic) == '<html lang="ar" dir="rtl">'
    assert "المنتديات ومساحات العمل" in text_of(arabic)
    # What people wrote keeps its own direction inside the right-to-left page.
    assert '<a href="/spaces/forum" dir="auto">Forum en ligne</a>' in arabic


async def test_the_session_page_in_french(client: httpx.AsyncClient, forum: dict[str, Any]) -> None:
    page = (await client.get(forum["session"], headers=FRENCH)).text
    seen = text_of(page)
    assert "Ouverte — se termine dans 3 jours 4 heures" in seen
    assert "Questions d'orientation" in seen
    assert "Question 1 What has worked? 0 contribution" in seen  # French: 0 is singular
    assert 'aria-label="Fil d\'Ariane"' in page
    later = text_of((await client.get(forum["later"], headers=FRENCH)).text)
    # Times as French writes them, in UTC for a reader without a time zone of their own.
    assert "Programmée — ouvre le 1 mars 2030, 09:00:00 UTC" in later


async def test_the_session_page_in_arabic_reads_right_to_left(
    client: httpx.AsyncClient, forum: dict[str, Any]
) -> None:
    page = (await client.get(forum["session"], headers=ARABIC)).text
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    seen = text_of(page)
    assert "الأسئلة التوجيهية" in seen and "مفتوحة — تُغلق بعد 3 أيام و4 ساعات" in seen
    assert "السؤال 1" in seen and "لا مساهمات" in seen


async def test_the_thread_page_in_french_and_in_arabic(
    browser, make_user: MakeUser, forum: dict[str, Any]
) -> None:
    user = await make_user()
    async with browser(user) as http:
        french = text_of((await http.get(forum["thread"], headers=FRENCH)).text)
        arabic = (await http.get(forum["thread"], headers=ARABIC)).text
    assert "Ajoutez votre contribution" in french and "Langue de votre contribution" in french
    assert "Aucune contribution pour l'instant." in french
    assert html_tag(arabic) == '<html lang="ar" dir="rtl">'
    assert "أضيفوا مساهمتكم" in text_of(arabic)
    assert '<option value="ar" lang="ar" selected>العربية</option>' in arabic


async def test_an_accounts_language_and_time_zone_win_over_the_browsers(
    browser, db: Database, make_user: MakeUser, forum: dict[str, Any]
) -> None:
    user: UserView = await make_user()
    async with db.write() as uow:
        await uow.session.execute(
            update(User).where(User.id == user.id).values(language="fr", time_zone="Europe/Paris")
        )
    async with browser(user) as http:
        page = (await http.get(forum["later"], headers={"Accept-Language": "ru"})).text
    assert html_tag(page) == '<html lang="fr" dir="ltr">'
    # 09:00 UTC on 1 March is 10:00 in Paris; the <time> keeps the exact moment.
    assert '<time datetime="2030-03-01T09:00:00+00:00">1 mars 2030, 10:00:00 CET</time>' in page


async def test_notices_and_form_errors_in_french(
    browser, make_user: MakeUser, forum: dict[str, Any]
) -> None:
    secretariat = await make_user(is_secretariat=True)
    async with browser(secretariat) as http:
        http.headers.update(FRENCH)
        token = re.search(r'name="csrf-token" content="([^"]+)"', (await http.get("/")).text)
        assert token
        bad = await http.post(
            "/spaces/new",
            data={"csrf_token": token.group(1), "slug": "Pas Bon", "title": "x" * 201},
        )
        assert bad.status_code == 422
        seen = text_of(bad.text)
        assert "Veuillez corriger les champs signalés ci-dessous." in seen
        assert "Utilisez de 1 à 64 lettres minuscules" in seen
        assert "Ne doit pas dépasser 200 caractères." in seen
        made = await http.post(
            "/spaces/new",
            data={"csrf_token": token.group(1), "slug": "atelier", "title": "Atelier"},
        )
        assert made.status_code == 303
        shown = text_of((await http.get(made.headers["location"])).text)
        assert "L'espace est créé." in shown
        missing = await http.get("/sessions/999999")
        assert missing.status_code == 404
        assert "Introuvable" in text_of(missing.text) and "Session introuvable." in missing.text


async def test_the_apis_errors_in_the_callers_language(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    secretariat = await make_user(is_secretariat=True)
    token = bearer(await token_for(client, secretariat))

    async def error(body: dict[str, Any], language: str) -> dict[str, Any]:
        headers = {**token, "Accept-Language": language}
        response = await client.post("/api/v1/spaces", json=body, headers=headers)
        assert response.status_code == 422
        found: dict[str, Any] = response.json()["error"]
        return found

    missing = await error({"slug": "atelier"}, "fr")
    assert missing == {"code": "invalid", "message": "title : est obligatoire", "field": "title"}
    extra = await error({"slug": "atelier", "title": "A", "colour": "red"}, "fr")
    assert extra["message"] == "colour : n'est pas un champ accepté par cet appel"
    too_long = await error({"slug": "atelier", "title": "x" * 201}, "ar")
    assert too_long["message"] == "title: يجب ألا يتجاوز 200 حرف"
    choice = await error({"slug": "atelier", "title": "A", "visibility": "secret"}, "ru")
    assert choice["message"] == "visibility: должно быть одним из значений: 'public', 'members'"
    # Codes and field names stay as they are: they are the API's, not words.
    assert choice["code"] == "invalid" and choice["field"] == "visibility"


@pytest.mark.parametrize(
    ("code", "delta", "expected"),
    [
        ("ru", timedelta(days=2, hours=1), "2 дня 1 час"),
        ("ru", timedelta(days=5, hours=11), "5 дней 11 часов"),
        ("ar", timedelta(hours=2, minutes=3), "ساعتان و3 دقائق"),
        ("ar", timedelta(days=11), "11 يومًا"),
        ("zh", timedelta(hours=1, minutes=1), "1小时1分钟"),
        ("fr", timedelta(seconds=20), "moins d'une minute"),
        ("en", timedelta(days=1, minutes=1), "1 day"),
    ],
)
def test_time_left_agrees_with_its_numbers(code: str, delta: timedelta, expected: str) -> None:
    with using_language(code):
        assert duration_text(delta) == expected
