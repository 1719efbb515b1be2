"""Regenerates docs/screenshots/: the main pages of the demo forum at desktop
(1280x800) and phone (360x740) width, in real Chromium, in English; and the session
and thread pages in each of the six languages. Not a test; run it from the project
folder after changing the look of a page:

    .venv/bin/python tests/e2e/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from forum_server import demo_content
from forum_server.i18n import CODES
from forum_server.migrate import migrate
from tests.e2e.harness import (
    CHROMIUM,
    DESKTOP,
    LAUNCH_ARGS,
    PHONE,
    ROOT,
    Forum,
    Person,
    browser_missing,
    demo_person,
    running_forum,
    sign_in,
)

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
# The pages shown in every language (as the browser asks for it: Accept-Language).
IN_EVERY_LANGUAGE = ("session", "thread")


async def seed(forum: Forum) -> dict[str, tuple[Person, str]]:
    """The demo forum plus an expert-group workspace and something to moderate.
    Returns, per screenshot, who looks and at which page."""
    people = {p.key: await demo_person(forum, p.email) for p in demo_content.PEOPLE}
    moderator = people[demo_content.SESSIONS[0].moderator]
    participant = next(p for key, p in people.items() if not key.startswith("moderator"))

    group = await forum.space(
        "members",
        slug="liaison-group",
        title="Liaison Group on Capacity-building for Biosafety",
        description="The expert group's workspace for its tenth meeting, held online.",
        composition="liaison_group",
    )
    designations = ["party_expert"] * 6 + ["organization_expert"] * 2 + ["observer"]
    for person, designation in zip(list(people.values())[2:], designations, strict=False):
        await forum.call(
            forum.secretariat,
            "PUT",
            f"/api/v1/spaces/{group}/members/{person.id}",
            json={"role": "member", "designation": designation},
        )
    await forum.add_member(group, moderator, role="owner")
    await forum.add_member(group, forum.moderator)  # the session's moderator is a member
    await forum.session(group, title="Draft recommendations for the Framework")

    session = await forum.call(participant, "GET", f"/api/v1/sessions/{forum.demo.session_ids[0]}")
    thread_id = session["questions"][0]["thread_id"]
    posts = (await forum.call(participant, "GET", f"/api/v1/threads/{thread_id}/posts"))["items"]
    await forum.http.post(
        f"/api/v1/posts/{posts[-2]['id']}/flags",
        headers=participant.bearer,
        json={"reason": "This repeats an earlier contribution word for word."},
    )
    open_forum = await forum.space(
        slug="open-forum", title="Open forum on biosafety", guest_posting=True
    )
    open_session = await forum.session(open_forum, title="Public awareness and participation")
    await forum.http.post(
        f"/api/v1/threads/{open_session['questions'][0]['thread_id']}/posts",
        json={
            "guest_name": "Maria (visitor)",
            "body": "Our community radio could carry the forum's questions. Whom do we ask?",
        },
    )
    # The participant's own contribution, which a moderator answers with a mention:
    # their notifications page has something to show, and they may still edit it.
    own = await forum.call(
        participant,
        "POST",
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "Our ministry could host a regional training on risk assessment."},
    )
    name = participant.display_name
    await forum.post(moderator, thread_id, f"Thank you, @[{name}]: which months suit?", own["id"])
    slug, first = forum.demo.space_slug, forum.demo.session_ids[0]
    return {
        "home": (participant, "/"),
        "session": (participant, f"/sessions/{first}"),
        "thread": (participant, f"/threads/{thread_id}"),
        "thread-moderator": (moderator, f"/threads/{thread_id}#post-{posts[-2]['id']}"),
        "post-edit": (participant, f"/posts/{own['id']}/edit"),
        "notifications": (participant, "/notifications"),
        "search": (participant, "/search?q=risk+assessment"),
        "poll": (participant, "/polls/1"),
        "board": (participant, f"/spaces/{slug}/board"),
        "synthesis": (moderator, f"/sessions/{first}/synthesis"),
        "moderation-queue": (forum.secretariat, "/moderation"),
        "participation": (
            forum.secretariat,
            f"/sessions/{forum.demo.workspace_session_id}/participation",
        ),
        "call": (forum.secretariat, "/calls/1"),  # the demo's call to its liaison group
        "focal-points": (forum.secretariat, "/focal-points"),
        "accounts": (forum.secretariat, "/admin/users"),
        "statistics": (forum.secretariat, "/admin/statistics"),
        "workspace": (moderator, f"/spaces/{group}"),
        "workspace-members": (moderator, f"/spaces/{group}/members"),
    }


async def shoot(out: Path) -> list[str]:
    from playwright.async_api import async_playwright

    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="forum-screens-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'forum.db'}"
        await migrate(url)
        async with running_forum(Path(tmp), url) as forum, async_playwright() as playwright:
            shots = await seed(forum)
            browser = await playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=LAUNCH_ARGS
            )
            states: dict[str, object] = {}
            runs = [(name, "en", who, path) for name, (who, path) in shots.items()]
            runs += [
                (name, code, *shots[name])
                for code in CODES
                if code != "en"
                for name in IN_EVERY_LANGUAGE
            ]
            for name, code, who, path in runs:
                suffix = "" if code == "en" else f"-{code}"
                for width, viewport in WIDTHS.items():
                    context = await browser.new_context(
                        base_url=forum.base_url,
                        viewport=viewport,
                        device_scale_factor=1,
                        locale="en-GB" if code == "en" else code,
                        timezone_id="UTC",
                        storage_state=states.get(who.email),  # type: ignore[arg-type]
                    )
                    page = await context.new_page()
                    if who.email not in states:
                        await sign_in(page, who)
                        states[who.email] = await context.storage_state()
                    response = await page.goto(path)
                    if response is None or response.status != 200:
                        notes.append(f"{name}: {path} answered {response and response.status}")
                        await context.close()
                        break
                    target = out / f"{name}{suffix}-{width}.png"
                    await page.screenshot(path=str(target), full_page=False)
                    notes.append(f"{target.name}: {target.stat().st_size // 1024} KB")
                    await context.close()
            await browser.close()
    return notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if reason := browser_missing():
        sys.exit(f"screenshots: {reason}")
    args.out.mkdir(parents=True, exist_ok=True)
    for line in asyncio.run(shoot(args.out.resolve())):
        print(line)


if __name__ == "__main__":
    main()
