import csv
import unicodedata
from collections import Counter
from importlib.resources import files

import pycountry
import pytest

from forum_server.accounts.countries import (
    OBSERVER_STATES,
    REGION_NAMES,
    REGIONS,
    country_choices,
    country_name,
    normalize_country,
    region_for,
    regional_groups,
)

# The 193 UN member states, written out independently of the CSV.
_UN_MEMBER_CODES = """
    AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT
    BW BY BZ CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC
    EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HN HR HT HU
    ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC LI
    LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MR MT MU MV MW MX MY MZ
    NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PT PW PY QA RO RS RU RW SA
    SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO
    TR TT TV TZ UA UG US UY UZ VC VE VN VU WS YE ZA ZM ZW
    """
UN_MEMBERS = frozenset(_UN_MEMBER_CODES.split())

# Official group sizes (UN DGACM); the United States is counted in WEOG.
EXPECTED_COUNTS = {"africa": 54, "asia_pacific": 54, "cee": 23, "grulac": 33, "weog": 29}


def test_member_list_is_complete() -> None:
    assert len(UN_MEMBERS) == 193
    assert sum(EXPECTED_COUNTS.values()) == 193


def test_every_member_has_a_region() -> None:
    missing = sorted(code for code in UN_MEMBERS if region_for(code) is None)
    assert missing == []


def test_csv_holds_members_and_observers_only() -> None:
    assert set(regional_groups()) == UN_MEMBERS | OBSERVER_STATES
    assert OBSERVER_STATES.isdisjoint(UN_MEMBERS)


def test_counts_per_group() -> None:
    groups = regional_groups()
    counts = Counter(group for code, group in groups.items() if code in UN_MEMBERS)
    assert dict(counts) == EXPECTED_COUNTS


def test_observer_states() -> None:
    assert region_for("PS") == "asia_pacific"
    assert region_for("VA") == "weog"


def test_csv_file_is_well_formed() -> None:
    text = files("forum_server").joinpath("data/un_regional_groups.csv").read_text("utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["alpha2", "group"]
    body = rows[1:]
    assert all(len(row) == 2 for row in body)
    codes = [row[0] for row in body]
    assert len(codes) == len(set(codes))
    assert {row[1] for row in body} == set(REGIONS)


def test_every_csv_code_is_iso() -> None:
    for code in regional_groups():
        assert pycountry.countries.get(alpha_2=code) is not None, code
        assert normalize_country(code) == code


def test_region_names() -> None:
    assert set(REGION_NAMES) == set(REGIONS)
    assert REGION_NAMES["cee"] == "Eastern European States"


def test_normalize_country_accepts_padding_and_case() -> None:
    assert normalize_country(" br ") == "BR"
    assert normalize_country("de") == "DE"
    assert normalize_country("PR") == "PR"  # territories are valid ISO codes


@pytest.mark.parametrize("bad", ["XX", "", "   ", "BRA", "12", "B", "xk"])
def test_normalize_country_refuses(bad: str) -> None:
    with pytest.raises(ValueError, match="ISO 3166-1 alpha-2"):
        normalize_country(bad)


def test_normalize_country_message() -> None:
    with pytest.raises(ValueError) as excinfo:
        normalize_country("xx")
    assert str(excinfo.value) == (
        "unknown country code 'XX': use an ISO 3166-1 alpha-2 code such as 'BR'"
    )


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("BR", "grulac"),
        ("DE", "weog"),
        ("PL", "cee"),
        ("KE", "africa"),
        ("JP", "asia_pacific"),
        ("CY", "asia_pacific"),
        ("KI", "asia_pacific"),
        ("IL", "weog"),
        ("TR", "weog"),
        ("US", "weog"),
        ("AU", "weog"),
        ("GE", "cee"),
        ("EG", "africa"),
        ("br", "grulac"),
    ],
)
def test_region_for(code: str, region: str) -> None:
    assert region_for(code) == region


@pytest.mark.parametrize("code", [None, "PR", "GL", "HK", "TW", "XX", ""])
def test_region_for_none(code: str | None) -> None:
    assert region_for(code) is None


def test_country_name() -> None:
    assert country_name("BO") == "Bolivia"
    assert country_name(" br ") == "Brazil"
    assert country_name("TW") == "Taiwan"
    with pytest.raises(ValueError):
        country_name("XX")


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_country_choices() -> None:
    choices = country_choices()
    assert len(choices) >= 240
    assert len(choices) == len(pycountry.countries)
    names = [_fold(name) for _, name in choices]
    assert names == sorted(names)
    assert ("BO", "Bolivia") in choices
    assert choices[0][1] in {"Afghanistan", "Åland Islands"}
    codes = [code for code, _ in choices]
    assert len(codes) == len(set(codes))


def test_country_choices_returns_a_fresh_list() -> None:
    choices = country_choices()
    choices.clear()
    assert country_choices()
