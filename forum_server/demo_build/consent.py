"""The liaison group's participation terms, accepted by its members (all but one, whose
post form still asks), and one participant cited by country only in every report."""

from __future__ import annotations

from forum_server.consent import acceptance, choice, terms
from forum_server.consent.schemas import AttributionChoice, TermsAccept, TermsInput
from forum_server.db import Database
from forum_server.demo_content import consent as consent_content
from forum_server.demo_content import liaison
from forum_server.policy import Actor


async def load_consent(db: Database, secretariat: Actor, user_ids: dict[str, int]) -> None:
    """Written after the contributions, as when a secretariat adds terms to a group
    under way: its members accept them, as they would on their next contribution. (The
    open forum keeps none, so that anyone may try it at once.)"""
    slug = liaison.WORKSPACE_SLUG
    written = await terms.set_terms(db, secretariat, slug, TermsInput(body=consent_content.TERMS))
    for member in liaison.MEMBERS:
        if member.person == consent_content.NOT_YET_ACCEPTED:
            continue
        person = Actor(user_id=user_ids[member.person])
        await acceptance.accept_terms(db, person, slug, TermsAccept(version=written.version))
    cited = Actor(user_id=user_ids[consent_content.CITED_BY_COUNTRY])
    await choice.set_choice(db, cited, AttributionChoice(attribution="country"))
