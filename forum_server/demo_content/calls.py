"""The liaison group's open call for submissions: who submits for which country or
organization, and the submissions already in (one of them restricted)."""

from __future__ import annotations

CALL = {
    "title": "Views on the implementation of the capacity-building action plan",
    "text": (
        "Parties, other governments and relevant organizations are invited to submit "
        "their views and experiences on the implementation of the capacity-building "
        "action plan for the Cartagena Protocol, in particular:\n\n"
        "1. progress made and gaps remaining in national biosafety frameworks;\n"
        "2. priority needs for risk assessment and risk management;\n"
        "3. lessons learned from regional and subregional cooperation.\n\n"
        "The submissions will be compiled in an information document for the next "
        "meeting of the Liaison Group."
    ),
    "addressed_to": ["party", "organization"],
    "reminder_days": [7, 2],
    "symbol": "CBD/CP/LG-CB/INF/1",
    "distribution": "General",
}
DAYS_LEFT = 9

# (person, kind, country or organization)
SUBMITTERS: tuple[tuple[str, str, str], ...] = (
    ("k_osei", "party", "GH"),
    ("a_ouedraogo", "party", "BF"),
    ("p_raghunathan", "party", "IN"),
    ("s_tupou", "party", "TO"),
    ("l_herrera", "party", "PE"),
    ("e_marchetti", "organization", "FAO"),
)

# (person, public, text)
SUBMISSIONS: tuple[tuple[str, bool, str], ...] = (
    (
        "k_osei",
        True,
        "Ghana adopted its Biosafety Act in 2011 and its regulations in 2019. The "
        "National Biosafety Authority now reviews applications within the statutory "
        "time limits, but **laboratory capacity for detection** remains the main gap: "
        "one accredited laboratory serves the whole country.\n\nPriority needs: training "
        "of inspectors at ports of entry, and reference materials for detection.",
    ),
    (
        "l_herrera",
        True,
        "Peru's moratorium on the entry of living modified organisms for cultivation "
        "has been extended to 2035. The Ministry has used the period to build a "
        "**baseline of native crop diversity**, with regional institutes.\n\nWe would "
        "welcome exchanges on monitoring of centres of origin with other Parties of the "
        "region.",
    ),
    (
        "e_marchetti",
        False,
        "FAO supports biosafety capacity in 14 countries through its projects on food "
        "safety and plant genetic resources. A detailed list of ongoing activities, "
        "with their budgets, is shared with the Secretariat only.",
    ),
)
