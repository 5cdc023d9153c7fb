"""Arabic crisis cue lexicon: groups of words whose meaning does not depend on the event.

The Arabic model is trained on four Kawarith events, all floods or storms, and must classify other kinds of crisis
(an explosion, a bombing). Character n-grams learned from four events lean on each event's place names and
hashtags; on an unseen event the model then falls back on the majority class ("caution, advice and updates") and
misses casualty and damage reports. A handful of generic groups ("dead", "injured", "damage", "utility" ...)
gives the model features that mean the same thing in every event: :func:`ar_cues` emits one ``cue:<group>``
token per hit, and the logistic regression learns how much each group counts.

Words are normalised like the text (:func:`vigil.classify.arabic_norm.normalize_arabic`: alef / yaa /
taa-marbuta / hamza-seat variants folded), so one spelling of each is enough; ``_`` stands for a space in
multi-word cues. A cue matches at the start of a word, after an
optional clitic (و ف ب ل ك, then ال or لل), and may continue (``قتل`` also matches ``قتلي``), so plurals and
suffixed pronouns match too.

The groups were written from general crisis vocabulary plus the Kawarith annotation guidelines, and revised once
after reading misclassified Kawarith tweets; the words marked below as "for other event types" (explosions,
bombings) cannot be measured on the four events available.
"""

from __future__ import annotations

import re

from .arabic_norm import normalize_arabic
from .textprep import clean_text

__all__ = ["CUE_GROUPS", "ar_cues", "cue_hits"]

CUE_GROUPS: dict[str, tuple[str, ...]] = {
    "dead": ("وفاه", "وفيات", "توفي", "متوفي", "غرق", "غريق", "قتلي", "قتيل", "مقتل", "قتل", "مصرع", "حتفه",
             "جثه", "جثث", "جثمان", "شهيد", "شهداء", "ضحايا", "ضحيه", "الفقيد",
             # for other event types
             "استشهد", "استشهاد", "اشلاء", "مجزره"),
    "injured": ("مصاب", "اصابه", "اصابات", "جرحي", "جريح", "جرح",
                # for other event types
                "حروق"),
    "missing": ("مفقود", "فقدان", "فقد", "البحث_عن", "عثر", "العثور", "انتشال", "عالق", "محتجز", "محاصر",
                # for other event types
                "تحت_الانقاض", "تحت_الركام"),
    "rescue": ("انقاذ", "انقذ", "اسعاف", "الدفاع_المدني", "الاطفاء", "اغاثه", "مساعدات", "تبرع", "متطوع", "تطوع",
               "فزعه",
               # for other event types
               "بنك_الدم", "الصليب_الاحمر", "الهلال_الاحمر"),
    "evacuation": ("اخلاء", "اجلاء", "نزوح", "نازح", "ايواء", "مشرد", "اسكان", "تهجير"),
    "need": ("نحتاج", "نناشد", "مناشده", "استغاثه", "ساعدونا", "انقذونا", "بحاجه", "نستغيث", "اغيثونا"),
    "damage": ("انهيار", "انهار", "سقوط", "سقط", "تضرر", "اضرار", "خسائر", "دمار", "تدمير", "دمر", "تهدم", "هدم",
               "تصدع", "شقوق", "تحطم", "حطام", "انجراف", "انجرف", "جرف", "هبوط",
               # for other event types
               "انقاض", "ركام", "زجاج", "حريق", "احتراق"),
    "utility": ("انقطاع", "انقطع", "الكهرباء", "كهرباء", "التيار", "الصرف_الصحي", "مجاري", "المناهيل", "منهول",
                "اعطال", "تعطل", "الاتصالات", "الانترنت", "الشبكه"),
    "structure": ("الطريق", "طريق", "الطرق", "طرق", "جسر", "نفق", "الانفاق", "شارع", "مبني", "مباني", "منزل",
                  "منازل", "بيت", "بيوت", "سقف", "عماره", "محطه", "مطار", "ميناء", "مدرسه", "مدارس",
                  # for other event types
                  "مرفا", "كنيسه"),
    "closure": ("اغلاق", "اغلق", "مغلق", "اقفال", "تحويل_حركه"),
    "caution": ("تحذير", "تحذر", "يحذر", "احذر", "حذر", "ينصح", "تنبيه", "يرجي", "تجنب", "الابتعاد", "توخي",
                "الحذر", "نهيب", "ندعو", "تعليق_الدراسه", "عدم_الخروج", "انتبهوا"),
    "forecast": ("الارصاد", "توقعات", "الطقس", "امطار", "غزيره", "منخفض", "عدم_الاستقرار", "درجات_الحراره",
                 "رياح", "الساعات_القادمه"),
    "news": ("عاجل", "بيان", "وزاره", "الوزير", "الحكومه", "اعلن", "تعلن"),
}

_WORD_GROUP = {normalize_arabic(w.replace("_", " ")): g for g, words in CUE_GROUPS.items() for w in words}
# longest first, so that a cue inside a longer one (فقد / فقدان) never shadows it in the alternation
_CUE = re.compile(r"(?:^|(?<=[\s#_]))(?:[وفبلك]?(?:ال|لل)?)("
                  + "|".join(re.escape(w) for w in sorted(_WORD_GROUP, key=len, reverse=True)) + ")")


def cue_hits(normalized_text: str) -> list[str]:
    """The cue group of every cue word in an already normalised text, in text order."""
    hits: list[str] = []
    for m in _CUE.finditer(normalized_text):
        group = _WORD_GROUP.get(m.group(1))
        if group is not None:
            hits.append(group)
    return hits


def ar_cues(text: str) -> list[str]:
    """``cue:<group>`` tokens for a raw text (the ``ar_cues`` feature analyzer).

    >>> ar_cues("عاجل: انهيار جسر ووفاة شخصين")
    ['cue:news', 'cue:damage', 'cue:structure', 'cue:dead']
    """
    return [f"cue:{g}" for g in cue_hits(normalize_arabic(clean_text(text)).lower())]
