"""Paragraphs and sentences with their offsets, and the document's own outlet.

Sentence splitting is rule-based: a sentence ends at ``.``, ``!``, ``?`` or ``؟`` (closing quotes and brackets
included) followed by space and a capital, a digit, an opening quote or an Arabic letter, unless the word
before the full stop is a known abbreviation ("Gen.", "U.N.", "Dr.") or a single initial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..message import Message
from .numbers import normalise_digits

__all__ = ["Sentence", "document_outlet", "paragraphs", "sentences", "wire_credit"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document.

    Attributes:
        text: the sentence as written.
        norm: the same text with Arabic-Indic digits as ASCII and harakat removed (what the rules match).
        paragraph: index of its paragraph.
        index: index of the sentence in the document.
        start: offset of the sentence inside its paragraph.
    """

    text: str
    norm: str
    paragraph: int
    index: int
    start: int


_ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "st", "jr", "sr", "prof", "gov", "sen",
    "rep", "rev", "no", "mt", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "vs", "fig",
    "approx", "est", "brig", "adm", "cpl", "pte", "inc", "ltd", "co", "corp", "u.s", "u.n", "u.k", "e.u",
}
_END = re.compile(r"[.!?؟]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9\u0600-\u06ff])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def paragraphs(text: str) -> list[str]:
    """Paragraphs split at blank lines (single newlines too, for feeds that use them)."""
    parts = re.split(r"\n\s*\n|\r\n\s*\r\n|\n", text)
    return [p.strip() for p in parts if p.strip()]


_DATELINE = re.compile(r"\b(?:Reuters|AFP|AP)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+"
                       r"\d{1,2}\s+"
                       r"[A-Z][a-z]{2,8}\s+\d{4}\s+(?=[A-Z])")


class _Boundary:
    """A sentence end found by a pattern other than punctuation (a scraped byline between headline and lead)."""

    def __init__(self, end: int) -> None:
        self._end = end

    def start(self) -> int:
        return self._end

    def end(self) -> int:
        return self._end

    def group(self, _: int = 0) -> str:
        return " "


# A city dateline with the agency in brackets starts a new sentence wherever the scraper glued it to the text
# before (a photo caption or a related headline): "... Over 20 Dead MOSCOW (Sputnik) The terrorists fired ...".
_CITY_DATELINE = re.compile(r"(?<=\s)(?=[A-Z][A-Z'’-]{2,}(?:\s+[A-Z][A-Z'’-]+){0,2}(?:\s+\([A-Z][\w ]{1,20}\))?"
                            r"\s+\((?:Sputnik|Reuters|AFP|AP|SANA|TASS|Xinhua|Anadolu|dpa|UPI)\))")


def _split(paragraph: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    start = 0
    ends: list[re.Match[str] | _Boundary] = list(_END.finditer(paragraph))
    ends += [_Boundary(m.end()) for m in _DATELINE.finditer(paragraph[:400])]
    ends += [_Boundary(m.start()) for m in _CITY_DATELINE.finditer(paragraph) if m.start() > 0]
    ends.sort(key=lambda m: m.end())
    for m in ends:
        before = _WORD_BEFORE.search(paragraph[start:m.start()])
        word = before.group(1).lower().rstrip(".") if before else ""
        if m.end() <= start:
            continue
        if m.group(0)[0] == "." and (word in _ABBREV or (len(word) == 1 and word.isalpha())):
            continue
        end = m.end()
        chunk = paragraph[start:end].strip()
        if chunk:
            out.append((start + (len(paragraph[start:end]) - len(paragraph[start:end].lstrip())), chunk))
        start = end
    tail = paragraph[start:]
    if tail.strip():
        out.append((start + (len(tail) - len(tail.lstrip())), tail.strip()))
    return out


# "SANA-One civilian was killed": an agency dateline glued to the first word (the hyphen becomes a space, so
# offsets stay those of the text as written).
_GLUED_DATELINE = re.compile(r"\b(SANA|AFP|Reuters|REUTERS|AP|TASS|Xinhua|Anadolu)-(?=[A-Z])")


def sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text`` in reading order."""
    out: list[Sentence] = []
    for p_index, para in enumerate(paragraphs(text)):
        for start, chunk in _split(para):
            norm = _GLUED_DATELINE.sub(lambda m: m.group(1) + " ", normalise_digits(chunk))
            out.append(Sentence(chunk, norm, p_index, len(out), start))
    return out


# Wire agencies credited inside articles ("- REUTERS", "(AFP) -", "SANA reported"), for default attribution.
_WIRES = {
    "reuters": "Reuters", "afp": "AFP", "ap": "AP", "associated press": "AP", "sana": "SANA", "tass": "TASS",
    "ria novosti": "RIA Novosti", "anadolu": "Anadolu", "anadolu agency": "Anadolu", "dpa": "dpa",
    "xinhua": "Xinhua", "efe": "EFE", "qna": "QNA", "nna": "NNA", "irna": "IRNA", "upi": "UPI",
}
_WIRE_RE = re.compile(
    r"(?:^|\n|\s)(?:[A-Z][A-Za-z ,.'-]{0,40})?\((?P<a>Reuters|AFP|AP|SANA|TASS|Anadolu|dpa|Xinhua|NNA|IRNA|UPI)\)"
    r"\s*[-–—]|[-–—]\s*(?P<b>REUTERS|Reuters|AFP|AP|SANA|TASS|Anadolu Agency|Anadolu|dpa|Xinhua|NNA)\s*\.?\s*$",
)


_BYLINE_WIRE = re.compile(r"\b(?P<w>Reuters|AFP|AP)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                          r"\s+\d")


_PAREN_WIRE = re.compile(r"\((?P<w>Reuters|AFP|AP|SANA|TASS|Anadolu|Xinhua|dpa)\)")


def wire_credit(text: str) -> str | None:
    """The news agency an article credits in its dateline or sign-off, if any."""
    head = text[:300]
    tail = text[-80:]
    by = _BYLINE_WIRE.search(head) or _PAREN_WIRE.search(text[:600])
    if by:
        return _WIRES.get(by.group("w").lower(), by.group("w"))
    for chunk in (head, tail):
        m = _WIRE_RE.search(chunk)
        if m:
            name = (m.group("a") or m.group("b") or "").lower()
            return _WIRES.get(name, name.upper())
    return None


# Display names of outlets whose slug is all the message carries (FA-KES source column, feed slugs).
OUTLETS = {
    "ahram": "Ahram Online", "manar": "Al-Manar", "alaraby": "Al-Araby Al-Jadeed", "alalam": "Al-Alam",
    "dailysabah": "Daily Sabah", "sana": "SANA", "sputnik": "Sputnik", "etilaf": "Syrian National Coalition",
    "trt": "TRT World", "jordantimes": "Jordan Times", "arabiya": "Al Arabiya", "reuters": "Reuters",
    "nna": "NNA", "asharqalawsat": "Asharq Al-Awsat", "tass": "TASS", "bbc": "BBC", "aljazeera": "Al Jazeera",
    "guardian": "The Guardian",
}
_GENERIC_SOURCES = {"news", "x", "twitter", "telegram", "mastodon", "csv", "feed", "transcript", "hotline",
                    "voicemail", "dataset"}
_SOURCE_HEADER = re.compile(r"^\s*(?:source|site|publication|publisher|outlet|المصدر)\s*:\s*(.+?)\s*$", re.I | re.M)


def document_outlet(msg: Message) -> str:
    """Who published ``msg``: an article's ``Source:`` header, a known outlet, else the author or the source.

    This is the default attribution of a claim whose sentence names nobody.
    """
    if msg.title is not None and msg.raw:
        m = _SOURCE_HEADER.search(msg.raw[:2000])
        if m and not m.group(1).startswith("<"):
            return m.group(1)
    key = msg.source.lower().replace("-", "").replace("_", "")
    if key in OUTLETS:
        return OUTLETS[key]
    if msg.title is None and (msg.author_name or msg.author):
        return msg.author_name or f"@{msg.author}"
    if msg.source.lower() not in _GENERIC_SOURCES:
        return msg.source.replace("-", " ").replace("_", " ").title()
    return msg.author_name or (f"@{msg.author}" if msg.author else msg.source)
