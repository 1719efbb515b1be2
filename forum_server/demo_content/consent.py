"""The liaison group's participation terms, and the participant who asked to be cited
by country only."""

from __future__ import annotations

TERMS = """By contributing to this workspace you agree that:

1. The discussion is **confidential to the group** until the secretariat publishes
   its advice; what you write may be quoted in that advice, attributed as this
   workspace's setting and your own choice allow (see *How reports cite you* on your
   profile).
2. You write as the expert designated by your Party or organization, and you respect
   the other members.
3. The moderator may hold, hide or summarize contributions to keep the discussion on
   the guiding questions.

These terms may change; you will be asked to accept a new version before your next
contribution."""

# Named reports cite her as "A participant from Burkina Faso", without organization.
CITED_BY_COUNTRY = "a_ouedraogo"
# A member who has not accepted the terms yet: signed in, their post form asks for it.
NOT_YET_ACCEPTED = "i_ciobanu"
