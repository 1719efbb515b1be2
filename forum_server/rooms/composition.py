"""Composition rules for expert groups.

The Liaison Group on Capacity-building: no more than fifteen experts from Parties,
and organization experts at most one third of them; observers and secretariat
staff do not count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from forum_server.errors import Conflict

LIAISON_GROUP = "liaison_group"
PARTY_EXPERT, ORGANIZATION_EXPERT, OBSERVER = "party_expert", "organization_expert", "observer"
DESIGNATIONS = (PARTY_EXPERT, ORGANIZATION_EXPERT, OBSERVER)
MAX_PARTY_EXPERTS = 15


def check_composition(composition: str | None, designations: Iterable[str | None]) -> None:
    """Raises Conflict `composition_rule`, naming the rule, if the membership that
    would result (its members' designations, secretariat staff left out) breaks it."""
    if composition != LIAISON_GROUP:
        return
    counts = Counter(designations)
    parties, organizations = counts[PARTY_EXPERT], counts[ORGANIZATION_EXPERT]
    if parties > MAX_PARTY_EXPERTS:
        raise Conflict(
            "Liaison group rule: at most %(max)s experts from Parties "
            "(this change would make %(parties)s).",
            code="composition_rule",
            params={"max": MAX_PARTY_EXPERTS, "parties": parties},
        )
    if organizations * 3 > parties:
        raise Conflict(
            "Liaison group rule: organization experts may be at most one third of the "
            "experts from Parties (this change would make %(organizations)s organization "
            "experts for %(parties)s Party experts).",
            code="composition_rule",
            params={"organizations": organizations, "parties": parties},
        )
