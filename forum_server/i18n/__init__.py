"""Languages: the six UN languages, their catalogues, and formatting for the reader."""

from forum_server.i18n.catalogues import (
    N_,
    current_language,
    gettext,
    lazy_gettext,
    ngettext,
    pgettext,
    translations,
    using_language,
)
from forum_server.i18n.formatting import (
    current_time_zone,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    is_time_zone,
    time_zone_names,
)
from forum_server.i18n.languages import (
    CODES,
    LANGUAGES,
    SOURCE_LANGUAGE,
    Language,
    base_code,
    from_accept_language,
    language,
)

__all__ = [
    "CODES",
    "LANGUAGES",
    "N_",
    "SOURCE_LANGUAGE",
    "Language",
    "base_code",
    "current_language",
    "current_time_zone",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "from_accept_language",
    "gettext",
    "is_time_zone",
    "language",
    "lazy_gettext",
    "ngettext",
    "pgettext",
    "time_zone_names",
    "translations",
    "using_language",
]
