"""The HumAID classes and documented mappings between them and the other crisis datasets' label sets.

HumAID (Alam et al., ICWSM 2021) has 10 humanitarian classes; vigil reports every message in these terms, so
alerts and statistics mean the same thing across languages and sources.

Kawarith (Arabic) labels information types more coarsely. The mapping both ways:

=====================================  ==========================================================
Kawarith class                         HumAID classes
=====================================  ==========================================================
affected_individuals_and_help          injured_or_dead_people, missing_or_found_people,
                                       displaced_people_and_evacuations, requests_or_urgent_needs,
                                       rescue_volunteering_or_donation_effort
caution_advice_and_crisis_updates      caution_and_advice, other_relevant_information
infrastructure_and_utilities_damage    infrastructure_and_utility_damage
emotional_support_and_prayers          sympathy_and_support
opinions_and_criticism                 not_humanitarian
=====================================  ==========================================================

Going from a Kawarith class to one HumAID class (what the Arabic model must do) needs a choice inside the
coarse class; :data:`KAWARITH_SUBCLASS_CUES` makes it from Arabic keyword cues, falling back to the default
listed first in :data:`KAWARITH_TO_HUMAID`.
"""

from __future__ import annotations

__all__ = ["HUMAID_CLASSES", "HUMAID_TO_KAWARITH", "KAWARITH_COARSE", "KAWARITH_SUBCLASS_CUES", "KAWARITH_TO_HUMAID",
           "kawarith_coarse_label"]

HUMAID_CLASSES: tuple[str, ...] = (
    "caution_and_advice",
    "displaced_people_and_evacuations",
    "infrastructure_and_utility_damage",
    "injured_or_dead_people",
    "missing_or_found_people",
    "not_humanitarian",
    "other_relevant_information",
    "requests_or_urgent_needs",
    "rescue_volunteering_or_donation_effort",
    "sympathy_and_support",
)

#: The three Kawarith information classes that have enough labelled Arabic tweets to train and evaluate on.
KAWARITH_COARSE: tuple[str, ...] = (
    "affected_individuals_and_help",
    "caution_advice_and_crisis_updates",
    "infrastructure_and_utilities_damage",
)

#: Kawarith class -> HumAID classes it covers (the first is the default when no cue decides).
KAWARITH_TO_HUMAID: dict[str, tuple[str, ...]] = {
    "affected_individuals_and_help": ("rescue_volunteering_or_donation_effort", "injured_or_dead_people",
                                      "missing_or_found_people", "displaced_people_and_evacuations",
                                      "requests_or_urgent_needs"),
    "caution_advice_and_crisis_updates": ("other_relevant_information", "caution_and_advice"),
    "infrastructure_and_utilities_damage": ("infrastructure_and_utility_damage",),
    "emotional_support_and_prayers": ("sympathy_and_support",),
    "opinions_and_criticism": ("not_humanitarian",),
}

HUMAID_TO_KAWARITH: dict[str, str] = {h: k for k, hs in KAWARITH_TO_HUMAID.items() for h in hs}

#: Arabic cues (normalised spelling, see :func:`vigil.classify.arabic_norm.normalize_arabic`) choosing the HumAID
#: class inside a Kawarith class; checked in this order, first hit wins.
KAWARITH_SUBCLASS_CUES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "affected_individuals_and_help": (
        ("injured_or_dead_people", ("وفاه", "وفيات", "توفي", "متوفي", "غرق", "قتلي", "قتيل", "مقتل", "مصاب", "اصابه",
                                    "اصابات", "جرحي", "جريح", "جثه", "جثث", "شهيد", "شهداء", "ضحايا", "ضحيه")),
        ("missing_or_found_people", ("مفقود", "فقدان", "المفقودين", "العثور علي", "عثر علي")),
        ("requests_or_urgent_needs", ("نحتاج", "نناشد", "مناشده", "استغاثه", "ساعدونا", "انقذونا", "بحاجه الي",
                                      "نستغيث", "اغيثونا")),
        ("displaced_people_and_evacuations", ("اخلاء", "اجلاء", "نزوح", "نازح", "ايواء", "مشرد", "اخلاء")),
    ),
    "caution_advice_and_crisis_updates": (
        ("caution_and_advice", ("تحذير", "تحذر", "يحذر", "احذر", "حذر", "ينصح", "تنبيه", "يرجي", "تجنب", "الابتعاد",
                                "توخي", "الحذر", "تعليق الدراسه", "عدم الخروج", "نهيب", "ندعو المواطنين")),
    ),
}


def kawarith_coarse_label(labels: tuple[str, ...]) -> str | None:
    """The coarse gold class of a Kawarith tweet: its first label among :data:`KAWARITH_COARSE`, or None."""
    return next((lab for lab in labels if lab in KAWARITH_COARSE), None)
