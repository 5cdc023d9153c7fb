"""vigil: a crisis-message monitor.

It reads posts, chats, feeds, news articles and voicemail transcripts in English and Arabic into one
:class:`~vigil.message.Message` record, stores them durably, and keeps watch over them.
"""

from __future__ import annotations

from .errors import VigilError
from .message import Message, Reject

__all__ = ["Message", "Reject", "VigilError", "__version__"]

__version__ = "0.1.0"
