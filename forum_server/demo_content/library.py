"""The demo forum's library: background documents the secretariat shared, plain text
so that search finds the words inside them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoDocument:
    title: str
    description: str
    folder: str
    file_name: str
    text: str  # the file's content (UTF-8 plain text)


DOCUMENTS: tuple[DemoDocument, ...] = (
    DemoDocument(
        title="Background note: capacity-building for biosafety",
        description="The secretariat's note introducing both sessions of this forum.",
        folder="Background",
        file_name="background-note.txt",
        text=(
            "Background note for the online forum on capacity-building for biosafety\n\n"
            "1. The Framework and Action Plan for Capacity-Building for the Effective "
            "Implementation of the Cartagena Protocol on Biosafety identifies national "
            "biosafety frameworks, risk assessment and risk management, handling, transport, "
            "packaging and identification, public awareness and participation as key areas.\n\n"
            "2. Parties report that mainstreaming biosafety into national biodiversity "
            "strategies and action plans (NBSAPs) remains uneven, and that stable funding for "
            "biosafety institutions is the most frequently cited gap.\n\n"
            "3. Participants are invited to share concrete examples: legislation adopted, "
            "laboratories equipped for the detection of living modified organisms, budget "
            "lines secured, and regional cooperation arrangements."
        ),
    ),
    DemoDocument(
        title="Glossary of biosafety terms",
        description="Short definitions of the terms used in the guiding questions.",
        folder="Reference",
        file_name="glossary.txt",
        text=(
            "Living modified organism (LMO): any living organism that possesses a novel "
            "combination of genetic material obtained through the use of modern "
            "biotechnology.\n\n"
            "Biosafety Clearing-House (BCH): the information-sharing mechanism established "
            "by the Cartagena Protocol.\n\n"
            "National focal point: the institution designated by a Party to liaise with the "
            "Secretariat.\n\n"
            "Cost recovery: fees charged to applicants to cover part of the cost of risk "
            "assessment and decision-making."
        ),
    ),
)
