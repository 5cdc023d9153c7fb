"""Enrichment stages: pure ``Message -> Message`` functions registered under versioned names.

A stage declares what it requires and provides, and stores its result with
``msg.with_enrichment(stage.name, result)`` so that each result says which stage version produced it. A
stage may also offer a batch form (models are much faster on batches). :func:`run_stages` isolates
failures: a stage that raises on one message is recorded and skipped for that message; a stage that returns
something other than a Message is a programming error and fails loudly.

A few stages keep state across batches in the store (``neardup.v1`` persists its LSH index so that a later ingest
in another process joins the same clusters). They declare a ``store_batch(store, messages)`` form; callers that
have a store pass it to :func:`run_stages`, and without one such a stage is skipped (it catches up later).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ModelError
from .message import Message
from .registry import Registry

__all__ = ["STAGES", "Stage", "StageContractError", "StageFailure", "default_stages", "load_builtin_stages",
           "run_stages", "stage"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stage:
    """A registered enrichment stage.

    Attributes:
        name: versioned name, e.g. ``"siege_signals.v4"``; stored with every result.
        fn: the per-message function.
        batch: optional list form, used when present (same results as ``fn`` on each item).
        requires: names of stages (without version) whose results this one reads.
        provides: what it adds (documentation and ordering).
        store_batch: optional form that also reads and writes the store (state shared across batches and
            processes); used instead of ``batch``/``fn`` when :func:`run_stages` is given a store.
    """

    name: str
    fn: Callable[[Message], Message]
    batch: Callable[[list[Message]], list[Message]] | None = None
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()
    description: str = ""
    default: bool = True
    order: int = 100
    store_batch: Callable[[Any, list[Message]], list[Message]] | None = None


@dataclass
class StageFailure:
    stage: str
    message_id: str
    error: str


STAGES: Registry[Stage] = Registry("stage")


StageFn = Callable[[Message], Message]


def stage(name: str, *, requires: Sequence[str] = (), provides: Sequence[str] = (),
          batch: Callable[[list[Message]], list[Message]] | None = None, description: str = "",
          default: bool = True, order: int = 100,
          store_batch: Callable[[Any, list[Message]], list[Message]] | None = None) -> Callable[[StageFn], StageFn]:
    """Decorator registering ``fn`` as a stage under ``name``.

    ``default`` stages run on every ingest, in ascending ``order`` (language id before classifiers before
    claim extraction).
    """

    def add(fn: Callable[[Message], Message]) -> Callable[[Message], Message]:
        STAGES.add(name, Stage(name, fn, batch, tuple(requires), tuple(provides), description or (fn.__doc__ or ""),
                               default, order, store_batch))
        return fn

    return add


def load_builtin_stages() -> None:
    """Import every module of :mod:`vigil.enrich`; each registers its stages on :data:`STAGES`."""
    import importlib
    import pkgutil

    from . import enrich

    for info in pkgutil.iter_modules(enrich.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{enrich.__name__}.{info.name}")


def default_stages() -> list[str]:
    """Names of the stages every ingest runs, in order."""
    load_builtin_stages()
    chosen = [s for _, s in STAGES.items() if s.default]
    return [s.name for s in sorted(chosen, key=lambda s: (s.order, s.name))]


class StageContractError(TypeError):
    """A stage broke its contract (returned a non-Message, or the wrong number): a bug, never skipped."""


def _checked(stage_name: str, value: object) -> Message:
    if not isinstance(value, Message):
        raise StageContractError(f"stage {stage_name} returned {type(value).__name__}, not a Message")
    return value


_WARNED: set[str] = set()


def _warn_once(stage_name: str, text: str) -> None:
    if stage_name not in _WARNED:
        _WARNED.add(stage_name)
        log.warning("%s", text)


def run_stages(messages: list[Message], names: Sequence[str],
               failures: list[StageFailure] | None = None, *, store: Any = None) -> list[Message]:
    """Run the named stages in order over a batch; per-message failures are logged and skipped.

    ``store`` (a :class:`vigil.store.Store`) is handed to stages that keep state in it; without it they are
    skipped.
    """
    for name in names:
        st = STAGES.get(name)
        if st.store_batch is not None:
            if store is None:
                continue
            try:
                out = st.store_batch(store, messages)
            except Exception as exc:  # its state lives in the store: the next batch or a catch-up retries
                log.warning("stage %s failed on a batch of %d", name, len(messages), exc_info=True)
                if failures is not None:
                    failures.extend(StageFailure(name, m.id, f"{type(exc).__name__}: {exc}") for m in messages)
                continue
            if len(out) != len(messages):
                raise StageContractError(f"stage {name} returned {len(out)} messages for {len(messages)}")
            messages = [_checked(name, m) for m in out]
            continue
        if st.batch is not None:
            try:
                out = st.batch(messages)
                if len(out) != len(messages):
                    raise StageContractError(f"stage {name} returned {len(out)} messages for {len(messages)}")
                messages = [_checked(name, m) for m in out]
                continue
            except StageContractError:
                raise
            except ModelError as exc:  # a missing/broken artifact fails every message alike: say so once, skip
                _warn_once(name, f"stage {name} is unavailable and skipped: {exc}")
                if failures is not None:
                    failures.extend(StageFailure(name, m.id, f"ModelError: {exc}") for m in messages)
                continue
            except Exception:  # fall back to one by one so one bad message cannot sink the batch
                log.warning("stage %s failed on a batch; retrying message by message", name, exc_info=True)
        result = []
        for msg in messages:
            try:
                result.append(_checked(name, st.fn(msg)))
            except StageContractError:
                raise
            except Exception as exc:
                log.warning("stage %s failed on %s: %s", name, msg.id, exc)
                if failures is not None:
                    failures.append(StageFailure(name, msg.id, f"{type(exc).__name__}: {exc}"))
                result.append(msg)
        messages = result
    return messages


