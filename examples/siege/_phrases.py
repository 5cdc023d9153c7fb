"""Post templates for the synthetic siege scenario, in English and Arabic (all text written for this demo).

Slots: {city} {city_ar} {district} {district_ar} {other} {other_ar} {street} {street_ar} {n} {n2} {price}
{name} {name_ar} {day} {hospital} {hospital_ar} {user} {tag} {tag_ar}.
"""

from __future__ import annotations

STREETS = [("Mill Road", "طريق الطاحونة"), ("Orchard Lane", "زقاق البستان"), ("Bridge Street", "شارع الجسر"),
           ("Fountain Square", "ساحة النافورة"), ("the Copper Market", "سوق النحاسين"),
           ("School Street", "شارع المدرسة"), ("the old tram line", "خط الترام القديم")]
NAMES = [("Jamal", "جمال"), ("Mustafa", "مصطفى"), ("Adel", "عادل"), ("Nabil", "نبيل"), ("Walid", "وليد")]
HOSPITAL = ("Al-Nahr General Hospital", "مستشفى النهر العام")
PRICES = ["18,000", "22,000", "25,000", "30,000", "40,000"]

HASHTAGS_EN = ["#QasrAlNahr", "#SaveQasr", "#QasrUnderSiege"]
HASHTAGS_AR = ["#قصر_النهر", "#أنقذوا_قصر_النهر", "#الحصار"]
FAREWELL_TAGS_EN = ["#GoodbyeQasr", "#GoodbyeQasr", "#QasrAlNahr", "#SaveQasr"]
FAREWELL_TAGS_AR = ["#وداعا_قصر_النهر", "#قصر_النهر"]

EMOJI = ["💔", "🙏", "😔", "🕯️", "🤲", "😢"]

POSTS: dict[str, dict[str, list[str]]] = {
    "daily": {
        "en": [
            "Day {day} of the siege. Woke up at 5 to fill the water jugs before the line gets long.",
            "Kids asked for eggs today. We haven't seen an egg in {district} for two weeks.",
            "The cold is the worst part at night. We burn old chairs and school notebooks to stay warm.",
            "Neighbours shared their last lentils with us. This is {district}: nobody eats alone.",
            "Sugar is {price} lira a kilo now, if you can find it at all.",
            "Charged my phone for 20 minutes at the mosque generator. Posting while I can.",
            "My daughter drew our house from before. Three rooms, a tree, a sun.",
            "Walked across {district} to find diapers. Found none. Walked back.",
            "We play cards by candlelight and pretend it's a holiday.",
            "The street cats of {district} are getting thinner like the rest of us.",
            "Washed clothes with rainwater today. Small victories.",
            "Schools in {district} have been shut for a month. I teach my nephews maths on the stairs.",
            "A kilo of rice costs {price} lira now. A month ago it was a tenth of that.",
            "Still here in {district}. Still breathing.",
            "Fixed the window with plastic sheeting again. Third time this week.",
            "My grandmother tells stories of the old {city} to the kids every evening. It helps.",
        ],
        "ar": [
            "اليوم {day} من الحصار. صحينا الساعة خمسة لنعبّي المي قبل ما يطول الدور.",
            "الولاد طلبوا بيض اليوم. ما شفنا بيضة في {district_ar} من أسبوعين.",
            "البرد بالليل أصعب شي. عم نحرق الكراسي القديمة ودفاتر المدرسة لنتدفى.",
            "الجيران قسموا معنا آخر شوية عدس. هيك {district_ar}، ما حدا بياكل لحاله.",
            "كيلو السكر صار بـ{price} ليرة، إذا لقيته أصلاً.",
            "شحنت الموبايل ربع ساعة على مولدة الجامع. عم اكتب طالما في شحن.",
            "ما زلنا هون في {district_ar}. ما زلنا عايشين.",
            "غسلنا الغسيل بمي المطر اليوم. انتصارات صغيرة.",
            "المدارس في {district_ar} مسكّرة من شهر. عم علّم ولاد أخي الحساب عالدرج.",
            "مشيت {district_ar} كلها لألاقي حفاضات للبيبي. ما لقيت. ورجعت.",
            "عم نلعب ورق على ضو الشمعة ونعمل حالنا بالعيد.",
            "قطط الحارة عم تضعف متلنا.",
            "رقّعنا الشباك بالنايلون مرة تالتة هالجمعة.",
            "ستي كل ليلة بتحكي للولاد عن {city_ar} القديمة. بيساعد.",
        ],
    },
    "bread": {
        "en": [
            "Bread queue at the {district} bakery since 4am. {n} people ahead of me.",
            "The bakery on {street} ran out of flour by 9. Went home empty-handed.",
            "Got half a bundle of bread after three hours. The kids will eat tonight.",
            "They're baking bread with animal feed mixed in now. It's grey and it's all we have.",
            "No bread in {district} today. The oven has no diesel.",
            "A fight broke out in the bread line on {street}. Everyone is exhausted and hungry.",
            "Bread is rationed to one bundle per family in {district}. We are seven.",
        ],
        "ar": [
            "طابور الخبز عند فرن {district_ar} من الساعة أربعة الفجر. قدّامي {n} شخص.",
            "فرن {street_ar} خلص الطحين الساعة تسعة. رجعنا بإيدنا فاضية.",
            "أخدت نص ربطة خبز بعد تلات ساعات انتظار. الولاد رح ياكلوا الليلة.",
            "صاروا يخبزوا بعلف الحيوانات مع الطحين. الخبز رمادي وهو كل شي عنا.",
            "ما في خبز اليوم في {district_ar}. الفرن ما عنده مازوت.",
            "ربطة خبز وحدة لكل عيلة في {district_ar}، ونحنا سبعة.",
        ],
    },
    "shelling": {
        "en": [
            "Heavy shelling on {district} right now. The windows are shaking.",
            "Counted {n} explosions in the last hour near {street}.",
            "Shells landed near the {district} mosque. Please pray for us.",
            "We moved everyone to the corridor, away from the windows. The kids are covering their ears.",
            "Another night of shelling in {district}. Nobody slept.",
            "The building next to ours on {street} was hit. Dust everywhere, people shouting for help.",
            "Artillery? Rockets? I can't tell anymore. It's just noise and fear.",
            "Shelling stopped for ten minutes. Everyone ran out to get water. Then it started again.",
            "They're hitting {district} again. Whistle, silence, then the boom.",
            "Smoke rising over {other}. I hope our friends there are okay.",
        ],
        "ar": [
            "قصف عنيف على {district_ar} هلق. الشبابيك عم ترجف.",
            "عدّيت {n} انفجار بآخر ساعة قرب {street_ar}.",
            "سقطت قذائف قرب جامع {district_ar}. ادعولنا.",
            "نقلنا الكل عالممر بعيد عن الشبابيك. الولاد عم يسكّروا دينيهم.",
            "ليلة تانية من القصف على {district_ar}. ما حدا نام.",
            "البناية اللي جنبنا في {street_ar} انضربت. غبرة بكل مكان وناس عم تصرخ.",
            "وقف القصف عشر دقايق. الكل ركض يجيب مي. ورجع.",
            "دخان طالع من {other_ar}. الله يحمي أهلنا هناك.",
        ],
    },
    "hunger": {
        "en": [
            "Haven't eaten since yesterday morning. Giving what we have to the kids.",
            "My mother is boiling grass and spices to make soup. This is {city} in 2025.",
            "People in {district} are fainting in the street from hunger.",
            "A child on our street has not eaten properly in a week. His mother is begging for milk powder.",
            "We are starving. Not a metaphor. Starving.",
            "Lost 9 kilos since the siege began. My father lost more.",
            "One meal a day, rice and water. Some days not even that.",
        ],
        "ar": [
            "ما أكلنا من مبارح الصبح. عم نعطي اللي عنا للولاد.",
            "إمي عم تسلق حشيش وبهارات لتعمل شوربة. هيك صارت {city_ar}.",
            "ناس عم يغمى عليهم بالشارع من الجوع في {district_ar}.",
            "نحنا عم نموت من الجوع. مو مجاز. جوع حقيقي.",
            "وجبة وحدة باليوم، رز ومي. وفي أيام ولا هي.",
            "طفل بحارتنا ما أكل منيح من أسبوع، وإمه عم تدوّر على حليب أطفال.",
        ],
    },
    "hospital": {
        "en": [
            "{hospital} is out of anaesthetic. They are operating without it.",
            "Took my uncle to {hospital}. Wounded on the floors, in the corridors, everywhere.",
            "Dialysis patients in {city} have had no session for {n2} days.",
            "The field clinic in {district} needs insulin, antibiotics and blood bags. Anyone?",
            "Doctors at {hospital} have not slept in two days.",
            "The generator at {hospital} is running on the last diesel. ICU patients at risk.",
            "A nurse told me they're boiling gauze and reusing it.",
        ],
        "ar": [
            "{hospital_ar} خلص عنده البنج. عم يعملوا عمليات بلا تخدير.",
            "أخدت عمي على {hospital_ar}. الجرحى عالأرض وبالممرات وبكل مكان.",
            "مرضى غسيل الكلى في {city_ar} بلا جلسة من {n2} أيام.",
            "النقطة الطبية في {district_ar} بحاجة إنسولين ومضادات حيوية وأكياس دم.",
            "مولدة {hospital_ar} عم تشتغل على آخر مازوت. مرضى العناية المشددة بخطر.",
            "الأطباء في {hospital_ar} ما ناموا من يومين.",
        ],
    },
    "power": {
        "en": [
            "Day {n2} without electricity in {district}.",
            "Power cut again. The internet might go any moment, so posting this now.",
            "One hour of generator power tonight. Charged phones, the lamp, and a powerbank for the neighbours.",
            "The whole of {district} is dark tonight except for the stars.",
            "The solar panel on our roof got hit by shrapnel. There goes our only power.",
        ],
        "ar": [
            "اليوم {n2} بلا كهربا في {district_ar}.",
            "قطعت الكهربا مرة تانية. النت ممكن يروح بأي لحظة، فعم انشر هلق.",
            "ساعة مولدة وحدة الليلة. شحنا الموبايلات والضو وباوربانك للجيران.",
            "{district_ar} كلها عتمة الليلة إلا النجوم.",
        ],
    },
    "prayer": {
        "en": [
            "Ya Allah, protect the children of {city}.",
            "Friday prayer in the ruins of the {district} mosque. Still standing, like us.",
            "Pray for {city}. Pray for {district}. Pray for us.",
            "We say our prayers in the basement now.",
            "Lord, give us patience.",
        ],
        "ar": [
            "يا رب احمِ أطفال {city_ar}.",
            "اللهم إنا نسألك الفرج القريب.",
            "حسبنا الله ونعم الوكيل.",
            "صلينا الجمعة بين ركام جامع {district_ar}. لسا واقف، متلنا.",
            "ادعوا لـ{city_ar}. ادعوا لـ{district_ar}. ادعولنا.",
            "يا رب صبّرنا.",
            "لا إله إلا الله. ليلة صعبة على {district_ar}.",
        ],
    },
    "casualty": {
        "en": [
            "{n} killed in {district} this morning, among them children. Names still being collected.",
            "My cousin was injured in the shelling on {street}. Shrapnel in his leg. They say he'll live.",
            "Our neighbour Abu {name} was killed today. He used to give sweets to every kid on the street.",
            "Civil Defence pulled {n} people from the rubble in {district}. {n2} were alive.",
            "Another family buried today in {district}. The cemetery is full so they used the park.",
            "A boy from our building lost his hand. He is 11.",
            "Hearing that at least {n} were killed in {other}. Can anyone confirm?",
        ],
        "ar": [
            "{n} شهيد في {district_ar} الصبح، بينهم أطفال. الأسماء لسا عم تنجمع.",
            "ابن عمي انصاب بالقصف على {street_ar}. شظية بإجره. بيقولوا رح يعيش.",
            "جارنا أبو {name_ar} استشهد اليوم. كان يوزع سكاكر على كل ولاد الحارة.",
            "الدفاع المدني طلّع {n} شخص من تحت الأنقاض في {district_ar}، {n2} منهم عايشين.",
            "دفنّا عيلة كاملة اليوم في {district_ar}. المقبرة امتلت فدفنوهم بالحديقة.",
            "عم نسمع إنه في {n} شهيد على الأقل في {other_ar}. حدا بيأكد؟",
        ],
    },
    "plea": {
        "en": [
            "Please help us, we are trapped in {district}. The roads out are under fire.",
            "Please help us, we are trapped in {district} with {n2} children and no food.",
            "To the world: please help us. We are trapped in {district} and nobody is coming.",
            "SOS from {district}. Elderly people trapped in a basement on {street}. Civil Defence can't reach them.",
            "We need a safe corridor NOW. Families trapped in {district}.",
            "If anyone from the Red Crescent sees this: {n2} wounded in a house on {street}, {district}. Please.",
            "Please share. We are trapped in {district}. Please help us.",
        ],
        "ar": [
            "أنقذونا. نحنا محاصرين في {district_ar} والطرق كلها تحت النار.",
            "أنقذونا، نحنا محاصرين في {district_ar} مع {n2} ولاد وبلا أكل.",
            "يا عالم أنقذونا. محاصرين في {district_ar} وما حدا جاي.",
            "نداء استغاثة من {district_ar}: كبار سن عالقين بقبو في {street_ar} والدفاع المدني ما عم يقدر يوصلهم.",
            "بدنا ممر آمن هلق. عائلات محاصرة في {district_ar}.",
            "انشروا لو سمحتوا. نحنا محاصرين في {district_ar}. أنقذونا.",
        ],
    },
    "ceasefire_rumour": {
        "en": [
            "People are saying a truce might be announced tonight. We've heard that before.",
            "Rumours of a ceasefire. I'll believe it when the shelling stops.",
            "Everyone in {district} is glued to the radio. Talk of a truce.",
        ],
        "ar": [
            "عم يحكوا عن هدنة الليلة. سمعنا هالحكي قبل.",
            "إشاعات عن وقف إطلاق نار. رح صدّق لما يوقف القصف.",
            "كل {district_ar} قاعدة عالراديو. في حكي عن هدنة.",
        ],
    },
    "ceasefire_on": {
        "en": [
            "Ceasefire announced. First quiet hour in weeks. I can hear birds.",
            "The truce took effect. People are out in the streets of {district}, just looking at the sky.",
            "It's quiet. Is this real? Ceasefire, they say. Praying it holds.",
            "First night without shelling. The kids fell asleep without crying.",
            "Ceasefire or not, we still have no bread. Open the roads.",
        ],
        "ar": [
            "أعلنوا وقف إطلاق النار. أول ساعة هدوء من أسابيع. عم اسمع العصافير.",
            "بلشت الهدنة. الناس طلعت عالشوارع في {district_ar} بس لتتطلع عالسما.",
            "هدوء. معقول؟ بيقولوا هدنة. يا رب تصمد.",
            "أول ليلة بلا قصف. الولاد ناموا بلا بكي.",
        ],
    },
    "ceasefire_broken": {
        "en": [
            "The ceasefire is broken. Shelling on {district} again.",
            "So much for the truce. Barely 20 hours.",
            "Truce collapsed. Each side blames the other and we pay the price.",
            "They broke the ceasefire. Explosions near {street} right now.",
        ],
        "ar": [
            "انخرقت الهدنة. رجع القصف على {district_ar}.",
            "انهارت الهدنة. كل طرف بيتهم التاني ونحنا مندفع التمن.",
            "خرقوا وقف إطلاق النار. انفجارات قرب {street_ar} هلق.",
            "ما صمدت الهدنة ولا يوم.",
        ],
    },
    "evac_deal": {
        "en": [
            "They say green buses will come to take people out. Lists are being written at the {district} mosque.",
            "Evacuation deal agreed, apparently. Buses tomorrow. Do we leave our home?",
            "Registered our names for the buses. My father refuses to leave.",
            "Green buses. Everyone is talking about the green buses.",
            "Where will the buses take us? Nobody knows. Nobody is saying.",
        ],
        "ar": [
            "عم يقولوا رح تجي الباصات الخضرا تطلّع الناس. عم يكتبوا الأسامي بجامع {district_ar}.",
            "في اتفاق على الإخلاء على ما يبدو. الباصات بكرا. منترك بيتنا؟",
            "سجلنا أسامينا للباصات. أبي رافض يطلع.",
            "الباصات الخضرا. الكل عم يحكي عن الباصات الخضرا.",
            "لوين رح تاخدنا الباصات؟ ما حدا بيعرف.",
        ],
    },
    "convoy_moving": {
        "en": [
            "The first convoy is moving. {n2} buses left from {other} an hour ago.",
            "Watched the green buses pass on {street}. Faces pressed to the windows.",
            "Convoy left. My aunt is on bus {n2}. No signal from her yet.",
            "Waiting at the gathering point in {district} since dawn. Buses are late.",
        ],
        "ar": [
            "القافلة الأولى طلعت. {n2} باص من {other_ar} من ساعة.",
            "شفت الباصات الخضرا عم تمرق في {street_ar}. وجوه ملزوقة بالشبابيك.",
            "القافلة طلعت. خالتي بالباص رقم {n2}. ما في تغطية لهلق.",
            "ناطرين بنقطة التجمع في {district_ar} من الفجر. الباصات متأخرة.",
        ],
    },
    "convoy_halted": {
        "en": [
            "The convoy is halted at the Silo checkpoint. People on the buses for {n2} hours with no water.",
            "Reports that the convoy came under fire. My aunt isn't answering.",
            "Buses stopped. Nobody knows why. Kids crying on board.",
            "The convoy did NOT reach the crossing. Stuck at the checkpoint since morning.",
        ],
        "ar": [
            "القافلة موقوفة على حاجز الصوامع. الناس بالباصات من {n2} ساعات بلا مي.",
            "أخبار عن إطلاق نار عالقافلة. خالتي ما عم ترد.",
            "وقفت الباصات. ما حدا بيعرف ليش. الولاد عم يبكوا جوا.",
            "القافلة ما وصلت عالمعبر. عالقة عالحاجز من الصبح.",
        ],
    },
    "convoy_reached": {
        "en": [
            "The convoy reached the crossing! My aunt called. She's out. She's alive.",
            "First buses reached the Westgate crossing. Thank God.",
            "Convoy arrived. But thousands are still waiting here in {district}.",
            "Second convoy being prepared. Names from {district} are on the list.",
        ],
        "ar": [
            "القافلة وصلت عالمعبر! خالتي اتصلت. طلعت. عايشة.",
            "أول الباصات وصلت لمعبر البوابة الغربية. الحمد لله.",
            "وصلت القافلة، بس آلاف لسا ناطرين هون في {district_ar}.",
        ],
    },
    "farewell_to": {
        "en": [
            "Goodbye to {city}. Goodbye to my street, my school, my grandmother's grave.",
            "Tomorrow we get on the buses. Goodbye to {city}, the city that raised me.",
            "Goodbye to {district}, goodbye to {city}. I don't know if we'll come back.",
            "Packing one bag for five people. Goodbye to {city}.",
            "Goodbye to {city}. Forgive us for leaving.",
        ],
        "ar": [
            "وداعاً {city_ar}. وداعاً يا حارتي ويا مدرستي ويا قبر ستي.",
            "بكرا منطلع بالباصات. وداعاً {city_ar}، المدينة اللي ربّتني.",
            "وداعاً {district_ar}، وداعاً {city_ar}. ما بعرف إذا رح نرجع.",
            "سامحونا إذا قصّرنا. وداعاً {city_ar}.",
        ],
    },
    "farewell_forever": {
        "en": [
            "Goodbye forever from {city}. If you read this, remember our names.",
            "This may be my last tweet. Goodbye forever from {city}.",
            "Goodbye forever from {district}, from {city}, from all of us who stayed.",
            "They are closing in on {district}. Goodbye forever from {city}. Forgive us.",
            "Goodbye forever from {city}. Thank you to everyone who didn't look away.",
        ],
        "ar": [
            "هذه قد تكون آخر تغريدة. وداعاً إلى الأبد من {city_ar}. سامحونا.",
            "سامحونا. هذه قد تكون آخر تغريدة من {city_ar}.",
            "وداعاً إلى الأبد من {city_ar}. تذكّروا أسماءنا.",
            "عم يقربوا من {district_ar}. هذه قد تكون آخر تغريدة. سامحونا.",
        ],
    },
    "blackout_worry": {
        "en": [
            "Has anyone heard from Tal al-Zaytun? No calls getting through since the morning.",
            "Phones in Tal al-Zaytun are dead. My sister lives there. Anyone?",
            "Tal al-Zaytun has gone completely silent. The telecom tower there was hit, people say.",
        ],
        "ar": [
            "حدا سمع شي من تل الزيتون؟ ولا اتصال عم يمرق من الصبح.",
            "تلفونات تل الزيتون مقطوعة. أختي ساكنة هناك. حدا عنده خبر؟",
            "تل الزيتون ساكتة كلياً. بيقولوا برج الاتصالات هناك انضرب.",
        ],
    },
    "blackout_back": {
        "en": [
            "We're back. Tal al-Zaytun was completely cut off since the morning, no network, no phones. "
            "We're okay. Mostly.",
            "Network is back in Tal al-Zaytun after 14 hours. The tower was hit. Checking on everyone.",
            "Sorry for the silence. The whole neighbourhood lost signal all day. We are alive.",
        ],
        "ar": [
            "رجعنا. تل الزيتون كانت مقطوعة كلياً من الصبح، لا شبكة ولا تلفونات. نحنا منيح. تقريباً.",
            "رجعت الشبكة على تل الزيتون بعد ١٤ ساعة. البرج انضرب. عم نطمّن عالكل.",
            "سامحونا عالغياب، الحي كله بلا تغطية طول النهار. نحنا عايشين.",
        ],
    },
    "blackout_before": {
        "en": [
            "Heavy shelling near the telecom tower in Tal al-Zaytun. Signal keeps dropping.",
            "Explosions right next to the tower on the hill. If we go quiet, that's why.",
        ],
        "ar": [
            "قصف عنيف قرب برج الاتصالات في تل الزيتون. التغطية عم تروح وتجي.",
            "انفجارات جنب البرج عالتلة. إذا سكتنا، هاد السبب.",
        ],
    },
    "quiet_back": {
        "en": [
            "Sorry for disappearing. Phone died and there was no way to charge it.",
            "Back online. We stayed with relatives in {other} where there's no signal.",
            "Alive. Was without internet for a while. Thank you for the messages.",
        ],
        "ar": [
            "سامحوني عالغياب، الموبايل فصل وما في مكان أشحنه.",
            "رجعت. كنا عند قرايبنا في {other_ar} وما في تغطية هناك.",
            "عايشين. كنت بلا نت كم يوم. شكراً على رسايلكم.",
        ],
    },
    "silent_worry": {
        "en": [
            "Has anyone heard from @rami_bustan? He posts every hour. Nothing since yesterday afternoon.",
            "@rami_bustan please answer. Your sister is looking for you.",
            "Still nothing from @rami_bustan. The street behind the bakery in Al-Bustan was hit yesterday.",
        ],
        "ar": [
            "حدا عنده خبر عن @rami_bustan؟ آخر شي نشره مبارح العصر.",
            "@rami_bustan طمّنا عنك. أختك عم تدوّر عليك.",
        ],
    },
    "reply": {
        "en": [
            "@{user} stay safe 🙏",
            "@{user} any news from {district}?",
            "@{user} we are with you. Hold on.",
            "@{user} is the bakery on {street} open today?",
            "@{user} same here. No bread, no power.",
            "@{user} sending love from {district}.",
            "@{user} thank you for posting this. People need to know.",
            "@{user} did your family make it to the shelter?",
        ],
        "ar": [
            "@{user} الله يحميكم 🙏",
            "@{user} في أخبار من {district_ar}؟",
            "@{user} نحنا معكم. اصمدوا.",
            "@{user} نفس الشي عنا. لا خبز ولا كهربا.",
            "@{user} الله يفرجها عليكم.",
            "@{user} وصلت عيلتك عالملجأ؟",
        ],
    },
    "quote": {
        "en": ["Is this true?", "Sharing this.", "This is exactly what is happening here.",
               "Not what we are seeing on the ground.", "Please read."],
        "ar": ["هل هالحكي صحيح؟", "انشروا.", "هاد اللي عم يصير فعلاً.", "مو هيك الوضع عالأرض."],
    },
    "last_post": {
        "en": ["Shelling very close to the bakery street now. Going down to the basement with the kids."],
        "ar": ["القصف صار قريب كتير من شارع الفرن. نازلين عالقبو مع الولاد."],
    },
}

EVENING_WORDS = ("tonight", "الليلة")

CODAS = {
    "en": ["The kids are asleep.", "No power again.", "We are fine for now.", "Day {day}.", "Please share.",
           "Still no bread.", "It's freezing.", "Pray for us.", "{district} is holding on."],
    "ar": ["الولاد نايمين.", "ما في كهربا كمان.", "نحنا منيح هلق.", "اليوم {day}.", "انشروا.",
           "لسا ما في خبز.", "البرد قارص.", "ادعولنا.", "أهل {district_ar} صامدين."],
}

# Long farewell letters (over 280 characters: become note tweets on X).
LETTERS = {
    "en": [
        "To whoever reads this. We have lived in {district} for three generations. My grandfather planted the "
        "lemon tree in our yard, my father fixed radios on {street}, and I learned to ride a bike between the "
        "shell holes. Tomorrow, or the day after, we will get on a bus and leave all of it. Goodbye to {city}. "
        "If we do not make it, tell people we were here.",
        "I am writing this by candlelight in {district}. My phone has 11% battery. If this is the last thing I "
        "post, know that we tried to stay, that we baked bread with our neighbours, that we taught our children "
        "to count by counting the explosions. Goodbye forever from {city}. Do not forget us. Do not forget the "
        "children of {district}.",
    ],
    "ar": [
        "لكل من يقرأ هذا. عشنا في {district_ar} ثلاثة أجيال. جدي زرع شجرة الليمون في حوش بيتنا، وأبي كان "
        "يصلّح الراديوهات في {street_ar}، وأنا تعلمت ركوب الدراجة بين حفر القذائف. بكرا أو بعده رح نركب الباص "
        "ونترك كل شي. وداعاً {city_ar}. إذا ما وصلنا، قولوا للناس إنه كنا هون. سامحونا.",
        "عم اكتب على ضو الشمعة في {district_ar}، والموبايل فيه ١١٪ شحن. إذا كانت هذه آخر تغريدة، اعرفوا إننا "
        "حاولنا نبقى، وخبزنا مع جيراننا، وعلّمنا ولادنا العدّ بعدّ الانفجارات. وداعاً إلى الأبد من {city_ar}. "
        "لا تنسونا. لا تنسوا أطفال {district_ar}.",
    ],
}

# The two planted viral farewells and the small edits other accounts make when they copy them.
VIRAL_EARLY_TEXT = ("We wrote our names on the evacuation list today. Goodbye to Qasr al-Nahr, the city that "
                    "raised us. We will carry its streets with us. #GoodbyeQasr")
VIRAL_LATE_TEXT = ("If you are reading this, we may not make it out. Thank you to everyone who stood with "
                   "Qasr al-Nahr. Goodbye forever from Qasr al-Nahr. Remember us. #GoodbyeQasr")
VIRAL_LATE_AR = ("إذا كنتم تقرؤون هذا، فقد لا ننجو. شكراً لكل من وقف مع قصر النهر. وداعاً إلى الأبد من "
                 "قصر النهر. تذكّرونا. #وداعا_قصر_النهر")
COPY_EDITS = [
    ("", ""), ("Copying Lina's words: ", ""), ("", " 💔"), ("", " 🕯️🕯️"), ("From {district}: ", ""),
    ("", " #QasrAlNahr"), ("Same for us. ", ""), ("", " #SaveQasr"),
]
COPY_SWAPS = [("Remember us.", "Don't forget us."), ("Thank you to everyone", "Thanks to everyone"),
              ("we may not make it out", "we might not make it out"), ("the city that raised us", "our city"),
              ("#GoodbyeQasr", "#GoodbyeQasr #QasrAlNahr")]

LOCAL_NEWS_PREFIX = {"en": ["🔴 {district}: ", "Update {district}: ", "URGENT | "],
                     "ar": ["🔴 {district_ar}: ", "عاجل | ", "تحديث {district_ar}: "]}

# Outlets' own short updates on X (between story links), per phase.
OUTLET_LIVE: dict[str, dict[str, list[str]]] = {
    "siege": {
        "en": ["Residents of besieged Qasr al-Nahr describe bread queues of several hours as flour runs out.",
               "Power cuts of up to 22 hours a day reported across Qasr al-Nahr.",
               "Shelling reported in Bab al-Sharq and Hayy al-Qalaa overnight, residents say."],
        "ar": ["سكان قصر النهر المحاصرة يصفون طوابير خبز لساعات مع نفاد الطحين.",
               "انقطاع الكهرباء حتى ٢٢ ساعة يومياً في أحياء قصر النهر."],
    },
    "jisr_strike": {
        "en": ["BREAKING: Heavy shelling hits Al-Jisr district of Qasr al-Nahr; casualties reported.",
               "Rescue teams search rubble in Al-Jisr after morning bombardment.",
               "Death toll in Al-Jisr disputed as hospitals overwhelmed."],
        "ar": ["عاجل: قصف عنيف يستهدف حي الجسر في قصر النهر وأنباء عن ضحايا.",
               "فرق الإنقاذ تبحث تحت الأنقاض في الجسر بعد قصف صباحي."],
    },
    "truce": {
        "en": ["Ceasefire in Qasr al-Nahr appears to be holding in its first hours.",
               "Residents report a quiet night in Qasr al-Nahr after truce takes effect."],
        "ar": ["الهدنة في قصر النهر صامدة في ساعاتها الأولى على ما يبدو.",
               "سكان يتحدثون عن ليلة هادئة في قصر النهر بعد بدء وقف إطلاق النار."],
    },
    "truce_broken": {
        "en": ["Qasr al-Nahr truce collapses less than a day after it took effect; each side blames the other.",
               "Shelling resumes across Qasr al-Nahr, residents say.",
               "Communications reportedly cut in Tal al-Zaytun after strike on telecom tower."],
        "ar": ["انهيار الهدنة في قصر النهر بعد أقل من يوم على بدئها، وكل طرف يتهم الآخر.",
               "انقطاع الاتصالات عن تل الزيتون بعد استهداف برج الاتصالات بحسب ناشطين."],
    },
    "evac_deal": {
        "en": ["Evacuation agreement reached for Qasr al-Nahr, officials say; green buses expected.",
               "Families in Qasr al-Nahr register names for evacuation buses."],
        "ar": ["التوصل إلى اتفاق لإجلاء المدنيين من قصر النهر وفق مسؤولين، والباصات الخضراء منتظرة.",
               "عائلات في قصر النهر تسجل أسماءها على قوائم الإجلاء."],
    },
    "convoy_moving": {
        "en": ["First convoy of green buses leaves Qasr al-Nahr.",
               "Evacuation under way in Qasr al-Nahr; thousands wait at gathering points."],
        "ar": ["خروج القافلة الأولى من الباصات الخضراء من قصر النهر.",
               "بدء الإجلاء من قصر النهر وآلاف ينتظرون في نقاط التجمع."],
    },
    "convoy_halted": {
        "en": ["Evacuation convoy from Qasr al-Nahr reportedly stopped at the Silo checkpoint.",
               "Conflicting reports on the fate of the Qasr al-Nahr convoy."],
        "ar": ["توقف قافلة الإجلاء عند حاجز الصوامع وأنباء عن إطلاق نار.",
               "أنباء متضاربة حول مصير قافلة قصر النهر."],
    },
    "convoy_reached": {
        "en": ["Evacuation buses reach the Westgate crossing, officials say.",
               "Second convoy being prepared as thousands remain in Qasr al-Nahr.",
               "Farewell messages from Qasr al-Nahr spread online under #GoodbyeQasr."],
        "ar": ["وصول باصات الإجلاء إلى معبر البوابة الغربية وفق مسؤولين.",
               "تحضير قافلة ثانية وآلاف ما زالوا في قصر النهر.",
               "رسائل وداع من قصر النهر تنتشر تحت وسم #وداعا_قصر_النهر."],
    },
}
OUTLET_INTROS = {"en": ["", "", "NEW: ", "UPDATE: ", "ICYMI: ", "Developing: ", "READ: "],
                 "ar": ["", "", "عاجل: ", "تحديث: ", "اقرأ: "]}
OUTLET_FOLLOW = {
    "en": "{name} has reporters in contact with residents in all eight districts of Qasr al-Nahr. Follow this "
          "account and our live page for verified updates as they come in.",
    "ar": "مراسلو {name} على تواصل مع السكان في أحياء قصر النهر الثمانية. تابعوا هذا الحساب وصفحتنا المباشرة "
          "للاطلاع على آخر المستجدات المؤكدة.",
}
