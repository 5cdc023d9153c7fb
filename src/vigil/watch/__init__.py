"""Watchers: silence of watched people against their own rhythm, area outages, phrasings, bursts, alerts.

The library entry points are re-exported here; each concern lives in its own module (``watchlist``,
``rhythm``, ``silence``, ``outage``, ``alerts``, ``sinks``, ``watchers``, ``trends``, ``phrases``, ``bursts``,
``neardup``).
"""

from __future__ import annotations

from .privacy import is_sensitive, sensitive, strip_locations
from .rhythm import Rhythm, RhythmTable, fit_rhythm, score_silence
from .silence import AccountSilence, Outage, SilenceReport, evaluate_silence
from .watchlist import (
                        WatchedHandle,
                        WatchedPerson,
                        add_watch,
                        import_watchlist,
                        list_watched,
                        remove_watch,
                        set_area_offset,
)

__all__ = ["AccountSilence", "Outage", "Rhythm", "RhythmTable", "SilenceReport", "WatchedHandle", "WatchedPerson",
           "add_watch", "evaluate_silence", "fit_rhythm", "import_watchlist", "is_sensitive", "list_watched",
           "remove_watch", "score_silence", "sensitive", "set_area_offset", "strip_locations"]
