"""The board's choices in words, as catalogue entries translated where shown."""

from __future__ import annotations

from forum_server.accounts.countries import REGION_NAMES, country_name
from forum_server.accounts.schemas import labels
from forum_server.i18n import N_
from forum_server.i18n.languages import LANGUAGES
from forum_server.rooms.pages.shared import language_name

KIND_NAMES: dict[str, str] = {
    "announcement": N_("Announcement"),
    "project": N_("Capacity-building project"),
    "opportunity": N_("Opportunity"),
    "need": N_("Capacity need"),
}
CATEGORY_NAMES: dict[str, str] = {
    "training": N_("Training"),
    "funding": N_("Funding"),
    "fellowship": N_("Fellowship"),
}
STATUS_NAMES: dict[str, str] = {
    "planned": N_("Planned"),
    "open": N_("Open"),
    "ongoing": N_("Ongoing"),
    "closed": N_("Closed"),
}


def board_labels() -> dict[str, object]:
    """Every table a board page names choices from, in the reader's language."""
    return {
        "kinds": labels(KIND_NAMES),
        "categories": labels(CATEGORY_NAMES),
        "statuses": labels(STATUS_NAMES),
        "regions": labels(REGION_NAMES),
        "languages": {code: language_name(code) for code in LANGUAGES},
        "country_name": country_name,
    }
