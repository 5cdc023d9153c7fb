"""Arabic text normalisation for the Arabic models (its own stage, ``arabic_norm.v1``).

Builds on :func:`vigil.arabic.fold_arabic` (harakat, tatweel, alef/yaa/taa-marbuta/hamza-seat variants,
Arabic-Indic digits) and adds what matters for classification: letters stretched for emphasis
(``ساااعدونا`` -> ``ساعدونا``), Arabic punctuation, and a note when the text is Arabizi (Arabic in Latin letters,
which the Arabic-script models cannot read).
"""

from __future__ import annotations

import re
from typing import Any

from ..arabic import fold_arabic
from .langid import looks_arabizi
from .textprep import clean_text

__all__ = ["normalize_arabic", "normalize_result"]

_STRETCH = re.compile(r"([\u0621-\u064a])\1{2,}")
_PUNCT = str.maketrans({"\u060c": ",", "\u061b": ";", "\u061f": "?", "\u066a": "%", "\u066b": ".", "\u066c": ","})


def normalize_arabic(text: str) -> str:
    """Normalise Arabic text for matching and for the Arabic models (other scripts pass through).

    >>> normalize_arabic("أنقذونـــا يا ناااس، إلى متى؟")
    'انقذونا يا ناس, الي متي?'
    """
    text = fold_arabic(text)
    text = _STRETCH.sub(r"\1", text)
    return text.translate(_PUNCT)


def normalize_result(text: str) -> dict[str, Any]:
    """The ``arabic_norm.v1`` enrichment: the normalised text (URLs and handles replaced) and the Arabizi flag."""
    return {"text": normalize_arabic(clean_text(text)), "arabizi": looks_arabizi(text)}
