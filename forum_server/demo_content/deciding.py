"""The demo's proposal and reactions, in the first session's first question: a named
proposal its moderator put to the participants, their positions and reasons, and the
reactions some contributions received. People are DemoPerson keys."""

from __future__ import annotations

PROPOSAL_TITLE = "Ask the Liaison Group to draft a checklist for NBSAP biosafety chapters"
PROPOSAL_DETAILS = (
    "Several contributions suggest a short checklist that national teams could use when "
    "they write the biosafety chapter of their NBSAP. Should the session recommend it?"
)
PROPOSAL_MODERATOR = "moderator_a"
# (person, position, reason)
POSITIONS = (
    ("k_osei", "agree", "A checklist would have saved us months in 2012."),
    ("g_nakato", "agree", ""),
    ("d_mai", "abstain", "Useful, but it must leave room for national circumstances."),
    ("m_petrovic", "disagree", "Guidance already exists; translate it instead."),
    ("l_herrera", "agree", "Please include the links to development plans."),
)
# (person, kind) reacting to the question's first contributions, in order.
REACTIONS = (
    ("g_nakato", "agree"),
    ("d_mai", "thanks"),
    ("l_herrera", "important"),
    ("k_osei", "question"),
)
