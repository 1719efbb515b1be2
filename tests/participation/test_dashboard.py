"""The participation dashboard: its figures against the membership, who has not taken
part, the questions without an answer, the expected turnout, by page and API."""

from __future__ import annotations

from forum_server.participation.pages import REFRESH_SECONDS
from tests.helpers import bearer, sign_in, token_for


async def test_dashboard_counts_against_the_membership(client, forum):
    sid, tokens = forum["session_id"], forum["tokens"]
    response = await client.get(
        f"/api/v1/sessions/{sid}/participation", headers=tokens["moderator"]
    )
    assert response.status_code == 200, response.text
    found = response.json()
    assert found["posts"] == 1 and found["participants"] == 1
    assert found["base"] == "members"
    # owner, active, quiet, silent (the session's moderator runs it; removed is gone),
    # and the invitation still open
    assert found["expected_people"] == 5 and found["open_invitations"] == 1
    names = [p["name"] for p in found["not_taken_part"]]
    assert names == ["Olga Owner", "Quinn Quiet Canary-Participation-7f3a", "Sami Silent"]
    kenya = next(g for g in found["by_country"] if g["key"] == "KE")
    assert (kenya["participants"], kenya["expected"], kenya["share"]) == (1, 1, 1.0)
    brazil = next(g for g in found["by_country"] if g["key"] == "BR")
    assert (brazil["participants"], brazil["expected"], brazil["share"]) == (0, 1, 0.0)
    female = next(g for g in found["by_gender"] if g["key"] == "female")
    assert female["participants"] == 1 and female["expected"] == 1
    africa = next(g for g in found["by_region"] if g["key"] == "africa")
    assert africa["participants"] == 1
    assert [d["posts"] for d in found["by_day"]] == [1]
    # the first question has an answer, the second none
    assert [q["number"] for q in found["unanswered_questions"]] == [2]
    assert found["last_reminder"] is None and found["next_reminder_at"] is None


async def test_owner_and_secretariat_see_it_too(client, forum, make_user):
    sid = forum["session_id"]
    owner = await client.get(
        f"/api/v1/sessions/{sid}/participation", headers=forum["tokens"]["owner"]
    )
    assert owner.status_code == 200


async def test_expected_turnout_suggests_extending(client, forum):
    sid, headers = forum["session_id"], forum["tokens"]["moderator"]
    path = f"/api/v1/sessions/{sid}/participation/expected"
    bad = await client.put(path, json={"expected_participants": 0}, headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "expected_participants"
    refused = await client.put(
        path, json={"expected_participants": 3}, headers=forum["tokens"]["active"]
    )
    assert refused.status_code == 403
    done = await client.put(path, json={"expected_participants": 3}, headers=headers)
    assert done.status_code == 200 and done.json() == {"expected_participants": 3}
    found = (await client.get(f"/api/v1/sessions/{sid}/participation", headers=headers)).json()
    assert found["expected_participants"] == 3 and found["below_expected"] is True
    cleared = await client.put(path, json={"expected_participants": None}, headers=headers)
    assert cleared.json() == {"expected_participants": None}


async def test_page_without_javascript(client, forum):
    sid = forum["session_id"]
    await sign_in(client, forum["users"]["moderator"])
    page = await client.get(f"/sessions/{sid}/participation")
    assert page.status_code == 200
    assert "Sami Silent" in page.text and "Amina Active" not in page.text
    assert f'data-refresh="{REFRESH_SECONDS}"' in page.text
    assert f'href="/sessions/{sid}/participation/remind"' in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    saved = await client.post(
        f"/sessions/{sid}/participation/expected",
        data={"csrf_token": token, "expected_participants": "4"},
    )
    assert saved.status_code == 303
    again = await client.get(saved.headers["location"])
    assert "Expected participation saved." in again.text
    assert f'href="/sessions/{sid}#field-closes_at"' in again.text  # the suggestion to extend
    wrong = await client.post(
        f"/sessions/{sid}/participation/expected",
        data={"csrf_token": token, "expected_participants": "many"},
    )
    assert wrong.status_code == 422 and "Participants expected" in wrong.text
    session_page = await client.get(f"/sessions/{sid}")
    assert f'href="/sessions/{sid}/participation"' in session_page.text


async def test_public_space_without_members_counts_contributions_only(
    client, make_space, make_session, make_user
):
    slug = await make_space(slug="open-forum")
    moderator = await make_user()
    sid = await make_session(slug, moderator_ids=[moderator.id])
    headers = bearer(await token_for(client, moderator))
    found = (await client.get(f"/api/v1/sessions/{sid}/participation", headers=headers)).json()
    assert found["base"] == "none" and found["not_taken_part"] == []
    participant = bearer(await token_for(client, await make_user()))
    refused = await client.get(f"/api/v1/sessions/{sid}/participation", headers=participant)
    assert refused.status_code == 403
    anonymous = await client.get(f"/api/v1/sessions/{sid}/participation")
    assert anonymous.status_code == 401
