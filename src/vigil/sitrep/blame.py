"""Blame and accusations: who is blamed for what, by whom ("X accused Y of firing on the buses").

Each becomes a ``statement`` claim with ``subject`` ``"blame: <what>"`` (the object or event blamed, normalised
like statuses: ``blame: ceasefire``, ``blame: convoy``, ``blame: shelling``) and ``blamed`` the party. "Each
side blames the other" and "traded accusations" give ``blamed = "each other"``, a conflict on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import parse_arabic_np, parse_english_np
from .statuses import find_statuses

__all__ = ["BlameFound", "event_of", "find_blame"]


@dataclass(frozen=True, slots=True)
class BlameFound:
    """One accusation: the accuser (if named in the phrase), the party blamed, and what for."""

    accuser: str | None
    blamed: str
    what: str
    start: int


_NP = r"(?P<{0}>(?:the\s+|a\s+|an\s+)?(?:[\w'’.-]+\s+){{0,5}}?[\w'’.-]+)"
_EN_PATTERNS = [
    re.compile(rf"{_NP.format('a')}\s+(?:has\s+|have\s+|had\s+)?(?:also\s+)?(?:blamed|blames|blame)\s+"
               rf"{_NP.format('b')}\s+for\s+(?P<what>[^.;]+)", re.I),
    re.compile(rf"{_NP.format('a')}\s+(?:has\s+|have\s+|had\s+)?(?:also\s+)?(?:accused|accuses|accuse)\s+"
               rf"{_NP.format('b')}\s+of\s+(?P<what>[^.;]+)", re.I),
    re.compile(rf"{_NP.format('a')}\s+(?:has\s+|have\s+|had\s+)?held\s+{_NP.format('b')}\s+responsible\s+for\s+"
               rf"(?P<what>[^.;]+)", re.I),
    re.compile(rf"{_NP.format('b')}\s+(?:was|were|has\s+been|have\s+been|had\s+been|are|is|stand|stands)\s+"
               rf"(?:also\s+)?(?:accused|blamed)(?:\s+by\s+{_NP.format('a')})?\s+(?:of|for)\s+(?P<what>[^.;]+)", re.I),
    re.compile(rf"(?P<what>[^.;,]+?)\s+(?:was|were|has\s+been|had\s+been)\s+(?:widely\s+)?blamed\s+on\s+"
               rf"{_NP.format('b')}(?:\s+by\s+{_NP.format('a')})?(?=[\s.,;]|$)", re.I),
]
_CUE = re.compile(r"(?i)\b(?:blam|accus|responsib|traded)")
_MUTUAL = re.compile(r"\b(?:each\s+side\s+(?:blames?|blamed|accuses?|accused)\s+the\s+other|both\s+sides\s+"
                     r"(?:blamed|blame|accused|accuse)\s+each\s+other|traded\s+(?:accusations|blame)|"
                     r"blamed\s+each\s+other|accused\s+each\s+other|blame\s+each\s+other)\b", re.I)
_AR_PATTERNS = [
    re.compile(r"(?<![\u0621-\u064a])[و]?(?:اتهم|اتهمت|يتهم|تتهم)\s+(?P<rest>.+)"),
    re.compile(r"(?<![\u0621-\u064a])[و]?(?:حمل|حملت|حمّل|حمّلت|يحمل|تحمل)\s+(?P<rest>.+?)\s+(?:مسؤولية|المسؤولية)\s+"
               r"(?P<what>.+)"),
]
_AR_MUTUAL = re.compile(r"تبادل\S*\s+(?:\S+\s+)?(?:الاتهامات|الاتهام)|(?:يتهم|اتهم)\s+كل\s+(?:طرف|جانب)\s+(?:الطرف\s+|"
                        r"الجانب\s+)?الآخر")
_EVENTS = re.compile(r"\b(?P<e>shelling|attack|attacks|bombing|strike|airstrike|air\s+strike|massacre|"
                     r"chemical\s+attack|gas\s+attack|killings?|deaths?|violations?|blast|explosion|ambush|siege|"
                     r"firing|fire|blockade|talks|negotiations)\b", re.I)
_EVENT_NORM = {"attacks": "attack", "killings": "killing", "deaths": "deaths", "death": "deaths",
               "violations": "ceasefire", "violation": "ceasefire", "air strike": "airstrike", "fire": "firing",
               "gas attack": "chemical attack", "negotiations": "talks"}


def event_of(text: str) -> str | None:
    """The object or event a phrase is about (``ceasefire``, ``convoy``, ``shelling``), if any."""
    found = find_statuses(text)
    if found:
        return found[0].subject
    m = _EVENTS.search(text)
    if m:
        e = re.sub(r"\s+", " ", m.group("e").lower())
        return _EVENT_NORM.get(e, e)
    return None


def _what(phrase: str, sentence: str) -> str:
    found = find_statuses(phrase) or find_statuses(sentence)
    if found:
        return found[0].subject
    m = _EVENTS.search(phrase) or _EVENTS.search(sentence)
    if m:
        e = re.sub(r"\s+", " ", m.group("e").lower())
        return _EVENT_NORM.get(e, e)
    for word, label in (("هدنة", "ceasefire"), ("الهدنة", "ceasefire"), ("وقف إطلاق النار", "ceasefire"),
                        ("القافلة", "convoy"), ("الحافلات", "convoy"), ("القصف", "shelling"), ("الهجوم", "attack"),
                        ("المجزرة", "massacre")):
        if word in phrase or word in sentence:
            return label
    return "events"


def _party(text: str | None) -> str | None:
    if not text:
        return None
    words = text.split()
    if words and words[-1].lower().strip(",\"”") in ("and", "also", "but", "then", "had", "has", "positions", "it",
                                                      "they", "which", "who"):
        return None  # the accuser is the subject of an earlier clause; the sentence's attribution names it
    named = parse_english_np(words)
    return named.name if named is not None else text.strip()


def find_blame(norm: str) -> list[BlameFound]:
    """Accusations in one sentence."""
    out: list[BlameFound] = []
    if re.search(r"[\u0621-\u064a]", norm):
        if not re.search(r"اتهام|اتهم|تتهم|يتهم|حمل|حمّل|تبادل", norm):
            return out
        m = _AR_MUTUAL.search(norm)
        if m:
            return [BlameFound(None, "each other", _what(norm, norm), m.start())]
        for pattern in _AR_PATTERNS:
            am = pattern.search(norm)
            if am:
                words = am.group("rest").split()
                accuser = parse_arabic_np(words[:3])
                blamed = parse_arabic_np(words[1:4]) if len(words) > 1 else None
                if blamed is not None:
                    out.append(BlameFound(accuser.name if accuser else None, blamed.name,
                                          _what(am.groupdict().get("what") or am.group("rest"), norm), am.start()))
                break
        return out
    if not _CUE.search(norm):
        return out  # the patterns backtrack on long sentences; most sentences blame nobody
    m = _MUTUAL.search(norm)
    if m:
        return [BlameFound(None, "each other", _what(norm, norm), m.start())]
    for pattern in _EN_PATTERNS:
        for bm in pattern.finditer(norm):
            party = _party(bm.group("b"))
            if not party or party.lower() in ("it", "them", "him", "her", "they"):
                continue
            out.append(BlameFound(_party(bm.groupdict().get("a")), party, _what(bm.group("what"), norm),
                                  bm.start()))
        if out:
            break
    return out
