"""The trained plea gate: a small logistic regression that confirms or rejects the plea rules' matches.

The hand-written plea rules (:mod:`vigil.classify.signals`) find candidates; four rounds of rules did not reach the
.9 precision target on held-out data, because each round met new kinds of near-pleas (drives, third-party calls,
job requests ...). The gate scores each English rule candidate with one linear model over TF-IDF word 1-2-grams and
character 2-5-grams and keeps the plea only when the calibrated probability reaches the threshold chosen by
cross-validation across the labelled sets (see :mod:`vigil.classify.plea_train` and ``docs/classifier.md``).

It runs only on rule candidates (a few per cent of a stream), so the fast path keeps its speed. The artifact is a
folder ``src/vigil/models/plea-gate-<version>/`` of JSON and ``.npy`` files loaded with ``allow_pickle=False``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import ModelError
from .features import SparseVectorizer, load_vectorizers, save_vectorizers

__all__ = ["DEFAULT_PLEA_GATE", "PleaGate", "load_plea_gate", "save_plea_gate"]

DEFAULT_PLEA_GATE = "plea-gate-4"


@dataclass
class PleaGate:
    """A binary linear scorer over sparse text features, Platt-calibrated, with its decision threshold.

    Attributes:
        name: the versioned name (``plea-gate-4``), recorded in the model card and the tests.
        vectorizers: feature blocks, concatenated in this order.
        coef: ``(n_features,)`` weights.
        intercept: the bias.
        platt: ``(a, b)``: probability = sigmoid(a * logit + b), fitted on out-of-fold logits.
        threshold: a candidate stays a plea when its probability is at least this.
        cue_floor: a candidate below ``threshold`` stays a plea through the life cue only when its probability is
            at least this (0: the cue alone keeps it, as in plea-gate-2 and -3).
    """

    name: str
    vectorizers: list[SparseVectorizer]
    coef: np.ndarray
    intercept: float
    platt: tuple[float, float]
    threshold: float
    cue_floor: float = 0.0

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Uncalibrated decision values, one per text."""
        blocks = [v.transform(texts) for v in self.vectorizers]
        x = blocks[0] if len(blocks) == 1 else sp.hstack(blocks, format="csr")
        out: np.ndarray = np.asarray(x @ self.coef).ravel() + self.intercept
        return out

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated plea probabilities, one per text."""
        a, b = self.platt
        z = np.clip(a * self.logits(texts) + b, -50.0, 50.0)
        out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return out


def save_plea_gate(gate: PleaGate, path: Path, extra: dict[str, Any] | None = None) -> None:
    """Write ``gate`` as ``meta.json``, one vocabulary JSON and idf ``.npy`` per block, and ``coef.npy``."""
    path.mkdir(parents=True, exist_ok=True)
    save_vectorizers(gate.vectorizers, path)
    np.save(path / "coef.npy", gate.coef.astype(np.float32))
    meta = {"name": gate.name, "analyzers": [v.analyzer for v in gate.vectorizers], "intercept": gate.intercept,
            "platt": list(gate.platt), "threshold": gate.threshold, "cue_floor": gate.cue_floor, **(extra or {})}
    (path / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _default_path() -> Path:
    return Path(__file__).resolve().parent.parent / "models" / DEFAULT_PLEA_GATE


@lru_cache(maxsize=4)
def _load(path: str) -> PleaGate:
    p = Path(path)
    try:
        meta = json.loads((p / "meta.json").read_text(encoding="utf-8"))
        vecs = load_vectorizers(p, meta["analyzers"])
        coef = np.load(p / "coef.npy", allow_pickle=False)
        gate = PleaGate(str(meta["name"]), vecs, coef, float(meta["intercept"]),
                        (float(meta["platt"][0]), float(meta["platt"][1])), float(meta["threshold"]),
                        float(meta.get("cue_floor", 0.0)))
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise ModelError(f"{p}: cannot load the plea gate ({exc}) — reinstall vigil or run "
                         "`vigil train --signals`") from exc
    if coef.shape != (sum(len(v.idf) for v in vecs),):
        raise ModelError(f"{p}: coef shape {coef.shape} does not match the vocabularies")
    return gate


def load_plea_gate(path: str | os.PathLike[str] | None = None) -> PleaGate:
    """The plea gate in ``path`` (default: the shipped ``plea-gate-4``), loaded once per process.

    Raises:
        ModelError: a file is missing or the shapes disagree.
    """
    return _load(str(Path(path) if path else _default_path()))
