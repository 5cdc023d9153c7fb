"""Siege signals: multi-label cues in English and Arabic that a message needs a human to look at it now.

Rules first: no public dataset labels these, and for farewells and pleas a false alarm costs more than a miss, so
every pattern is specific (precision first) and the match is kept as evidence. Since ``siege_signals.v2`` an English
plea match must also pass a small trained gate (:mod:`vigil.classify.plea_gate`, a logistic regression trained on the
hand-labelled development sets; plea-gate-4 in ``v4``), whose calibrated probability is kept as ``plea_score`` —
unless the message carries a life-threatening co-signal (:func:`plea_life_cue`: people trapped, hungry, sick, hurt or
dead, a rescue asked for, or where they are: a floor, a roof, a street address) and names the people in need, and
the gate's probability still reaches its (low) life-cue floor: such a plea is kept, because missing it costs a life.
The floor (``v4``) exists because on blind6 the cue alone kept five false alarms the gate had scored near zero. Arabic
patterns are written naturally and normalised at import with the same function as the text
(:func:`vigil.classify.arabic_norm.normalize_arabic`), so ``أنقذونا`` / ``انقذونا`` / ``اااانقذونا`` all match.

Signals (names are stable; they are stored in ``siege_signals.v4`` results, and were in ``v1`` to ``v3``):

=================  =======================================================================================
farewell           leave-taking before possible death ("this may be my last tweet", "goodbye forever", سامحونا);
                   not "we will die (of hunger)" in a request, tributes, songs or "our last moment" musings
plea               an explicit plea for help, rescue or aid for people in need; not donation, sharing or
                   awareness drives, "send help to <country>", offers of help, prayers or job requests
trapped            people trapped, besieged or under bombardment ("under the rubble", قصف, محاصرين)
evacuation         evacuation, convoy, buses or corridor (إجلاء, قافلة, ممر آمن)
ceasefire          ceasefire or truce (هدنة, وقف إطلاق النار)
hunger             hunger, siege supplies running out (no bread/flour/water/fuel, baby milk, مجاعة)
medical            a medical emergency (bleeding, no doctors/medicine, hospital hit, نزيف, إسعاف)
death_injury       a report of deaths or injuries (killed, wounded, شهداء, جرحى)
=================  =======================================================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .arabic_norm import normalize_arabic
from .plea_gate import PleaGate, load_plea_gate
from .textprep import clean_text

__all__ = ["SIGNALS", "SignalResult", "detect_signals", "eyewitness_cues", "plea_life_cue"]

SIGNALS: tuple[str, ...] = ("farewell", "plea", "trapped", "evacuation", "ceasefire", "hunger", "medical",
                            "death_injury")

# what people say goodbye to that is not a farewell before possible death: seasons, days, months, platforms and
# storms (case-insensitive where used in a hashtag)
_NOT_FAREWELL_TO = (r"(?:[Ss]ummer|[Ww]inter|[Ss]pring|[Aa]utumn|[Ff]all|[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|"
                    r"[Ff]riday|[Ss]aturday|[Ss]unday|[Jj]anuary|[Ff]ebruary|[Mm]arch|[Aa]pril|[Mm]ay|[Jj]une|[Jj]uly|"
                    r"[Aa]ugust|[Ss]eptember|[Oo]ctober|[Nn]ovember|[Dd]ecember|[Tt]witter|[Ff]acebook|[Ii]nstagram|"
                    r"[Ss]andy|[Ii]rma|[Hh]arvey|[Mm]aria|[Ff]lorence|[Dd]orian|[Mm]ichael|[Pp]arty|[Tt]our)\b")

# who a plea is for: people, not a country, a campaign or an organisation ("please help Kerala", "please help the
# @org assist ...")
_PLEA_PEOPLE = (r"my life|our lives|(?:my|our) (?:family|families|kids|children|child|baby|mother|mom|father|dad|"
                r"son|daughter|wife|husband|friends?|neighbou?rs?|parents|grand\w+|brother|sister|people)|(?:the )?"
                r"(?:people|families|children|kids|elderly|students|patients|residents|survivors) "
                r"(?:here|in|at|on|inside|trapped|stranded|stuck)\b")
# what follows "help us/me" when the help asked for is sharing, spreading the word, raising money or a celebration
_PLEA_NOT_OBJECT = (r",? (?:to )?(?:share|spread|get (?:the )?word|reach|raise|rebuild\w*|support|provide|deliver|"
                    r"fight|pass|warm|trend|make|welcome|thank|honou?r|continue|add|celebrate|promote|collect|gather|"
                    r"fund|help|find (?:a |the )?(?:donors?|sponsors?|volunteers?)|by|if you can|in any way|"
                    r"save (?:lives|a life)|reali[sz]e|achieve|accomplish|complete|organi[sz]e|launch|"
                    r"(?:here|at|via|on)(?=\s*:)|"
                    r"in our (?:efforts?|campaign|fight)|with (?:this|our|the) (?:campaign|drive|event|cause|project)|"
                    r"out)\b")
# places too big for a plea: "send help to Puerto Rico" is a call for national aid, not people waiting somewhere
_PLACES_NOT_PLEA = (r"#?(?:puerto ?rico|mexico|haiti|kerala|india|nepal|ecuador|italy|greece|texas|houston|florida|"
                    r"california|carolina|louisiana|the philippines|philippines|japan|pakistan|syria|iraq|yemen|gaza|"
                    r"dominica|the bahamas|bahamas|mozambique|zimbabwe|malawi|cuba|the caribbean|caribbean|"
                    r"[A-Z][a-z]+ (?:county|state|province|island))")

_EN: dict[str, list[str]] = {
    "farewell": [
        r"\b(?:good ?bye|farewell),? (?:forever|cruel world|world)\b",
        # #GoodbyeAleppo yes; #FarewellSummer, #GoodbyeMonday no (the same names the named rule leaves out)
        r"#(?:goodbye|farewell)(?!" + _NOT_FAREWELL_TO + r")\w*",
        # "this may be my last tweet", said of this message: not "when it could be our last moment" (a reflection)
        # nor "my last tweet for tonight / about the storm / before the power goes" (a pause, not a farewell)
        r"(?<!\bwhen )\b(?:this|it) (?:is|may|might|could|will|may well|might well) (?:be )?(?:my|our) (?:very )?last "
        r"(?:tweet|message|post|words|update|video|night alive|day alive)\b"
        r"(?!,? (?:for|about|on|of|before|until|till|tonight|today|re|from (?:the|my) (?:hotel|office|phone)))",
        r"\b(?:my|our) last (?:message|words|tweet|post) (?:from|before) (?:the )?(?:besieged|siege|rubble|basement|"
        r"shelter)\b", r"\b(?:our|my) last (?:night|day) alive\b",
        # "if I don't make it" as a farewell, not "if I don't make it to work / in time / home"
        r"\bif (?:i|we) (?:don'?t|do not|won'?t|will not|may not|might not) (?:make it|survive)\b"
        r"(?! (?:to|in|on|for|there|home|back|through the (?:day|week|exam)))",
        r"\bif (?:i|we) (?:never come back|die,? (?:tell|please (?:tell|remember|forgive)|remember|forgive))\b",
        r"\b(?:please )?(?:forgive|pray for) (?:me|us),?(?: (?:all|everyone))?,?\s*(?:this is (?:goodbye|the end|"
        r"my last|our last)|goodbye|farewell)\b",
        r"\bremember (?:me|us) when (?:i'?m|we'?re|i am|we are) gone\b",
        r"\bsay(?:ing)? goodbye\b(?=.{0,40}\b(?:siege|bomb|shell|forever|world)\b)",
    ],
    # a plea is asked for someone in need, by them or for them; donation drives and "help us reach our goal" are not
    # (see also _PLEA_VETO and _PLEA_NOT_OBJECT)
    "plea": [
        r"\b(?:please|pls|plz|plse),? (?:help|save|rescue|get) (?:(?:me|us)\b(?!" + _PLEA_NOT_OBJECT + r")|"
        + _PLEA_PEOPLE + r")",
        r"(?:^|[.!?,:;]\s*|\b(?:please|pls|plz|someone|somebody|anyone|sos|urgent(?:ly)?)\W+)"
        r"(?:help|save|rescue) (?:us|me|" + _PLEA_PEOPLE + r")\b(?!" + _PLEA_NOT_OBJECT + r")",
        r"\b(?:i|we) (?:urgently |really |badly |desperately |seriously )?need (?:serious |urgent |some |a little )?"
        r"(?:help|rescue|rescuing|water|food|medicine|medication|insulin|oxygen|blood|an ambulance|a doctor|doctors|"
        r"boats?|evacuation|tents?|shelter|blankets|humanitarian aid)\b"
        r"(?! (?:with|to (?:raise|spread|get the word|reach|rebuild|make|keep|continue|support|fund)|for (?:our|the) "
        r"(?:campaign|drive|event|project))\b)",
        r"\b(?:i|we) need (?:to be )?(?:rescued|evacuated)\b", r"\bneeds? (?:very |an? )?urgent (?:help|rescue)\b",
        # asked of whoever reads it: "can you help us", "what can you do for me", "how can I get help"
        # (not "can you help me?": in the real set it asks for papers, visas and jobs far more often than for aid)
        r"\b(?:can|could|would|will) (?:you|u|someone|anyone|somebody) (?:please |pls )?(?:help|save|rescue) "
        r"(?:us|" + _PLEA_PEOPLE + r")\b(?!" + _PLEA_NOT_OBJECT + r")",
        r"\bwhat can you do for (?:me|us)\b", r"\b(?:how|where) (?:can|could|do) (?:i|we) (?:get|find) help\b",
        r"\bwhat can (?:i|we) do to get help\b",
        r"\b(?:i|we) (?:ask|beg|plead|are crying) (?:for |in )?(?:your )?help\b",
        r"(?<!#)\bsos\b(?! (?:children'?s?|villages?|requests?)\b)", r"(?<!\bno )\bmayday\b(?! call)",
        r"\b(?:somebody|someone|anyone),? (?:please )?(?:help|rescue|save|come (?:and )?(?:get|help|rescue)) "
        r"(?:me|us|" + _PLEA_PEOPLE + r")\b(?!" + _PLEA_NOT_OBJECT + r")",
        # "X needs to be rescued", not the offer "if you need to be rescued, post your address"
        r"(?<!\bif you )(?<!\bif u )(?<!\bwho )(?<!\banyone )(?<!\bthose )\bneed(?:s)? (?:to be )?rescued\b",
        # "send help" as a request, not "send help to Puerto Rico" (a country, not a place people wait in) nor the
        # headline "Utilities Send Help After Hurricane Irma"
        r"(?:^|[.!?,:;]\s*|\b(?:please|pls|plz|someone|somebody|anyone|sos|urgently|us|me)\W+)"
        r"send (?:a |an |some |more )?(?:help|boats?|rescuers?|rescue teams?|ambulances?|helicopters?)\b"
        r"(?! (?:after|from)\b)"
        r"(?!.{0,60}\b(?:" + _PLACES_NOT_PLEA + r")\b)",
        r"\b(?:could|can) (?:we|i) (?:get|have) (?:some )?help\b",
        # asked for the writer's own group: "send water and food and tents for us", "try something for us", "we need
        # @MassGovernor to send help now"
        r"\bsend (?:(?:\w+|\w+,|and) ){0,5}(?:food|water|tents?|medicine|aid|help) (?:for|to) (?:us|me)\b",
        r"\b(?:do|try) (?:some|any) ?thing for (?:us|me)\b", r"\bmake a way for (?:us|me)\b",
        r"\b(?:i|we) need @\w+ to (?:send|get|bring) (?:help|aid|rescue|boats|food|water)\b",
        r"\b(?:i|we) need (?:medical )?care (?:now|urgently)\b",
        r"\bhelp,? (?:please|pls)\b(?!" + _PLEA_NOT_OBJECT + r")",
        r"\burgent(?:ly)? (?:help|rescue)(?: (?:needed|required|please|pls)\b|!)", r"\bhelp!{2,}", r"\bhelp needed\b",
        r"\b(?:somebody|someone|anyone),? (?:please |pls )?(?:help|rescue|save)(?=\s*(?:[,.!?]|$))",
    ],
    "trapped": [
        r"\btrapped\b", r"\bunder (?:the )?rubble\b", r"\bstuck (?:in|on|at|inside) (?:the |our |my |a )?"
        r"(?:house|home|roof|attic|building|basement|car|water|flood)", r"\bcan'?t (?:get|go) out\b",
        r"\bbesieged\b", r"\bsieges?\b", r"\bunder (?:fire|bombardment|shelling)\b", r"\b(?:shelling|bombardment|"
        r"airstrikes?|air ?strikes?|air ?raids?|barrel bombs?|bombing|bombed|shelled|snipers?)\b", r"\bstranded\b",
    ],
    "evacuation": [
        r"\bevacuat\w*", r"\bconvoys?\b", r"\bhumanitarian corridor\b", r"\bsafe (?:passage|corridor)\b",
        r"\b(?:green )?buses (?:to|out|leav|arriv|evacuat)\w*", r"\bflee(?:ing)?\b", r"\bfled\b",
    ],
    "ceasefire": [r"\bcease-?fire\b", r"\btruce\b", r"\bhudna\b", r"\barmistice\b", r"\bhumanitarian pause\b"],
    "hunger": [
        r"\bstarv\w*", r"\bhunger\b", r"\bhungry\b", r"\bfamine\b", r"\bhaven'?t eaten\b",
        r"\bnothing (?:left )?to eat\b",
        r"\b(?:no|without|lack of|short(?:age)? of|need|needs|find|get|receive) (?:\w+ ){0,3}(?:food|bread|flour|"
        r"drinking water|clean water|baby formula|baby milk)\b",
        r"\b(?:running|ran) out of (?:food|water|bread|flour|fuel|milk|medicine|supplies)\b",
        r"\bfood (?:shortage|crisis|crises|is running)\b", r"\bbaby (?:milk|formula)\b", r"\bshortage of water\b",
    ],
    "medical": [
        r"\b(?:he|she|they|i|my \w+|people|wounded|injured|child|children|kids?|baby) (?:is |are |was |were |am )?"
        r"bleeding\b", r"\bbleeding (?:heavily|badly|out|to death)\b",
        r"\bneeds? (?:a |an )?(?:doctor|surgeon|surgery|ambulance|hospital|dialysis|insulin|oxygen|prosthes[ie]s)\b",
        r"\bno (?:doctors?|medicine|medicines|medical supplies|anesthesia|hospital)\b",
        r"\b(?:need|get|without|no|lack of) (?:\w+,? ){0,3}(?:medicine|medication|medecine|medicaments?)s?\b",
        r"\bhospitals? (?:was |were |is |are |has been |have been )?(?:hit|bombed|shelled|destroyed|out of service|"
        r"attacked)\b", r"\b(?:attack|attacking|bombing|shelling|destroyed) (?:the |a )?(?:\w+ )?hospitals?\b",
        r"\bmedical (?:emergency|supplies|help|aid|care)\b", r"\bambulances?\b", r"\bcritical condition\b",
        r"\b(?:insulin|dialysis|oxygen tanks?|blood transfusions?)\b", r"\bcholera\b", r"\bgo (?:to )?the hospital\b",
    ],
    "death_injury": [
        r"\b(?:killed|dead|died|dies|death toll|deaths|bodies|corpses|casualt(?:y|ies)|injured|wounded|injuries|"
        r"fatalit(?:y|ies)|perished|drowned|martyrs?)\b",
    ],
}

# "Goodbye to Aleppo": a farewell to a named place; case-sensitive (the name is capitalised), "to" or "from" required
# ("Goodbye, Brian" is a tribute, "Goodbye, My Coney Island Baby" a song), with the seasons, days and platforms
# people also say goodbye to left out
_FAREWELL_NAMED = re.compile(r"\b[Gg]ood ?bye,? (?:to|from) (?!" + _NOT_FAREWELL_TO + r")[A-Z][a-z]+")
# phrases that are a farewell only in a siege or leave-taking frame: "goodbye everyone" (also said leaving for a
# holiday) and "I/we will die" (said in requests for food far more often: that is a plea, see _PLEA_DIE)
_FAREWELL_FRAMED = re.compile(
    r"\b(?:good ?bye|farewell),? (?:everyone|all|my friends|friends)\b|"
    r"(?<!\bif )(?<!\bthat )(?<!\bchances )\b(?:i|we) (?:will|am going to|are going to|'re going to|'ll) die\b",
    re.IGNORECASE)
_FAREWELL_FRAME = re.compile(
    r"\b(?:siege|besieged|shell(?:s|ing|ed)?|bomb(?:s|ing|ed)?|snipers?|air ?strikes?|trapped|closing in|"
    r"forgive (?:me|us)|remember (?:me|us)|tell my (?:mother|mom|father|dad|wife|husband|kids|children|family)|"
    r"i love you all|"
    r"(?:don'?t|won'?t|may not|might not) make it|last (?:tweet|message|words)|say goodbye)\b", re.IGNORECASE)
# not a farewell: tributes to the dead, songs, and farewells read or reported
_FAREWELL_VETO = re.compile(
    r"\b(?:r\.?i\.?p|rest in peace|#nowplaying|now playing|listen(?:ing)? to|lyrics|song)\b", re.IGNORECASE)

# not a plea, wherever "please help" sits: donation drives (canned goods and non-perishables are what drives
# collect), fundraising, sharing and awareness posts ("share this link"), offers of help ("if you need to be
# rescued, post your address"), animal rescues, volunteering and events
_PLEA_VETO = re.compile(
    r"\b(?:donat\w*|fundrais\w*|gofundme|go fund me|paypal|venmo|relief fund|charity|gift ?cards?|"
    r"collection (?:points?|drives?|cent(?:er|re)s?|camps?)|drop[- ]off|every dollar|text \w+ to \d+|"
    r"raise (?:money|funds)|amazon (?:wish ?)?list|wish ?list|"
    r"rsvp|tickets?|proceeds|fosters?|pets?|dogs?|cats?|puppies|kittens|animals?|volunteers? (?:needed|wanted)|"
    r"(?:help|please) (?:us )?(?:share|spread|retweet|trend)|spread the word|get the word out|raise awareness|"
    r"share (?:this|the|my|our) (?:link|post|page|tweet|video)|canned (?:goods|food)|non-?perishables?|"
    r"if (?:you|u|anyone|anybody) (?:or (?:someone|somebody|anyone) (?:you know )?)?(?:need|needs) (?:to be )?"
    r"(?:rescued|help|rescue)|post (?:your|their) address|"
    r"if (?:you|u) (?:have|know) (?:\w+ ){0,3}(?:that|who) (?:need|needs) (?:to be )?(?:rescued|rescue|help)|"
    r"pray for|if (?:you|u) can|(?:anybody|anyone|whoever|those who|people who) needs? (?:help|rescue|rescuing)|"
    r"(?:whoever|anyone who|anybody who|those who|if anyone|if anybody) can help|"
    r"(?:lord|god|allah|jesus)(?: in heaven| almighty)?,? (?:please )?(?:help|save)s?)\b"
    # money asked for ("send $$$", "$5 buys ..."): outside the word boundaries, "$" is not a word character
    r"|\${2,}|\$\s?\d", re.IGNORECASE)
# "please help me" asking for a job, papers, school, information or an account / password, not for aid (the real set
# has many)
_PLEA_ME_NOT_AID = re.compile(
    r"\b(?:a job|job|jobs|work permit|visa|passport|scholarship|school|cv|phone card|minutes|information|info|"
    r"to know|get in touch|adoption|birth certificate|passwords?|log ?in|sign ?in|username|"
    r"(?:my|the|an?) (?:email |online |user )?account)\b", re.IGNORECASE)
# a plea whose words name nobody ("help!!", "please help.", "help needed") is about others when the message says
# only that *they* need help ("hundreds of homes destroyed ... they need HELP!!!"): a generic third-party call
_PLEA_NAMES_SOMEONE = re.compile(r"\b(?:i|we|me|us|my|our|people|famil\w+|kids|children|friends?|parents|residents)\b",
                                 re.IGNORECASE)
_PLEA_THEY_ONLY = re.compile(r"\bthey (?:\w+ )?needs? (?:us|our|your|help|aid)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|me|my|we|we're|us|our)\b", re.IGNORECASE)
# a bare "please help." counts only from someone who says they are there ("we are in ...", "our house")
_PLEA_BARE = re.compile(r"\b(?:please|pls|plz),? help\s*(?:[.!,;:-]|$)", re.IGNORECASE)
# "we will die" in a request for food or aid is a plea (not a farewell): "if you don't bring us food we will die"
_PLEA_DIE = re.compile(
    r"\b(?:i|we|they|people) (?:will|are going to|am going to|'re going to|'ll|are about to|are almost to) die\b.{0,80}"
    r"\b(?:please|help|send|bring)\b|\b(?:if|unless) (?:you|they|we|i) (?:don'?t|do not|doesn'?t)? ?(?:bring|send|"
    r"give|receive|get) (?:us |me )?(?:food|water|aid|help|something)\b.{0,40}\b(?:i|we|they) (?:will|are going to|"
    r"'ll) die\b|\bplease\b.{0,80}\b(?:i|we) (?:will|are going to|am going to) die\b", re.IGNORECASE)

# a plea the gate may not drop (see plea_life_cue): the signals that mean a life is at stake, a rescue asked for by
# its means, and where the people are (a floor, a roof, a street address) — what a rescuer needs to act on
_PLEA_LIFE_SIGNALS = frozenset({"trapped", "hunger", "medical", "death_injury"})
_PLEA_RESCUE_ASK = re.compile(
    r"\b(?:send|need|needs|needed|requires?|get) (?:a |an |some |more )?(?:boats?|rescuers?|"
    r"rescue(?: teams?| boats?)?|helicopters?|ambulances?|coast ?guard)\b|"
    r"\bneeds? (?:to be |urgent )?(?:rescued|evacuated|rescue|evacuation)\b", re.IGNORECASE)
_PLEA_LOCATED = re.compile(
    r"\b(?:on|onto|in|at) (?:the |our |my |a |their )?(?:roof|rooftop|attic|terrace)\b|"
    r"\b\d+(?:st|nd|rd|th)? ?(?:floor|flr|fl)\b|\b(?:first|second|third|top) floor\b|"
    r"\b\d+[a-z]?,? (?:[A-Z][\w.]*\s){1,3}(?:road|rd|street|st|avenue|ave|lane|ln|drive|dr|blvd)\b", re.IGNORECASE)
# the people in need are named: the writer (I, we) or someone specific (my family, people, children)
_PLEA_PERSON = re.compile(
    r"\b(?:i|i'm|im|me|my|we|we're|us|our|famil(?:y|ies)|people|children|kids|baby|elderly|mother|father|wife|"
    r"husband|son|daughter|neighbou?rs?|friends?|residents|patients)\b", re.IGNORECASE)

_AR: dict[str, list[str]] = {
    # not "لا تنسونا" alone: "لا تنسونا من دعائكم" (keep us in your prayers) is what the sick say too
    "farewell": ["سامحونا", "سامحوني", "سامحني", "وداعا", "الوداع", "اودعكم", "أودعكم", "نودعكم", "استودعكم الله",
                 "نستودعكم الله", "آخر تغريدة", "اخر تغريده", "آخر رسالة", "قد تكون الأخيرة", "ربما تكون الأخيرة",
                 "إذا مت", "اذا استشهدت", "إن استشهدت", "ادعوا لنا بالشهادة", "حللوني"],
    # not "نناشد" (officials "urge citizens" with it far more often than people plead) nor "فزعة" (praise of
    # neighbours' help as often as a call for it)
    "plea": ["أنقذونا", "انقذوني", "ساعدونا", "ساعدوني", "أغيثونا", "اغيثوا", "نستغيث", "استغاثة", "النجدة", "الحقونا",
             "إلحقونا", "وين العالم", "نداء استغاثة", "نحتاج مساعدة", "نحتاج إلى مساعدة", "بحاجة إلى مساعدة",
             "ارجوكم ساعدو", "نطالب بإنقاذ", "محتاج متبرع", "محتاجين متبرع", "بحاجة لمتبرع", "بحاجة إلى متبرع",
             "نحتاج متبرع", "مطلوب متبرع", "وين الإسعاف"],
    "trapped": ["محاصر", "محاصرين", "محاصرون", "عالقين", "عالقون", "عالق", "تحت الأنقاض", "تحت الانقاض", "قصف",
                "غارات", "غارة", "براميل", "برميل متفجر", "قذائف", "قذيفة", "صواريخ", "قناص", "قنص", "الحصار"],
    "evacuation": ["إجلاء", "إخلاء", "قافلة", "قوافل", "الباصات", "الباصات الخضراء", "ممر آمن", "ممر إنساني",
                   "ممرات آمنة", "تهجير", "نزوح", "النازحين", "خروج المدنيين"],
    "ceasefire": ["هدنة", "وقف إطلاق النار", "وقف اطلاق النار", "تهدئة", "وقف القصف"],
    "hunger": ["جوع", "مجاعة", "الجوع", "نقص الغذاء", "لا يوجد طعام", "لا يوجد خبز", "لا خبز", "الطحين", "حليب الأطفال",
               "حليب الاطفال", "نفد الطعام", "نفاد الطعام", "لا ماء", "جائعون", "جياع"],
    "medical": ["إسعاف", "الإسعاف", "نزيف", "ينزف", "بحاجة لطبيب", "لا يوجد أطباء", "لا أدوية", "نقص الأدوية",
                "المستشفى خرج عن الخدمة", "قصف المستشفى", "استهداف المستشفى", "لا يوجد مستشفى", "حالته حرجة",
                "حالة حرجة", "غسيل الكلى", "أنسولين", "نقص الأكسجين", "متبرع بالدم", "متبرع بلازما"],
    "death_injury": ["قتلى", "قتيل", "مقتل", "شهداء", "شهيد", "استشهد", "استشهاد", "جرحى", "جريح", "مصابين", "إصابة",
                     "اصابات", "إصابات", "وفاة", "وفيات", "توفي", "ضحايا", "جثث", "جثة", "غرق", "غرقا", "مصرع"],
}

_EYEWITNESS_EN = re.compile(
    r"\b(?:i'?m|i am|we'?re|we are|i was|we were|i can|we can'?t|i can'?t|my (?:house|home|family|street|kids|"
    r"children|mother|father|son|daughter|neighbou?rs?)|our (?:house|home|street|neighbou?rhood|building|area|"
    r"family)|here in|right now|outside my|in front of (?:my|our))\b", re.IGNORECASE)
_EYEWITNESS_AR = re.compile(r"(?:^|[^\w])(?:" + "|".join(
    re.escape(normalize_arabic(w)) for w in ("نحن", "احنا", "إحنا", "بيتنا", "منزلنا", "عائلتي", "أهلي", "أنا", "الآن",
                                             "هلق", "حاليا", "عنا", "عندنا", "حارتنا", "حينا")) + r")(?:$|[^\w])")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def _compile_ar(words: list[str], *, whole: bool = False, prefixes: str = "(?:[وفبلك]|ال|وال|بال|فال)?",
                before: str = "", after: str = "") -> re.Pattern[str]:
    # a word-start boundary, allowing the prefixes Arabic attaches (و، ف، ب، ال); suffixes vary too (محاصرون،
    # محاصرين) so the end is open unless ``whole`` (farewell words inside hashtags are not goodbyes)
    alts = sorted({re.escape(normalize_arabic(w)) for w in words}, key=len, reverse=True)
    end = r"(?=$|[^\w])" if whole else ""
    return re.compile(before + r"(?:^|[^\w#])" + prefixes + "(" + "|".join(alts) + ")" + end + after)


# how the Arabic words of a signal may attach: a plea is a call (أنقذونا، استغاثة), so only "and"/"so" may precede
# it — "لاستغاثة الأهالي" / "بالاستغاثة" report someone else's call and its answer; "وداعا للحر" (goodbye to the
# heat) is not a farewell, "وداعا لكم" is; "أننا نحتاج إلى مساعدة" (that we need help) is reported speech
_AR_OPTIONS: dict[str, dict[str, Any]] = {
    # "رسائل الوداع" (farewell messages) is a report about farewells
    "farewell": {"whole": True, "before": "".join(f"(?<!{normalize_arabic(w)})" for w in ("رسائل", "رسالة")),
                 "after": "(?!(?<=" + normalize_arabic("وداعا") + r")\s+ل(?!كم|لجميع|كل))" + "".join(
        "(?!(?<=" + normalize_arabic(w) + r")\s+(?:على|عل|ع)\s?ال?(?:غياب|تاخير|ازعاج))"
        for w in ("سامحوني", "سامحونا", "سامحني")) + "".join(
        "(?!(?<=" + normalize_arabic(w) + r")\s+(?:منه|منها|منهم|له|لها|لهم|كانت|كتبها|نشرها)(?=$|[^\w]))"
        for w in ("آخر رسالة", "آخر تغريدة", "اخر تغريده"))},
    "plea": {"prefixes": "[وف]?", "before": r"(?<!\Wان)(?<!\Wاننا)(?<!\Wبان)(?<!\Wباننا)"},
}

_PATTERNS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    name: (re.compile("|".join(f"(?:{p})" for p in _EN[name]), re.IGNORECASE),
           _compile_ar(_AR[name], **_AR_OPTIONS.get(name, {})))
    for name in SIGNALS
}


@dataclass(frozen=True)
class SignalResult:
    """Signals found in one message.

    Attributes:
        signals: names from :data:`SIGNALS`, in that order.
        evidence: signal -> the matched words (for review).
        eyewitness: first-person presence cues ("we are", "my house", نحن، بيتنا).
        plea_score: the plea gate's calibrated probability when an English plea rule matched (kept whether the
            gate confirmed the plea or not), else None.
        plea_gate: the versioned name of the gate that gave ``plea_score`` (``plea-gate-2``), stored with it so
            that rows scored by different gates can be told apart.
    """

    signals: tuple[str, ...]
    evidence: dict[str, str] = field(default_factory=dict)
    eyewitness: bool = False
    plea_score: float | None = None
    plea_gate: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored as the ``siege_signals.v4`` enrichment."""
        out: dict[str, Any] = {"signals": list(self.signals), "evidence": self.evidence, "eyewitness": self.eyewitness}
        if self.plea_score is not None:
            out["plea_score"] = round(self.plea_score, 4)
            out["plea_gate"] = self.plea_gate
        return out


def _plea_vetoed(words: str, text: str) -> bool:
    """Whether a plea match ``words`` in ``text`` is not a plea (a drive, a job request, a third-party call)."""
    if _PLEA_VETO.search(text):
        return True
    names_someone = _PLEA_NAMES_SOMEONE.search(words) is not None
    # "please help me", "I need help" or a bare "please help." asking for a job, papers, information or an account,
    # not for aid
    if (not names_someone or re.search(r"\b(?:me|i)\b", words, re.IGNORECASE)) and _PLEA_ME_NOT_AID.search(text):
        return True
    return not names_someone and _PLEA_THEY_ONLY.search(text) is not None and not _FIRST_PERSON.search(
        _PLEA_THEY_ONLY.sub(" ", text))


def eyewitness_cues(text: str) -> bool:
    """First-person presence cues in English or Arabic (the writer is there)."""
    if _EYEWITNESS_EN.search(text):
        return True
    return _ARABIC_LETTER.search(text) is not None and _EYEWITNESS_AR.search(normalize_arabic(text)) is not None


def plea_life_cue(text: str, signals: tuple[str, ...] | list[str] | set[str] | frozenset[str]) -> bool:
    """Whether a plea in ``text`` is one the gate may not drop: a life-threatening co-signal and named people.

    The co-signal is one of the ``signals`` found in the same message (trapped, hunger, medical, death_injury), a
    rescue asked for by its means ("send a boat", "needs to be rescued") or where the people are ("on the roof",
    "2nd floor", "12 Main Street"); the people are the writer or someone specific ("we", "my family", "children").

    >>> plea_life_cue("We are trapped on the roof, please send a boat", ("plea", "trapped"))
    True
    >>> plea_life_cue("Please help us spread the word", ("plea",))
    False
    """
    cue = bool(_PLEA_LIFE_SIGNALS.intersection(signals)) or _PLEA_RESCUE_ASK.search(text) is not None or (
        _PLEA_LOCATED.search(text) is not None)
    return cue and _PLEA_PERSON.search(text) is not None


def detect_signals(text: str, *, gate: bool | PleaGate = True) -> SignalResult:
    """Find siege signals in ``text`` (English and Arabic patterns both apply: tweets mix them).

    With ``gate`` (the default, ``siege_signals.v4``) an English plea match stays a plea if the trained plea gate's
    probability reaches its threshold, or if it reaches the gate's (lower) life-cue floor and :func:`plea_life_cue`
    holds (a life-threatening co-signal and named people); ``gate=False`` gives the rules alone (the candidates the
    gate scores); a :class:`~vigil.classify.plea_gate.PleaGate` uses that gate instead of the shipped one.

    >>> detect_signals("This may be my last tweet. Shelling all night, we are trapped").signals
    ('farewell', 'trapped')
    >>> detect_signals("أنقذونا نحن محاصرون تحت الأنقاض").signals
    ('plea', 'trapped')
    """
    cleaned = clean_text(text)
    arabic = _ARABIC_LETTER.search(cleaned) is not None  # skip the Arabic patterns for the (many) Latin-only texts
    norm = normalize_arabic(cleaned) if arabic else ""
    found: list[str] = []
    evidence: dict[str, str] = {}
    plea_score: float | None = None
    plea_gate: str | None = None
    gated = ""  # an English plea match below the gate's threshold but not below its life-cue floor
    for name in SIGNALS:
        en, ar = _PATTERNS[name]
        m = en.search(cleaned)
        if name == "farewell" and not m:
            m = _FAREWELL_NAMED.search(cleaned)
            if not m:
                # the framed phrases are rare: look for the frame only when one is there
                m = _FAREWELL_FRAMED.search(cleaned)
                if m and (not _FAREWELL_FRAME.search(cleaned) or _PLEA_DIE.search(cleaned)):
                    m = None  # no siege frame, or "we will die" in a request (a plea, not a farewell)
            if m and _FAREWELL_VETO.search(cleaned):
                m = None
        elif name == "plea":
            if not m:
                m = _PLEA_DIE.search(cleaned) or (
                    _PLEA_BARE.search(cleaned) if _EYEWITNESS_EN.search(cleaned) else None)
            if m and _plea_vetoed(m.group(0), cleaned):
                m = None
            if m and gate is not False:
                g = gate if isinstance(gate, PleaGate) else load_plea_gate()
                plea_score, plea_gate = float(g.proba([text])[0]), g.name
                if plea_score < g.threshold:
                    if plea_score >= g.cue_floor:
                        gated = m.group(0).strip()  # decided after the loop, once the co-signals are known
                    m = None
        if m:
            found.append(name)
            evidence[name] = m.group(0).strip()
            continue
        ma = ar.search(norm) if arabic else None
        if ma:
            found.append(name)
            evidence[name] = ma.group(1)
    if gated and "plea" not in found and plea_life_cue(cleaned, found):
        found = sorted([*found, "plea"], key=SIGNALS.index)
        evidence["plea"] = gated
    witness = _EYEWITNESS_EN.search(cleaned) is not None or (arabic and _EYEWITNESS_AR.search(norm) is not None)
    return SignalResult(tuple(found), evidence, witness, plea_score, plea_gate)
