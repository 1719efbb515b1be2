"""The demo's register of national focal points: fictional, from the five regional
groups; two are demo people with accounts (Kwabena Osei, Aminata Ouédraogo), the
others have none yet."""

from __future__ import annotations

from typing import Any

FOCAL_POINTS: tuple[dict[str, Any], ...] = (
    {
        "country": "GH",
        "name": "Kwabena Osei",
        "title": "Registrar",
        "organization": "National Biosafety Authority",
        "email": "k.osei@example.org",
        "primary": True,
    },
    {
        "country": "BF",
        "name": "Aminata Ouédraogo",
        "title": "Director of Biosafety",
        "organization": "National Biosafety Agency",
        "email": "a.ouedraogo@example.org",
        "language": "fr",
        "primary": True,
    },
    {
        "country": "BF",
        "name": "Issa Sawadogo",
        "title": "Biosafety Officer",
        "organization": "National Biosafety Agency",
        "email": "i.sawadogo@example.org",
        "language": "fr",
    },
    {
        "country": "PE",
        "name": "Rosa Quispe Mamani",
        "title": "Cartagena Protocol Focal Point",
        "organization": "Ministerio del Ambiente",
        "email": "r.quispe@example.org",
        "language": "es",
        "primary": True,
    },
    {
        "country": "VN",
        "name": "Nguyen Thi Lan",
        "title": "Deputy Director",
        "organization": "Ministry of Natural Resources and Environment",
        "email": "n.lan@example.org",
        "primary": True,
    },
    {
        "country": "MD",
        "name": "Elena Rusu",
        "title": "Head of Biosafety Office",
        "organization": "Ministry of Environment",
        "email": "e.rusu@example.org",
        "language": "ru",
        "primary": True,
    },
    {
        "country": "NO",
        "name": "Ingrid Halvorsen",
        "title": "Senior Adviser",
        "organization": "Norwegian Environment Agency",
        "email": "i.halvorsen@example.org",
        "primary": True,
    },
)

NOTIFICATION: dict[str, Any] = {
    "subject": "Online forum on capacity-building: your country's views",
    "body": (
        "Dear colleagues,\n\n"
        "The Secretariat has opened an online forum on strategic approaches to "
        "capacity-building for biosafety. Focal points of the African States are invited "
        "to take part and share their country's experience before the session closes.\n\n"
        "The link below is yours alone and works once."
    ),
    "regions": ["africa"],
}
