"""Countries (ISO 3166-1 alpha-2) and United Nations regional groups.

The full list of ISO 3166-1 countries, territories included, comes from
``pycountry``.  The UN regional group of each member state comes from
``forum_server/data/un_regional_groups.csv`` (columns ``alpha2,group``), which
follows the membership lists published by the UN Department for General
Assembly and Conference Management ("Regional groups of Member States").

Group sizes for the 193 member states: Africa 54, Asia-Pacific 54, Eastern
European States 23, Latin American and Caribbean States 33, Western European
and Others 28 + the United States = 29.  (The often quoted "53" for
Asia-Pacific predates the counting of Kiribati, which joined the group in
2010; with 53 the five groups would add up to only 192.)

Choices that are not obvious from geography:

* Cyprus and Kiribati are in Asia-Pacific; Israel is in WEOG.
* Türkiye participates in both WEOG and Asia-Pacific but counts in WEOG for
  electoral purposes, so it is recorded as ``weog`` only.
* The United States belongs to no group: it attends WEOG as an observer and is
  counted there for electoral purposes, so it is recorded as ``weog``.
* The two non-member observer states are also listed so that their
  delegates get a region: the State of Palestine (``PS``) as ``asia_pacific``
  (it is a full member of the Asia-Pacific Group) and the Holy See (``VA``)
  as ``weog`` (it attends WEOG meetings as an observer).  They are named in
  :data:`OBSERVER_STATES` and are not part of the 193.

Territories (e.g. Puerto Rico, Greenland) and other non-members have no
region.

Names are shown in the reader's language: pycountry ships the iso-codes project's
translations of every country name, and the regional groups are in our catalogue.
"""

from __future__ import annotations

import csv
import gettext
import io
import unicodedata
from functools import cache
from importlib.resources import files

import pycountry

from forum_server.i18n import N_, SOURCE_LANGUAGE, current_language
from forum_server.i18n import gettext as _

REGIONS: tuple[str, ...] = ("africa", "asia_pacific", "cee", "grulac", "weog")

# English, as catalogue entries, translated where shown (accounts.schemas.labels).
REGION_NAMES: dict[str, str] = {
    "africa": N_("African States"),
    "asia_pacific": N_("Asia-Pacific States"),
    "cee": N_("Eastern European States"),
    "grulac": N_("Latin American and Caribbean States"),
    "weog": N_("Western European and Other States"),
}

# Where the iso-codes catalogues of our languages are (Chinese: Simplified, as the UN).
_PYCOUNTRY_LOCALES = {"zh": "zh_CN"}

#: Non-member observer states that are given a region in the CSV anyway.
OBSERVER_STATES: frozenset[str] = frozenset({"PS", "VA"})

_DATA_PATH = "data/un_regional_groups.csv"


@cache
def _iso_countries() -> dict[str, str]:
    """Map every ISO 3166-1 alpha-2 code to its English display name."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        names[country.alpha_2] = getattr(country, "common_name", None) or country.name
    return names


@cache
def _regions() -> dict[str, str]:
    """Load the alpha-2 -> UN regional group table (once)."""
    text = files("forum_server").joinpath(_DATA_PATH).read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code, group = row["alpha2"].strip(), row["group"].strip()
        if group not in REGIONS:
            raise ValueError(f"{_DATA_PATH}: unknown group {group!r} for {code!r}")
        if code in table:
            raise ValueError(f"{_DATA_PATH}: duplicate country code {code!r}")
        table[code] = group
    return table


def regional_groups() -> dict[str, str]:
    """Return a copy of the alpha-2 -> UN regional group table."""
    return dict(_regions())


def normalize_country(code: str) -> str:
    """Strip and upper-case ``code``; raise ``ValueError`` unless it is ISO 3166-1 alpha-2."""
    candidate = code.strip().upper()
    if candidate not in _iso_countries():
        raise ValueError(
            _(
                "unknown country code '%(code)s': use an ISO 3166-1 alpha-2 code such as 'BR'",
                code=candidate,
            )
        )
    return candidate


def region_for(country: str | None) -> str | None:
    """UN regional group of an alpha-2 code; ``None`` for ``None``, territories, non-members."""
    if country is None:
        return None
    return _regions().get(country.strip().upper())


@cache
def _names_in(language: str) -> gettext.NullTranslations:
    """pycountry's translations of country names into `language` (none for English)."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    locale = _PYCOUNTRY_LOCALES.get(language, language)
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, [locale], fallback=True)


def country_name(code: str) -> str:
    """Common name of a country in the reader's language (e.g. ``"BO"`` -> ``"Bolivia"``,
    ``"Bolivie"`` in French); ``ValueError`` if unknown."""
    english = _iso_countries()[normalize_country(code)]
    return _names_in(current_language.get()).gettext(english)


def _sort_key(name: str) -> str:
    """Accent- and case-insensitive key, so that "Åland Islands" sorts under A."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _names_in(language)
    items = [(code, names.gettext(name)) for code, name in _iso_countries().items()]
    return tuple(sorted(items, key=lambda item: (_sort_key(item[1]), item[0])))


def country_choices() -> list[tuple[str, str]]:
    """``(code, name)`` for every ISO 3166-1 country, in the reader's language and sorted
    by name, for a ``<select>``."""
    return list(_choices(current_language.get()))
