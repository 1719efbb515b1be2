"""The demo's restricted workspace: a liaison group preparing its advice, with experts
from all five UN regional groups, and the moderation the other pages show (a held
contribution, a flag, a running summary)."""

from __future__ import annotations

from dataclasses import dataclass

from forum_server.demo_content.model import DemoPerson, DemoPost, DemoQuestion, DemoSession


@dataclass(frozen=True)
class DemoMember:
    person: str  # DemoPerson.key
    role: str  # owner | moderator | member
    designation: str | None  # party_expert | organization_expert | observer


@dataclass(frozen=True)
class DemoModeration:
    """What waits for the moderators: a contribution held for review, a flag on a
    published post of the public forum, and a running summary of a guiding question."""

    held_author: str
    held_body: str
    flag_post: str  # DemoPost.key in the public forum
    flagged_by: str
    flag_reason: str
    summary_post: str  # a DemoPost.key: its question gets the summary
    summary: str


# The site's administrator in the demo (made with the secretariat's rights).
SECRETARIAT = DemoPerson(
    key="secretariat",
    display_name="Helena Moreau (Secretariat)",
    email="h.moreau@example.org",
    country="CA",
    organization="Secretariat of the Convention on Biological Diversity",
    affiliation="igo",
    gender="female",
)

WORKSPACE_SLUG = "liaison-group"
WORKSPACE_TITLE = "Liaison Group on Capacity-building for Biosafety"
WORKSPACE_DESCRIPTION = (
    "The restricted workspace of the Liaison Group: experts nominated by Parties and by "
    "organizations prepare their advice on the capacity-building action plan between "
    "meetings. Only the group's members and the secretariat can see it."
)

# Eight Party experts from the five regional groups, two organization experts (at most a
# third of the Party experts, as the group's rule says) and one observer.
MEMBERS: tuple[DemoMember, ...] = (
    DemoMember("moderator_b", "moderator", "party_expert"),  # GRULAC
    DemoMember("k_osei", "member", "party_expert"),  # Africa
    DemoMember("a_ouedraogo", "member", "party_expert"),  # Africa
    DemoMember("p_raghunathan", "member", "party_expert"),  # Asia-Pacific
    DemoMember("s_tupou", "member", "party_expert"),  # Asia-Pacific
    DemoMember("m_petrovic", "member", "party_expert"),  # Eastern Europe
    DemoMember("i_ciobanu", "member", "party_expert"),  # Eastern Europe
    DemoMember("l_herrera", "member", "party_expert"),  # GRULAC
    DemoMember("e_marchetti", "member", "organization_expert"),  # WEOG (an IGO)
    DemoMember("g_nakato", "member", "organization_expert"),  # an NGO
    DemoMember("i_solheim", "member", "observer"),  # WEOG
)

WORKSPACE_SESSION = DemoSession(
    title="Advice on the capacity-building action plan",
    description=(
        "Between meetings, the group reviews the draft **framework and action plan for "
        "capacity-building** and agrees the points it will put to the next meeting of the "
        "Parties. Moderated by Curtis Baptiste."
    ),
    moderator="moderator_b",
    questions=(
        DemoQuestion(
            text=(
                "Which priority areas of the draft action plan need clearer indicators, and "
                "what would they be?"
            ),
            posts=(
                DemoPost(
                    key="lg_q1_open",
                    author="moderator_b",
                    hours_after_open=1,
                    body=(
                        "Colleagues, the secretariat has uploaded the draft to the library. "
                        "Please name the **two priority areas** where you find the indicators "
                        "weakest, with a proposal."
                    ),
                ),
                DemoPost(
                    key="lg_q1_fiji",
                    author="s_tupou",
                    hours_after_open=20,
                    body=(
                        "Risk assessment: 'number of officers trained' says nothing about "
                        "whether assessments improved. We propose the share of decisions with "
                        "a documented risk assessment published in the BCH."
                    ),
                ),
                DemoPost(
                    key="lg_q1_serbia",
                    author="m_petrovic",
                    reply_to="lg_q1_fiji",
                    hours_after_open=30,
                    body=(
                        "Agreed, and the same for detection: the share of border inspections "
                        "with access to an accredited laboratory."
                    ),
                ),
                DemoPost(
                    key="lg_q1_igo",
                    author="e_marchetti",
                    hours_after_open=44,
                    body=(
                        "Public awareness and participation has no indicator at all. The "
                        "number of public consultations held before decisions would be a start."
                    ),
                ),
            ),
        ),
        DemoQuestion(
            text="How should the group's advice reach the Parties before their next meeting?",
            posts=(
                DemoPost(
                    key="lg_q2_open",
                    author="moderator_b",
                    hours_after_open=2,
                    body="A short note, a side event, or both? Please say what worked before.",
                ),
                DemoPost(
                    key="lg_q2_peru",
                    author="l_herrera",
                    hours_after_open=26,
                    body=(
                        "A two-page note in all six languages, sent with the meeting documents, "
                        "reaches the most delegations."
                    ),
                ),
                DemoPost(
                    key="lg_q2_ghana",
                    author="k_osei",
                    reply_to="lg_q2_peru",
                    hours_after_open=50,
                    body="Yes, and regional preparatory meetings can discuss it beforehand.",
                ),
                DemoPost(
                    key="lg_q2_ngo",
                    author="g_nakato",
                    hours_after_open=60,
                    body="Civil society networks can circulate the note to their members too.",
                ),
            ),
        ),
    ),
)

MODERATION = DemoModeration(
    held_author="i_solheim",
    held_body=(
        "As an observer, may I add that the academic networks in our region could host the "
        "e-learning modules the plan mentions?"
    ),
    flag_post="s2q1_malaysia",
    flagged_by="t_brenner",
    flag_reason="The fee figures may be out of date; could the moderator check them?",
    summary_post="s1q1_welcome",
    summary=(
        "**So far** (moderator's running summary): several countries integrated biosafety "
        "into their NBSAPs through an inter-ministerial committee; the main challenges named "
        "are staff turnover and the lack of a dedicated budget line."
    ),
)
