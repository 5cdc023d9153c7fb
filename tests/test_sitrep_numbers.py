"""Numbers as news writes them (English and Arabic), and what is not a count."""

from __future__ import annotations

import pytest

from vigil.sitrep.counts import find_counts
from vigil.sitrep.numbers import find_quantities, normalise_digits, parse_arabic_number, parse_number_words


@pytest.mark.parametrize(("text", "value"), [
    ("seventy", 70), ("twenty-five thousand", 25000), ("three hundred and forty-two", 342), ("1.5 million", 1500000),
    ("20,000", 20000), ("a dozen", 12), ("nine", 9),
])
def test_english_number_words(text: str, value: int) -> None:
    assert parse_number_words(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("خمسة وعشرين", 25), ("ثلاثة آلاف", 3000), ("١٢", 12), ("خمسة عشر", 15), ("مئتين", 200), ("30 ألفاً", 30000),
])
def test_arabic_numbers(text: str, value: int) -> None:
    assert parse_arabic_number(text) == value


@pytest.mark.parametrize(("text", "low", "high"), [
    ("an estimated 20,000 to 35,000 civilians", 20000, 35000),
    ("between 10000 and 30000 people", 10000, 30000),
    ("more than 80 people", 81, None),
    ("at least 70 people", 70, None),
    ("up to 50 people", None, 50),
    ("fewer than 10 people", None, 9),
    ("dozens of people", 24, 99),
    ("scores of people", 40, 99),
    ("hundreds of families", 200, 999),
    ("tens of thousands of people", 20000, 99999),
    ("عشرات الآلاف من المدنيين", 20000, 99999),
    ("أكثر من 80 قتيلا", 81, None),
    ("بين 10 و 20 قتيلا", 10, 20),
])
def test_ranges_and_vague_quantities(text: str, low: int | None, high: int | None) -> None:
    (q,) = find_quantities(normalise_digits(text))
    assert (q.low, q.high) == (low, high)


def subjects(text: str) -> list[tuple[str, int | None, int | None]]:
    return [(c.subject, c.quantity.low, c.quantity.high) for c in find_counts(normalise_digits(text))]


@pytest.mark.parametrize(("text", "expected"), [
    ("An estimated 20,000 to 35,000 civilians remain trapped, along with some 5,000 fighters.",
     [("people trapped", 20000, 35000), ("fighters", 5000, 5000)]),
    ("Four civilians were killed and seven wounded.", [("deaths", 4, 4), ("injured", 7, 7)]),
    ("The attack killed 45 and wounded 60.", [("deaths", 45, 45), ("injured", 60, 60)]),
    ("The death toll from the blast reached at least 112 people.", [("deaths", 112, None)]),
    ("Twelve buses left.", [("buses", 12, 12)]),
    ("More than 80 people were killed, including 30 children.", [("deaths", 81, None), ("deaths (children)", 30, 30)]),
    ("They put the number of fighters at 8,000.", [("fighters", 8000, 8000)]),
    ("At least six people have reportedly died of malnutrition.", [("deaths (malnutrition)", 6, None)]),
    ("قتل ١٢ شخصاً وأصيب عشرات في قصف على الحي.", [("deaths", 12, 12), ("injured", 24, 99)]),
    ("قال ناشطون إن 80 شخصاً على الأقل قُتلوا", [("deaths", 80, None)]),
    ("خرجت خمس حافلات من المدينة", [("buses", 5, 5)]),
    ("قال المجلس المحلي إن نحو 50 ألف مدني ما زالوا محاصرين", [("people trapped", 50000, 50000)]),
])
def test_counts_with_what_they_count(text: str, expected: list[tuple[str, int | None, int | None]]) -> None:
    assert subjects(text) == expected


@pytest.mark.parametrize("text", [
    "In 2013 the war entered its third year.",
    "The attack happened on 14 April and again on April 16.",
    "Ahmed, 34, said he would stay.",
    "A girl aged 12 was among them.",
    "The 12-year-old boy survived.",
    "Shelling began at 6 am and at 21:30.",
    "Prices rose 40 percent and a bag costs $5, or 3,000 pounds.",
    "Call +963 11 555 0101 for help.",
    "The shop at 14 Khan Street was hit.",
    "They walked for two days and seven hours.",
    "One of the buses was hit.",
    "يبلغ من العمر 40 عاما",
    "ارتفعت الأسعار 40 بالمئة",
])
def test_not_counts(text: str) -> None:
    assert subjects(text) == []
