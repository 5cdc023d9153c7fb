"""Helpers for the broker tests: small messages, unique stream names, and stages that misbehave on purpose.

Imported by worker subprocesses too (``python -c "import broker_helpers; ..."`` with ``tests`` on the path),
so the crashing stage exists there.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

from vigil.broker import BrokerConfig
from vigil.message import Message
from vigil.stages import STAGES, Stage

T0 = datetime(2025, 2, 1, tzinfo=UTC)


def small(n: int, text: str | None = None) -> Message:
    """A small message with a stable id (``x:<n>``)."""
    return Message(id=f"x:{n}", source="x", format="twitter-v2", native_id=str(n), author=f"a{n % 97}",
                   created_at=T0 + timedelta(seconds=n), text=text if text is not None else f"m{n}")


def fresh_config(**kw: object) -> BrokerConfig:
    """A config with a stream of its own, so tests sharing one Redis never see each other's entries."""
    return BrokerConfig(stream=f"t:{uuid.uuid4().hex[:10]}", **kw)  # type: ignore[arg-type]


def _picky(msg: Message) -> Message:
    """Fails on messages saying POISON, kills the process outright on KILLER (a segfault's stand-in)."""
    if "KILLER" in msg.text:
        if os.environ.get("VIGIL_TEST_HARD_CRASH") == "1":
            os._exit(70)
        raise SystemExit("killed by a poison message")  # in-process: escapes the worker like a crash would
    if "POISON" in msg.text:
        raise ValueError(f"cannot digest {msg.id}")
    return msg.with_enrichment("picky.v1", True)


PICKY = "picky.v1"
STAGES.add(PICKY, Stage(PICKY, _picky, default=False, order=999))
