"""Text clean-up shared by every model, at training and at prediction time (they must agree exactly)."""

from __future__ import annotations

import html
import re

__all__ = ["clean_text"]

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Replace URLs and @mentions by placeholders, decode HTML entities, collapse whitespace.

    URLs and handles carry no class information but are many distinct tokens; a placeholder keeps the fact that
    there was one (a link often means news or a donation page).

    >>> clean_text("RT @bob: Help &amp; water https://t.co/x  now")
    'RT @user: Help & water URL now'
    """
    text = html.unescape(text)
    text = _URL.sub("URL", text)
    text = _MENTION.sub("@user", text)
    return _SPACE.sub(" ", text).strip()
