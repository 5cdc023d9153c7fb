"""Small helpers shared by the document-like readers (feeds, articles, transcripts).

Kept apart from :mod:`vigil.text` because they are about naming and identifying documents, not about
normalising text.
"""

from __future__ import annotations

import hashlib
import re

from ..text import clean_text

__all__ = ["declared_lang", "slugify", "stable_hash"]

_SLUG_DROP = re.compile(r"[^\w]+")
_LANG_CODE = re.compile(r"^([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*$")
_ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Languages normally written in Arabic script; Kurdish is written in both, so it is never second-guessed.
_ARABIC_SCRIPT = frozenset({"ar", "fa", "ur", "ps", "ug", "sd"})
_NAMES = {
    "arabic": "ar", "english": "en", "french": "fr", "kurdish": "ku", "turkish": "tr", "persian": "fa",
    "farsi": "fa", "urdu": "ur", "pashto": "ps", "spanish": "es", "german": "de", "russian": "ru",
    "ukrainian": "uk", "hebrew": "he", "italian": "it", "portuguese": "pt", "dutch": "nl", "greek": "el",
    "armenian": "hy", "somali": "so", "amharic": "am", "tigrinya": "ti", "swahili": "sw",
    "العربية": "ar", "عربي": "ar", "الإنجليزية": "en", "الانجليزية": "en", "الفرنسية": "fr", "الكردية": "ku",
}


def slugify(value: str, *, max_len: int = 64) -> str:
    """A source name from a title: lower case, runs of non-word characters as ``-`` (letters of any script kept).

    >>> slugify("The Example Times!")
    'the-example-times'
    """
    slug = _SLUG_DROP.sub("-", clean_text(value).lower()).strip("-_")
    return slug[:max_len].rstrip("-_")


def stable_hash(*parts: str) -> str:
    """A short id from ``parts`` that is the same on every run and machine (for records without an id)."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass"), usedforsecurity=False)
    return "sha1-" + digest.hexdigest()[:20]


def declared_lang(value: object, text: str = "") -> str | None:
    """An ISO 639-1 code from a declared language (``"ar-SY"``, ``"en_us"``, ``"Arabic"``), or ``None``.

    A declaration often describes a whole feed or site rather than this item, so when ``text`` is given and
    its script plainly contradicts the declaration (Arabic letters under ``en``, Latin letters under ``ar``)
    the declaration is dropped and language identification is left to the enrichment stage.

    >>> declared_lang("ar-SY", "انقطاع المياه")
    'ar'
    >>> declared_lang("en", "انقطاع المياه") is None
    True
    """
    if not isinstance(value, str):
        return None
    raw = value.strip()
    match = _LANG_CODE.match(raw)
    code = match.group(1).lower() if match else _NAMES.get(raw.lower())
    if code is None or not text or code == "ku":
        return code
    sample = text[:1000]
    arabic = len(_ARABIC_LETTER.findall(sample))
    latin = len(_LATIN_LETTER.findall(sample))
    if arabic + latin < 8:  # too little text to judge
        return code
    share = arabic / (arabic + latin)
    if code in _ARABIC_SCRIPT and share < 0.2:
        return None
    if code not in _ARABIC_SCRIPT and share > 0.6:
        return None
    return code
