"""Score claim extraction against the hand-annotated gold set (``benchmarks/data/sitrep_gold.json``).

FA-KES articles are referenced by ``unit_id`` only; their text is read from the dataset CSV at run time (it is
not in the repository). Own articles are files in ``tests/fixtures/sitrep``. Metrics, each as precision /
recall over the articles of one split:

* ``counts (value)``: a predicted count matches a gold count with the same ``(low, high)``;
* ``counts + attribution``: same value and the right source: the first name of ``attributed_to`` matches the
  gold origin and every intermediary of the gold chain appears after it (see :func:`attribution_ok`);
* ``quotes + speaker``: the predicted quotation starts with the gold words and its speaker matches;
* ``statuses``: same object and status;
* ``counts + subject`` (only for gold counts annotated with a ``subject``, from round 3 on): same value and
  the same counted thing (see :func:`subject_ok`).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from ..arabic import fold
from ..message import Message, make_id
from .build import messages_from_paths
from .extract import Chooser, extract_claims
from .model import Claim
from .names import names_match

__all__ = ["Score", "attribution_ok", "evaluate", "load_fakes", "load_gold", "subject_ok"]

FAKES_DATE = datetime(2017, 1, 1, tzinfo=UTC)  # FA-KES rows carry no machine-readable date; one fixed time


@dataclass
class Score:
    """Matched, predicted and gold totals of one metric."""

    matched_pred: int = 0
    predicted: int = 0
    matched_gold: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched_pred / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    def add(self, matched: int, predicted: int, gold: int) -> None:
        self.matched_pred += matched
        self.matched_gold += matched
        self.predicted += predicted
        self.gold += gold


@dataclass
class Evaluation:
    """Scores per split and metric, and the per-article misses for inspection."""

    scores: dict[str, dict[str, Score]] = field(default_factory=dict)
    articles: dict[str, int] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)


def load_gold(path: str | Path) -> dict[str, Any]:
    """The gold file as a dict (``fakes`` and ``own`` lists)."""
    data: dict[str, Any] = orjson.loads(Path(path).read_bytes())
    return data


def load_fakes(csv_path: str | Path, unit_ids: Iterable[str]) -> dict[str, Message]:
    """FA-KES rows as titled Messages (source = outlet key), only those in ``unit_ids``."""
    wanted = set(unit_ids)
    out: dict[str, Message] = {}
    csv.field_size_limit(sys.maxsize)
    with open(csv_path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            uid = row.get("unit_id", "")
            if uid in wanted:
                out[uid] = fakes_message(row)
    return out


def fakes_message(row: dict[str, str]) -> Message:
    """One FA-KES row as a Message."""
    source = (row.get("source") or "fakes").strip()
    return Message(make_id(source, row["unit_id"]), source, "fakes", row["unit_id"], FAKES_DATE,
                   row.get("article_content") or "", title=row.get("article_title") or "", lang="en")


def attribution_ok(gold: Sequence[str], predicted: Sequence[str]) -> bool:
    """The predicted chain starts with the gold origin and contains the gold intermediaries after it."""
    if not gold or not predicted or not names_match(gold[0], predicted[0]):
        return False
    rest = list(predicted[1:])
    for name in gold[1:]:
        idx = next((i for i, p in enumerate(rest) if names_match(name, p)), None)
        if idx is None:
            return False
        rest = rest[idx + 1:]
    return True


def subject_ok(gold: str, claim: Claim) -> bool:
    """The claim counts what the gold subject names: its head word ("deaths" of "deaths (children)") starts the
    claim's subject, or (for other nouns: "villages", "raids") its first five letters occur in the subject or in
    the counted words as written."""
    head = fold(gold).split(" (")[0].strip()
    subject = fold(claim.subject or "")
    if head in ("deaths", "injured", "displaced", "people trapped", "evacuated", "detained", "missing"):
        return subject.startswith(head)
    stem = head.split()[0][:5] if head else ""
    return bool(stem) and (stem in subject or stem in fold(claim.counted or ""))


def _match(gold: list[Any], pred: list[Any], same: Any) -> int:
    used = [False] * len(pred)
    matched = 0
    for g in gold:
        for i, p in enumerate(pred):
            if not used[i] and same(g, p):
                used[i] = True
                matched += 1
                break
    return matched


def _starts(gold_words: str, quote: str | None) -> bool:
    q = fold(quote or "").lstrip(" \"'“«")
    return q.startswith(fold(gold_words))


def score_article(gold: dict[str, Any], claims: list[Claim], scores: dict[str, Score],
                  misses: list[dict[str, Any]] | None = None, name: str = "", *, with_subject: bool = False,
                  counts_only: bool = False) -> None:
    """Add one article's matches to ``scores`` (``with_subject``: its counts are annotated with subjects;
    ``counts_only``: its quotes and statuses are not annotated, so they are not scored)."""
    counts = [c for c in claims if c.kind == "count"]
    g_counts = gold.get("counts", [])
    n = _match(g_counts, counts, lambda g, p: (g["low"], g["high"]) == (p.value_low, p.value_high))
    scores["counts (value)"].add(n, len(counts), len(g_counts))
    n_att = _match(g_counts, counts, lambda g, p: (g["low"], g["high"]) == (p.value_low, p.value_high)
                   and attribution_ok(g["attributed_to"], p.attributed_to))
    scores["counts + attribution"].add(n_att, len(counts), len(g_counts))
    if with_subject:
        n_sub = _match(g_counts, counts, lambda g, p: (g["low"], g["high"]) == (p.value_low, p.value_high)
                       and subject_ok(g["subject"], p))
        scores.setdefault(SUBJECT_METRIC, Score()).add(n_sub, len(counts), len(g_counts))
    if counts_only:
        scores.pop("quotes + speaker", None)
        scores.pop("statuses", None)
    else:
        _score_quotes_statuses(gold, claims, scores)
    if misses is not None and (n_att < len(g_counts) or n_att < len(counts)):
        misses.append({"article": name, "gold": g_counts,
                       "predicted": [(c.value_low, c.value_high, list(c.attributed_to)) for c in counts]})


def _score_quotes_statuses(gold: dict[str, Any], claims: list[Claim], scores: dict[str, Score]) -> None:
    quotes = [c for c in claims if c.kind == "quote"]
    g_quotes = gold.get("quotes", [])
    nq = _match(g_quotes, quotes, lambda g, p: _starts(g["starts"], p.quote) and names_match(g["speaker"],
                                                                                             p.speaker or ""))
    scores["quotes + speaker"].add(nq, len(quotes), len(g_quotes))
    statuses = [c for c in claims if c.kind == "status"]
    g_status = gold.get("statuses", [])
    ns = _match(g_status, statuses, lambda g, p: (g["subject"], g["status"]) == (p.subject, p.status))
    scores["statuses"].add(ns, len(statuses), len(g_status))


METRICS = ("counts (value)", "counts + attribution", "quotes + speaker", "statuses")
SUBJECT_METRIC = "counts + subject"


def evaluate(gold_path: str | Path, fakes_csv: str | Path | None, *, root: str | Path = ".",
             splits: Collection[str] | None = None, choose: Chooser | None = None) -> Evaluation:
    """Score the extractor on the articles of the gold set, by split (``tune``, ``heldout1`` ...).

    ``splits`` limits the run to those splits: the articles of the others are not even extracted, so a
    held-out split can stay unseen while rules or the source ranker are developed on the rest. ``choose``
    picks the source of each count (default: the shipped ranker; see :func:`~vigil.sitrep.extract.extract_claims`).
    """
    gold = load_gold(gold_path)
    result = Evaluation()
    fakes = [a for a in gold.get("fakes", []) if splits is None or a["split"] in splits]
    messages = load_fakes(fakes_csv, [a["unit_id"] for a in fakes]) if fakes_csv else {}
    for art in fakes:
        msg = messages.get(art["unit_id"])
        if msg is None:
            continue
        _score_into(result, art, extract_claims(msg, choose=choose), f"fakes:{art['unit_id']}",
                    art["split"] in gold.get("subject_splits", []), art["split"] in gold.get("counts_only_splits", []))
    for art in gold.get("own", []):
        if splits is not None and art["split"] not in splits:
            continue
        path = Path(root) / art["file"]
        for msg in messages_from_paths([str(path)]):
            _score_into(result, art, extract_claims(msg, choose=choose), art["file"],
                        art["split"] in gold.get("subject_splits", []))
    return result


def _score_into(result: Evaluation, art: dict[str, Any], claims: list[Claim], name: str,
                with_subject: bool = False, counts_only: bool = False) -> None:
    split = art["split"]
    scores = result.scores.setdefault(split, {m: Score() for m in METRICS})
    result.articles[split] = result.articles.get(split, 0) + 1
    score_article(art, claims, scores, result.misses, name, with_subject=with_subject, counts_only=counts_only)
