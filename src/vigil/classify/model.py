"""Loading the shipped model artifacts and predicting calibrated class probabilities.

An artifact is a directory ``src/vigil/models/<name>-<version>/`` with a ``manifest.json``, a ``MODEL_CARD.md``
and one sub-directory per component. Everything is stored as JSON and ``.npy`` arrays (loaded with
``allow_pickle=False``) or ONNX, so loading runs no stored code and takes well under a second.

Components:

* ``en_sparse``: TF-IDF word 1-2-grams + character 2-5-grams, multinomial logistic regression (English).
* ``en_fast``: word 1-2-grams only, for the firehose path (tens of thousands of messages per second).
* ``ar_sparse``: character 2-5-grams + words over normalised Arabic, trained on Kawarith's coarse classes.
* ``encoder`` (optional): fine-tuned MiniLM-L6 exported to ONNX int8; its probabilities are averaged with
  ``en_sparse`` using the weight in the manifest.

Each component has a temperature fitted on HumAID dev (or by cross-validation for Arabic) so that the
probabilities are calibrated.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import ModelError
from .arabic_norm import normalize_arabic
from .features import SparseVectorizer, load_vectorizers, save_vectorizers
from .labels import HUMAID_CLASSES, KAWARITH_SUBCLASS_CUES, KAWARITH_TO_HUMAID
from .textprep import clean_text

__all__ = ["DEFAULT_MODEL", "LinearModel", "TypeModel", "load_linear", "load_type_model", "models_dir", "softmax"]

DEFAULT_MODEL = "humaid-1"


def models_dir() -> Path:
    """The folder of shipped artifacts (``vigil/models``)."""
    return Path(__file__).resolve().parent.parent / "models"


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


@dataclass
class LinearModel:
    """A sparse linear classifier over one or more TF-IDF blocks.

    Attributes:
        classes: class names, in column order.
        vectorizers: feature blocks, concatenated in this order.
        coef: ``(n_features, n_classes)`` weights.
        intercept: ``(n_classes,)``.
        temperature: logits are divided by it before the softmax (calibration).
    """

    classes: tuple[str, ...]
    vectorizers: list[SparseVectorizer]
    coef: np.ndarray
    intercept: np.ndarray
    temperature: float = 1.0

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The concatenated TF-IDF blocks for ``texts``."""
        blocks = [v.transform(texts) for v in self.vectorizers]
        return blocks[0] if len(blocks) == 1 else sp.hstack(blocks, format="csr")

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Uncalibrated decision values."""
        out: np.ndarray = np.asarray(self.features(texts) @ self.coef) + self.intercept
        return out

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, one row per text."""
        return softmax(self.logits(texts) / self.temperature)


def save_linear(model: LinearModel, path: Path, extra: dict[str, Any] | None = None) -> None:
    """Write a :class:`LinearModel` as JSON + ``.npy`` files into ``path``."""
    path.mkdir(parents=True, exist_ok=True)
    meta = {"classes": list(model.classes), "analyzers": [v.analyzer for v in model.vectorizers],
            "temperature": model.temperature, **(extra or {})}
    save_vectorizers(model.vectorizers, path)
    np.save(path / "coef.npy", model.coef.astype(np.float32))
    np.save(path / "intercept.npy", model.intercept.astype(np.float32))
    (path / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def load_linear(path: Path) -> LinearModel:
    """Read a :class:`LinearModel` written by :func:`save_linear`.

    Raises:
        ModelError: a file is missing or the shapes disagree.
    """
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        vecs = load_vectorizers(path, meta["analyzers"])
        coef = np.load(path / "coef.npy", allow_pickle=False)
        intercept = np.load(path / "intercept.npy", allow_pickle=False)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{path}: cannot load model component ({exc}) — reinstall vigil or run `vigil train`") from exc
    if coef.shape != (sum(len(v.idf) for v in vecs), len(meta["classes"])):
        raise ModelError(f"{path}: coef shape {coef.shape} does not match the vocabularies")
    return LinearModel(tuple(meta["classes"]), vecs, coef, intercept, float(meta.get("temperature", 1.0)))


@dataclass
class TypeModel:
    """The HumAID type classifier: English (sparse, optionally + encoder) and Arabic components.

    Attributes:
        name: ``"<name>.v<version>"`` of the artifact, reported with every prediction.
        en_sparse / en_fast / ar_sparse: the linear components.
        encoder: the ONNX encoder (None when the artifact has none).
        encoder_weight: weight of the encoder in the English average (0 = sparse only).
        manifest: the artifact's manifest.
    """

    name: str
    en_sparse: LinearModel
    en_fast: LinearModel
    ar_sparse: LinearModel
    encoder: Any = None
    encoder_weight: float = 0.0
    manifest: dict[str, Any] = field(default_factory=dict)

    def model_name(self, fast: bool = False, lang: str | None = None) -> str:
        """The ``name.vN`` reported with predictions: ``humaid.v2`` (encoder + sparse), ``humaid-sparse.v2``,
        ``humaid-fast.v2`` or, for Arabic, ``humaid-ar.v2``."""
        base, _, version = self.name.rpartition(".")
        if lang == "ar":
            return f"{base}-ar.{version}"
        if fast:
            return f"{base}-fast.{version}"
        return self.name if self.encoder is not None and self.encoder_weight > 0 else f"{base}-sparse.{version}"

    def english_proba(self, texts: Sequence[str], *, fast: bool = False) -> np.ndarray:
        """Calibrated HumAID probabilities for English (or other non-Arabic) texts."""
        if not texts:
            return np.zeros((0, len(HUMAID_CLASSES)), dtype=np.float32)
        if fast:
            return _reorder(self.en_fast.proba(texts), self.en_fast.classes)
        if self.encoder is None or self.encoder_weight <= 0:
            return _reorder(self.en_sparse.proba(texts), self.en_sparse.classes)
        # the encoder's workers release the GIL inside ONNX Runtime, so the sparse model (pure Python, one core)
        # runs meanwhile instead of leaving a core idle before or after them
        with ThreadPoolExecutor(1, thread_name_prefix="vigil-encoder-call") as pool:
            pending = pool.submit(self.encoder.proba, texts)
            sparse = _reorder(self.en_sparse.proba(texts), self.en_sparse.classes)
            enc = pending.result()
        out: np.ndarray = self.encoder_weight * enc + (1.0 - self.encoder_weight) * sparse
        return out

    def arabic_coarse_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Kawarith coarse-class probabilities (columns: ``ar_sparse.classes``)."""
        return self.ar_sparse.proba(texts)

    def arabic_proba(self, texts: Sequence[str]) -> np.ndarray:
        """HumAID probabilities for Arabic texts: each coarse class's mass goes to the HumAID class its cues pick."""
        out = np.zeros((len(texts), len(HUMAID_CLASSES)), dtype=np.float32)
        if not texts:
            return out
        coarse = self.arabic_coarse_proba(texts)
        col = {c: i for i, c in enumerate(HUMAID_CLASSES)}
        for i, text in enumerate(texts):
            norm = normalize_arabic(clean_text(text))
            for j, k in enumerate(self.ar_sparse.classes):
                out[i, col[arabic_subclass(k, norm)]] += coarse[i, j]
        return out

    def proba(self, texts: Sequence[str], langs: Sequence[str | None], *, fast: bool = False) -> np.ndarray:
        """Calibrated probabilities over :data:`HUMAID_CLASSES` for texts in any language (Arabic routed apart)."""
        out = np.zeros((len(texts), len(HUMAID_CLASSES)), dtype=np.float32)
        ar = [i for i, lang in enumerate(langs) if lang == "ar"]
        other = [i for i, lang in enumerate(langs) if lang != "ar"]
        if ar:
            out[ar] = self.arabic_proba([texts[i] for i in ar])
        if other:
            out[other] = self.english_proba([texts[i] for i in other], fast=fast)
        return out


def arabic_subclass(coarse: str, normalized_text: str) -> str:
    """The HumAID class inside a Kawarith coarse class, chosen by the first matching cue (else the default)."""
    for humaid, cues in KAWARITH_SUBCLASS_CUES.get(coarse, ()):
        if any(c in normalized_text for c in cues):
            return humaid
    return KAWARITH_TO_HUMAID[coarse][0]


def _reorder(p: np.ndarray, classes: tuple[str, ...]) -> np.ndarray:
    if classes == HUMAID_CLASSES:
        return p
    idx = [classes.index(c) for c in HUMAID_CLASSES]
    return p[:, idx]


def load_type_model(path: str | os.PathLike[str] | None = None, *, with_encoder: bool = True) -> TypeModel:
    """Load a type-model artifact (default: the one shipped in the package). Cached per path.

    Raises:
        ModelError: the artifact is missing or broken.
    """
    return _load(str(Path(path) if path else models_dir() / DEFAULT_MODEL), with_encoder)


@lru_cache(maxsize=4)
def _load(path_str: str, with_encoder: bool) -> TypeModel:
    path = Path(path_str)
    manifest_file = path / "manifest.json"
    if not manifest_file.is_file():
        raise ModelError(f"{path}: no model artifact here (manifest.json missing) — run `vigil train` to build one")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    encoder = None
    weight = float(manifest.get("encoder_weight", 0.0))
    if with_encoder and weight > 0 and (path / "encoder").is_dir():
        from .encoder import OnnxEncoder

        encoder = OnnxEncoder.load(path / "encoder")
    return TypeModel(name=f"{manifest['name']}.v{manifest['version']}", en_sparse=load_linear(path / "en_sparse"),
                     en_fast=load_linear(path / "en_fast"), ar_sparse=load_linear(path / "ar_sparse"),
                     encoder=encoder, encoder_weight=weight if encoder is not None else 0.0, manifest=manifest)
