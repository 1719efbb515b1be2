"""Mentions in the one Markdown renderer: only names the caller resolved become links
(to /people/<id>, class "mention", the display name as text); everything else stays
text, and the output stays as safe as any post, for every line of the XSS corpus as a
display name and as a written name."""

from __future__ import annotations

import time

import pytest

from forum_server.rooms.markdown import MAX_SOURCE_CHARS, mention_key, mentioned_in
from forum_server.rooms.markdown import render_markdown as render
from forum_server.rooms.mentions import mention_text, resolve, written_names
from tests.rooms.test_markdown import SafetyChecker, load_payloads

PEOPLE = {"amina": (3, "Amina"), "jean dupont": (4, "Jean Dupont")}


class MentionSafety(SafetyChecker):
    """The post's contract, with the one class it may carry: a mention link's."""

    def _check_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("class") == "mention":
            if not (found.get("href") or "").startswith("/people/"):
                self.problems.append(f"mention link to {found.get('href')!r}")
            attrs = [(name, value) for name, value in attrs if name != "class"]
        super()._check_tag(tag, attrs)


def problems(html: str) -> list[str]:
    checker = MentionSafety()
    checker.feed(html)
    checker.close()
    return checker.problems


def test_resolved_names_become_links_with_the_display_name() -> None:
    html = render("Thanks @Amina and @[jean   DUPONT]!", PEOPLE)
    assert html == (
        '<p>Thanks <a href="/people/3" class="mention" rel="nofollow ugc noopener">@Amina</a>'
        ' and <a href="/people/4" class="mention" rel="nofollow ugc noopener">@Jean Dupont</a>'
        "!</p>\n"
    )
    assert mentioned_in(html) == {3, 4}


@pytest.mark.parametrize(
    "source",
    [
        "`@Amina` in code",
        "    @Amina in a code block",
        "[see @Amina](https://example.org)",  # no link inside a link
        "write to someone@Amina.example",  # an address, not a mention
        "@Nobody and @[Not Here]",
        "@[Amina",
    ],
)
def test_anything_else_stays_text(source: str) -> None:
    html = render(source, PEOPLE)
    assert mentioned_in(html) == set() and 'class="mention"' not in html


def test_without_resolved_people_nothing_is_a_mention() -> None:
    assert mentioned_in(render("@Amina", None)) == set()
    assert render("@Amina") == "<p>@Amina</p>\n"


def test_a_typed_link_cannot_pass_for_a_mention() -> None:
    html = render('[@Amina](/people/3) <a class="mention" href="/people/5">x</a>', PEOPLE)
    assert mentioned_in(html) == set()
    assert "&lt;a class=" in html and "<a class=" not in html  # raw HTML is text
    assert html.count('class="mention"') == 1  # only in that text


def test_every_xss_payload_as_a_display_name_is_text() -> None:
    failures = []
    for number, payload in enumerate(load_payloads(), start=1):
        html = render("Hello @[x]", {"x": (1, payload)})
        if problems(html) or mentioned_in(html) != {1}:
            failures.append((number, payload, problems(html)))
    assert failures == []


def test_every_xss_payload_as_a_written_name_renders_safely() -> None:
    failures = []
    for number, payload in enumerate(load_payloads(), start=1):
        source = f"@[{payload}] and @{payload}"
        people = {key: (1, "Named") for key in written_names(source)}
        html = render(source, people)
        if problems(html):
            failures.append((number, payload, problems(html)))
    assert failures == []


@pytest.mark.parametrize("unit", ["@", "@[", "@[a", "@a@", "@[" + "x" * 99 + "]"])
def test_hostile_runs_of_mentions_render(unit: str) -> None:
    source = (unit * (MAX_SOURCE_CHARS // len(unit)))[:MAX_SOURCE_CHARS]
    began = time.perf_counter()
    render(source, {key: (1, "X") for key in written_names(source)})
    assert time.perf_counter() - began < 30  # it finishes; the figure is not the test


def test_written_names_are_capped_and_resolved_among_participants_only() -> None:
    source = " ".join(f"@name{n}" for n in range(50))
    assert len(written_names(source)) == 20
    participants = {3: "Amina", 4: "Li Wei", 5: "Li Wei"}
    names = written_names("@amina @[li wei] @[Li Wei#5] @[Li Wei#6] @[Amina#4]")
    assert resolve(names, participants) == {"amina": (3, "Amina"), "li wei#5": (5, "Li Wei")}
    assert mention_key("  Ｊｅａｎ   DUPONT ") == "jean dupont"


def test_what_the_autocomplete_writes_is_what_resolves() -> None:
    participants = {3: "Amina", 4: "Li Wei", 5: "Li Wei", 6: "Jean Dupont"}
    for user_id, name in participants.items():
        shared = list(participants.values()).count(name) > 1
        text = mention_text(user_id, name, shared)
        people = resolve(written_names(text), participants)
        assert mentioned_in(render(text, people)) == {user_id}, text
