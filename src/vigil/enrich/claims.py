"""The ``claims.v1`` stage: counts, statuses, quotes and blame with their attribution (see :mod:`vigil.sitrep`).

Rule-based (the source of each count chosen by a small learned ranker) and pure, so it runs on every ingest;
its result, ``{"claims": [claim dicts], "ranker": "source_ranker.v3"}`` (the ranker that chose the count sources,
``null`` when none is installed), is what ``vigil sitrep --db`` reads back instead of extracting again. Messages
without digits, number words or quote marks cost almost nothing.
"""

from __future__ import annotations

from ..message import Message
from ..sitrep.extract import EXTRACTOR_VERSION, extract_claims
from ..sitrep.ranker import load_ranker
from ..stages import stage

__all__ = ["claims_stage"]


@stage(EXTRACTOR_VERSION, provides=("claims",), order=300,
       description="claims with attribution: counts, statuses, quotes, blame (EN/AR, rule-based)")
def claims_stage(msg: Message) -> Message:
    """Attach the message's claims under ``claims.v1``."""
    ranker = load_ranker()
    return msg.with_enrichment(EXTRACTOR_VERSION, {"claims": [c.to_dict() for c in extract_claims(msg)],
                                                   "ranker": ranker.version if ranker is not None else None})
