"""The moderation pages in French and Arabic: the queue with each language's plural
forms, the audit log in words, and refusals recorded in English whoever caused them
and shown in the language of whoever reads them."""

from __future__ import annotations

import html
import re

import httpx
from starlette.applications import Starlette

from forum_server.i18n import gettext, using_language
from tests.helpers import client_for, sign_in
from tests.moderation.conftest import World, guest_post, published
from tests.moderation.test_audit_log import _every_action

FRENCH = {"Accept-Language": "fr"}
ARABIC = {"Accept-Language": "ar-EG,ar;q=0.9"}
REFUSAL = "Only this session's moderators can do this."
with using_language("fr"):
    ONLY_MODERATORS_IN_FRENCH = gettext(REFUSAL)


def text_of(page: str) -> str:
    body = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(body)).strip()


def html_tag(page: str) -> str:
    match = re.search(r"<html [^>]*>", page)
    assert match, "no <html> element"
    return match.group(0)


def audit_rows(page: str) -> list[list[str]]:
    """The audit table's rows, each as its cells' text."""
    rows = re.findall(r'<tr id="entry-\d+">(.*?)</tr>', page, re.S)
    return [[text_of(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]


async def test_the_queue_in_french(app: Starlette, client: httpx.AsyncClient, world: World):
    await guest_post(client, world.a.thread_id, body="Regional centres help.")
    post_id = await published(client, world)
    flagged = await client.post(
        f"/api/v1/posts/{post_id}/flags", json={"reason": "hors sujet"}, headers=world.h("ana")
    )
    assert flagged.status_code == 201
    async with client_for(app) as browser:
        await sign_in(browser, world.users["mod_a"])
        page = await browser.get("/moderation", headers=FRENCH)
    assert page.status_code == 200
    assert html_tag(page.text) == '<html lang="fr" dir="ltr">'
    seen = text_of(page.text)
    assert "1 contribution en attente de modération" in seen
    assert "1 signalement en cours" in seen
    assert "Signalé par Ana" in seen and "hors sujet" in seen
    assert "Approuver" in seen and "Invité" in seen and "Classer le signalement" in seen
    assert "awaiting review" not in seen and "Approve" not in seen


async def test_the_queue_in_arabic_counts_in_arabic_plural_forms(
    app: Starlette, client: httpx.AsyncClient, world: World
):
    async with client_for(app) as browser:
        browser.headers.update(ARABIC)
        await sign_in(browser, world.users["mod_a"])
        empty = text_of((await browser.get("/moderation")).text)
        assert "لا توجد مساهمات قيد المراجعة" in empty  # zero has its own form
        assert "لا توجد بلاغات مفتوحة" in empty
        await guest_post(client, world.a.thread_id, body="One.")
        one = await browser.get("/moderation")
        await guest_post(client, world.a.thread_id, body="Two.")
        two = await browser.get("/moderation")
        for n in range(3):
            await guest_post(client, world.a.thread_id, body=f"More {n}.")
        five = await browser.get("/moderation")
    assert html_tag(one.text) == '<html lang="ar" dir="rtl">'
    assert "مساهمة واحدة قيد المراجعة" in text_of(one.text)
    assert "مساهمتان قيد المراجعة" in text_of(two.text)
    assert "5 مساهمات قيد المراجعة" in text_of(five.text)
    assert "موافقة" in text_of(five.text) and "ضيف" in text_of(five.text)


async def test_the_audit_log_in_french_names_every_action_in_words(
    app: Starlette, client: httpx.AsyncClient, world: World
):
    await _every_action(client, world)
    async with client_for(app) as browser:
        await sign_in(browser, world.users["mod_a"])
        page = await browser.get(f"/spaces/{world.a.slug}/audit", headers=FRENCH)
    assert page.status_code == 200
    assert html_tag(page.text) == '<html lang="fr" dir="ltr">'
    seen = text_of(page.text)
    assert "Journal d'audit" in seen and "Télécharger au format CSV" in seen
    rows = audit_rows(page.text)
    assert len(rows) >= 16
    for _when, _who, action, target, _reason in rows:
        # No machine names: "post.hidden" or a bare "post" would mean a label is missing.
        assert not re.fullmatch(r"[a-z_.]+( \(.*\))?", action), action
        assert not re.match(r"[a-z]+ \d+$", target), target
    actions = {row[2] for row in rows}
    assert {"Contribution masquée", "Contribution approuvée", "Fil de discussion verrouillé"} <= (
        actions
    )
    assert ["Contribution masquée", "rude"] in [[row[2], row[4]] for row in rows]
    # The filter's choices are in words too; their values stay the stored names.
    assert '<option value="post.hidden">Contribution masquée</option>' in page.text


async def test_a_refusal_is_stored_in_english_and_shown_in_the_readers_language(
    app: Starlette, client: httpx.AsyncClient, world: World
):
    post_id = await published(client, world)
    # Moderator B, whose browser asks for French, tries to act in space A.
    refused = await client.post(
        f"/api/v1/posts/{post_id}/hide",
        json={"reason": "x"},
        headers={**world.h("mod_b"), **FRENCH},
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == {
        "code": "forbidden",
        "message": ONLY_MODERATORS_IN_FRENCH,
    }
    # The record does not depend on who caused it: the API gives the stored English.
    log = await client.get(
        f"/api/v1/spaces/{world.a.slug}/audit?action=refused",
        headers={**world.h("mod_a"), **ARABIC},
    )
    [entry] = log.json()["items"]
    assert entry["reason"] == REFUSAL
    assert entry["details"]["attempted"] == "post.hide"
    # Each reader of the page sees it in their own language.
    async with client_for(app) as browser:
        await sign_in(browser, world.users["mod_a"])
        url = f"/spaces/{world.a.slug}/audit?action=refused"
        arabic = await browser.get(url, headers=ARABIC)
        french = await browser.get(url, headers=FRENCH)
        english = await browser.get(url)
    assert html_tag(arabic.text) == '<html lang="ar" dir="rtl">'
    [[_, who, action, target, reason]] = audit_rows(arabic.text)
    assert (who, action, target) == ("Moderator B", "مرفوض: إخفاء مساهمة", f"المساهمة {post_id}")
    assert reason == "لا يمكن القيام بذلك إلا لمُيسِّري هذه الدورة."
    [[_, _, action, target, reason]] = audit_rows(french.text)
    assert (action, target) == ("Refusé : masquer une contribution", f"Contribution {post_id}")
    assert reason == ONLY_MODERATORS_IN_FRENCH
    [[_, _, action, _, reason]] = audit_rows(english.text)
    assert (action, reason) == ("Refused: hide a post", REFUSAL)
