"""The demo space's bulletin board: a capacity need, the projects and the opportunity
that match it, and one that does not (every organization fictional). Days are counted
from the day the demo is loaded, so the board stays current."""

from __future__ import annotations

from typing import Any

# (days from today to start, to end, to expiry) and the notice's common format.
NOTICES: tuple[tuple[int | None, int | None, int | None, dict[str, Any]], ...] = (
    (
        -30,
        180,
        None,
        {
            "kind": "need",
            "title": "Detection of living modified organisms in maize imports",
            "summary": "Laboratory staff need training in sampling and PCR-based detection, "
            "and reference materials for the national laboratory.",
            "countries": ["PE", "BO"],
            "organization": "National biosafety authority (fictional)",
            "contact": "biosafety-focal-point@example.org",
            "status": "open",
            "language": "en",
        },
    ),
    (
        -60,
        700,
        None,
        {
            "kind": "project",
            "title": "Regional network of biosafety detection laboratories",
            "summary": "Proficiency testing and shared reference materials for the "
            "laboratories of Latin America and the Caribbean.",
            "region": "grulac",
            "organization": "Andean Biosafety Network (fictional)",
            "funding": "Regional development bank (fictional)",
            "amount": 1200000,
            "currency": "USD",
            "link": "https://example.org/detection-network",
            "status": "ongoing",
            "language": "en",
        },
    ),
    (
        45,
        50,
        30,
        {
            "kind": "opportunity",
            "category": "training",
            "title": "Curso práctico de detección de OVM",
            "summary": "Una semana de práctica en laboratorio; plazas para dos personas por país.",
            "countries": ["PE", "CO", "EC"],
            "organization": "Instituto regional de biotecnología (ficticio)",
            "funding": "Plazas financiadas",
            "status": "open",
            "language": "es",
        },
    ),
    (
        None,
        None,
        60,
        {
            "kind": "announcement",
            "title": "Call for case studies on public awareness of biosafety",
            "summary": "Parties are invited to share case studies for the next meeting.",
            "organization": "Secretariat",
            "status": "open",
            "language": "en",
            "pinned": True,
        },
    ),
    (
        10,
        375,
        20,
        {
            "kind": "opportunity",
            "category": "fellowship",
            "title": "Fellowships in risk assessment",
            "summary": "Six-month fellowships at a partner institute.",
            "countries": ["KE", "UG", "TZ"],
            "organization": "Partner institute (fictional)",
            "funding": "Fellowship fund (fictional)",
            "amount": 18000,
            "currency": "EUR",
            "status": "open",
            "language": "en",
        },
    ),
)
