"""Session II (mobilizing resources): its guiding questions and their threads."""

from __future__ import annotations

from forum_server.demo_content.model import DemoPost, DemoQuestion

QUESTION_1 = DemoQuestion(
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

QUESTION_2 = DemoQuestion(
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

QUESTION_3 = DemoQuestion(
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
