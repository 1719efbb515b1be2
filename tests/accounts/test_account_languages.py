"""The account pages in the reader's language: French and Arabic pages, the profile's
language and time zone, the footer's switcher, and API errors whose message is
translated while the code stays English."""

from __future__ import annotations

import html
import re

import httpx
from starlette.applications import Starlette

from tests.conftest import MakeUser
from tests.helpers import client_for, csrf_from, sign_in

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
ARABIC = {"Accept-Language": "ar"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def text_of(page: str) -> str:
    """What a reader sees: tags removed, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(body)).strip()


def html_tag(page: str) -> str:
    match = re.search(r"<html [^>]*>", page)
    assert match, "no <html> element"
    return match.group(0)


def selected(page: str, name: str) -> str | None:
    """The value of the chosen option of the <select name=…>, None when none is chosen."""
    select = re.search(rf'<select id="field-{name}" name="{name}".*?</select>', page, re.S)
    assert select, f"no select {name}"
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0))
    return chosen.group(1) if chosen else None


async def test_the_sign_in_and_registration_pages_in_french_and_arabic(client: httpx.AsyncClient):
    login = await client.get("/login", headers=FRENCH)
    assert html_tag(login.text) == '<html lang="fr" dir="ltr">'
    seen = text_of(login.text)
    assert "Se connecter" in seen and "Mot de passe oublié ?" in seen
    assert "Adresse électronique" in seen and "Sign in" not in seen
    arabic = await client.get("/login", headers=ARABIC)
    assert html_tag(arabic.text) == '<html lang="ar" dir="rtl">'
    assert "هل نسيت كلمة المرور؟" in text_of(arabic.text)

    register = await client.get("/register", headers=ARABIC)
    assert html_tag(register.text) == '<html lang="ar" dir="rtl">'
    seen = text_of(register.text)
    assert "إنشاء حساب" in seen and "الاسم الظاهر للآخرين" in seen
    # The choices too: affiliations from our catalogue, countries from pycountry's.
    assert "طرف في البروتوكول" in seen and "البرازيل" in seen
    assert "Party to the Protocol" not in seen and "Brazil" not in seen


async def test_a_refused_sign_in_says_why_in_the_readers_language(
    client: httpx.AsyncClient, make_user: MakeUser
):
    user = await make_user()
    token = await csrf_from(client)
    refused = await client.post(
        "/login",
        data={"email": user.email, "password": "not the password", "csrf_token": token},
        headers=FRENCH,
    )
    assert refused.status_code == 401
    assert "L'adresse électronique ou le mot de passe est incorrect." in text_of(refused.text)


async def test_registration_errors_and_countries_in_french(client: httpx.AsyncClient):
    token = await csrf_from(client, "/register")
    form = {
        "csrf_token": token,
        "email": "nouveau@example.org",
        "password": "court",
        "display_name": "Nouveau",
        "country": "BO",
    }
    refused = await client.post("/register", data=form, headers=FRENCH)
    assert refused.status_code == 422
    seen = text_of(refused.text)
    assert "Le mot de passe doit comporter au moins 10 caractères." in seen
    assert "Veuillez corriger les champs signalés ci-dessous." in seen
    # Countries are French and sorted as French readers expect: accents do not matter.
    names = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', refused.text)
    assert ("BO", "Bolivie") in names and ("DE", "Allemagne") in names
    french = [name for _, name in names]
    assert french.index("Égypte") < french.index("Émirats arabes unis") < french.index("Équateur")
    assert french.index("Allemagne") < french.index("Égypte") < french.index("Fidji")


async def test_french_chosen_in_the_profile_wins_over_an_english_browser(
    app: Starlette, make_user: MakeUser
):
    user = await make_user()
    async with client_for(app) as browser:
        browser.headers.update(ENGLISH)
        await sign_in(browser, user)
        token = await csrf_from(browser, "/profile")
        saved = await browser.post(
            "/profile",
            data={
                "csrf_token": token,
                "display_name": user.display_name,
                "language": "fr",
                "time_zone": "America/La_Paz",
            },
        )
        assert saved.status_code == 303
        page = await browser.get(saved.headers["location"])
        assert html_tag(page.text) == '<html lang="fr" dir="ltr">'
        seen = text_of(page.text)
        assert "Vos modifications sont enregistrées." in seen and "Votre profil" in seen
        assert selected(page.text, "language") == "fr"
        assert selected(page.text, "time_zone") == "America/La_Paz"
        # Even the switcher's cookie saying English gives way to the account's choice.
        browser.cookies.set("forum_lang", "en")
        assert html_tag((await browser.get("/moderation")).text).startswith('<html lang="fr"')
        me = (await browser.get("/api/v1/me")).json()
        assert (me["language"], me["time_zone"]) == ("fr", "America/La_Paz")

        # Blank again: back to following the browser, and UTC.
        token = await csrf_from(browser, "/profile")
        form = {"csrf_token": token, "display_name": user.display_name}
        cleared = await browser.post("/profile", data={**form, "language": "", "time_zone": ""})
        assert cleared.status_code == 303
        browser.cookies.delete("forum_lang")
        page = await browser.get("/profile")
        assert html_tag(page.text) == '<html lang="en" dir="ltr">'
        assert selected(page.text, "language") is None
        assert selected(page.text, "time_zone") is None


async def test_a_time_zone_that_does_not_exist_is_refused_clearly(
    app: Starlette, make_user: MakeUser
):
    user = await make_user()
    async with client_for(app) as browser:
        await sign_in(browser, user)
        for headers, said in [
            ({}, "Must be a time zone such as Europe/Paris or UTC."),
            (FRENCH, "Doit être un fuseau horaire tel que Europe/Paris ou UTC."),
        ]:
            token = await csrf_from(browser, "/profile")
            refused = await browser.post(
                "/profile",
                data={
                    "csrf_token": token,
                    "display_name": "A new name",
                    "time_zone": "Mars/Olympus_Mons",
                },
                headers=headers,
            )
            assert refused.status_code == 422
            error = re.search(r'id="field-time_zone-error">(.*?)</p>', refused.text, re.S)
            assert error and said in text_of(error.group(1))
            assert 'value="A new name"' in refused.text  # what was typed is kept
        me = (await browser.get("/api/v1/me")).json()
        assert (me["display_name"], me["time_zone"]) == (user.display_name, None)  # nothing saved


async def test_the_profile_page_in_arabic(app: Starlette, make_user: MakeUser):
    user = await make_user(country="EG")
    async with client_for(app) as browser:
        browser.headers.update(ARABIC)
        await sign_in(browser, user)
        page = await browser.get("/profile")
    assert html_tag(page.text) == '<html lang="ar" dir="rtl">'
    seen = text_of(page.text)
    assert "ملفك الشخصي" in seen and "تغيير كلمة المرور" in seen
    assert "الدول الأفريقية" in seen  # the UN regional group, by its Arabic name
    assert selected(page.text, "country") == "EG" and ">مصر</option>" in page.text
    # Each language is offered in its own words whatever the page's language.
    assert ">Français</option>" in page.text and ">中文</option>" in page.text


async def test_the_switcher_works_signed_out_and_brings_the_reader_back(
    client: httpx.AsyncClient,
):
    page = await client.get("/register?from=footer")
    switcher = re.search(r'<form class="language-switcher".*?</form>', page.text, re.S)
    assert switcher, "no language switcher in the footer"
    back = re.search(r'name="next" value="([^"]*)"', switcher.group(0))
    assert back and html.unescape(back.group(1)) == "/register?from=footer"
    token = await csrf_from(client, "/register")
    chosen = await client.post(
        "/language", data={"csrf_token": token, "lang": "ar", "next": html.unescape(back.group(1))}
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/register?from=footer"
    assert client.cookies.get("forum_lang") == "ar"
    # The cookie outweighs the browser's own preference.
    again = await client.get(chosen.headers["location"], headers=FRENCH)
    assert html_tag(again.text) == '<html lang="ar" dir="rtl">'
    assert "إنشاء حساب" in text_of(again.text)


async def test_the_switcher_refuses_a_language_it_does_not_offer(client: httpx.AsyncClient):
    token = await csrf_from(client)
    for lang in ("x" * 40, "", "fr-CA", "de"):
        refused = await client.post(
            "/language", data={"csrf_token": token, "lang": lang, "next": "/login"}
        )
        assert refused.status_code == 422, lang
        assert "forum_lang" not in refused.headers.get("set-cookie", "")
    assert "lang: must be one of ar, zh, en, fr, ru, es" in text_of(refused.text)
    # Said in the language the reader already has.
    french = await client.post(
        "/language", data={"csrf_token": token, "lang": "de"}, headers=FRENCH
    )
    assert "doit être l'une des valeurs suivantes" in text_of(french.text)
    assert client.cookies.get("forum_lang") is None


async def test_the_switcher_stores_a_signed_in_readers_choice_on_the_account(
    app: Starlette, make_user: MakeUser
):
    user = await make_user()
    async with client_for(app) as browser:
        await sign_in(browser, user)
        token = await csrf_from(browser, "/profile")
        chosen = await browser.post(
            "/language", data={"csrf_token": token, "lang": "ru", "next": "/profile"}
        )
        assert chosen.status_code == 303 and chosen.headers["location"] == "/profile"
        assert (await browser.get("/api/v1/me")).json()["language"] == "ru"
    # Another browser, never switched and asking for English: the account's choice follows.
    async with client_for(app) as elsewhere:
        elsewhere.headers.update(ENGLISH)
        await sign_in(elsewhere, user)
        page = await elsewhere.get("/profile")
        assert html_tag(page.text) == '<html lang="ru" dir="ltr">'
        assert "Ваш профиль" in text_of(page.text)
        assert selected(page.text, "language") == "ru"


async def test_api_errors_are_translated_but_their_codes_stay_english(
    client: httpx.AsyncClient, make_user: MakeUser
):
    user = await make_user()
    wrong = {"email": user.email, "password": "not the password"}
    french = await client.post("/api/v1/tokens", json=wrong, headers=FRENCH)
    english = await client.post("/api/v1/tokens", json=wrong, headers=ENGLISH)
    assert french.status_code == english.status_code == 401
    assert french.json() == {
        "error": {
            "code": "invalid_credentials",
            "message": "L'adresse électronique ou le mot de passe est incorrect.",
        }
    }
    assert english.json()["error"] == {
        "code": "invalid_credentials",
        "message": "E-mail address or password is wrong.",
    }
    assert "Accept-Language" in french.headers["vary"]
    # A refusal from the policy module, with a placeholder filled in, in Arabic.
    weak = {"email": "new@example.org", "password": "short", "display_name": "New"}
    arabic = await client.post("/api/v1/users", json=weak, headers=ARABIC)
    assert arabic.status_code == 422
    assert arabic.json()["error"] == {
        "code": "invalid",
        "message": "يجب ألا تقل كلمة المرور عن 10 أحرف.",
        "field": "password",
    }
