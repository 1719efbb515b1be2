"""What a moderation or flag form did, said on the page it returns to, with an Undo
where one exists. The redirect after the form names the outcome by a fixed code and the
ids it concerns (`?done=hidden&post=12`); the page never echoes text it was given."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from forum_server.i18n import N_, gettext


@dataclass(frozen=True)
class Undo:
    path: str  # with {post}, {thread}, {slug} or {suspension} to fill
    label: str


@dataclass(frozen=True)
class OutcomeKind:
    message: str
    undo: Undo | None = None
    about_post: bool = True  # shown on the post; otherwise at the top of the thread
    moderators_only: bool = True  # said only to the moderators (who alone can Undo)


_UNDO = N_("Undo")

OUTCOMES: dict[str, OutcomeKind] = {
    "flagged": OutcomeKind(N_("Sent to the moderators. Thank you."), moderators_only=False),
    "hidden": OutcomeKind(
        N_("Contribution hidden."), Undo("/moderation/posts/{post}/restore", _UNDO)
    ),
    "restored": OutcomeKind(N_("Contribution restored: everyone sees it again.")),
    "highlighted": OutcomeKind(
        N_("Highlighted for the report."), Undo("/moderation/posts/{post}/unhighlight", _UNDO)
    ),
    "unhighlighted": OutcomeKind(N_("Highlight removed.")),
    "approved": OutcomeKind(N_("Contribution approved and published.")),
    "rejected": OutcomeKind(N_("Contribution rejected.")),
    "suspended": OutcomeKind(
        N_("The author is suspended in this space."),
        Undo("/moderation/spaces/{slug}/suspensions/{suspension}/lift", N_("Lift the suspension")),
    ),
    "lifted": OutcomeKind(N_("The suspension is lifted.")),
    "locked": OutcomeKind(
        N_("Thread locked: no more contributions."),
        Undo("/moderation/threads/{thread}/unlock", _UNDO),
        about_post=False,
    ),
    "unlocked": OutcomeKind(N_("Thread open again for contributions."), about_post=False),
}

# What each post action's form reports once it has run.
ACTION_OUTCOMES = {
    "approve": "approved",
    "reject": "rejected",
    "hide": "hidden",
    "restore": "restored",
    "highlight": "highlighted",
    "unhighlight": "unhighlighted",
}


def with_outcome(target: str, done: str, **ids: int) -> str:
    """`target` (a local path, perhaps with a query and a #fragment) with the outcome in
    its query, in place of an earlier one."""
    parts = urlsplit(target)
    kept = [(k, v) for k, v in parse_qsl(parts.query) if k not in {"done", *_ID_KEYS}]
    added = [("done", done), *((key, str(value)) for key, value in ids.items())]
    return urlunsplit(("", "", parts.path, urlencode(kept + added), parts.fragment))


_ID_KEYS = ("post", "suspension")


@dataclass(frozen=True)
class Outcome:
    code: str
    message: str
    moderators_only: bool
    post_id: int | None  # the post it concerns, or None for the thread
    undo_url: str | None
    undo_label: str | None


def outcome_from(query: Mapping[str, str], thread_id: int, slug: str) -> Outcome | None:
    """The outcome a redirect named, in the reader's language; None for none or an
    unknown code. Ids are whole numbers or the outcome is ignored."""
    kind = OUTCOMES.get(query.get("done", ""))
    if kind is None:
        return None
    ids: dict[str, int] = {}
    for key in _ID_KEYS:
        value = query.get(key, "")
        if value:
            if not (value.isascii() and value.isdigit() and len(value) < 18):
                return None
            ids[key] = int(value)
    post_id = ids.get("post") if kind.about_post else None
    if kind.about_post and post_id is None:
        return None
    undo_url = undo_label = None
    if kind.undo:
        try:
            undo_url = kind.undo.path.format(thread=thread_id, slug=slug, **ids)
            undo_label = gettext(kind.undo.label)
        except KeyError:  # an id the undo needs was not given: no Undo
            undo_url = None
    message = gettext(kind.message)
    return Outcome(query["done"], message, kind.moderators_only, post_id, undo_url, undo_label)
