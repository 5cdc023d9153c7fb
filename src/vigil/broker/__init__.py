"""Redis Streams transport: producers publish records, workers (any number, any machines) enrich and store them.

* :func:`publish_paths` / :class:`Publisher`: read inputs and publish (``vigil publish``), with a bounded stream
  and an explicit backpressure policy (block, or spill to disk).
* :class:`Worker`: consume through a consumer group, enrich, store, acknowledge after the commit; claim the
  entries of dead workers (XAUTOCLAIM); dead-letter poison messages (``vigil worker``).
* :func:`dead_letters`, :func:`requeue_dead_letter`, :func:`stream_info`: what an operator (or the API) sees.

At-least-once delivery plus idempotent writes by message id gives exactly-once storage.
"""

from __future__ import annotations

from .producer import Policy, Publisher, PublishReport, publish_paths
from .streams import (
    DEFAULT_STREAM,
    BrokerConfig,
    DeadLetter,
    connect,
    dead_letters,
    requeue_dead_letter,
    stream_info,
    trim_acknowledged,
)
from .worker import Worker, WorkerReport, default_consumer_name

__all__ = [
    "DEFAULT_STREAM",
    "BrokerConfig",
    "DeadLetter",
    "Policy",
    "PublishReport",
    "Publisher",
    "Worker",
    "WorkerReport",
    "connect",
    "dead_letters",
    "default_consumer_name",
    "publish_paths",
    "requeue_dead_letter",
    "stream_info",
    "trim_acknowledged",
]
