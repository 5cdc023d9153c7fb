"""Words, segments and terms of a message, folded the same way for phrase families, bursts and near-duplicates.

Text is folded with :func:`vigil.arabic.fold` (case, Latin accents, Arabic harakat and letter variants), after
hashtags are lowercased so that fold does not append their CamelCase split (``#GoodbyeQasr`` stays one token
``#goodbyeqasr`` here instead of also producing "goodbye qasr" at the end of the text, which would invent
word sequences nobody wrote). Phrases never cross sentence punctuation, hashtags, mentions or links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..arabic import fold
from ..message import Message
from .trends import is_copy  # one definition of a copy for trends, families and bursts

__all__ = ["STOPWORDS", "folded", "hashtags", "is_copy", "message_text", "segments", "words"]

_RT = re.compile(r"^\s*RT @\w+:?\s*")
_URL = re.compile(r"https?://\S+|www\.\S+")
_HASHTAG = re.compile(r"#\w+")
_MENTION = re.compile(r"@[\w.]+(?:@[\w.-]+)?")
# sentence ends, clause punctuation (Latin and Arabic), quotes and brackets, and the separators
# people put between a prefix and the message ("URGENT | ...", "Update Al-Tahuna: ...")
_BREAK = re.compile(r"[.!?;:,|\"“”«»()\[\]{}…\n\u061f\u060c\u061b\u06d4\u2014\u2013]+|\s[-–]\s")
_WORD = re.compile(r"\w+")
_HIDDEN = "\ue000"  # a private-use character fold() leaves alone

# Folded function words (English and Arabic, MSA and Levantine): a phrase frame must hold something else, and
# bursts are not reported for them.
_EN = """a about above after again against all am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once
only or other our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves s t don didn doesn isn wasn aren weren won
can't im ll ve re d m also still even us let get got one two via rt amp al el may might must shall
update urgent breaking"""
_AR = """في من على إلى عن مع هذا هذه ذلك تلك التي الذي الذين ما لا لم لن إن أن كان كانت هو هي هم نحن أنا انت أنت
انتم أنتم كل بعد قبل حتى إذا اذا او أو ثم بين عند غير قد كما لكن بل يا و ف ب ل ك هل شو مو في اللي يلي هيك
هون هناك هنا عم رح كمان بس منذ ضد عبر حول لدى دون إلا الا ولا وما وفي ومن وهو وهي فيه فيها منه منها عليه عليها
له لها لهم به بها الى على"""
STOPWORDS: frozenset[str] = frozenset(fold(w) for w in (_EN + " " + _AR).split())


def message_text(msg: Message) -> str:
    """The text a message says: its title and text (documents), without a leading "RT @user:"."""
    text = _RT.sub("", msg.text, count=1)
    return f"{msg.title}\n{text}" if msg.title else text


def folded(text: str) -> str:
    """Fold ``text`` (see the module docstring) keeping hashtags whole.

    >>> folded("#GoodbyeQasr وداعاً #وداعا_قصر_النهر")
    '#goodbyeqasr وداعا #وداعا_قصر_النهر'
    """
    if "#" not in text:
        return fold(text)
    # fold() appends the split of every hashtag it sees; hide the "#" from it and put it back
    return fold(text.replace("#", _HIDDEN)).replace(_HIDDEN, "#")


def segments(text: str) -> Iterator[list[str]]:
    """Runs of folded words between punctuation, hashtags, mentions and links (phrases live inside one run).

    >>> list(segments("Goodbye to Qasr al-Nahr, the city. #GoodbyeQasr"))
    [['goodbye', 'to', 'qasr', 'al', 'nahr'], ['the', 'city']]
    """
    text = _URL.sub(" | ", text)
    text = _MENTION.sub(" | ", text)
    text = folded(text)
    text = _HASHTAG.sub(" | ", text)
    for part in _BREAK.split(text):
        tokens = _WORD.findall(part)
        if tokens:
            yield tokens


def words(text: str) -> list[str]:
    """Every folded word of ``text`` outside links, mentions and hashtags."""
    return [w for seg in segments(text) for w in seg]


def hashtags(text: str) -> list[str]:
    """Folded hashtags of ``text``, ``#`` included (``#goodbyeqasr``, ``#وداعا_قصر_النهر``)."""
    return _HASHTAG.findall(folded(text)) if "#" in text else []
