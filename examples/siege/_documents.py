"""News stories, full articles, Telegram bulletins and voicemail transcripts of the synthetic siege scenario.

All outlets, reporters, officials and quotes are invented for this demo. Articles deliberately carry
attributed and conflicting claims; ``truth.json`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    """One published story: linked from the outlet's X posts and, for two outlets, from its feed."""

    outlet: str
    time: str
    slug: str
    lang: str
    title: str
    summary: str
    author: str = ""


def _s(outlet: str, time: str, slug: str, lang: str, title: str, summary: str, author: str = "") -> Story:
    return Story(outlet, time, slug, lang, title, summary, author)


STORIES: list[Story] = [
    # Levant Daily (English; feeds/levant_daily.rss)
    _s("levant_daily", "2025-02-01T07:30Z", "siege-fourth-week", "en",
       "Qasr al-Nahr enters fourth week of siege as flour runs out",
       "Bakeries in at least three districts closed on Saturday, residents said.", "Nadia Farouk"),
    _s("levant_daily", "2025-02-01T15:10Z", "bread-queues", "en", "Hours-long bread queues in besieged Qasr al-Nahr",
       "Residents of Souq al-Qadim and Al-Tahuna describe waiting from before dawn for a single bundle.",
       "Nadia Farouk"),
    _s("levant_daily", "2025-02-02T08:00Z", "trapped-civilians", "en",
       "Tens of thousands trapped as siege of Qasr al-Nahr tightens",
       "An estimated 20,000 to 35,000 civilians remain trapped, along with some 5,000 fighters, Levant Daily "
       "reported.", "Nadia Farouk"),
    _s("levant_daily", "2025-02-02T17:45Z", "generators-run-dry", "en", "Qasr al-Nahr's last generators run dry",
       "Diesel for generators has run out in most districts, leaving homes dark for up to 22 hours a day."),
    _s("levant_daily", "2025-02-03T07:15Z", "jisr-shelling", "en", "Heavy shelling on Al-Jisr, casualties feared",
       "Residents report dozens of shells on the Al-Jisr district since early morning."),
    _s("levant_daily", "2025-02-03T16:30Z", "jisr-toll", "en", "45 killed in Al-Jisr shelling, Health Directorate says",
       "The Health Directorate said 45 people were killed; activists put the toll far higher.", "Omar Haddad"),
    _s("levant_daily", "2025-02-04T09:00Z", "hospital-partial", "en",
       "Al-Nahr General Hospital 'partially operating', directorate says",
       "The Health Directorate said the emergency department was working despite fuel shortages."),
    _s("levant_daily", "2025-02-04T15:20Z", "truce-midnight", "en",
       "Truce for Qasr al-Nahr due to take effect at midnight, officials say",
       "Officials on both sides said a truce would begin at midnight on Tuesday."),
    _s("levant_daily", "2025-02-05T07:30Z", "truce-holding", "en",
       "Truce largely holding in Qasr al-Nahr, officials say",
       "A truce that took effect at midnight on Tuesday was largely holding on Wednesday morning, officials said.",
       "Omar Haddad"),
    _s("levant_daily", "2025-02-05T15:40Z", "truce-collapse", "en",
       "Qasr al-Nahr truce collapses; each side blames the other",
       "Shelling resumed on Wednesday afternoon; each side blames the other for breaking the truce."),
    _s("levant_daily", "2025-02-06T10:15Z", "zaytun-cut-off", "en",
       "Tal al-Zaytun cut off after strike on telecom tower, residents say",
       "Phone and internet links to Tal al-Zaytun were cut on Thursday morning, relatives said."),
    _s("levant_daily", "2025-02-06T18:00Z", "malnutrition-deaths", "en",
       "Malnutrition deaths reported as Qasr al-Nahr hospital struggles",
       "At least six people have reportedly died of malnutrition; the Medical Council says nine.", "Nadia Farouk"),
    _s("levant_daily", "2025-02-07T08:20Z", "evacuation-deal", "en",
       "Evacuation deal reached for Qasr al-Nahr civilians",
       "Civilians who wish to leave will be taken out on green buses, the Evacuation Committee said."),
    _s("levant_daily", "2025-02-07T14:00Z", "green-buses", "en", "Green buses to begin evacuation on Saturday",
       "Registration points have opened in four districts."),
    _s("levant_daily", "2025-02-08T10:30Z", "first-convoy", "en", "First convoy leaves Qasr al-Nahr",
       "Twelve buses left the gathering point in Karm al-Nakhil on Saturday morning."),
    _s("levant_daily", "2025-02-08T19:00Z", "night-on-buses", "en", "Evacuees spend the night on buses",
       "Relatives say the convoy has not moved for hours."),
    _s("levant_daily", "2025-02-09T07:00Z", "convoy-delayed", "en",
       "Qasr al-Nahr convoy reportedly delayed at checkpoint",
       "The convoy was reportedly delayed at the Silo checkpoint; the reason was not clear."),
    _s("levant_daily", "2025-02-09T17:30Z", "convoy-crossing", "en", "Convoy reaches Westgate crossing, committee says",
       "The first evacuation convoy reached the Westgate crossing on Sunday evening, the committee said."),
    _s("levant_daily", "2025-02-10T09:00Z", "second-convoy", "en", "Second evacuation convoy prepared",
       "Names from Al-Bustan and Hayy al-Qalaa are on the second list, residents said."),
    _s("levant_daily", "2025-02-10T18:30Z", "goodbye-qasr", "en", "#GoodbyeQasr: farewell messages flood social media",
       "'Goodbye forever from Qasr al-Nahr' has replaced 'goodbye to Qasr al-Nahr' in posts from the city."),
    # Al-Sahel News (mostly Arabic; feeds/sahel_news.atom)
    _s("sahel_news", "2025-02-01T09:00Z", "ar/siege-week-four", "ar",
       "الحصار على قصر النهر يدخل أسبوعه الرابع وسط نفاد الطحين",
       "أغلقت أفران في ثلاثة أحياء على الأقل أبوابها بحسب سكان."),
    _s("sahel_news", "2025-02-01T18:00Z", "ar/souq-bread", "ar", "أهالي السوق القديم: الخبز بات حلماً",
       "طوابير تبدأ قبل الفجر وربطة واحدة لكل عائلة."),
    _s("sahel_news", "2025-02-02T10:00Z", "ar/50000-trapped", "ar",
       "المجلس المحلي: نحو 50 ألف مدني محاصرون في قصر النهر",
       "قال المجلس المحلي إن عدد المحاصرين يفوق التقديرات السابقة بكثير."),
    _s("sahel_news", "2025-02-02T19:30Z", "en/50000-trapped", "en",
       "Local council: 50,000 civilians trapped in Qasr al-Nahr",
       "The city's local council says about 50,000 civilians remain inside, far more than earlier estimates."),
    _s("sahel_news", "2025-02-03T06:30Z", "ar/jisr-shelling", "ar", "عاجل: قصف عنيف على حي الجسر",
       "أنباء عن سقوط عشرات القذائف على الحي منذ ساعات الصباح الأولى."),
    _s("sahel_news", "2025-02-03T14:00Z", "ar/jisr-80", "ar", "ناشطون: 80 قتيلاً في قصف حي الجسر بقصر النهر",
       "قال ناشطون إن 80 شخصاً قتلوا، فيما أعلنت مديرية الصحة حصيلة أقل بلغت 45."),
    _s("sahel_news", "2025-02-03T20:00Z", "en/jisr-80", "en", "Activists: 80 killed in Al-Jisr shelling",
       "Activists say 80 people were killed in Al-Jisr, far more than the Health Directorate's figure of 45."),
    _s("sahel_news", "2025-02-04T11:00Z", "ar/hospital-out", "ar", "المجلس الطبي: مستشفى النهر العام خارج الخدمة",
       "قال المجلس الطبي إن المستشفى توقف عن العمل بعد نفاد الوقود."),
    _s("sahel_news", "2025-02-04T18:30Z", "ar/truce-begins", "ar", "بدء سريان وقف إطلاق النار في قصر النهر",
       "دخلت الهدنة حيز التنفيذ في التاسعة من مساء الثلاثاء بالتوقيت المحلي."),
    _s("sahel_news", "2025-02-05T09:00Z", "ar/truce-violations", "ar", "ناشطون: خروقات للهدنة في حي القلعة",
       "رصد ناشطون إطلاق نار متقطعاً بعد منتصف الليل، وهو ما نفته القوات المحاصِرة."),
    _s("sahel_news", "2025-02-05T14:10Z", "ar/truce-collapse", "ar", "انهيار الهدنة في قصر النهر وتبادل للاتهامات",
       "عاد القصف إلى عدة أحياء بعد ظهر الأربعاء، وكل طرف يحمّل الآخر المسؤولية."),
    _s("sahel_news", "2025-02-06T09:30Z", "ar/zaytun-blackout", "ar", "انقطاع الاتصالات عن حي تل الزيتون",
       "فقد الأهالي الاتصال بذويهم في الحي بعد استهداف برج الاتصالات."),
    _s("sahel_news", "2025-02-06T22:30Z", "ar/zaytun-back", "ar", "عودة الاتصالات إلى تل الزيتون بعد 14 ساعة",
       "عادت الشبكة إلى الحي قرابة منتصف الليل بالتوقيت المحلي."),
    _s("sahel_news", "2025-02-07T09:00Z", "ar/evacuation-deal", "ar", "اتفاق على إجلاء المدنيين بالباصات الخضراء",
       "قالت لجنة الإجلاء إن التسجيل يبدأ اليوم في أربعة أحياء."),
    _s("sahel_news", "2025-02-07T17:00Z", "en/who-gets-on", "en", "Evacuation deal: who gets on the green buses?",
       "Families, the wounded and the elderly first, the Evacuation Committee says."),
    _s("sahel_news", "2025-02-08T11:00Z", "ar/first-convoy", "ar", "انطلاق القافلة الأولى من قصر النهر",
       "خرجت الباصات من نقطة التجمع في كرم النخيل صباح السبت."),
    _s("sahel_news", "2025-02-09T06:00Z", "ar/convoy-halted", "ar",
       "توقف قافلة الإجلاء عند حاجز الصوامع وأنباء عن إطلاق نار",
       "قال ناشطون إن القافلة متوقفة منذ منتصف الليل وتعرضت لإطلاق نار."),
    _s("sahel_news", "2025-02-09T08:00Z", "en/convoy-halted", "en",
       "Convoy halted and under fire at Silo checkpoint, activists say",
       "The first evacuation convoy has been halted at the Silo checkpoint since midnight and came under fire, "
       "activists say."),
    _s("sahel_news", "2025-02-09T19:00Z", "ar/convoy-part-reached", "ar", "أنباء عن وصول جزء من القافلة إلى المعبر",
       "يُقال إن سبعة باصات وصلت إلى معبر البوابة الغربية، ولم يتسنَّ التحقق من ذلك."),
    _s("sahel_news", "2025-02-10T10:00Z", "ar/farewells", "ar", "رسائل وداع من قصر النهر: سامحونا",
       "انتشرت على مواقع التواصل رسائل وداع من سكان المدينة تحت وسم #وداعا_قصر_النهر."),
    # Channel 9 World (English; X only, two full articles)
    _s("channel9", "2025-02-02T12:00Z", "un-tens-of-thousands", "en", "UN: 'tens of thousands' trapped in Qasr al-Nahr",
       "UN envoy Marta Lindqvist says the situation is close to catastrophic."),
    _s("channel9", "2025-02-03T17:40Z", "al-jisr-shelling", "en",
       "At least 45 killed in shelling of Qasr al-Nahr's Al-Jisr district",
       "Health Directorate says 45 dead; activists say 80."),
    _s("channel9", "2025-02-04T19:00Z", "ceasefire-takes-effect", "en", "Ceasefire takes effect in Qasr al-Nahr",
       "The truce took effect at 9pm local time, the UN envoy's office said."),
    _s("channel9", "2025-02-05T16:00Z", "ceasefire-collapses", "en", "Qasr al-Nahr ceasefire collapses within a day",
       "Shelling resumed on Wednesday afternoon; each side blames the other."),
    _s("channel9", "2025-02-06T12:00Z", "district-goes-dark", "en", "A district of Qasr al-Nahr goes dark",
       "Relatives abroad say they cannot reach anyone in Tal al-Zaytun."),
    _s("channel9", "2025-02-08T12:00Z", "green-buses-leave", "en", "Green buses leave Qasr al-Nahr",
       "The first evacuation convoy is under way."),
    _s("channel9", "2025-02-09T09:30Z", "convoy-stopped", "en", "UN: evacuation convoy stopped at checkpoint",
       "The UN says the convoy is stopped at the Silo checkpoint and calls for it to be allowed through."),
    _s("channel9", "2025-02-10T12:00Z", "farewells", "en", "'Goodbye forever': Qasr al-Nahr's farewells",
       "Residents who stayed post farewell messages as evacuations continue."),
    # The Northern Courier (English; X only, one full article)
    _s("northern_courier", "2025-02-02T14:00Z", "inside-the-siege", "en", "Inside the siege of Qasr al-Nahr",
       "About 30,000 people are thought to remain in the city."),
    _s("northern_courier", "2025-02-03T18:30Z", "civil-defence-62", "en", "Civil Defence says 62 killed in Al-Jisr",
       "The Qasr Civil Defence says 62 people were killed in Monday's shelling."),
    _s("northern_courier", "2025-02-05T10:00Z", "brief-calm", "en", "Truce brings brief calm to Qasr al-Nahr",
       "Residents venture out after the first quiet night in weeks."),
    _s("northern_courier", "2025-02-07T12:00Z", "hope-and-fear", "en", "Evacuation deal brings hope and fear",
       "Many residents say they will not leave their homes."),
    _s("northern_courier", "2025-02-09T08:40Z", "convoy-reaches-crossing", "en",
       "First evacuation convoy reaches crossing, committee says",
       "Twelve buses carrying 540 people reached the Westgate crossing, the Evacuation Committee said."),
    _s("northern_courier", "2025-02-10T15:00Z", "what-remains", "en", "What remains of Qasr al-Nahr",
       "A city emptying, street by street."),
]

LIVE_SUMMARY = {
    "siege": ("Bread queues, power cuts and overnight shelling in several districts.",
              "طوابير خبز وانقطاع كهرباء وقصف ليلي على عدة أحياء."),
    "jisr_strike": ("Rescue work continues in Al-Jisr; the death toll is disputed.",
                    "تستمر أعمال الإنقاذ في الجسر وسط تضارب في الحصيلة."),
    "truce": ("The truce is holding in its first hours; aid has not yet entered.",
              "الهدنة صامدة في ساعاتها الأولى ولم تدخل المساعدات بعد."),
    "truce_broken": ("Shelling has resumed; Tal al-Zaytun has lost communications.",
                     "عاد القصف، وانقطعت الاتصالات عن تل الزيتون."),
    "evac_deal": ("Registration for evacuation buses is under way.", "التسجيل على باصات الإجلاء مستمر."),
    "convoy_moving": ("The first convoy of green buses has left.", "خرجت القافلة الأولى من الباصات الخضراء."),
    "convoy_halted": ("Conflicting reports on the convoy at the Silo checkpoint.",
                      "أنباء متضاربة عن القافلة عند حاجز الصوامع."),
    "convoy_reached": ("Evacuations continue; farewell messages spread online.",
                       "يستمر الإجلاء وتنتشر رسائل الوداع على الإنترنت."),
}


@dataclass(frozen=True)
class Article:
    """A full article file. ``kind`` is ``html`` or ``txt``; ``paragraphs`` are plain text."""

    filename: str
    outlet: str
    slug: str
    kind: str
    lang: str
    published: str
    title: str
    author: str
    paragraphs: tuple[str, ...]


ARTICLES: list[Article] = [
    Article("levant_daily_2025-02-02_trapped.html", "levant_daily", "trapped-civilians", "html", "en",
            "2025-02-02T08:00:00Z", "Tens of thousands trapped as siege of Qasr al-Nahr tightens", "Nadia Farouk", (
                "QASR AL-NAHR — An estimated 20,000 to 35,000 civilians remain trapped in the besieged city of "
                "Qasr al-Nahr, along with some 5,000 fighters, Levant Daily reported on Sunday, citing aid "
                "workers and residents in contact with the city.",
                "The figures could not be independently verified. A military spokesman for the besieging "
                "forces, speaking on condition of anonymity, put the number of fighters at \"more than 8,000\" "
                "and said civilians were \"free to leave through the designated corridors\", a claim residents "
                "reject.",
                "\"There is no corridor. Anyone who walks toward the river road is shot at,\" said a resident "
                "of Bab al-Sharq who gave only his first name, Yousef.",
                "Flour has run out in at least three districts, according to the city's bakers, and a kilo of "
                "rice now reportedly costs 25,000 lira, ten times its price a month ago.",
                "UN envoy Marta Lindqvist said the situation was \"close to catastrophic\". \"We are asking all "
                "parties to allow food and medicine in without conditions, and to let those who wish to leave "
                "do so safely,\" she said in a statement on Saturday.",
                "The Health Directorate said Al-Nahr General Hospital was working at three times its capacity. "
                "Each side blames the other for the failure of last week's talks.",
            )),
    Article("channel9_2025-02-03_al-jisr.txt", "channel9", "al-jisr-shelling", "txt", "en",
            "2025-02-03T17:40:00Z", "At least 45 killed in shelling of Qasr al-Nahr's Al-Jisr district", "", (
                "At least 45 people were killed and more than 120 wounded when shelling struck the Al-Jisr "
                "district of Qasr al-Nahr on Monday morning, according to the city's Health Directorate.",
                "Activists in the city put the toll at 80, saying many bodies remained under the rubble. "
                "Channel 9 World could not independently verify either figure.",
                "\"Our teams pulled 31 people out alive, but many more are still under the collapsed buildings "
                "on Bridge Street,\" Adnan Haddad, a spokesman for the Qasr Civil Defence, told Channel 9 World. "
                "The Civil Defence later put the number of dead at 62.",
                "The shelling reportedly began shortly after 8:30am local time and lasted nearly two hours. "
                "Residents said a bread queue outside a bakery was among the places hit.",
                "Each side blames the other. A statement attributed to the besieging command said it had "
                "targeted \"militant positions\" and accused fighters inside the city of using civilians as "
                "shields. Activists said the area hit was residential, with a market and a school.",
                "UN envoy Marta Lindqvist said she was appalled. \"There is no military objective that "
                "justifies shelling a bread queue,\" she said.",
            )),
    Article("sahel_news_2025-02-03_al-jisr_ar.html", "sahel_news", "ar/jisr-80", "html", "ar",
            "2025-02-03T14:00:00Z", "ناشطون: 80 قتيلاً في قصف حي الجسر بقصر النهر", "مراسل الساحل", (
                "قال ناشطون في مدينة قصر النهر المحاصرة إن 80 شخصاً على الأقل قُتلوا صباح اليوم الاثنين في قصف "
                "مدفعي استهدف حي الجسر، فيما أعلنت مديرية الصحة حصيلة أقل بلغت 45 قتيلاً.",
                "وقال الناشط سليم العمر لـ\"الساحل\" إن \"عشرات الجثث ما زالت تحت الأنقاض في شارع الجسر، وفرق "
                "الدفاع المدني لا تملك المعدات الكافية\".",
                "من جهته، قال المجلس المحلي إن نحو 50 ألف مدني ما زالوا محاصرين داخل المدينة، وهو رقم يفوق "
                "بكثير تقديرات سابقة تحدثت عن 20 إلى 35 ألفاً.",
                "ويتبادل الطرفان الاتهامات بالمسؤولية عن القصف، إذ تقول القوات المحاصِرة إنها استهدفت \"مواقع "
                "للمسلحين\"، بينما يؤكد الأهالي أن المنطقة سكنية بالكامل.",
                "وبحسب ما يُزعم، فإن القصف طال طابوراً أمام أحد الأفران. ولم يتسنَّ لـ\"الساحل\" التحقق من ذلك "
                "بشكل مستقل.",
            )),
    Article("channel9_2025-02-05_ceasefire.html", "channel9", "ceasefire-collapses", "html", "en",
            "2025-02-05T16:00:00Z", "Qasr al-Nahr ceasefire collapses within a day", "Tom Ashworth", (
                "A ceasefire in the besieged city of Qasr al-Nahr, which took effect on Tuesday night at 9pm "
                "local time according to the office of UN envoy Marta Lindqvist, collapsed on Wednesday "
                "afternoon as shelling resumed on at least three districts, residents and the Qasr Civil "
                "Defence said.",
                "\"The shelling started again at around four o'clock. We have reports of strikes on Hayy "
                "al-Qalaa, Al-Bustan and Tal al-Zaytun,\" a spokesman for the Qasr Civil Defence told Channel 9 "
                "World.",
                "Each side blames the other for the collapse. A statement from the besieging command accused "
                "armed groups inside the city of firing first from positions near the citadel. Activists said "
                "the first shells came from the hills to the east, and published videos that could not be "
                "verified.",
                "Ms Lindqvist said, \"A ceasefire that lasts less than a day is not a ceasefire. I urge both "
                "sides to return to the commitments they made on Tuesday.\"",
                "Tens of thousands of civilians remain trapped in the city, according to the UN. Under the "
                "truce, aid convoys were reportedly due to enter on Thursday. None did.",
            )),
    Article("levant_daily_2025-02-05_truce.txt", "levant_daily", "truce-holding", "txt", "en",
            "2025-02-05T07:30:00Z", "Truce largely holding in Qasr al-Nahr, officials say", "Omar Haddad", (
                "A truce between the besieging forces and armed groups in Qasr al-Nahr took effect at midnight "
                "on Tuesday and was largely holding on Wednesday morning, officials on both sides said.",
                "\"There have been a few isolated violations, but the truce is holding,\" Dr Bassam Tarek, an "
                "official of the Health Directorate, told Levant Daily.",
                "Residents described the first night without shelling in weeks. \"The children slept. That is "
                "all I wanted,\" said a mother of four in Al-Bustan.",
                "Activists reported sporadic gunfire near Hayy al-Qalaa shortly after 2am, a claim the "
                "besieging command denied. It is claimed that a sniper was active near the old citadel wall.",
                "The UN envoy's office said aid trucks were ready to enter once guarantees were in place. Some "
                "20,000 to 35,000 civilians are estimated to remain in the city.",
            )),
    Article("levant_daily_2025-02-06_malnutrition.txt", "levant_daily", "malnutrition-deaths", "txt", "en",
            "2025-02-06T18:00:00Z", "Malnutrition deaths reported as Qasr al-Nahr hospital struggles",
            "Nadia Farouk", (
                "At least six people have reportedly died of malnutrition in Qasr al-Nahr in the past week, "
                "residents and medical workers said, as the city's main hospital struggled to function.",
                "The Qasr Medical Council, a body of doctors working inside the city, put the number of "
                "starvation deaths at nine, among them four children, and said Al-Nahr General Hospital was "
                "\"out of service\" after its last generator failed on Thursday morning.",
                "The Health Directorate disputed that account. \"The hospital is partially operating. The "
                "emergency department and two operating theatres are working,\" Dr Bassam Tarek said.",
                "\"We are choosing who gets oxygen,\" a doctor at the hospital, who asked not to be named, told "
                "Levant Daily. \"That is where we are.\"",
                "Communications with the Tal al-Zaytun district were cut on Thursday morning after a strike on "
                "its telecom tower, residents said, and relatives abroad said they had been unable to reach "
                "anyone there for hours.",
            )),
    Article("northern_courier_2025-02-09_convoy.html", "northern_courier", "convoy-reaches-crossing", "html", "en",
            "2025-02-09T08:40:00Z", "First evacuation convoy reaches crossing, committee says", "Helen Marsh", (
                "The first convoy of green buses carrying civilians out of Qasr al-Nahr reached the Westgate "
                "crossing early on Sunday, the city's Evacuation Committee said.",
                "\"Twelve buses carrying 540 people reached the crossing safely. The operation is proceeding as "
                "agreed,\" committee coordinator Leila Mansour told The Northern Courier by phone.",
                "The buses left the gathering point in Karm al-Nakhil on Saturday morning. Activists, however, "
                "reported that the convoy had been stopped at the Silo checkpoint overnight, and the Courier "
                "could not independently confirm the buses' position.",
                "\"We welcome every person who reaches safety, but the evacuation must be voluntary,\" UN envoy "
                "Marta Lindqvist said.",
                "About 30,000 people are thought to remain in the city.",
            )),
    Article("sahel_news_2025-02-09_convoy_ar.txt", "sahel_news", "ar/convoy-halted", "txt", "ar",
            "2025-02-09T06:00:00Z", "توقف قافلة الإجلاء عند حاجز الصوامع وأنباء عن إطلاق نار", "", (
                "أفاد ناشطون بأن قافلة الإجلاء الأولى التي خرجت من قصر النهر صباح أمس السبت توقفت عند حاجز "
                "الصوامع، وتعرضت لإطلاق نار أدى إلى إصابة عدد من الركاب، بحسب ما يُزعم.",
                "وقال الناشط سليم العمر لـ\"الساحل\": \"الباصات واقفة منذ منتصف الليل، والناس بلا ماء ولا طعام، "
                "وسمعنا إطلاق نار قرب الحاجز\".",
                "في المقابل، نفت لجنة الإجلاء وجود أي إطلاق نار، وقالت منسقة اللجنة ليلى منصور إن \"القافلة تسير "
                "وفق الاتفاق\".",
                "وتضم القافلة، بحسب التقديرات، ما بين 10 و12 باصاً تقل نحو 500 شخص.",
                "ويتبادل الطرفان الاتهامات بعرقلة الاتفاق، فيما قالت الأمم المتحدة إنها تتابع الوضع عن كثب.",
            )),
]

CONFLICTS = [
    {"topic": "civilians trapped in the city", "claims": [
        {"value": "20,000-35,000", "source": "Levant Daily (aid workers, residents)",
         "where": ["articles/levant_daily_2025-02-02_trapped.html", "articles/levant_daily_2025-02-05_truce.txt",
                   "feeds/levant_daily.rss"]},
        {"value": "about 50,000", "source": "local council (via Al-Sahel News)",
         "where": ["articles/sahel_news_2025-02-03_al-jisr_ar.html", "feeds/sahel_news.atom"]},
        {"value": "about 30,000", "source": "The Northern Courier",
         "where": ["articles/northern_courier_2025-02-09_convoy.html"]},
        {"value": "tens of thousands", "source": "UN (via Channel 9 World)",
         "where": ["articles/channel9_2025-02-05_ceasefire.html"]}]},
    {"topic": "fighters inside the city", "claims": [
        {"value": "some 5,000", "source": "Levant Daily", "where": ["articles/levant_daily_2025-02-02_trapped.html"]},
        {"value": "more than 8,000", "source": "military spokesman of the besieging forces (anonymous)",
         "where": ["articles/levant_daily_2025-02-02_trapped.html"]}]},
    {"topic": "death toll of the 2025-02-03 shelling of Al-Jisr", "claims": [
        {"value": "45", "source": "Health Directorate",
         "where": ["articles/channel9_2025-02-03_al-jisr.txt", "articles/sahel_news_2025-02-03_al-jisr_ar.html",
                   "feeds/levant_daily.rss"]},
        {"value": "62", "source": "Qasr Civil Defence",
         "where": ["articles/channel9_2025-02-03_al-jisr.txt", "telegram/result.json"]},
        {"value": "80", "source": "activists",
         "where": ["articles/channel9_2025-02-03_al-jisr.txt", "articles/sahel_news_2025-02-03_al-jisr_ar.html",
                   "feeds/sahel_news.atom"]}]},
    {"topic": "when the ceasefire took effect", "claims": [
        {"value": "Tuesday 2025-02-04 21:00 local (18:00Z)", "source": "UN envoy's office (via Channel 9 World)",
         "where": ["articles/channel9_2025-02-05_ceasefire.html", "feeds/sahel_news.atom"]},
        {"value": "midnight on Tuesday (21:00Z)", "source": "officials (via Levant Daily)",
         "where": ["articles/levant_daily_2025-02-05_truce.txt", "feeds/levant_daily.rss"]}]},
    {"topic": "ceasefire status on 2025-02-05", "claims": [
        {"value": "largely holding", "source": "officials; Dr Bassam Tarek, Health Directorate",
         "where": ["articles/levant_daily_2025-02-05_truce.txt"]},
        {"value": "collapsed", "source": "Qasr Civil Defence; residents",
         "where": ["articles/channel9_2025-02-05_ceasefire.html", "telegram/result.json"]},
        {"value": "who broke it: each side blames the other", "source": "besieging command vs activists",
         "where": ["articles/channel9_2025-02-05_ceasefire.html"]}]},
    {"topic": "first evacuation convoy on 2025-02-09", "claims": [
        {"value": "reached the Westgate crossing", "source": "Evacuation Committee (Leila Mansour)",
         "where": ["articles/northern_courier_2025-02-09_convoy.html"]},
        {"value": "halted at the Silo checkpoint and under fire", "source": "activists (Salim al-Omar)",
         "where": ["articles/sahel_news_2025-02-09_convoy_ar.txt", "feeds/sahel_news.atom"]},
        {"value": "reportedly delayed at checkpoint", "source": "Levant Daily", "where": ["feeds/levant_daily.rss"]},
        {"value": "stopped at checkpoint", "source": "UN (via Channel 9 World)", "where": ["x (@Channel9World)"]}],
     "in_the_fiction": "halted 2025-02-09T04:00Z-16:00Z, reached the crossing that evening"},
    {"topic": "Al-Nahr General Hospital", "claims": [
        {"value": "out of service", "source": "Qasr Medical Council",
         "where": ["articles/levant_daily_2025-02-06_malnutrition.txt", "feeds/sahel_news.atom",
                   "telegram/result.json"]},
        {"value": "partially operating", "source": "Health Directorate (Dr Bassam Tarek)",
         "where": ["articles/levant_daily_2025-02-06_malnutrition.txt", "feeds/levant_daily.rss"]}]},
    {"topic": "deaths from malnutrition", "claims": [
        {"value": "at least six (reportedly)", "source": "residents and medical workers (via Levant Daily)",
         "where": ["articles/levant_daily_2025-02-06_malnutrition.txt"]},
        {"value": "nine, four of them children", "source": "Qasr Medical Council",
         "where": ["articles/levant_daily_2025-02-06_malnutrition.txt", "telegram/result.json"]}]},
]

# --- Telegram channel ----------------------------------------------------------------------------------

TG_CHANNEL = "Qasr Civil Defence | الدفاع المدني"
TG_MEDICAL = "Qasr Medical Council"

# Scripted messages: (time, language, parts). Parts are plain strings or (entity type, text[, href]).
TgPart = str | tuple[str, ...]
TG_SCRIPT: list[tuple[str, str, list[TgPart]]] = [
    ("2025-02-01T06:10Z", "ar",
     [("bold", "الدفاع المدني في قصر النهر"), "\nأرقام الطوارئ: +000 700 100 و +000 700 101\n",
                                 ("hashtag", "#قصر_النهر")]),
    ("2025-02-03T05:50Z", "ar", [("bold", "عاجل:"), " قصف عنيف على حي الجسر. فرقنا في طريقها. ابتعدوا عن شارع الجسر."]),
    ("2025-02-03T06:05Z", "en",
     [("bold", "URGENT:"), " heavy shelling on Al-Jisr. Teams deployed. Stay away from Bridge Street."]),
    ("2025-02-03T11:30Z", "ar", ["انتشلنا 31 شخصاً أحياء من تحت الأنقاض في الجسر حتى الآن. العمل مستمر."]),
    ("2025-02-03T19:00Z", "ar", [("bold", "حصيلة قصف الجسر:"), " 62 قتيلاً و140 جريحاً حسب فرق الدفاع المدني. ",
                                 ("hashtag", "#الجسر")]),
    ("2025-02-03T19:05Z", "en",
     [("bold", "Al-Jisr toll:"), " 62 dead and 140 wounded, according to Civil Defence teams. ",
                                 ("hashtag", "#QasrAlNahr")]),
    ("2025-02-04T16:00Z", "ar", ["تبدأ الهدنة الساعة التاسعة مساءً بالتوقيت المحلي. ابقوا قرب الملاجئ حتى نؤكد."]),
    ("2025-02-04T16:02Z", "en",
     ["The ceasefire starts at 9pm local time tonight. Stay near shelters until we confirm."]),
    ("2025-02-05T13:10Z", "ar",
     [("bold", "انتهت الهدنة."), " عاد القصف على القلعة والبستان وتل الزيتون. إلى الملاجئ فوراً."]),
    ("2025-02-05T13:12Z", "en",
     [("bold", "The truce is over."), " Shelling on Al-Qalaa, Al-Bustan and Tal al-Zaytun. Go to shelters now."]),
    ("2025-02-06T08:05Z", "ar", ["فقدنا الاتصال بفريقنا في تل الزيتون منذ الساعة 10:40. نحاول الوصول إليهم."]),
    ("2025-02-06T08:07Z", "en",
     ["We have lost contact with our Tal al-Zaytun team since 10:40 local. Trying to reach them."]),
    ("2025-02-06T21:55Z", "ar", ["عاد الاتصال مع تل الزيتون الساعة 00:40. الفريق بخير."]),
    ("2025-02-07T07:00Z", "ar",
     [("bold", "التسجيل للإجلاء:"), " جامع الجسر، مدرسة كرم النخيل، ساحة النافورة، مركز القلعة. ",
                                 ("text_link", "التفاصيل", "https://qasr-cd.example/evacuation")]),
    ("2025-02-07T07:03Z", "en", [("bold", "Evacuation registration:"), " Al-Jisr mosque, Karm al-Nakhil school, "
                                 "Fountain Square, Al-Qalaa centre. Details: ", ("link", "https://qasr-cd.example/evacuation")]),
    ("2025-02-08T09:40Z", "ar",
     ["الباصات الخضراء وصلت نقطة التجمع في كرم النخيل. الأولوية للجرحى وكبار السن والأطفال."]),
    ("2025-02-09T05:00Z", "ar",
     [("bold", "وضع القافلة:"), " الباصات متوقفة عند حاجز الصوامع. لا تأكيد لدينا عن إصابات."]),
    ("2025-02-09T05:02Z", "en",
     [("bold", "Convoy status:"), " buses stopped at the Silo checkpoint. We have no confirmation of casualties."]),
    ("2025-02-09T16:20Z", "ar", ["القافلة وصلت إلى معبر البوابة الغربية الساعة 19:10. الحمد لله على السلامة."]),
    ("2025-02-09T16:22Z", "en", ["The convoy reached the Westgate crossing at 19:10 local."]),
    ("2025-02-10T08:00Z", "ar",
     ["القافلة الثانية اليوم. التجمع في ساحة النافورة من الساعة العاشرة. ", ("hashtag", "#قصر_النهر")]),
]
TG_FORWARDS: list[tuple[str, str, list[TgPart]]] = [
    ("2025-02-04T10:40Z", "ar", [("bold", "المجلس الطبي:"), " مستشفى النهر العام خارج الخدمة بعد نفاد الوقود."]),
    ("2025-02-04T10:45Z", "en",
     [("bold", "Medical Council:"), " Al-Nahr General Hospital is out of service after fuel ran out."]),
    ("2025-02-06T15:00Z", "ar", ["المجلس الطبي: تسع وفيات بسبب سوء التغذية خلال أسبوع، بينهم أربعة أطفال."]),
    ("2025-02-06T15:04Z", "en", ["Medical Council: nine deaths from malnutrition this week, four of them children."]),
    ("2025-02-08T07:30Z", "en",
     ["Medical Council: 37 patients need evacuation on the first convoy. List sent to the committee."]),
]
TG_ROUTINE = {
    "en": ["Teams responding to shelling in {district}.", "Shelter open: the basement of the {district} school. "
           "Bring water and blankets.", "{n} people rescued from a collapsed house in {district}.",
           "Fire in {district} is under control.", "Reminder: do not gather in queues during shelling.",
           "Water distribution in {district} at 2pm.", "Our ambulance in {district} is out of fuel. Use the "
           "emergency line for transport."],
    "ar": ["فرقنا تستجيب لقصف في {district_ar}.", "ملجأ مفتوح: قبو مدرسة {district_ar}. أحضروا الماء والبطانيات.",
           "إنقاذ {n} أشخاص من منزل منهار في {district_ar}.", "تمت السيطرة على حريق في {district_ar}.",
           "تذكير: لا تتجمعوا في الطوابير أثناء القصف.", "توزيع المياه في {district_ar} الساعة الثانية ظهراً.",
           "حصيلة أولية في {district_ar}: القتلى {n}، الجرحى {n2}.", "سيارة الإسعاف في {district_ar} بلا وقود."],
}

# --- voicemail -----------------------------------------------------------------------------------------

VOICEMAIL_TXT = {
    "filename": "call_2025-02-06_1210.txt",
    "caller": "+000 555 0193",
    "received": "2025-02-06T12:10:00Z",
    "duration": "43s",
    "line": "family hotline",
    "transcript": (
        "Hello, this is Mona, I'm calling about my brother Hamza, he lives in Tal al-Zaytun, near the bakery on "
        "the hill. We haven't heard anything from him since this morning, his phone doesn't ring, nobody's "
        "phone there rings. My cousin in Al-Jisr says the tower was hit. Please, if you hear anything from Tal "
        "al-Zaytun, anything, call me back on this number. His account is hamza_olivehill. Thank you."
    ),
}
VOICEMAIL_JSON = {
    "filename": "call_2025-02-09_0730.json",
    "id": "vm-2025-02-09-0730",
    "caller": "+000 555 0177",
    "received_at": "2025-02-09T07:30:00Z",
    "duration_s": 58,
    "language": "ar",
    "transcript": (
        "السلام عليكم، أنا أخت رامي من حي البستان. آخر رسالة منه كانت مبارح العصر، قال إنهم نازلين عالقبو "
        "لأن القصف قريب من شارع الفرن. من وقتها ما في شي، لا رسالة ولا اتصال. حسابه rami_bustan. إذا حدا "
        "بيعرف شي عنه أو عن الجيران بالبناية، الله يخليكم اتصلوا فيني. شكراً."
    ),
}
