"""Text and time normalisation shared by every reader.

``clean_text`` is on the ingest hot path (tens of thousands of calls a second), so it takes fast exits: one
``str.translate`` for the characters to drop, ``unicodedata.is_normalized`` before ``normalize``, and
``html.unescape`` only when an ``&`` is present.
"""

from __future__ import annotations

import email.utils
import html
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

__all__ = ["clean_text", "html_to_text", "parse_datetime"]

# Characters removed from every text. Zero-width spaces, BOM, word joiner, directional marks and bidi
# embedding/override/isolate controls carry no meaning for analysis and break matching ("Aleppo" vs
# "Ale\u200bppo"); C0/C1 controls other than tab and newline are noise. ZWJ (U+200D) and ZWNJ (U+200C) are
# kept on purpose: ZWJ glues emoji sequences (family, flags) and ZWNJ is orthographic in Persian and Urdu.
_DROP = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0),
         0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F), 0x2060, *range(0x2066, 0x206A), 0xFEFF, 0x00AD]
_DROP_TABLE: dict[int, int | None] = dict.fromkeys(_DROP)
_DROP_TABLE[0x0D] = None  # \r\n -> \n; a lone \r is handled below
_NEEDS_WORK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff&]")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: str, *, unescape: bool = True) -> str:
    """Normalise a text for storage and analysis.

    NFC normalisation (composes Latin accents; leaves Arabic letters and harakat intact), HTML entities
    decoded (``&amp;`` → ``&``), zero-width, bidi and control characters removed, runs of spaces folded,
    surrounding whitespace stripped. URLs are kept as written.

    >>> clean_text("Goodbye\u200b from &amp; to Aleppo ")
    'Goodbye from & to Aleppo'
    """
    if _NEEDS_WORK.search(value) is not None:
        if unescape and "&" in value:
            value = html.unescape(value)
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = value.translate(_DROP_TABLE)
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if "  " in value or "\n\n\n" in value or "\u00a0" in value:
        value = _SPACES.sub(" ", value)
        value = _BLANK_LINES.sub("\n\n", value)
    return value.strip()


_BREAK = re.compile(r"(?i)<br\s*/?>")
_BLOCK_END = re.compile(r"(?i)</(?:p|div|li|blockquote|h[1-6]|tr|pre|section|article)\s*>")


def html_to_text(fragment: str) -> str:
    """Turn a small HTML fragment (a Mastodon status, a feed summary) into clean text.

    Paragraphs and block ends become blank lines, ``<br>`` a newline; links keep their visible text (Mastodon
    splits long URLs into invisible spans, which join back whole); scripts and styles are dropped; entities
    are decoded once.

    >>> html_to_text("<p>Trapped in <a href='#'>#Qasr</a></p><p>help&amp;water</p>")
    'Trapped in #Qasr\n\nhelp&water'
    """
    if "<" not in fragment:
        return clean_text(fragment)
    from selectolax.lexbor import LexborHTMLParser  # local: only HTML inputs pay the import

    marked = _BLOCK_END.sub("\n\n", _BREAK.sub("\n", fragment))
    tree = LexborHTMLParser(marked)
    for node in tree.css("script, style, template"):
        node.decompose()
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        return ""
    return clean_text(root.text(separator="", strip=False), unescape=False)


_TWITTER_V1 = "%a %b %d %H:%M:%S %z %Y"


def parse_datetime(value: Any, *, default_tz: timezone = UTC) -> datetime:
    """Parse a timestamp as the sources write it and return it timezone-aware in UTC.

    Accepts ISO-8601 (``2016-12-13T08:15:00Z``, with or without offset or fraction), Twitter v1
    (``Tue Dec 13 08:15:00 +0000 2016``), RFC 2822 (RSS), Unix seconds (int, float or digit string; values
    above 10^11 are taken as milliseconds) and ``datetime`` objects. A time without offset is taken to be in
    ``default_tz`` (UTC unless the caller knows better).

    Raises:
        ValueError: with a message naming the value, when nothing matches.
    """
    if isinstance(value, str) and value.endswith("Z") and 19 < len(value) < 31:
        # the common case (X, Mastodon, ISO exports): ISO-8601 in UTC, parsed in C without the fallbacks below
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, bool) or value is None:
        raise ValueError(f"not a timestamp: {value!r}")
    elif isinstance(value, int | float):
        dt = _from_epoch(float(value))
    elif isinstance(value, str):
        dt = _parse_str(value.strip())
    else:
        raise ValueError(f"not a timestamp: {type(value).__name__}")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=default_tz)
    return dt.astimezone(UTC)


def _from_epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds (Telegram date_unixtime is seconds; JS clients send ms)
        seconds /= 1000.0
    if not -62_135_596_800 < seconds < 253_402_300_799:
        raise ValueError(f"timestamp out of range: {seconds}")
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)


def _parse_str(text: str) -> datetime:
    if not text:
        raise ValueError("empty timestamp")
    if text.isdigit() or (text[0] == "-" and text[1:].isdigit()):
        return _from_epoch(float(text))
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, _TWITTER_V1)
    except ValueError:
        pass
    try:
        dt = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        dt = None
    if dt is not None:
        return dt
    raise ValueError(f"unparsable timestamp {text[:60]!r} (expected ISO-8601, RFC 2822 or Unix seconds)")
