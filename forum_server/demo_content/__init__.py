"""Demo content for ``forum-server demo``: a realistic public forum, as data only.

The forum is modelled on the online forum that the Liaison Group on Capacity-building
for Biosafety proposed at its tenth meeting (Budapest, 7-9 April 2014): two concurrent
two-week sessions, one on integrating biosafety into national biodiversity strategies and
action plans (NBSAPs) and development plans, the other on mobilizing resources for
biosafety at the national level.  Each session has its moderator and three guiding
questions, quoted from annex II of the meeting's report (which groups its questions in
four sets; three of them are regrouped here under the two recommended sessions).

Every person and institution below is fictional (the "FAO" participant speaks for no
one); e-mail addresses use the reserved ``example.org`` domain.  Countries are ISO 3166-1
alpha-2 codes covering the five UN regional groups.

``DemoPost.hours_after_open`` is relative to the opening of the post's session (both
sessions open together and last 14 days = 336 hours).  Within a question's thread the
posts are listed in the order they were written: ``reply_to`` always names an earlier
post of the same thread, and the times strictly increase.

This package only defines data (the shapes in `model`, the people, one module per
session); the loader is `forum_server.demo`.  ``validate_content()`` checks
the invariants above and is not called at import.
"""

from __future__ import annotations

from forum_server.demo_content import session_one, session_two
from forum_server.demo_content.model import (
    AFFILIATIONS,
    GENDERS,
    MAX_REPLY_DEPTH,
    SESSION_HOURS,
    DemoPerson,
    DemoPost,
    DemoQuestion,
    DemoSession,
    DemoSpace,
)
from forum_server.demo_content.people import PEOPLE

__all__ = [
    "PEOPLE",
    "SESSIONS",
    "SESSION_HOURS",
    "SPACE",
    "DemoPerson",
    "DemoPost",
    "DemoQuestion",
    "DemoSession",
    "DemoSpace",
    "validate_content",
]

SPACE: DemoSpace = DemoSpace(
    slug="capacity-building-forum",
    title="Online Forum on Capacity-building for Biosafety",
    description=(
        "A public forum of the Biosafety Clearing-House where national focal points, experts and "
        "stakeholders exchange experiences on building the capacities needed to implement the "
        "Cartagena Protocol on Biosafety. Following the advice of the Liaison Group on "
        "Capacity-building for Biosafety, this round has two concurrent two-week sessions, each "
        "with its moderator and guiding questions: integrating biosafety into national "
        "biodiversity strategies and action plans (NBSAPs) and development plans, and mobilizing "
        "resources for biosafety at the national level. Its outcomes serve as background material "
        "for the special session on implementation of the Protocol at the next meeting of the "
        "Parties."
    ),
    report_symbol="CBD/CP/LG-CB/DEMO/INF/1",
    report_distribution="General distribution",
)


SESSIONS: tuple[DemoSession, ...] = (
    DemoSession(
        title="Session I: Integrating biosafety into NBSAPs and national development plans",
        description=(
            "This session invites Parties, other Governments, organizations and individual experts "
            "to share **national experiences and lessons learned** in integrating biosafety into "
            "national biodiversity strategies and action plans (NBSAPs), national development "
            "plans and sectoral policies, and to identify the capacities needed to do so. It runs "
            "for two weeks, concurrently with Session II on resource mobilization, and is "
            "moderated by Nomvula Khumalo (South Africa).\n\n"
            "To take part, sign in, open one of the guiding questions below and post your "
            "contribution, or reply directly to another participant. Concrete examples, figures "
            "and links to documents in the [Biosafety Clearing-House](https://bch.cbd.int/) are "
            "especially valuable. The moderator will summarize the discussion at the close of the "
            "session."
        ),
        moderator="moderator_a",
        questions=(session_one.QUESTION_1, session_one.QUESTION_2, session_one.QUESTION_3),
    ),
    DemoSession(
        title="Session II: Mobilizing resources for biosafety at the national level",
        description=(
            "This session looks at how countries finance the implementation of the Cartagena "
            "Protocol: national budgets, the Global Environment Facility (GEF), bilateral and "
            "regional cooperation, cost recovery and partnerships. With GEF support for biosafety "
            "declining, we want to collect **success stories, obstacles and practical ideas** that "
            "other countries can adapt. It runs for two weeks, concurrently with Session I, and is "
            "moderated by Curtis Baptiste (Saint Lucia).\n\n"
            "Everyone registered on the forum may post. Please keep each contribution to one "
            "guiding question, say which country or organization your experience comes from, and "
            "reply to earlier posts where you build on them. Capacity-building projects and "
            "opportunities mentioned here can also be registered in the [Biosafety "
            "Clearing-House](https://bch.cbd.int/)."
        ),
        moderator="moderator_b",
        questions=(session_two.QUESTION_1, session_two.QUESTION_2, session_two.QUESTION_3),
    ),
)


def _check(condition: bool, message: str) -> None:
    # Not ``assert``: these checks must also run under ``python -O``.
    if not condition:
        raise AssertionError(message)


def validate_content() -> None:
    """Check the referential integrity and limits of the demo data.

    Raises ``AssertionError`` naming the first problem found.
    """
    _check(0 < len(SPACE.slug) <= 64, "space slug must be 1-64 characters")
    _check(
        all(part.isascii() and part.isalnum() for part in SPACE.slug.split("-")),
        f"space slug {SPACE.slug!r} must be lower-case words joined by hyphens",
    )
    _check(SPACE.slug == SPACE.slug.lower(), "space slug must be lower-case")
    _check(0 < len(SPACE.title) <= 200, "space title must be 1-200 characters")

    people = {person.key: person for person in PEOPLE}
    _check(len(people) == len(PEOPLE), "person keys must be unique")
    emails = {person.email.lower() for person in PEOPLE}
    _check(len(emails) == len(PEOPLE), "person e-mail addresses must be unique")
    for person in PEOPLE:
        who = f"person {person.key!r}"
        _check(0 < len(person.display_name) <= 80, f"{who}: display name must be 1-80 chars")
        _check(person.email.endswith("@example.org"), f"{who}: e-mail must be @example.org")
        _check(
            len(person.country) == 2 and person.country.isascii() and person.country.isupper(),
            f"{who}: country {person.country!r} must be 2 upper-case letters",
        )
        _check(person.country.isalpha(), f"{who}: country {person.country!r} must be letters")
        _check(0 < len(person.organization) <= 200, f"{who}: organization must be 1-200 chars")
        _check(person.affiliation in AFFILIATIONS, f"{who}: unknown affiliation")
        _check(person.gender is None or person.gender in GENDERS, f"{who}: unknown gender")

    _check(len(SESSIONS) == 2, "there must be exactly two sessions")
    moderators = [session.moderator for session in SESSIONS]
    _check(len(set(moderators)) == len(moderators), "each session needs its own moderator")
    post_keys: set[str] = set()
    for session in SESSIONS:
        _check(0 < len(session.title) <= 200, f"session {session.title!r}: title too long")
        _check(session.moderator in people, f"session {session.title!r}: unknown moderator")
        _check(bool(session.description.strip()), f"session {session.title!r}: no description")
        _check(2 <= len(session.questions) <= 3, f"session {session.title!r}: 2-3 questions")
        for question in session.questions:
            _check(0 < len(question.text) <= 300, f"question {question.text[:40]!r}: too long")
            _check(4 <= len(question.posts) <= 10, f"question {question.text[:40]!r}: 4-10 posts")
            earlier: dict[str, tuple[float, int]] = {}  # key -> (hours, depth)
            previous = -1.0
            for post in question.posts:
                where = f"post {post.key!r}"
                _check(post.key not in post_keys, f"{where}: duplicate key")
                post_keys.add(post.key)
                _check(post.author in people, f"{where}: unknown author {post.author!r}")
                _check(bool(post.body.strip()), f"{where}: empty body")
                _check(
                    0 <= post.hours_after_open <= SESSION_HOURS,
                    f"{where}: time outside the session",
                )
                _check(post.hours_after_open > previous, f"{where}: posts must be in time order")
                depth = 0
                if post.reply_to is not None:
                    _check(
                        post.reply_to in earlier,
                        f"{where}: reply_to {post.reply_to!r} is not an earlier post of its thread",
                    )
                    parent_hours, parent_depth = earlier[post.reply_to]
                    _check(post.hours_after_open > parent_hours, f"{where}: before its parent")
                    depth = parent_depth + 1
                    _check(depth <= MAX_REPLY_DEPTH, f"{where}: replies nested too deeply")
                earlier[post.key] = (post.hours_after_open, depth)
                previous = post.hours_after_open
