"""The site's name and tagline in the current language: configured, or our default."""

from __future__ import annotations

from forum_server.i18n.catalogues import current_language, gettext
from forum_server.settings import Settings


def site_name(settings: Settings) -> str:
    return settings.site_name_in(current_language.get()) or gettext("Online forums")


def site_tagline(settings: Settings) -> str:
    return settings.site_tagline_in(current_language.get()) or gettext(
        "Online forums and liaison groups"
    )
