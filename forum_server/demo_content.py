"""Demo content for ``forum-server demo``: a realistic public forum, as data only.

The forum is modelled on the online forum that the Liaison Group on Capacity-building
for Biosafety proposed at its tenth meeting (Budapest, 7-9 April 2014): two concurrent
two-week sessions, one on integrating biosafety into national biodiversity strategies and
action plans (NBSAPs) and development plans, the other on mobilizing resources for
biosafety at the national level.  Each session has its moderator and three guiding
questions, quoted from annex II of the meeting's report (which groups its questions in
four sets; three of them are regrouped here under the two recommended sessions).

Every person and institution below is fictional (the "FAO" participant speaks for no
one); e-mail addresses use the reserved ``example.org`` domain.  Countries are ISO 3166-1
alpha-2 codes covering the five UN regional groups.

``DemoPost.hours_after_open`` is relative to the opening of the post's session (both
sessions open together and last 14 days = 336 hours).  Within a question's thread the
posts are listed in the order they were written: ``reply_to`` always names an earlier
post of the same thread, and the times strictly increase.

This module only defines data; the loader lives elsewhere.  ``validate_content()`` checks
the invariants above and is not called at import.
"""

from __future__ import annotations

from dataclasses import dataclass

AFFILIATIONS: frozenset[str] = frozenset(
    {"party", "other_government", "igo", "ngo", "industry", "academia", "other"}
)
GENDERS: frozenset[str] = frozenset({"female", "male", "other", "prefer_not_to_say"})
SESSION_HOURS = 14 * 24  # each session is open for two weeks
MAX_REPLY_DEPTH = 3  # a top-level post has depth 0


@dataclass(frozen=True)
class DemoPerson:
    key: str  # short id used by posts and sessions
    display_name: str
    email: str  # always @example.org
    country: str  # ISO 3166-1 alpha-2
    organization: str
    affiliation: str  # one of AFFILIATIONS
    gender: str | None  # one of GENDERS, or None (not given)


@dataclass(frozen=True)
class DemoPost:
    key: str
    author: str  # DemoPerson.key
    body: str  # Markdown
    reply_to: str | None = None  # key of an earlier post in the same thread
    hours_after_open: float = 0  # relative to the opening of the session


@dataclass(frozen=True)
class DemoQuestion:
    text: str  # the guiding question; also the title of its thread
    posts: tuple[DemoPost, ...]


@dataclass(frozen=True)
class DemoSession:
    title: str
    description: str  # Markdown
    moderator: str  # DemoPerson.key
    questions: tuple[DemoQuestion, ...]


@dataclass(frozen=True)
class DemoSpace:
    slug: str
    title: str
    description: str


SPACE: DemoSpace = DemoSpace(
    slug="capacity-building-forum",
    title="Online Forum on Capacity-building for Biosafety",
    description=(
        "A public forum of the Biosafety Clearing-House where national focal points, experts and "
        "stakeholders exchange experiences on building the capacities needed to implement the "
        "Cartagena Protocol on Biosafety. Following the advice of the Liaison Group on "
        "Capacity-building for Biosafety, this round has two concurrent two-week sessions, each "
        "with its moderator and guiding questions: integrating biosafety into national "
        "biodiversity strategies and action plans (NBSAPs) and development plans, and mobilizing "
        "resources for biosafety at the national level. Its outcomes serve as background material "
        "for the special session on implementation of the Protocol at the next meeting of the "
        "Parties."
    ),
)

PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        key="moderator_a",
        display_name="Nomvula Khumalo",
        email="n.khumalo@example.org",
        country="ZA",
        organization="Department of Environment, Biosafety Directorate",
        affiliation="party",
        gender="female",
    ),
    DemoPerson(
        key="moderator_b",
        display_name="Curtis Baptiste",
        email="c.baptiste@example.org",
        country="LC",
        organization="Ministry of Sustainable Development, Biosafety Unit",
        affiliation="party",
        gender="male",
    ),
    DemoPerson(
        key="k_osei",
        display_name="Kwabena Osei",
        email="k.osei@example.org",
        country="GH",
        organization="National Biosafety Authority",
        affiliation="party",
        gender="male",
    ),
    DemoPerson(
        key="a_ouedraogo",
        display_name="Aminata Ouédraogo",
        email="a.ouedraogo@example.org",
        country="BF",
        organization="National Biosafety Agency",
        affiliation="party",
        gender="female",
    ),
    DemoPerson(
        key="g_nakato",
        display_name="Grace Nakato",
        email="g.nakato@example.org",
        country="UG",
        organization="Community Seed and Biodiversity Network",
        affiliation="ngo",
        gender="female",
    ),
    DemoPerson(
        key="p_raghunathan",
        display_name="Priya Raghunathan",
        email="p.raghunathan@example.org",
        country="IN",
        organization="Ministry of Environment, Biosafety Division",
        affiliation="party",
        gender="female",
    ),
    DemoPerson(
        key="d_mai",
        display_name="Đỗ Thanh Mai",
        email="d.t.mai@example.org",
        country="VN",
        organization="Institute of Plant Genetics and Biotechnology",
        affiliation="academia",
        gender="female",
    ),
    DemoPerson(
        key="a_faizal",
        display_name="Ahmad Faizal bin Hassan",
        email="a.faizal@example.org",
        country="MY",
        organization="National Biosafety Board Secretariat",
        affiliation="party",
        gender="male",
    ),
    DemoPerson(
        key="s_tupou",
        display_name="Sione Tupou",
        email="s.tupou@example.org",
        country="TO",
        organization="Department of Environment",
        affiliation="party",
        gender="male",
    ),
    DemoPerson(
        key="m_petrovic",
        display_name="Milena Petrović",
        email="m.petrovic@example.org",
        country="RS",
        organization="Ministry of Environment, GMO Unit",
        affiliation="party",
        gender="female",
    ),
    DemoPerson(
        key="i_ciobanu",
        display_name="Ion Ciobanu",
        email="i.ciobanu@example.org",
        country="MD",
        organization="Biosafety Office, Ministry of Environment",
        affiliation="party",
        gender=None,
    ),
    DemoPerson(
        key="l_herrera",
        display_name="Lucía Herrera Quispe",
        email="l.herrera@example.org",
        country="PE",
        organization="Ministry of Environment, Directorate of Biological Diversity",
        affiliation="party",
        gender="female",
    ),
    DemoPerson(
        key="m_aguirre",
        display_name="Martín Aguirre",
        email="m.aguirre@example.org",
        country="AR",
        organization="Ministry of Agriculture, Biotechnology Directorate",
        affiliation="other_government",
        gender="male",
    ),
    DemoPerson(
        key="e_marchetti",
        display_name="Elena Marchetti",
        email="e.marchetti@example.org",
        country="IT",
        organization="FAO",
        affiliation="igo",
        gender="female",
    ),
    DemoPerson(
        key="i_solheim",
        display_name="Ingrid Solheim",
        email="i.solheim@example.org",
        country="NO",
        organization="Nordic Institute for Environmental Policy Research",
        affiliation="academia",
        gender="female",
    ),
    DemoPerson(
        key="t_brenner",
        display_name="Thomas Brenner",
        email="t.brenner@example.org",
        country="CH",
        organization="Crop Science Industry Association",
        affiliation="industry",
        gender="prefer_not_to_say",
    ),
)


_S1_Q1 = DemoQuestion(
    text=(
        "What experience has been gained in integrating biosafety into NBSAPs and national "
        "development plans and what have been some of the success factors and challenges?"
    ),
    posts=(
        DemoPost(
            key="s1q1_welcome",
            author="moderator_a",
            hours_after_open=0.5,
            body=(
                "Dear colleagues, welcome to Session I, and thank you for joining us.\n\n"
                "Many of our countries are revising their NBSAPs right now to align them with the "
                "Aichi Biodiversity Targets, so this is a good moment to compare notes. Under this "
                "first question I invite you to share **concrete national experiences**: Was "
                "biosafety included in your NBSAP or national development plan? Who drove the "
                "process, and what made the difference, for better or worse?\n\n"
                "Short case descriptions are more useful than general statements. Links to "
                "documents in the [Biosafety Clearing-House](https://bch.cbd.int/) or to your "
                "NBSAP on the [CBD website](https://www.cbd.int/nbsap/) are very welcome."
            ),
        ),
        DemoPost(
            key="s1q1_ghana",
            author="k_osei",
            hours_after_open=7.5,
            body=(
                "Greetings from Accra. In our first NBSAP biosafety appeared as a single line "
                'under "emerging threats". During the current revision the National Biosafety '
                "Authority asked for a seat on the NBSAP technical working group, and that one "
                "step changed a great deal: we drafted a dedicated national target on the safe use "
                "of modern biotechnology, linked to Aichi Targets 9 and 13.\n\n"
                "What helped us:\n\n"
                "- a CBD focal point who sees biosafety as part of her own mandate, not as a "
                "separate treaty;\n"
                "- a **costed activity table**, which made the target look serious to the planning "
                "ministry;\n"
                "- a Biosafety Act already in force, so we were not asking for new legislation.\n\n"
                "The hard part is the national development plan. There agriculture and trade set "
                "the agenda, and some still see biosafety as a brake on investment rather than a "
                "condition for it."
            ),
        ),
        DemoPost(
            key="s1q1_peru",
            author="l_herrera",
            reply_to="s1q1_ghana",
            hours_after_open=19.0,
            body=(
                "Thank you, Mr. Osei. The point about a costed activity table resonates strongly "
                "with us. In Peru the revised strategy includes our baseline programme on native "
                "varieties (maize, potato, cotton and others) prepared under the moratorium on LMO "
                "cultivation, and what convinced the Ministry of Economy to keep it was precisely "
                "that we showed the costs and which institution would carry each one.\n\n"
                "I would add a fourth success factor: **link biosafety to something planners "
                "already value**. For us that is agrobiodiversity and our role as a centre of "
                "origin; the biosafety chapter reads as protection of a national asset, not as "
                "regulation for its own sake.\n\n"
                "May I ask how you secured the participation of the agriculture ministry in your "
                "working group?"
            ),
        ),
        DemoPost(
            key="s1q1_ghana_2",
            author="k_osei",
            reply_to="s1q1_peru",
            hours_after_open=30.5,
            body=(
                "Ms. Herrera, with some difficulty at first! The agriculture directorate attended "
                "the first two meetings as observers and said little. What changed the dynamic was "
                "inviting them to **co-chair the sub-group on agriculture and food security**: "
                'once they had a formal role, the target stopped being "the environment '
                "ministry's text\".\n\n"
                'We also agreed on wording about the "safe and beneficial use" of biotechnology, '
                "which both sides could defend to their ministers. It is a compromise, but it is "
                "now in a document that both ministries own."
            ),
        ),
        DemoPost(
            key="s1q1_moldova",
            author="i_ciobanu",
            hours_after_open=44.0,
            body=(
                "From the Republic of Moldova: biosafety entered our biodiversity strategy mainly "
                "through the project that supported the implementation of our National Biosafety "
                "Framework. The project team had both the time and the mandate to draft text, and "
                "the NBSAP coordinators were glad to receive a ready-made chapter.\n\n"
                "The difficulty came afterwards. When the project closed, no unit was formally "
                "responsible for the biosafety actions, and the public awareness activities in "
                "particular were never carried out. **Integration on paper is the easy part; "
                "ownership after the project is the hard part.**\n\n"
                "One thing that does help us now is the approximation of our legislation with that "
                "of the European Union: it gives a clear timetable and makes it easier to argue "
                "for staff and budget."
            ),
        ),
        DemoPost(
            key="s1q1_india",
            author="p_raghunathan",
            reply_to="s1q1_moldova",
            hours_after_open=61.0,
            body=(
                "Mr. Ciobanu's point about ownership after a project ends matches our own "
                "experience closely. In India we tried to address it by assigning the "
                "biosafety-related national target to a specific body, the secretariat of our "
                "biosafety regulatory committees, which already reports to the Ministry every "
                "year. Progress is therefore reviewed annually as part of routine business, not "
                "only at the end of a project cycle.\n\n"
                "A second lesson: several of our states have their own biodiversity strategies. "
                "Where a state biodiversity board took up biosafety awareness, for example in "
                "training for agricultural extension staff, the message reached far more people "
                "than any national workshop could."
            ),
        ),
        DemoPost(
            key="s1q1_steer",
            author="moderator_a",
            hours_after_open=97.0,
            body=(
                "Thank you all for the rich contributions during the first days. A pattern is "
                "emerging; integration seems to succeed where:\n\n"
                "1. biosafety staff have a **formal role** in drafting the NBSAP (Ghana, "
                "Moldova);\n"
                "2. targets are **costed and assigned** to a named institution (Ghana, India, "
                "Peru);\n"
                "3. biosafety is linked to issues planners already value, such as "
                "agrobiodiversity, trade or food security (Peru).\n\n"
                "We have not yet heard from Small Island Developing States or from "
                "non-governmental participants. Mr. Tupou, Ms. Nakato, could you tell us how this "
                "looks from your side? Others are of course welcome to challenge the pattern above."
            ),
        ),
        DemoPost(
            key="s1q1_tonga",
            author="s_tupou",
            reply_to="s1q1_steer",
            hours_after_open=118.5,
            body=(
                "Thank you for the invitation, Ms. Khumalo. In Tonga integration is less a choice "
                "than a necessity: our Department of Environment has three professional officers "
                "for all the biodiversity-related conventions, and the same person is often focal "
                "point for the Convention, the Protocol and the GEF. Coordination is therefore "
                "easy, but capacity is very thin.\n\n"
                "In our revised NBSAP biosafety sits under **invasive species and border "
                "control**, because the practical risk for us is unintentional introduction "
                "through imported grain, seed and food aid. What we lack is detection capacity. We "
                "are discussing with Pacific neighbours whether a shared regional laboratory "
                "arrangement could serve several small countries at a cost none of us could carry "
                "alone."
            ),
        ),
        DemoPost(
            key="s1q1_uganda",
            author="g_nakato",
            reply_to="s1q1_steer",
            hours_after_open=139.0,
            body=(
                "Thank you, Madam Moderator. Our network took part in the regional NBSAP "
                "consultations in Uganda, but the biosafety section had already been drafted by "
                "the time the consultations began, so our comments were mostly editorial.\n\n"
                "Two suggestions from a civil society perspective:\n\n"
                "- document *how* the public was consulted on the biosafety component, in line "
                "with Article 23 of the Protocol, and not only *that* it was consulted;\n"
                "- reach the people most affected. **Women farmers who save and exchange seed** "
                "are rarely invited, although they are often the first to notice changes in their "
                "varieties.\n\n"
                "Meetings at district level, in local languages and at times that suit farmers, "
                "made a real difference in our own outreach work."
            ),
        ),
        DemoPost(
            key="s1q1_burkina",
            author="a_ouedraogo",
            reply_to="s1q1_uganda",
            hours_after_open=163.0,
            body=(
                "Ms. Nakato's point on women seed savers deserves emphasis. In Burkina Faso we "
                "partnered with **community radio stations** in three regions to explain the "
                "public consultation on our biosafety regulations, in Mooré and Dioula as well as "
                "in French. Participation of women's groups roughly doubled compared with meetings "
                "held only in the regional capitals.\n\n"
                "The cost was modest, a few broadcast slots and the travel of two staff members, "
                "and it could easily be included as an action under the public awareness target of "
                "a revised NBSAP."
            ),
        ),
    ),
)

_S1_Q2 = DemoQuestion(
    text=(
        "What specific capacities (human resources, institutional and other capacities) are "
        "required as a priority to integrate biosafety into NBSAPs and national development plans?"
    ),
    posts=(
        DemoPost(
            key="s1q2_welcome",
            author="moderator_a",
            hours_after_open=1.0,
            body=(
                "Welcome to the second guiding question. At its last meeting the Liaison Group "
                "noted that most countries have only a few staff dedicated to biosafety, that they "
                "are absorbed by regulatory work, and that focal points often lack the "
                "communication and negotiation skills needed to engage other sectors.\n\n"
                "Rather than a long list of needs, I would ask you to **prioritize**: if your "
                "country could strengthen only two or three capacities over the next two years, "
                "which would they be, and why? Experience with needs assessments, and with keeping "
                "trained people in post, is particularly welcome."
            ),
        ),
        DemoPost(
            key="s1q2_burkina",
            author="a_ouedraogo",
            hours_after_open=13.5,
            body=(
                "In Burkina Faso our priority is not more technical training in risk assessment. "
                "We have benefited from many such workshops and our scientists are reasonably well "
                "prepared. What we have never been trained for is **policy dialogue**: explaining "
                "biosafety to the ministry of finance, writing a budget justification, negotiating "
                "a place in a sectoral plan, answering a parliamentarian's question in two "
                "minutes.\n\n"
                'I would therefore propose, as a priority, a short practical module on "biosafety '
                'for policy dialogue" for national focal points and their deputies, built around '
                "real cases such as NBSAP revisions and budget hearings, with role plays rather "
                "than lectures."
            ),
        ),
        DemoPost(
            key="s1q2_malaysia",
            author="a_faizal",
            reply_to="s1q2_burkina",
            hours_after_open=26.0,
            body=(
                "I fully agree with Ms. Ouédraogo. May I add a point on *how* priorities are "
                "identified? Our first capacity needs assessment in Malaysia produced a list of "
                'more than forty needs, all marked "high", which was of little help to anyone.\n'
                "\n"
                "For the second round we **scored each need on two axes**, importance for "
                "implementing the Protocol and feasibility within three years, and discussed the "
                "scores in a half-day meeting with the agencies concerned. The result was a short "
                "list of five priorities, two of which were about communication and coordination "
                "rather than science. The exercise took less than a month and cost almost nothing."
            ),
        ),
        DemoPost(
            key="s1q2_vietnam",
            author="d_mai",
            reply_to="s1q2_malaysia",
            hours_after_open=49.5,
            body=(
                "The scoring approach Mr. Faizal describes is very practical; we may borrow it in "
                "Viet Nam. From the academic side I would add one priority that is easy to forget: "
                "**institutional memory**. Our ministries rotate staff every few years, and each "
                "rotation takes trained people away from biosafety.\n\n"
                "One answer is to anchor training in universities. Our institute now offers a "
                "biosafety module within a postgraduate programme in plant biotechnology, so new "
                "officers can be trained locally and continuously, not only when a project "
                "workshop happens. We are also translating e-learning material into Vietnamese. "
                "Has anyone used the e-learning modules available through the BCH, and what were "
                "the completion rates like?"
            ),
        ),
        DemoPost(
            key="s1q2_fao",
            author="e_marchetti",
            reply_to="s1q2_vietnam",
            hours_after_open=66.0,
            body=(
                "Dr. Mai, in the blended courses FAO has supported in several regions, completion "
                "rates of purely self-paced online modules were disappointing, often well under "
                "half of those enrolled. The same modules worked much better when combined with:\n"
                "\n"
                "- a national tutor who checked progress every week;\n"
                "- a short face-to-face session at the end, built on real dossiers from the "
                "country;\n"
                "- a certificate recognized by the employer, so that the time spent counted as "
                "part of the job.\n\n"
                "So e-learning is an excellent way to reach more people at lower cost, but it is "
                "not a substitute for national anchoring. Your university module sounds like "
                "exactly that anchor."
            ),
        ),
        DemoPost(
            key="s1q2_serbia",
            author="m_petrovic",
            hours_after_open=88.0,
            body=(
                "Building on Dr. Mai's point on institutional memory: in Serbia we lost two "
                "experienced biosafety officers in one year, and only then realized how much "
                "knowledge existed only in their heads. Since then we have introduced three simple "
                "measures:\n\n"
                "- a **desk manual** for each regulatory procedure, updated whenever the procedure "
                "changes;\n"
                "- a handover period of at least one month whenever someone leaves the unit;\n"
                "- rotation in training: we no longer send the same person to two consecutive "
                "courses.\n\n"
                "The last measure was not popular at first, but it has widened the pool of people "
                'who understand biosafety beyond a very small circle of "usual participants".'
            ),
        ),
        DemoPost(
            key="s1q2_steer",
            author="moderator_a",
            reply_to="s1q2_serbia",
            hours_after_open=109.5,
            body=(
                "Thank you, Ms. Petrović. Your last point touches on something the Liaison Group "
                "also raised: the same few officials tend to attend every training.\n\n"
                "How can we make sure capacity-building reaches beyond this small circle, to "
                "**customs and plant protection officers, extension staff, younger "
                "professionals**, and women, who are still under-represented in many national "
                "biosafety committees? I would be glad to hear of concrete selection criteria or "
                "tracking practices that have worked."
            ),
        ),
        DemoPost(
            key="s1q2_norway",
            author="i_solheim",
            reply_to="s1q2_steer",
            hours_after_open=236.0,
            body=(
                "One practice we have recommended in evaluations is simple: **keep a national "
                "register of who has been trained**, in what, and where they work now. Without it, "
                "nobody can tell whether training reached new people or the same ones again, or "
                "whether trained staff are still in post two years later.\n\n"
                "Such a register also makes it easy to report sex-disaggregated data and to set "
                "modest targets, for example that at least 40 per cent of training places go to "
                "women and to officers from outside the environment ministry. And it gives "
                "substance to the capacity-building objectives of the Strategic Plan for the "
                "Protocol, which otherwise tend to be reported as numbers of workshops."
            ),
        ),
    ),
)

_S1_Q3 = DemoQuestion(
    text=(
        "What indicators could be used to monitor progress and evaluate the success of "
        "mainstreaming biosafety into NBSAPs and national development plans?"
    ),
    posts=(
        DemoPost(
            key="s1q3_welcome",
            author="moderator_a",
            hours_after_open=1.5,
            body=(
                "Welcome to the third guiding question, on monitoring and evaluation. The Liaison "
                "Group suggested, among other things, that the format for the fifth national "
                "report under the Convention should ask to what extent Parties have integrated the "
                "Protocols into their NBSAPs, and which indicators they use to measure progress.\n"
                "\n"
                "What would a **good, small set of indicators** look like? Please think of "
                "indicators that are meaningful, can be measured with data that already exist or "
                "are cheap to collect, and tell us something about results rather than activities "
                "alone."
            ),
        ),
        DemoPost(
            key="s1q3_norway",
            author="i_solheim",
            hours_after_open=21.0,
            body=(
                "Having taken part in several evaluations of capacity-building projects, my first "
                "plea is: **let us not count workshops**. The number of people trained says very "
                "little about whether biosafety is actually integrated.\n\n"
                "I would suggest a mix of three levels:\n\n"
                "1. *Process*: the number of sectoral policies and plans (agriculture, trade, "
                "health) that refer to biosafety or to the Protocol;\n"
                "2. *Input*: a dedicated biosafety line in the national budget, and its trend over "
                "time;\n"
                "3. *Outcome*: the share of decisions on LMOs taken within the statutory time "
                "frame and published in the [Biosafety Clearing-House](https://bch.cbd.int/).\n\n"
                "Each of these can be verified from public documents, which keeps the cost of "
                "monitoring low."
            ),
        ),
        DemoPost(
            key="s1q3_industry",
            author="t_brenner",
            reply_to="s1q3_norway",
            hours_after_open=39.5,
            body=(
                "Dr. Solheim's third indicator is, from our perspective, the most telling. A "
                "functional biosafety system is one that takes **science-based decisions within "
                "predictable time frames** and makes them publicly available. Predictability "
                "matters to public research institutes and small national seed companies just as "
                "much as to multinational firms.\n\n"
                "I would add a related indicator: the proportion of decisions, with summaries of "
                "the risk assessments, that reach the BCH within 15 days, as Article 11 of the "
                "Protocol requires for decisions on LMOs intended for food, feed or processing. It "
                "is easy to measure and says a lot about whether the system works in practice."
            ),
        ),
        DemoPost(
            key="s1q3_ngo",
            author="g_nakato",
            reply_to="s1q3_industry",
            hours_after_open=57.0,
            body=(
                "I agree that publishing decisions in the BCH is a good indicator, Mr. Brenner. "
                "But timeliness alone should not become the measure of success; a system can be "
                "fast precisely because it has cut corners on consultation.\n\n"
                "I would pair it with indicators on **public participation**:\n\n"
                "- the number of decisions preceded by a public consultation, and how the comments "
                "received were taken into account;\n"
                "- participation in consultations disaggregated by sex and by stakeholder group.\n"
                "\n"
                "Otherwise we risk measuring only what matters to applicants and not what matters "
                "to the public."
            ),
        ),
        DemoPost(
            key="s1q3_ghana",
            author="k_osei",
            reply_to="s1q3_ngo",
            hours_after_open=74.5,
            body=(
                "Perhaps the two views can be combined into a single indicator: **the share of "
                "decisions taken within the statutory time frame *and* after a documented public "
                "consultation**.\n\n"
                "In Ghana our Biosafety Act already requires both, so the data exist in our "
                "decision files; it would take one officer a few days a year to compile them. An "
                "indicator of this kind rewards systems that are both efficient and transparent, "
                "which I think is what all of us want."
            ),
        ),
        DemoPost(
            key="s1q3_india",
            author="p_raghunathan",
            hours_after_open=99.0,
            body=(
                "A practical concern: many of us are already struggling with reporting "
                "obligations. I would strongly favour indicators that **reuse existing "
                "reporting**, namely the national reports under the Protocol and under the "
                "Convention, rather than creating a new questionnaire.\n\n"
                "The national report under the Protocol already asks whether a Party has a "
                "capacity-building strategy, whether it has carried out a needs assessment and how "
                "decisions are made public. If the fifth national report under the Convention "
                "added two or three questions on biosafety in NBSAPs, as the Liaison Group "
                "suggested, the combination would give a reasonable picture at no extra cost. The "
                "Strategic Plan for the Protocol also lists indicators we could draw on."
            ),
        ),
        DemoPost(
            key="s1q3_steer",
            author="moderator_a",
            reply_to="s1q3_india",
            hours_after_open=158.0,
            body=(
                "Thank you, Ms. Raghunathan, and all. Let me try to summarize where we are:\n\n"
                "- a **small set** of indicators, mixing process, input and outcome;\n"
                "- reuse of existing national reports wherever possible;\n"
                "- a combined indicator on timely *and* participatory decisions, as Mr. Osei "
                "proposed.\n\n"
                "One question remains open: **who should collect and verify the data** at national "
                "level? The NBSAP coordination unit, the biosafety office, or a joint committee? "
                "Your views would help complete the picture."
            ),
        ),
        DemoPost(
            key="s1q3_burkina",
            author="a_ouedraogo",
            reply_to="s1q3_steer",
            hours_after_open=262.0,
            body=(
                "In our view it should be a **joint responsibility with a clear lead**. In Burkina "
                "Faso the national biodiversity steering committee reviews the NBSAP once a year; "
                "the biosafety agency could prepare the biosafety indicators and present them at "
                "that review. The committee gives them visibility; the agency supplies the data.\n"
                "\n"
                "One more point: no indicator is useful without a baseline. Several of us are "
                "revising our NBSAPs now, and this is the moment to record where we stand today, "
                "even roughly, so that progress can be shown in five years' time."
            ),
        ),
    ),
)

_S2_Q1 = DemoQuestion(
    text=(
        "What experience has been gained with regard to mobilization of resources for the "
        "implementation of the Protocol, including the main sources of funding, success stories, "
        "opportunities and challenges/obstacles encountered, and examples of good practices and "
        "lessons learned?"
    ),
    posts=(
        DemoPost(
            key="s2q1_welcome",
            author="moderator_b",
            hours_after_open=0.5,
            body=(
                "Good morning, good afternoon and good evening, and welcome to Session II. For "
                "most developing countries the GEF has been the main source of funding for "
                "biosafety, supplemented by bilateral projects and modest national budgets. Since "
                "the introduction of the System for Transparent Allocation of Resources (STAR), "
                "biosafety competes with all other biodiversity priorities for the same national "
                "allocation, and funding has fallen.\n\n"
                "Under this question, please share **what has actually worked** for you, whether "
                "national budget lines, cost recovery, regional projects or partnerships, and also "
                "what did not. Failures honestly described are often as instructive as successes."
            ),
        ),
        DemoPost(
            key="s2q1_peru",
            author="l_herrera",
            hours_after_open=10.5,
            body=(
                "In Peru, the most important step was to get biosafety into a **results-based "
                "budget programme** rather than relying on a line within the ministry's general "
                "operating budget. Our monitoring of LMOs and the baseline studies on native "
                "varieties are now presented as outputs of a broader programme on the conservation "
                "of agrobiodiversity, with indicators that the Ministry of Economy reviews every "
                "year.\n\n"
                "The advantage is stability: the activity survives from one budget year to the "
                "next. The disadvantage is that we must show results every year, and the cost of "
                "laboratory analyses is hard to predict. We are still learning how to plan for "
                "that."
            ),
        ),
        DemoPost(
            key="s2q1_malaysia",
            author="a_faizal",
            hours_after_open=25.5,
            body=(
                "Malaysia's experience with **cost recovery** may interest colleagues. Applicants "
                "for approvals pay fees set out in a published schedule, which cover part of the "
                "cost of processing applications, including the scientific review.\n\n"
                "Two lessons:\n\n"
                "- the fees go into the general treasury and not directly to the unit that takes "
                'decisions, to avoid any suggestion that approvals can be "bought";\n'
                "- fees can cover processing costs, but not public awareness, monitoring or "
                "enforcement, which still need an allocation from the national budget.\n\n"
                "So cost recovery is useful, but as a complement, never as a replacement."
            ),
        ),
        DemoPost(
            key="s2q1_ngo",
            author="g_nakato",
            reply_to="s2q1_malaysia",
            hours_after_open=43.0,
            body=(
                "Thank you, Mr. Faizal; sending fees to the treasury is an important safeguard. I "
                "wonder, though, whether fees could become a barrier for **public research "
                "institutes and universities** in countries like mine, which work on crops for "
                "smallholder farmers with very small budgets.\n\n"
                "Has Malaysia made any distinction between commercial applicants and public "
                "research? And are the fee schedule and the annual income from fees published?"
            ),
        ),
        DemoPost(
            key="s2q1_malaysia_2",
            author="a_faizal",
            reply_to="s2q1_ngo",
            hours_after_open=59.5,
            body=(
                "A fair question, Ms. Nakato. Yes: applications for contained use by public "
                "research institutions and universities carry reduced fees, and there is a waiver "
                "procedure for non-commercial field trials. The schedule itself is published in "
                "the regulations, and the total fee income appears in the annual report of the "
                "national biosafety board.\n\n"
                "I would recommend that any country introducing fees do the same from the start. "
                "**Transparency costs nothing** and avoids a lot of suspicion later."
            ),
        ),
        DemoPost(
            key="s2q1_tonga",
            author="s_tupou",
            hours_after_open=79.0,
            body=(
                "For small island States the picture is more difficult. Our STAR allocation is "
                "small, and the minimum size of a meaningful project is not much smaller than in a "
                "large country, so a stand-alone biosafety project is almost impossible to "
                "justify. Bilateral support for biosafety ended several years ago.\n\n"
                "What has worked for us is **participation in regional projects**, where fixed "
                "costs such as training materials, expert support and legal advice are shared "
                "among many countries. I believe pooling resources regionally is the only "
                "realistic path for the smallest Parties, and I would welcome hearing from others "
                "who have tried it."
            ),
        ),
        DemoPost(
            key="s2q1_steer",
            author="moderator_b",
            reply_to="s2q1_tonga",
            hours_after_open=104.5,
            body=(
                "Thank you, Mr. Tupou. In the Caribbean we have had the same experience: a "
                "sub-regional project allowed several small countries to share legal drafting and "
                "laboratory training that none could have afforded alone.\n\n"
                "Let me put a question to everyone: **has anyone made a successful case to a "
                "ministry of finance** for a new or increased biosafety allocation? What arguments "
                "worked? Ms. Herrera has described the results-based budget programme in Peru; I "
                "would like to hear other examples."
            ),
        ),
        DemoPost(
            key="s2q1_ghana",
            author="k_osei",
            reply_to="s2q1_steer",
            hours_after_open=129.0,
            body=(
                "Mr. Baptiste, the argument that worked in Ghana was **trade**, not environment. "
                "Some of our export markets require evidence that shipments do not contain "
                "unapproved LMOs. When we showed the finance ministry that our detection "
                "laboratory could provide that testing, for a fee, to exporters of grain and "
                "processed foods, biosafety suddenly looked like an investment that protects "
                "export earnings rather than a cost.\n\n"
                "As I said in Session I, biosafety is too often seen as a brake on development. In "
                "budget negotiations it helps to show where it is a condition for it."
            ),
        ),
        DemoPost(
            key="s2q1_argentina",
            author="m_aguirre",
            reply_to="s2q1_ghana",
            hours_after_open=158.5,
            body=(
                "Mr. Osei's experience echoes ours in Argentina. Our regulatory system has been "
                "financed for many years from the agriculture budget, precisely because it was "
                "presented as a **condition for market access**: exporters need predictable "
                "authorizations and reliable detection to meet the requirements of importing "
                "countries.\n\n"
                "Argentina is not a Party to the Protocol, but, as I mentioned under the question "
                "on external partners, we cooperate with several countries of the region on "
                "detection laboratories and regulatory procedures. We would be glad to share our "
                "budget justifications and laboratory cost models with colleagues preparing "
                "similar cases."
            ),
        ),
    ),
)

_S2_Q2 = DemoQuestion(
    text=(
        "How could awareness of the GEF operational focal points regarding the significance of "
        "biosafety and the Cartagena Protocol on Biosafety be increased?"
    ),
    posts=(
        DemoPost(
            key="s2q2_welcome",
            author="moderator_b",
            hours_after_open=1.0,
            body=(
                "Welcome to the second guiding question. The Liaison Group observed that national "
                "allocations of GEF resources for biosafety have declined, and recalled that the "
                "Parties, in decision BS-VI/5, urged that biosafety be given priority under the "
                "STAR. In practice that choice is made at national level, often by a **GEF "
                "operational focal point** based in a different ministry from the Protocol focal "
                "point.\n\n"
                "How have you reached your GEF operational focal point? What information did they "
                "need, and at what moment in the GEF programming cycle did it make a difference?"
            ),
        ),
        DemoPost(
            key="s2q2_serbia",
            author="m_petrovic",
            hours_after_open=15.5,
            body=(
                "Two things worked for us in Serbia. First, we invited the GEF operational focal "
                "point to attend meetings of the national biosafety committee as an observer. It "
                "sounds minor, but after two meetings he understood our workload and our gaps far "
                "better than from any letter.\n\n"
                "Second, we prepared a **two-page brief** with no jargon: what the Protocol "
                "requires, what we have done, what is missing, and what it would cost. When the "
                "national consultations on the GEF portfolio began, biosafety was on the list for "
                "the first time in years. Timing was the key; six months later it would have been "
                "too late."
            ),
        ),
        DemoPost(
            key="s2q2_india",
            author="p_raghunathan",
            reply_to="s2q2_serbia",
            hours_after_open=34.5,
            body=(
                "A very useful example, Ms. Petrović. I would add that it helps to **speak the "
                "language of the operational focal point**. He or she has to balance many "
                "priorities within the biodiversity focal area, and a stand-alone biosafety "
                "proposal often loses to protected areas, which show visible results quickly.\n\n"
                "A biosafety component built into a larger project, for instance on "
                "agrobiodiversity, invasive alien species or sustainable agriculture, competes "
                "much better, because it strengthens the overall proposal instead of competing "
                "with it. In India we have had better results with such integrated proposals than "
                "with stand-alone ones."
            ),
        ),
        DemoPost(
            key="s2q2_moldova",
            author="i_ciobanu",
            reply_to="s2q2_india",
            hours_after_open=51.5,
            body=(
                "I agree in principle, Ms. Raghunathan, but let me add a word of caution. In our "
                "experience, when biosafety is only a **component** of a larger project, it is the "
                "first thing to be trimmed during project preparation, when the budget has to be "
                "cut to fit the allocation. Our biosafety component shrank by two thirds between "
                "the concept and the final project document.\n\n"
                "If we go the integrated route, we should insist that biosafety has its own output "
                "and at least one indicator in the **results framework**, so that it cannot "
                "quietly disappear."
            ),
        ),
        DemoPost(
            key="s2q2_steer",
            author="moderator_b",
            reply_to="s2q2_moldova",
            hours_after_open=69.0,
            body=(
                "That is an important practical safeguard, Mr. Ciobanu: a dedicated output and "
                "indicator in the results framework.\n\n"
                "Has anyone seen a biosafety indicator survive from the project concept all the "
                "way to the final evaluation of an integrated project? A good example would help "
                "other focal points argue for the same protection in their own negotiations."
            ),
        ),
        DemoPost(
            key="s2q2_fao",
            author="e_marchetti",
            hours_after_open=93.5,
            body=(
                "From the perspective of an agency that helps countries prepare GEF projects: "
                "operational focal points receive a great many requests, and what they need most "
                "is **early and concise information**. Biosafety proposals often arrive after the "
                "national priorities have already been set.\n\n"
                "The Liaison Group's suggestion of national workshops bringing together the "
                "Convention focal point, the Protocol focal point and the GEF operational focal "
                "point is sound. Where FAO has helped to facilitate such meetings, the most "
                "productive had a simple agenda:\n\n"
                "1. the state of implementation of the Protocol in the country;\n"
                "2. the GEF programming timetable;\n"
                "3. which biosafety needs could fit into which planned projects."
            ),
        ),
        DemoPost(
            key="s2q2_burkina",
            author="a_ouedraogo",
            reply_to="s2q2_fao",
            hours_after_open=119.0,
            body=(
                "I support Ms. Marchetti's proposal. In West Africa, operational focal points meet "
                "regularly at **GEF constituency meetings**; a short biosafety session at one of "
                "those meetings would reach a dozen countries at once, at almost no cost.\n\n"
                "The Liaison Group also suggested that the Secretariat write to the operational "
                "focal points recalling decision BS-VI/5. A letter from the Secretariat followed "
                "by a briefing from the national focal point a week later would reinforce each "
                "other well."
            ),
        ),
        DemoPost(
            key="s2q2_peru",
            author="l_herrera",
            hours_after_open=286.0,
            body=(
                "A simple experience from Peru: **seeing is believing**. We invited our GEF "
                "operational focal point and two officials from the Ministry of Economy to a field "
                "day where our team collects samples of native maize for LMO monitoring, followed "
                "by a visit to the laboratory.\n\n"
                "In one afternoon they understood what biosafety means in practice, and what it "
                "costs, better than from any report. I would recommend such visits to any focal "
                "point preparing for a programming exercise."
            ),
        ),
    ),
)

_S2_Q3 = DemoQuestion(
    text=(
        "How could external partners (including bilateral and multilateral institutions, "
        "non-governmental organizations and the private sector) support Cartagena Protocol "
        "national focal points in their efforts to integrate biosafety into NBSAPs and national "
        "development plans?"
    ),
    posts=(
        DemoPost(
            key="s2q3_welcome",
            author="moderator_b",
            hours_after_open=1.5,
            body=(
                "Welcome to the third guiding question. National focal points rarely carry the "
                "work of integration alone. Bilateral and multilateral partners, regional "
                "organizations, universities, NGOs and the private sector all have something to "
                "offer, from funding and technical advice to **South-South cooperation** and "
                "regional networks.\n\n"
                "I invite partners to tell us what they can offer, and focal points to tell us "
                "what they actually need. Where opportunities already exist, please consider "
                "registering them in the capacity-building databases of the [Biosafety "
                "Clearing-House](https://bch.cbd.int/), so that others can find them after this "
                "forum closes."
            ),
        ),
        DemoPost(
            key="s2q3_argentina",
            author="m_aguirre",
            hours_after_open=17.5,
            body=(
                "A word on **South-South cooperation**. Over the past years our ministry has "
                "hosted technical visits for regulators and laboratory staff from several "
                "countries of the region, and has sent experts to support the drafting of risk "
                "assessment procedures. What we have learned:\n\n"
                "- hands-on work on real dossiers is worth more than any presentation;\n"
                "- exchanges work best when both sides learn, and we have learned a great deal "
                "about public consultation from our neighbours;\n"
                "- short visits need follow-up by e-mail and video calls, otherwise the contact "
                "fades within months.\n\n"
                "We would be glad to receive requests from interested focal points."
            ),
        ),
        DemoPost(
            key="s2q3_vietnam",
            author="d_mai",
            reply_to="s2q3_argentina",
            hours_after_open=33.5,
            body=(
                "Thank you, Mr. Aguirre, for this generous offer. Would such exchanges also cover "
                "**LMO detection laboratories**? Our laboratories in Viet Nam have the basic "
                "equipment but little experience with quantitative methods and proficiency "
                "testing.\n\n"
                "We have found that one-off visits help less than a longer relationship. Would "
                "your institutions consider a twinning arrangement between laboratories, with "
                "staff exchanges over two or three years?"
            ),
        ),
        DemoPost(
            key="s2q3_argentina_2",
            author="m_aguirre",
            reply_to="s2q3_vietnam",
            hours_after_open=47.5,
            body=(
                "Yes, Dr. Mai, detection is one of the areas where we have most to share, and I "
                "agree that **twinning between laboratories** works much better than isolated "
                "visits.\n\n"
                "A practical model would be a joint work plan for two years, one staff exchange "
                "per year in each direction, and participation in the same proficiency testing "
                "rounds so that results can be compared. I will contact you directly to explore "
                "this, and we will register the opportunity in the BCH so that other laboratories "
                "can join."
            ),
        ),
        DemoPost(
            key="s2q3_industry",
            author="t_brenner",
            hours_after_open=71.0,
            body=(
                "Speaking for the private sector: companies and industry associations can "
                "contribute technical information, such as **reference materials and validated "
                "detection methods**, and can share experience with the data used in risk "
                "assessments. We recognize, however, that support to regulators must never "
                "compromise their independence, real or perceived.\n\n"
                "For that reason we favour transparent arrangements through neutral "
                "multi-stakeholder platforms or intergovernmental programmes, rather than direct "
                "support to the authorities that decide on our products. Any such contribution "
                "should be declared publicly, for instance in the BCH record of the "
                "capacity-building initiative concerned."
            ),
        ),
        DemoPost(
            key="s2q3_ngo",
            author="g_nakato",
            reply_to="s2q3_industry",
            hours_after_open=95.5,
            body=(
                "I welcome Mr. Brenner's emphasis on independence and public declaration; that is "
                "exactly the right principle. NGOs can add something different: **public awareness "
                "and participation**, especially at community level, through farmer groups, "
                "schools and community radio in local languages.\n\n"
                "My request to bilateral and multilateral partners is to fund such civil society "
                "components explicitly, not as an afterthought at the end of a project, and to "
                "require every partner, whether industry, NGO or academic, to follow a clear "
                "conflict-of-interest policy."
            ),
        ),
        DemoPost(
            key="s2q3_norway",
            author="i_solheim",
            hours_after_open=124.0,
            body=(
                "A perspective from the donor side of the table: many bilateral agencies now fund "
                "only what is anchored in a country's own development plans. **Integration is "
                "therefore not only a goal but a precondition for funding.** A useful form of "
                "external support would be to finance the integration step itself, for example "
                "technical assistance to NBSAP teams or to the planning ministry.\n\n"
                "Partners could also do better on learning. At the last count, only 16 of some 370 "
                "capacity-building initiatives registered in the BCH included an evaluation or "
                "final report. Partners should publish their evaluations, including the "
                "disappointing ones, so that we stop repeating the same mistakes."
            ),
        ),
        DemoPost(
            key="s2q3_steer",
            author="moderator_b",
            reply_to="s2q3_norway",
            hours_after_open=149.5,
            body=(
                "Thank you, Dr. Solheim. Your point on publishing evaluations links well to the "
                "exchange between Mr. Aguirre and Dr. Mai on twinning: partnerships are most "
                "valuable when they last and when others can learn from them.\n\n"
                "Which brings me to **regional networks**. Several of you have mentioned them, but "
                "many were created by projects and faded when the funding ended. How could "
                "regional biosafety networks be sustained after donor support stops? Mr. Tupou, "
                "the Pacific perspective would be particularly welcome here."
            ),
        ),
        DemoPost(
            key="s2q3_tonga",
            author="s_tupou",
            reply_to="s2q3_steer",
            hours_after_open=251.0,
            body=(
                "Thank you, Mr. Baptiste. In the Pacific, the networks that survive are those "
                "**hosted by an existing regional organization** with its own core budget, rather "
                "than by a project office. Our biosafety contacts now meet as part of the regular "
                "regional environment meetings, not at separate events.\n\n"
                "Three low-cost elements keep the network alive:\n\n"
                "- a shared roster of regional experts that countries can call on for specific "
                "dossiers;\n"
                "- a monthly video call for focal points, even if only half of them join;\n"
                "- a common folder of templates, from import permit forms to public notices.\n\n"
                "None of this needs a large budget, but it does need an institutional home."
            ),
        ),
    ),
)


SESSIONS: tuple[DemoSession, ...] = (
    DemoSession(
        title="Session I: Integrating biosafety into NBSAPs and national development plans",
        description=(
            "This session invites Parties, other Governments, organizations and individual experts "
            "to share **national experiences and lessons learned** in integrating biosafety into "
            "national biodiversity strategies and action plans (NBSAPs), national development "
            "plans and sectoral policies, and to identify the capacities needed to do so. It runs "
            "for two weeks, concurrently with Session II on resource mobilization, and is "
            "moderated by Nomvula Khumalo (South Africa).\n\n"
            "To take part, sign in, open one of the guiding questions below and post your "
            "contribution, or reply directly to another participant. Concrete examples, figures "
            "and links to documents in the [Biosafety Clearing-House](https://bch.cbd.int/) are "
            "especially valuable. The moderator will summarize the discussion at the close of the "
            "session."
        ),
        moderator="moderator_a",
        questions=(_S1_Q1, _S1_Q2, _S1_Q3),
    ),
    DemoSession(
        title="Session II: Mobilizing resources for biosafety at the national level",
        description=(
            "This session looks at how countries finance the implementation of the Cartagena "
            "Protocol: national budgets, the Global Environment Facility (GEF), bilateral and "
            "regional cooperation, cost recovery and partnerships. With GEF support for biosafety "
            "declining, we want to collect **success stories, obstacles and practical ideas** that "
            "other countries can adapt. It runs for two weeks, concurrently with Session I, and is "
            "moderated by Curtis Baptiste (Saint Lucia).\n\n"
            "Everyone registered on the forum may post. Please keep each contribution to one "
            "guiding question, say which country or organization your experience comes from, and "
            "reply to earlier posts where you build on them. Capacity-building projects and "
            "opportunities mentioned here can also be registered in the [Biosafety "
            "Clearing-House](https://bch.cbd.int/)."
        ),
        moderator="moderator_b",
        questions=(_S2_Q1, _S2_Q2, _S2_Q3),
    ),
)


def _check(condition: bool, message: str) -> None:
    # Not ``assert``: these checks must also run under ``python -O``.
    if not condition:
        raise AssertionError(message)


def validate_content() -> None:
    """Check the referential integrity and limits of the demo data.

    Raises ``AssertionError`` naming the first problem found.
    """
    _check(0 < len(SPACE.slug) <= 64, "space slug must be 1-64 characters")
    _check(
        all(part.isascii() and part.isalnum() for part in SPACE.slug.split("-")),
        f"space slug {SPACE.slug!r} must be lower-case words joined by hyphens",
    )
    _check(SPACE.slug == SPACE.slug.lower(), "space slug must be lower-case")
    _check(0 < len(SPACE.title) <= 200, "space title must be 1-200 characters")

    people = {person.key: person for person in PEOPLE}
    _check(len(people) == len(PEOPLE), "person keys must be unique")
    emails = {person.email.lower() for person in PEOPLE}
    _check(len(emails) == len(PEOPLE), "person e-mail addresses must be unique")
    for person in PEOPLE:
        who = f"person {person.key!r}"
        _check(0 < len(person.display_name) <= 80, f"{who}: display name must be 1-80 chars")
        _check(person.email.endswith("@example.org"), f"{who}: e-mail must be @example.org")
        _check(
            len(person.country) == 2 and person.country.isascii() and person.country.isupper(),
            f"{who}: country {person.country!r} must be 2 upper-case letters",
        )
        _check(person.country.isalpha(), f"{who}: country {person.country!r} must be letters")
        _check(0 < len(person.organization) <= 200, f"{who}: organization must be 1-200 chars")
        _check(person.affiliation in AFFILIATIONS, f"{who}: unknown affiliation")
        _check(person.gender is None or person.gender in GENDERS, f"{who}: unknown gender")

    _check(len(SESSIONS) == 2, "there must be exactly two sessions")
    moderators = [session.moderator for session in SESSIONS]
    _check(len(set(moderators)) == len(moderators), "each session needs its own moderator")
    post_keys: set[str] = set()
    for session in SESSIONS:
        _check(0 < len(session.title) <= 200, f"session {session.title!r}: title too long")
        _check(session.moderator in people, f"session {session.title!r}: unknown moderator")
        _check(bool(session.description.strip()), f"session {session.title!r}: no description")
        _check(2 <= len(session.questions) <= 3, f"session {session.title!r}: 2-3 questions")
        for question in session.questions:
            _check(0 < len(question.text) <= 300, f"question {question.text[:40]!r}: too long")
            _check(4 <= len(question.posts) <= 10, f"question {question.text[:40]!r}: 4-10 posts")
            earlier: dict[str, tuple[float, int]] = {}  # key -> (hours, depth)
            previous = -1.0
            for post in question.posts:
                where = f"post {post.key!r}"
                _check(post.key not in post_keys, f"{where}: duplicate key")
                post_keys.add(post.key)
                _check(post.author in people, f"{where}: unknown author {post.author!r}")
                _check(bool(post.body.strip()), f"{where}: empty body")
                _check(
                    0 <= post.hours_after_open <= SESSION_HOURS,
                    f"{where}: time outside the session",
                )
                _check(post.hours_after_open > previous, f"{where}: posts must be in time order")
                depth = 0
                if post.reply_to is not None:
                    _check(
                        post.reply_to in earlier,
                        f"{where}: reply_to {post.reply_to!r} is not an earlier post of its thread",
                    )
                    parent_hours, parent_depth = earlier[post.reply_to]
                    _check(post.hours_after_open > parent_hours, f"{where}: before its parent")
                    depth = parent_depth + 1
                    _check(depth <= MAX_REPLY_DEPTH, f"{where}: replies nested too deeply")
                earlier[post.key] = (post.hours_after_open, depth)
                previous = post.hours_after_open
