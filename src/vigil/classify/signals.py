"""Siege signals: multi-label cues in English and Arabic that a message needs a human to look at it now.

Rules, not a trained model: no public dataset labels these, and for farewells and pleas a false alarm costs
more than a miss, so every pattern is specific (precision first) and the match is kept as evidence. Arabic
patterns are written naturally and normalised at import with the same function as the text
(:func:`vigil.classify.arabic_norm.normalize_arabic`), so ``أنقذونا`` / ``انقذونا`` / ``اااانقذونا`` all match.

Signals (names are stable; they are stored in ``siege_signals.v1`` results):

=================  =======================================================================================
farewell           a goodbye or last message ("this may be my last tweet", "goodbye forever", سامحونا)
plea               an explicit plea for help or rescue (not a donation drive)
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
from .textprep import clean_text

__all__ = ["SIGNALS", "SignalResult", "detect_signals", "eyewitness_cues"]

SIGNALS: tuple[str, ...] = ("farewell", "plea", "trapped", "evacuation", "ceasefire", "hunger", "medical",
                            "death_injury")

# what people say goodbye to that is not a farewell before possible death: seasons, days, months, platforms and
# storms (case-insensitive where used in a hashtag)
_NOT_FAREWELL_TO = (r"(?:[Ss]ummer|[Ww]inter|[Ss]pring|[Aa]utumn|[Ff]all|[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|"
                    r"[Ff]riday|[Ss]aturday|[Ss]unday|[Jj]anuary|[Ff]ebruary|[Mm]arch|[Aa]pril|[Mm]ay|[Jj]une|[Jj]uly|"
                    r"[Aa]ugust|[Ss]eptember|[Oo]ctober|[Nn]ovember|[Dd]ecember|[Tt]witter|[Ff]acebook|[Ii]nstagram|"
                    r"[Ss]andy|[Ii]rma|[Hh]arvey|[Mm]aria|[Ff]lorence|[Dd]orian|[Mm]ichael|[Pp]arty|[Tt]our)\b")

_EN: dict[str, list[str]] = {
    "farewell": [
        r"\bgood ?bye,? (?:forever|world|everyone|all|my friends|friends)\b",
        r"\bfarewell,? (?:forever|world|everyone|all|my friends|friends)\b",
        # #GoodbyeAleppo yes; #FarewellSummer, #GoodbyeMonday no (the same names the named rule leaves out)
        r"#(?:goodbye|farewell)(?!" + _NOT_FAREWELL_TO + r")\w*",
        r"\b(?:this|it) (?:may|might|could|will) (?:be|well be) (?:my|our) (?:very )?last\b",
        # "my last tweet" as a farewell, not "in my last tweet" / "my last tweet was about ..." (a reference back)
        r"(?<!\bin )(?<!\bsee )(?<!\bre )(?<!\bfrom )\b(?:my|our) (?:very )?last (?:tweet|message|post|words|update|"
        r"video|night alive)\b"
        r"(?!,? (?:was|is about|about|on|got|had|where|when|said|re|i |we |referr|refers|in reference))",
        r"\bif (?:i|we) (?:don'?t make it|do not make it|don'?t survive|never come back|die,? (?:tell|please|remember|"
        r"forgive|pray))\b",
        r"\b(?:please )?(?:forgive|pray for) (?:me|us),?(?: (?:all|everyone))?,?\s*(?:this is|goodbye|farewell)\b",
        # "I will die" said, not asked ("what are the chances I will die?") nor supposed ("if I will die")
        r"\bremember (?:me|us) when (?:i'?m|we'?re) gone\b",
        r"(?<!\bif )(?<!\bthat )(?<!\bchances )\b(?:i|we) (?:will|am going to|are going to) die\b(?![^.!?\n]*\?)",
        r"\bsay(?:ing)? goodbye\b(?=.{0,40}\b(?:siege|bomb|shell|die|death|dying|last|forever|world)\b)",
    ],
    # a plea is asked for someone in need, by them or for them; donation drives and "help us reach our goal" are not
    "plea": [
        r"\b(?:please|pls|plz|plse) (?:help|save|rescue|get|send help)\b(?! (?:by|us by|if you can|in any way|it)\b)"
        r"(?!.{0,60}\b(?:donat|fundrais|text \w+ to|gofundme|relief fund|every dollar|if you can|\$))",
        r"(?:^|[.!?,:;]\s*|\b(?:please|pls|plz|someone|somebody|anyone|sos|urgent(?:ly)?)\W+)"
        r"(?:help|save|rescue) (?:us|me|my (?:family|kids|children|mother|father|son|daughter))\b"
        r"(?! (?:reach|raise|rebuild|spread|support|get the word|warm|fight|pass)\b)"
        r"(?!.{0,60}\b(?:donat|fundrais|text \w+ to|gofundme|every dollar))",
        r"\b(?:i|we) (?:urgently |really |badly |desperately |seriously )?need (?:serious |urgent |some |your )?"
        r"(?:help|rescue|rescuing|water|food|medicine|medication|insulin|oxygen|blood|an ambulance|a doctor|doctors|"
        r"boats?|evacuation|tents?|shelter|blankets)\b(?! (?:with|to (?:raise|spread|get the word|reach))\b)"
        r"(?!.{0,60}\b(?:donat|fundrais|gofundme|every dollar|\$))",
        r"\b(?:i|we) need (?:to be )?(?:rescued|evacuated)\b",
        # asked of whoever reads it: "can you help us", "what can you do for me", "how can I get help"
        # (not "can you help me?": in the real set it asks for papers, visas and jobs far more often than for aid)
        r"\b(?:can|could|would|will) (?:you|u|someone|anyone|somebody) (?:please |pls )?(?:help|save|rescue) "
        r"(?:us|my (?:family|kids|children|mother|father|son|daughter))"
        r"\b(?! (?:by|reach|raise|spread|get the word|share)\b)(?!.{0,60}\b(?:donat|fundrais|gofundme|\$))",
        r"\bwhat can you do for (?:me|us)\b", r"\b(?:how|where) (?:can|could|do) (?:i|we) (?:get|find) help\b",
        r"\bwhat can (?:i|we) do to get help\b",
        r"\b(?:i|we) (?:ask|beg|plead|are crying) (?:for |in )?(?:your )?help\b",
        r"(?<!#)\bsos\b(?! (?:children'?s?|villages?|requests?)\b)", r"\bmayday\b",
        r"\b(?:somebody|someone|anyone),? (?:please )?(?:help|come|send)\b", r"\bneed(?:s)? (?:to be )?rescued\b",
        r"\bsend (?:a |an |some |more )?(?:help|boats?|rescuers?|rescue teams?|ambulances?|helicopters?)\b",
        r"\b(?:could|can) (?:we|i) (?:get|have) (?:some )?help\b", r"\bhelp,? (?:please|pls)\b",
        r"\burgent(?:ly)? (?:help|rescue)\b(?!.{0,60}\b(?:donat|fundrais))", r"\bhelp!{2,}", r"\bhelp needed\b",
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

# "Goodbye (to) Aleppo": a farewell to a named place or person; case-sensitive (the name is capitalised), with the
# seasons, days and platforms people also say goodbye to left out
_FAREWELL_NAMED = re.compile(r"\b[Gg]ood ?bye,? (?:to |from )?(?!" + _NOT_FAREWELL_TO + r")[A-Z][a-z]+")

_AR: dict[str, list[str]] = {
    "farewell": ["سامحونا", "سامحوني", "سامحني", "وداعا", "الوداع", "اودعكم", "أودعكم", "نودعكم", "استودعكم الله",
                 "نستودعكم الله", "آخر تغريدة", "اخر تغريده", "آخر رسالة", "قد تكون الأخيرة", "ربما تكون الأخيرة",
                 "ربما آخر", "قد تكون آخر", "إذا مت", "اذا استشهدت", "إن استشهدت", "لا تنسونا", "ادعوا لنا بالشهادة",
                 "حللوني"],
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
    "farewell": {"whole": True, "after": "(?!(?<=" + normalize_arabic("وداعا") + r")\s+ل(?!كم|لجميع|كل))"},
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
    """

    signals: tuple[str, ...]
    evidence: dict[str, str] = field(default_factory=dict)
    eyewitness: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored as the ``siege_signals.v1`` enrichment."""
        return {"signals": list(self.signals), "evidence": self.evidence, "eyewitness": self.eyewitness}


def eyewitness_cues(text: str) -> bool:
    """First-person presence cues in English or Arabic (the writer is there)."""
    if _EYEWITNESS_EN.search(text):
        return True
    return _ARABIC_LETTER.search(text) is not None and _EYEWITNESS_AR.search(normalize_arabic(text)) is not None


def detect_signals(text: str) -> SignalResult:
    """Find siege signals in ``text`` (English and Arabic patterns both apply: tweets mix them).

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
    for name in SIGNALS:
        en, ar = _PATTERNS[name]
        m = en.search(cleaned) or (_FAREWELL_NAMED.search(cleaned) if name == "farewell" else None)
        if m:
            found.append(name)
            evidence[name] = m.group(0).strip()
            continue
        ma = ar.search(norm) if arabic else None
        if ma:
            found.append(name)
            evidence[name] = ma.group(1)
    witness = _EYEWITNESS_EN.search(cleaned) is not None or (arabic and _EYEWITNESS_AR.search(norm) is not None)
    return SignalResult(tuple(found), evidence, witness)
