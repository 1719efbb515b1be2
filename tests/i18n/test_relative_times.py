"""How long ago, as each language says it (Babel's CLDR data), for pages read without
the script; and a country's name in the reader's language, the code where unknown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from forum_server.i18n import using_language
from forum_server.i18n.formatting import format_relative
from forum_server.web.templates import country_label

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "three_hours", "country"),
    [
        ("en", "3 hours ago", "Kenya"),
        ("fr", "il y a 3 heures", "Kenya"),
        ("es", "hace 3 horas", "Kenia"),
        ("ru", "3 часа назад", "Кения"),
        ("zh", "3小时前", "肯尼亚"),
        ("ar", "قبل 3 ساعات", "كينيا"),
    ],
)
def test_times_ago_and_countries_in_each_language(
    language: str, three_hours: str, country: str
) -> None:
    with using_language(language):
        assert format_relative(NOW - timedelta(hours=3), NOW) == three_hours
        assert country_label("KE") == country
        assert country_label("QQ") == "QQ" and country_label(None) == ""


def test_a_naive_time_is_taken_as_utc() -> None:
    with using_language("en"):
        assert format_relative(datetime(2026, 11, 29, 12, 0), NOW) == "2 days ago"
