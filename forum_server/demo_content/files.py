"""Files the demo's participants attach to their contributions: post key → (file
name, content). Plain UTF-8 so that they pass the upload checks as any file would."""

from __future__ import annotations

ATTACHMENTS: dict[str, tuple[str, str]] = {
    "s1q1_ghana": (
        "Ghana - costed biosafety target (extract).csv",
        "activity,lead agency,years,cost (USD)\n"
        "Biosafety seat on the NBSAP working group,National Biosafety Authority,2023,0\n"
        "Risk assessment training for regulators,National Biosafety Authority,2023-2025,"
        "120000\n"
        "Public awareness on modern biotechnology,Environmental Protection Agency,2024-2026,"
        "85000\n"
        "Detection laboratory equipment,Ghana Standards Authority,2024-2025,210000\n",
    ),
}
