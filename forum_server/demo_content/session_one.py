"""Session I (integrating biosafety into NBSAPs): its guiding questions and their threads."""

from __future__ import annotations

from forum_server.demo_content.model import DemoPost, DemoQuestion

QUESTION_1 = DemoQuestion(
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
                "Thank you all for the rich contributions during the first days, and "
                "@[Kwabena Osei] and @[Priya Raghunathan] for the detail on costed targets. "
                "A pattern is emerging; integration seems to succeed where:\n\n"
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

QUESTION_2 = DemoQuestion(
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

QUESTION_3 = DemoQuestion(
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
