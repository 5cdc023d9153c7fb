"""The ``neardup.v1`` stage: every message's near-duplicate cluster and the cluster's first poster.

It keeps its LSH index in the store (:mod:`vigil.watch.neardup`), so it runs in the store-aware batch form
(``store_batch``); callers without a store skip it, and :func:`vigil.watch.neardup.catch_up` (run by
``vigil clusters``) clusters what they stored.
"""

from __future__ import annotations

from ..message import Message
from ..stages import stage
from ..store import Store
from ..watch.neardup import STAGE, assign_clusters

__all__ = ["neardup_batch", "neardup_stage"]


def neardup_batch(store: Store, messages: list[Message]) -> list[Message]:
    """Cluster a batch against the stored index and record ``{"cluster", "first_id", "first_author", "is_first"}``."""
    refs = assign_clusters(store, messages)
    return [m.with_enrichment(STAGE, refs[m.id].to_dict()) for m in messages]


@stage(STAGE, order=50, provides=("neardup",), store_batch=neardup_batch,
       description="near-duplicate cluster (MinHash/LSH over folded text; retweets join their original)")
def neardup_stage(msg: Message) -> Message:
    """Without a store there is no index to join: the message passes unchanged (see the module docstring)."""
    return msg
