"""Evaluation: accuracy, weighted/macro F1, per-class scores, confusion matrix, calibration error, throughput.

Implemented in numpy so that ``vigil eval`` needs no training libraries.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from .data import read_table
from .labels import HUMAID_CLASSES, HUMAID_TO_KAWARITH, KAWARITH_COARSE

__all__ = ["ClassificationReport", "EvalResult", "classification_report", "evaluate_file", "expected_calibration_error"]


def expected_calibration_error(proba: np.ndarray, gold: np.ndarray, bins: int = 15) -> float:
    """Top-label ECE: mean |confidence - accuracy| over equal-width confidence bins, weighted by bin size."""
    if len(gold) == 0:
        return 0.0
    conf = proba.max(axis=1)
    correct = (proba.argmax(axis=1) == gold).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in pairwise(edges):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            ece += mask.mean() * abs(conf[mask].mean() - correct[mask].mean())
    return float(ece)


@dataclass
class ClassificationReport:
    """Scores of predictions against gold labels.

    Attributes:
        classes: class names (rows/columns of ``confusion``).
        n: number of examples.
        accuracy, weighted_f1, macro_f1: the usual; macro averages over classes present in gold or predictions.
        per_class: class -> precision, recall, f1, support.
        confusion: ``confusion[i][j]`` = gold class i predicted as j.
        ece: expected calibration error of the top label (None without probabilities).
    """

    classes: tuple[str, ...]
    n: int
    accuracy: float
    weighted_f1: float
    macro_f1: float
    per_class: dict[str, dict[str, float]]
    confusion: list[list[int]]
    ece: float | None

    def summary(self) -> dict[str, Any]:
        """The headline figures, rounded."""
        return {"n": self.n, "accuracy": round(self.accuracy, 4), "weighted_f1": round(self.weighted_f1, 4),
                "macro_f1": round(self.macro_f1, 4), "ece": None if self.ece is None else round(self.ece, 4)}

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready."""
        return {**self.summary(), "classes": list(self.classes), "per_class": self.per_class,
                "confusion": self.confusion}


def classification_report(gold: Sequence[str], proba: np.ndarray | Sequence[str],
                          classes: Sequence[str]) -> ClassificationReport:
    """Score predictions (a probability matrix over ``classes``, or predicted labels) against ``gold``."""
    classes = tuple(classes)
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[g] for g in gold], dtype=np.int64)
    if isinstance(proba, np.ndarray) and proba.ndim == 2:
        pred = proba.argmax(axis=1)
        ece: float | None = expected_calibration_error(proba, y)
    else:
        pred = np.array([index[p] for p in proba], dtype=np.int64)
        ece = None
    k = len(classes)
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y, pred), 1)
    per: dict[str, dict[str, float]] = {}
    f1s, supports, used = [], [], []
    for i, c in enumerate(classes):
        tp = cm[i, i]
        p = tp / cm[:, i].sum() if cm[:, i].sum() else 0.0
        r = tp / cm[i].sum() if cm[i].sum() else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per[c] = {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
                  "support": int(cm[i].sum())}
        f1s.append(f)
        supports.append(cm[i].sum())
        used.append(cm[i].sum() > 0 or cm[:, i].sum() > 0)
    f1a, sup = np.array(f1s), np.array(supports, dtype=np.float64)
    n = len(y)
    return ClassificationReport(classes, n, float((pred == y).mean()) if n else 0.0,
                                float((f1a * sup).sum() / sup.sum()) if sup.sum() else 0.0,
                                float(f1a[np.array(used)].mean()) if any(used) else 0.0,
                                per, cm.tolist(), ece)


@dataclass
class EvalResult:
    """What ``vigil eval`` reports.

    Attributes:
        data: the evaluated file.
        model: the model name that produced the predictions.
        label_space: ``"humaid"`` or ``"kawarith"`` (Arabic coarse classes, predictions mapped back).
        report: the scores.
        seconds / messages_per_second: prediction time (language id, type) and throughput.
        skipped: rows whose gold label is not in the label space.
    """

    data: str
    model: str
    label_space: str
    report: ClassificationReport
    seconds: float
    messages_per_second: float
    skipped: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, the report flattened into the top level."""
        return {"data": self.data, "model": self.model, "label_space": self.label_space, **self.report.to_dict(),
                "seconds": round(self.seconds, 3), "messages_per_second": round(self.messages_per_second, 1),
                "skipped": self.skipped}


_KNOWN_COLUMNS = (("tweet_text", "class_label"), ("text", "kawarith_labels"), ("text", "label"),
                  ("message", "label"), ("text", "class_label"))


def _guess_columns(path: Path) -> tuple[str, str]:
    with path.open(encoding="utf-8") as fp:
        header = fp.readline()
    delim = "\t" if path.suffix.lower() in {".tsv", ".tab"} else ","
    cols = [c.strip() for c in header.rstrip("\r\n").split(delim)]
    for text_col, label_col in _KNOWN_COLUMNS:
        if text_col in cols and label_col in cols:
            return text_col, label_col
    raise InputError(f"{path}: cannot tell the text and label columns (columns: {', '.join(cols)}) — "
                     "pass --text-col and --label-col")


def evaluate_file(path: str | os.PathLike[str], *, text_col: str | None = None, label_col: str | None = None,
                  fast: bool = False, model_path: str | None = None) -> EvalResult:
    """Classify a labelled CSV/TSV file and score it.

    Gold labels that are HumAID classes are scored over the 10 classes. Kawarith labels (``|``-joined sets, as in
    ``kawarith_dev_events.tsv``) are scored on the coarse classes: the first coarse label is the gold one and the
    predicted HumAID class is mapped back to its Kawarith class (see :mod:`vigil.classify.labels`).

    Raises:
        InputError: unreadable file, unknown columns, or no row with a usable label.
    """
    from .pipeline import classify_texts

    p = Path(path)
    if text_col is None or label_col is None:
        guess_text, guess_label = _guess_columns(p) if p.is_file() else ("", "")
        text_col, label_col = text_col or guess_text, label_col or guess_label
    rows = list(read_table(p, text_col=text_col, label_col=label_col))
    labels = [r.label for r in rows]
    kawarith = any("|" in lab or lab in KAWARITH_COARSE for lab in labels) and not any(
        lab in HUMAID_CLASSES for lab in labels)
    if kawarith:
        gold_all = [next((x for x in lab.split("|") if x in KAWARITH_COARSE), None) for lab in labels]
    else:
        gold_all = [lab if lab in HUMAID_CLASSES else None for lab in labels]
    keep = [i for i, g in enumerate(gold_all) if g is not None]
    if not keep:
        raise InputError(f"{p}: no row has a HumAID or Kawarith label in column {label_col!r}")
    texts = [rows[i].text for i in keep]
    t0 = time.perf_counter()
    results = classify_texts(texts, fast=fast, model_path=model_path)
    seconds = time.perf_counter() - t0
    gold = [str(gold_all[i]) for i in keep]
    if kawarith:
        pred = [HUMAID_TO_KAWARITH.get(r.type, "none") for r in results]
        space = (*KAWARITH_COARSE, "emotional_support_and_prayers", "opinions_and_criticism", "none")
        probs = np.array([[sum(v for k, v in r.type_scores.items() if HUMAID_TO_KAWARITH.get(k, "none") == c)
                           for c in space] for r in results])
        report = classification_report(gold, probs if len(pred) else pred, space)
        # Only the coarse classes have gold examples; the macro F1 over classes never in gold nor predicted is
        # already excluded by classification_report.
    else:
        probs = np.array([[r.type_scores[c] for c in HUMAID_CLASSES] for r in results])
        report = classification_report(gold, probs, HUMAID_CLASSES)
    return EvalResult(str(p), results[0].model if results else "", "kawarith" if kawarith else "humaid", report,
                      seconds, len(texts) / seconds if seconds > 0 else 0.0, len(rows) - len(keep))
