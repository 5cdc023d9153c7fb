"""The siege-signal evaluation set: hand labels kept as ids, joined with the shared datasets at evaluation time.

``data/signals_eval/real.jsonl`` holds one line per real message: dataset, split, id, how it was sampled, and the
hand-assigned signals; the text stays in ``../shared/datasets`` (licence-restricted). ``synthetic.jsonl`` holds
messages written for this project (farewells are rare in real data), text included, always reported apart.
``blind.jsonl`` holds further real messages in the same form, drawn and labelled before the detector's second
revision; the third revision acted on its errors, so it is development data now, like ``real.jsonl``.
``blind2.jsonl`` (same form) was drawn and labelled before the third revision and held out for it; the fourth
revision acted on its errors, so it is development data now too. ``blind3.jsonl`` (same form) was drawn and labelled
before the fourth revision and held out for it; the plea gate (``siege_signals.v2``, then ``v3``) is trained on it,
so it is development data now too. ``blind4.jsonl`` (same form) was drawn and labelled before the plea gate existed
and was never used to train or tune the gate: the held-out figure of ``siege_signals.v2``'s first form; its errors
were read, so it is development data now. ``blind5.jsonl`` (same form) was drawn and labelled before the gate was
combined with co-signals and was the held-out set of that change; its errors were read and ``siege_signals.v3``
(plea-gate-3, trained on it, and two rule vetoes) acts on them, so it is development data now. ``blind6.jsonl``
(same form) was drawn and labelled before ``siege_signals.v3`` and was its held-out set; ``siege_signals.v4`` trains
on it, so it is development data now. ``blind7.jsonl`` (same form, plea labels adjudicated from two annotators) was
drawn and labelled before ``siege_signals.v4`` and is its held-out set. See
``data/signals_eval/README.md`` for the sampling and the labelling guide.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .data import datasets_dir, read_humaid, read_kawarith, read_table
from .signals import SIGNALS, detect_signals

__all__ = ["LabeledText", "default_eval_dir", "load_blind", "load_blind2", "load_blind3", "load_blind4", "load_blind5",
           "load_blind6", "load_blind7", "load_plea_agreement", "load_real", "load_synthetic", "score_signals"]


@dataclass(frozen=True)
class LabeledText:
    """One evaluation message: its key, text, gold signals and how it was sampled."""

    key: str
    text: str
    signals: frozenset[str]
    sample: str = ""


def default_eval_dir() -> Path:
    """``data/signals_eval`` in the repository."""
    return Path(__file__).resolve().parents[3] / "data" / "signals_eval"


_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _syria_text(raw: str) -> str:
    # the file stores tweets JSON-escaped (\u0627, \/ and \n); decode them so Arabic is Arabic again
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw).replace("\\/", "/").replace("\\n", "\n")


def _texts(dataset: str, root: Path) -> dict[str, str]:
    if dataset == "humaid":
        return {e.id: e.text for split in ("train", "dev") for e in read_humaid(split, root)}
    if dataset == "kawarith_ar":
        return {e.id: e.text for e in read_kawarith(root)}
    if dataset == "disaster_response":
        out = {}
        for name in ("train.csv", "validation.csv"):
            out.update({e.id: e.text for e in read_table(root / "disaster_response" / name, text_col="message",
                                                         label_col="split", id_col="id")})
        return out
    if dataset == "syria_tweets":
        with (root / "syria_tweets" / "twitterDB.csv").open(encoding="utf-8", newline="") as fp:
            return {str(i): _syria_text(row[0]) for i, row in enumerate(csv.reader(fp), start=1) if row}
    if dataset == "crisislex_t26":
        out = {}
        for f in sorted((root / "crisislex_t26").glob("*/*labeled.csv")):
            out.update({e.id: e.text for e in read_table(f, text_col="Tweet Text", label_col="Informativeness",
                                                         id_col="Tweet ID")})
        return out
    raise InputError(f"signals eval set: unknown dataset {dataset!r}")


def load_real(path: str | os.PathLike[str] | None = None, datasets: str | None = None) -> list[LabeledText]:
    """The real messages with their text joined from the shared datasets (ids missing there are skipped)."""
    p = Path(path) if path else default_eval_dir() / "real.jsonl"
    root = datasets_dir(datasets)
    rows = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    cache: dict[str, dict[str, str]] = {}
    out = []
    for r in rows:
        texts = cache.setdefault(r["dataset"], _texts(r["dataset"], root))
        if r["id"] in texts:
            out.append(LabeledText(f"{r['dataset']}:{r['id']}", texts[r["id"]], frozenset(r["signals"]),
                                   r.get("sample", "")))
    return out


def load_blind(path: str | os.PathLike[str] | None = None, datasets: str | None = None) -> list[LabeledText]:
    """The first blind set (``blind.jsonl``; development data since the third revision), joined like ``load_real``."""
    return load_real(Path(path) if path else default_eval_dir() / "blind.jsonl", datasets)


def load_blind2(path: str | os.PathLike[str] | None = None, datasets: str | None = None) -> list[LabeledText]:
    """The second blind set (``blind2.jsonl``; development data since the fourth revision), joined likewise."""
    return load_real(Path(path) if path else default_eval_dir() / "blind2.jsonl", datasets)


def load_blind3(path: str | os.PathLike[str] | None = None, datasets: str | None = None) -> list[LabeledText]:
    """The third blind set (``blind3.jsonl``; development data since the plea gate), joined like ``load_real``."""
    return load_real(Path(path) if path else default_eval_dir() / "blind3.jsonl", datasets)


def load_blind4(path: str | os.PathLike[str] | None = None, datasets: str | None = None) -> list[LabeledText]:
    """The held-out real messages (``blind4.jsonl``), text joined from the shared datasets like :func:`load_real`."""
    return load_real(Path(path) if path else default_eval_dir() / "blind4.jsonl", datasets)


def load_blind5(path: str | os.PathLike[str] | None = None, datasets: str | None = None) -> list[LabeledText]:
    """The fifth blind set (``blind5.jsonl``), held out for the gate's combination with co-signals; joined likewise."""
    return load_real(Path(path) if path else default_eval_dir() / "blind5.jsonl", datasets)


def load_blind6(path: str | os.PathLike[str] | None = None, datasets: str | None = None) -> list[LabeledText]:
    """The sixth blind set (``blind6.jsonl``), held out for plea-gate-3 and the rules' blind5 fixes; joined likewise."""
    return load_real(Path(path) if path else default_eval_dir() / "blind6.jsonl", datasets)


def load_blind7(path: str | os.PathLike[str] | None = None, datasets: str | None = None) -> list[LabeledText]:
    """The seventh blind set (``blind7.jsonl``; plea labels adjudicated), held out for ``siege_signals.v4``."""
    return load_real(Path(path) if path else default_eval_dir() / "blind7.jsonl", datasets)


def load_plea_agreement(path: str | os.PathLike[str] | None = None) -> dict[str, dict[str, tuple[bool, bool, bool]]]:
    """The double annotation of ``plea`` on blind5, blind6 and blind7 (``plea_agreement.jsonl``).

    Returns ``{set: {"dataset:id": (first, second, adjudicated)}}``: the first annotator's label, an independent
    second annotator's, and the adjudicated label (a third reader's call where the two disagree, else their common
    label). blind5's and blind6's own files hold the first label (they were double-annotated after their runs);
    blind7's holds the adjudicated one (declared as its measure before the draw).
    """
    p = Path(path) if path else default_eval_dir() / "plea_agreement.jsonl"
    out: dict[str, dict[str, tuple[bool, bool, bool]]] = {}
    for line in p.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.setdefault(r["set"], {})[f"{r['dataset']}:{r['id']}"] = (
                bool(r["plea_first"]), bool(r["plea_second"]), bool(r["plea_adjudicated"]))
    return out


def load_synthetic(path: str | os.PathLike[str] | None = None) -> list[LabeledText]:
    """The synthetic messages written for this project (text included)."""
    p = Path(path) if path else default_eval_dir() / "synthetic.jsonl"
    rows = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [LabeledText(r["id"], r["text"], frozenset(r["signals"]), "synthetic") for r in rows]


def score_signals(items: Iterable[LabeledText]) -> dict[str, Any]:
    """Precision, recall, support and predicted count per signal, plus the keys of the errors."""
    items = list(items)
    pred = [set(detect_signals(it.text).signals) for it in items]
    out: dict[str, Any] = {"n": len(items), "signals": {}}
    for s in SIGNALS:
        tp = sum(1 for it, p in zip(items, pred, strict=True) if s in p and s in it.signals)
        fp = [it.key for it, p in zip(items, pred, strict=True) if s in p and s not in it.signals]
        fn = [it.key for it, p in zip(items, pred, strict=True) if s not in p and s in it.signals]
        n_pred, support = tp + len(fp), tp + len(fn)
        out["signals"][s] = {"precision": round(tp / n_pred, 3) if n_pred else None,
                             "recall": round(tp / support, 3) if support else None,
                             "support": support, "predicted": n_pred, "false_positives": fp,
                             "false_negatives": fn}
    return out
