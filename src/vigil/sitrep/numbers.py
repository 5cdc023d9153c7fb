"""Numbers as news writes them, in English and Arabic: digits, words, vague quantities and ranges.

:func:`find_quantities` returns every quantity in a sentence with its span and its value as a closed or open
interval ``(low, high)``. Conventions (documented in docs/sitrep.md, relied on by the gold set):

==========================  =====================  ==========================================
written                     low                    high
==========================  =====================  ==========================================
``70``, ``seventy``         70                     70
``20,000 to 35,000``        20000                  35000
``between 10000 and 30000`` 10000                  30000
``more than 80``            81                     ``None`` (open)
``at least 70``             70                     ``None``
``up to 50``, ``as many as``  ``None``             50
``fewer than 10``           ``None``               9
``about 100``, ``nearly``   100                    100 (``approx`` set)
``dozens`` / ``عشرات``      24                     99
``scores``                  40                     99
``hundreds`` / ``مئات``     200                    999
``thousands`` / ``آلاف``    2000                   9999
``tens of thousands``       20000                  99999
==========================  =====================  ==========================================

Whether a quantity is a *count* (and not a year, a date, an age, a time, a percentage, money, a phone number
or a street number) is decided by :mod:`vigil.sitrep.counts`, which sees the words around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quantity", "ar_pattern", "find_quantities", "normalise_digits", "parse_number_words"]

_AR_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                            **{chr(0x06F0 + i): str(i) for i in range(10)},
                            "\u066c": ",", "\u066b": "."})  # Arabic thousands and decimal separators
_HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")


def normalise_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII, harakat and tatweel removed (names stay as written)."""
    if text.isascii():
        return text
    return _HARAKAT.sub("", text.translate(_AR_DIGITS))


_AR_VARIANTS = {"ا": "[اأإآ]", "أ": "[اأإآ]", "إ": "[اأإآ]", "آ": "[اأإآ]", "ى": "[يى]", "ي": "[يىئ]",
                "ة": "[ةه]", "ه": "[ةه]", "ئ": "[ئي]"}


def ar_pattern(word: str) -> str:
    """A regex for an Arabic word tolerant of alef, yaa and taa-marbuta spelling variants."""
    return "".join(_AR_VARIANTS.get(ch, re.escape(ch)) for ch in word)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity found in a sentence.

    Attributes:
        start: offset of its first character (modifiers such as "more than" included).
        end: offset just after it.
        low: lower bound, ``None`` when open ("up to 50").
        high: upper bound, ``None`` when open ("more than 80").
        approx: "about", "some", "an estimated", vague words.
        number_start: where the number itself starts (after the modifier), for the context checks.
        number_end: where the number itself ends.
        digits: written with digits (digits can be years or times; words rarely are).
        vague: a vague quantity word ("dozens", "hundreds").
    """

    start: int
    end: int
    low: int | None
    high: int | None
    approx: bool = False
    number_start: int = 0
    number_end: int = 0
    digits: bool = False
    vague: bool = False


# --- English number words ------------------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "a dozen": 12, "dozen": 12,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

# Vague quantities: (low, high). Ordered longest first in the regex below.
_VAGUE_EN = {
    "hundreds of thousands": (200_000, 999_999), "tens of thousands": (20_000, 99_999),
    "several hundred": (200, 999), "a few hundred": (200, 999), "several thousand": (2000, 9999),
    "a few thousand": (2000, 9999), "several dozen": (24, 99), "a few dozen": (24, 99),
    "millions": (2_000_000, 9_999_999), "thousands": (2000, 9999), "hundreds": (200, 999),
    "dozens": (24, 99), "scores": (40, 99), "tens": (24, 99),
}
# Fractions of a scale written out: "a quarter of a million" (the value is exact as written)
_FRACTION_RE = re.compile(r"(?<![\w-])(?:a|one)\s+(?P<frac>quarter|half|third)\s+(?:of\s+)?(?:a|one)\s+"
                          r"(?P<scale>million|billion|thousand)(?![\w-])", re.I)
_FRACTIONS = {"quarter": 0.25, "half": 0.5, "third": 1 / 3}

_WORD = r"(?:a\s+dozen|dozen|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|" \
        r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|" \
        r"ninety|hundred|thousand|million|billion)"
_WORDS = rf"{_WORD}(?:(?:\s+|-|\s+and\s+|\s*,\s*){_WORD})*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_AFTER = r"(?:\s+(?:million|billion|thousand|hundred))?"
_NUM_EN = rf"(?:(?:{_DIGITS}){_SCALE_AFTER}|(?<![\w-]){_WORDS}(?![\w-]))"

_VAGUE_EN_RE = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(_VAGUE_EN, key=len, reverse=True))

_LOWER_OPEN = r"more\s+than|over|in\s+excess\s+of|upwards\s+of|above|exceeding"
_AT_LEAST = r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|a\s+minimum\s+of|a\s+total\s+of\s+at\s+least"
_UPPER_OPEN = r"up\s+to|as\s+many\s+as|as\s+much\s+as|as\s+high\s+as|at\s+most|a\s+maximum\s+of"
_BELOW = r"fewer\s+than|less\s+than|under|below"
_APPROX = (r"about|around|some|roughly|approximately|nearly|almost|close\s+to|an\s+estimated|estimated|"
           r"just\s+over|just\s+under|just\s+below|more\s+or\s+less|an\s+approximate")

_RANGE_EN = re.compile(
    rf"(?P<mod>(?:{_APPROX})\s+)?(?:between\s+(?P<a1>{_NUM_EN})\s+and\s+(?P<b1>{_NUM_EN})|"
    rf"(?:from\s+)?(?P<a2>{_NUM_EN})\s*(?:to|-|–|—|or)\s*(?P<b2>{_NUM_EN}))(?![\w:])",
    re.I,
)
_SINGLE_EN = re.compile(
    rf"(?:(?P<lower>{_LOWER_OPEN})\s+|(?P<least>{_AT_LEAST})\s+|(?P<upper>{_UPPER_OPEN})\s+|"
    rf"(?P<below>{_BELOW})\s+|(?P<approx>{_APPROX})\s+)?(?P<num>{_NUM_EN})(?![\w:])",
    re.I,
)
_VAGUE_RE = re.compile(rf"(?<![\w-])(?P<num>{_VAGUE_EN_RE})(?![\w-])", re.I)


def parse_number_words(text: str) -> int | None:
    """``"twenty-five thousand"`` -> 25000; ``"70"`` -> 70; ``"1.5 million"`` -> 1500000; else ``None``.

    >>> parse_number_words("three hundred and forty-two")
    342
    """
    text = text.strip().lower().replace("\u00a0", " ")
    m = re.fullmatch(rf"({_DIGITS})(?:\s+(million|billion|thousand|hundred))?", text)
    if m:
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value *= _SCALES[m.group(2)]
        return round(value)
    tokens = [t for t in re.split(r"[\s,-]+", text.replace("a dozen", "dozen")) if t and t != "and"]
    if not tokens:
        return None
    total = 0
    current = 0
    seen = False
    for tok in tokens:
        if tok in _UNITS:
            current += _UNITS[tok]
        elif tok in _TENS:
            current += _TENS[tok]
        elif tok == "hundred":
            current = max(current, 1) * 100
        elif tok in _SCALES:
            total += max(current, 1) * _SCALES[tok]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


# --- Arabic ----------------------------------------------------------------------------------------------------

_AR_UNITS = {
    "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثلاثة": 3, "ثلاث": 3,
    "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8,
    "ثماني": 8, "ثمان": 8, "تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10,
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40, "خمسون": 50, "خمسين": 50,
    "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
    "مئة": 100, "مائة": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200,
    "ثلاثمئة": 300, "ثلاثمائة": 300, "أربعمئة": 400, "أربعمائة": 400, "خمسمئة": 500, "خمسمائة": 500,
    "ستمئة": 600, "ستمائة": 600, "سبعمئة": 700, "سبعمائة": 700, "ثمانمئة": 800, "ثمانمائة": 800,
    "تسعمئة": 900, "تسعمائة": 900,
    "ألف": 1000, "ألفان": 2000, "ألفين": 2000, "مليون": 1_000_000,
}
# "eleven" to "nineteen" are two words in Arabic ("أحد عشر", "خمسة عشر"); the parser handles unit + عشر.
_AR_TEEN_FIRST = {"أحد": 1, "إحدى": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2}
_VAGUE_AR = {
    "عشرات الآلاف": (20_000, 99_999), "عشرات الالاف": (20_000, 99_999), "مئات الآلاف": (200_000, 999_999),
    "مئات الالاف": (200_000, 999_999), "عشرات": (24, 99), "مئات": (200, 999), "آلاف": (2000, 9999),
    "الآلاف": (2000, 9999), "الاف": (2000, 9999), "ملايين": (2_000_000, 9_999_999),
}
_AR_WORDS = sorted({**_AR_UNITS, **_AR_TEEN_FIRST}, key=len, reverse=True)
_AR_WORD = "(?:" + "|".join(ar_pattern(w) for w in _AR_WORDS) + ")"
# an optional conjunction "و" joins parts: "خمسة وعشرين"; the prefix is part of the number only between parts
_AR_THOUSANDS = f"(?:{ar_pattern('آلاف')}|{ar_pattern('ألفا')}|{ar_pattern('ألف')}|{ar_pattern('مليون')})"
_AR_WORDS_RE = rf"{_AR_WORD}(?:\s+و?(?:{_AR_WORD}|{_AR_THOUSANDS}))*"
_AR_NUM = rf"(?:{_DIGITS}(?:\s+{_AR_THOUSANDS})?|{_AR_WORDS_RE})"
_AR_B = r"(?<![\u0621-\u064a])"  # no Arabic letter before (prefixes handled explicitly)
_AR_E = r"(?![\u0621-\u064a])"
_AR_LOWER = "|".join(ar_pattern(w) for w in ("أكثر من", "ما يزيد عن", "ما يزيد على", "يزيد عن", "يزيد على",
                                              "أزيد من", "ما يربو على", "يربو على"))
_AR_LEAST = "|".join(ar_pattern(w) for w in ("على الأقل", "ما لا يقل عن", "لا يقل عن"))
_AR_UPPER = "|".join(ar_pattern(w) for w in ("حتى", "ما يصل إلى", "يصل إلى"))
_AR_BELOW = "|".join(ar_pattern(w) for w in ("أقل من",))
_AR_APPROX = "|".join(ar_pattern(w) for w in ("نحو", "حوالي", "حوالى", "قرابة", "زهاء", "ما يقارب", "ما يقرب من",
                                               "تقريبا", "قرابه", "ما يناهز", "يناهز"))
_AR_SINGLE = re.compile(
    rf"(?:(?P<lower>{_AR_LOWER})\s+|(?P<least>{_AR_LEAST})\s+|(?P<upper>{_AR_UPPER})\s+|(?P<below>{_AR_BELOW})\s+|"
    rf"(?P<approx>{_AR_APPROX})\s+)?{_AR_B}(?P<num>{_AR_NUM}){_AR_E}(?:\s+(?P<least_after>{_AR_LEAST}))?"
)
_AR_RANGE = re.compile(
    rf"(?:{ar_pattern('بين')}\s+(?P<a1>{_AR_NUM})\s+و\s*(?P<b1>{_AR_NUM})|{_AR_B}(?P<a2>{_DIGITS})\s*"
    rf"(?:{ar_pattern('إلى')}|-|–|{ar_pattern('و')})\s*(?P<b2>{_DIGITS})){_AR_E}"
)
_AR_VAGUE_RE = re.compile(
    rf"{_AR_B}[وب]?(?P<num>" + "|".join(r"\s+".join(ar_pattern(w) for w in k.split())
                                       for k in sorted(_VAGUE_AR, key=len, reverse=True)) + rf"){_AR_E}"
)
_AR_LOOKUP = {normalise_digits(k).replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ة", "ه")
              .replace("ى", "ي"): v for k, v in _AR_UNITS.items()}
_AR_TEEN_LOOKUP = {k.replace("أ", "ا").replace("إ", "ا"): v for k, v in _AR_TEEN_FIRST.items()}


def _ar_key(word: str) -> str:
    return word.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ة", "ه").replace("ى", "ي")


def parse_arabic_number(text: str) -> int | None:
    """``"خمسة وعشرين"`` -> 25, ``"ثلاثة آلاف"`` -> 3000, ``"١٢"`` -> 12; else ``None``."""
    text = normalise_digits(text).strip()
    m = re.fullmatch(rf"({_DIGITS})(?:\s+(\S+))?", text)
    if m:
        value = float(m.group(1).replace(",", ""))
        scale = _ar_key(m.group(2) or "")
        if scale in ("الف", "الاف", "الفا"):
            value *= 1000
        elif scale == "مليون":
            value *= 1_000_000
        elif scale:
            return None
        return round(value)
    total = 0
    current = 0
    tokens = text.split()
    i = 0
    seen = False
    while i < len(tokens):
        tok = _ar_key(tokens[i])
        if tok.startswith("و") and tok not in _AR_LOOKUP and tok[1:] in _AR_LOOKUP:
            tok = tok[1:]
        if tok in _AR_TEEN_LOOKUP and i + 1 < len(tokens) and _ar_key(tokens[i + 1]) in ("عشر", "عشره"):
            current += 10 + _AR_TEEN_LOOKUP[tok]
            i += 2
            seen = True
            continue
        if tok in ("الف", "الاف") and seen:
            total += max(current, 1) * 1000
            current = 0
        elif tok == "مليون" and seen:
            total += max(current, 1) * 1_000_000
            current = 0
        elif tok in ("عشر", "عشره") and seen and current < 10:
            current += 10  # "خمسة عشر" = 15
        elif tok in _AR_LOOKUP:
            current += _AR_LOOKUP[tok]
        else:
            return None
        seen = True
        i += 1
    return total + current if seen else None


# --- finding ----------------------------------------------------------------------------------------------------


def _bounds(groups: dict[str, str | None], value: int) -> tuple[int | None, int | None, bool]:
    if groups.get("lower"):
        return value + 1, None, False
    if groups.get("least") or groups.get("least_after"):
        return value, None, False
    if groups.get("upper"):
        return None, value, False
    if groups.get("below"):
        return None, value - 1, False
    return value, value, bool(groups.get("approx"))


_ANY_NUMBER = re.compile(
    r"\d|(?i:\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    r"million|billion|dozen|dozens|tens|scores|hundreds|thousands|millions|zero)\b)|واحد|اثن|ثلاث|أربع|اربع|خمس|ست|سبع|"
    r"ثمان|تسع|عشر|مئ|مائ|ألف|الف|آلاف|الاف|مليون|ملايين")


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` (already passed through :func:`normalise_digits`), left to right.

    Overlapping candidates are resolved in favour of ranges, then the longest match.
    """
    found: list[Quantity] = []
    if not _ANY_NUMBER.search(text):
        return found
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(q: Quantity) -> None:
        found.append(q)
        taken.append((q.start, q.end))

    arabic = not text.isascii()
    for m in _RANGE_EN.finditer(text):
        a = m.group("a1") or m.group("a2")
        b = m.group("b1") or m.group("b2")
        lo, hi = parse_number_words(a), parse_number_words(b)
        if lo is None or hi is None or hi <= lo:
            continue  # "one or two", "5-3" scores, "2016-2017" periods are checked by the caller anyway
        if m.group("a2") and re.search(r"\bor\b", m.group(0), re.I) and hi > lo * 3:
            continue
        add(Quantity(m.start(), m.end(), lo, hi, bool(m.group("mod")), m.start("a1") if m.group("a1") else
                     m.start("a2"), m.end(), _is_digits(a), False))
    for m in _FRACTION_RE.finditer(text):
        lower = re.search(rf"(?:(?P<lower>{_LOWER_OPEN})|(?P<least>{_AT_LEAST})|(?P<upper>{_UPPER_OPEN}))\s+$",
                          text[:m.start()], re.I)
        whole = round(_FRACTIONS[m.group("frac").lower()] * _SCALES[m.group("scale").lower()])
        lo3, hi3, _ = _bounds(lower.groupdict() if lower else {}, whole)
        add(Quantity(lower.start() if lower else m.start(), m.end(), lo3, hi3, False, m.start(), m.end(), False,
                     False))
    for m in _VAGUE_RE.finditer(text):
        if free(m.start(), m.end()):
            key = re.sub(r"\s+", " ", m.group("num").lower())
            if key == "tens" and not re.match(r"\s+of\s", text[m.end():]):
                continue  # "tens of shells" (the translation of عشرات) is dozens; "tens" alone is not a count
            lo, hi = _VAGUE_EN[key]
            add(Quantity(m.start(), m.end(), lo, hi, True, m.start(), m.end(), False, True))
    if arabic:
        for m in _AR_RANGE.finditer(text):
            a = m.group("a1") or m.group("a2")
            b = m.group("b1") or m.group("b2")
            lo, hi = parse_arabic_number(a), parse_arabic_number(b)
            if lo is None or hi is None or hi <= lo or not free(m.start(), m.end()):
                continue
            add(Quantity(m.start(), m.end(), lo, hi, False, m.start(), m.end(), _is_digits(a), False))
        for m in _AR_SINGLE.finditer(text):
            if not free(m.start("num"), m.end("num")):
                continue
            value = parse_arabic_number(m.group("num"))
            if value is None:
                continue
            lo2, hi2, approx = _bounds(m.groupdict(), value)
            add(Quantity(m.start(), m.end(), lo2, hi2, approx, m.start("num"), m.end("num"),
                         _is_digits(m.group("num")), False))
        for m in _AR_VAGUE_RE.finditer(text):
            if free(m.start("num"), m.end("num")):
                key = re.sub(r"\s+", " ", m.group("num"))
                lo, hi = _VAGUE_AR.get(key) or _vague_ar_lookup(key)
                add(Quantity(m.start("num"), m.end("num"), lo, hi, True, m.start("num"), m.end("num"), False, True))
    for m in _SINGLE_EN.finditer(text):
        if not free(m.start("num"), m.end("num")):
            continue
        value = parse_number_words(m.group("num"))
        if value is None:
            continue
        lo2, hi2, approx = _bounds(m.groupdict(), value)
        add(Quantity(m.start(), m.end(), lo2, hi2, approx, m.start("num"), m.end("num"),
                     _is_digits(m.group("num")), False))
    found.sort(key=lambda q: q.start)
    return found


def _vague_ar_lookup(key: str) -> tuple[int, int]:
    folded = _ar_key(key)
    for name, value in _VAGUE_AR.items():
        if _ar_key(name) == folded:
            return value
    return (24, 99)


def _is_digits(value: str) -> bool:
    return any(ch.isdigit() for ch in value)
