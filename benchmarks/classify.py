"""Classifier benchmark: accuracy on HumAID dev and Kawarith, urgency ranking, siege signals, speed, memory.

Standalone: ``python benchmarks/classify.py [--datasets ../shared/datasets] [--limit N]``. Needs the shared
datasets beside the repository; without them it returns a short section saying so. Speed is measured in the same
run for a TF-IDF word 1-2-gram + LinearSVC baseline (trained here on HumAID train), the fast path, the sparse
path and, when the shipped artifact has one, the accurate path (ONNX encoder + sparse ensemble).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _machine import cpu_name, load_average

COMMAND = "python benchmarks/classify.py"


def _machine() -> str:
    return (f"{cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load_average():.1f} at start")


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _rate(fn: Callable[[], Any], n: int, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return n / best


def _row(name: str, s: dict[str, Any], rate: float | None = None, base: float | None = None) -> str:
    speed = "" if rate is None else f"{rate:,.0f}"
    ratio = "" if rate is None or not base else f"{rate / base:.2f}×"
    ece = "" if s.get("ece") is None else f"{s['ece']:.3f}"
    return (f"| {name} | {s['n']} | {s['accuracy']:.3f} | {s['weighted_f1']:.3f} | {s['macro_f1']:.3f} | {ece} | "
            f"{speed} | {ratio} |")


def _auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    order = s.argsort(kind="mergesort")
    ranks = np.empty(len(s))
    # average ranks for ties
    sorted_s = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = y.sum()
    neg = len(y) - pos
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg)) if pos and neg else float("nan")


URGENT_COLUMNS = ("request", "search_and_rescue", "medical_help", "death", "missing_people")


def run(datasets: str | None = None, limit: int | None = None) -> str:
    """Run every measurement and return the markdown section."""
    from vigil.classify.data import datasets_dir, read_humaid, read_table
    from vigil.classify.evaluate import classification_report
    from vigil.classify.labels import HUMAID_CLASSES
    from vigil.classify.model import load_type_model, models_dir
    from vigil.classify.pipeline import classify_texts
    from vigil.classify.signals_eval import (
        load_blind,
        load_blind2,
        load_blind3,
        load_blind4,
        load_blind5,
        load_blind6,
        load_blind7,
        load_real,
        load_synthetic,
        score_signals,
    )
    from vigil.classify.train import dev_halves
    from vigil.errors import InputError

    out = ["## Classifier (`vigil classify`)", "", f"Command: `{COMMAND}`. Machine: {_machine()}.", ""]
    try:
        root = datasets_dir(datasets)
    except InputError as exc:
        return "\n".join([*out, f"Skipped: {exc}", ""])
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    sparse = load_type_model(with_encoder=False)
    load_sparse = time.perf_counter() - t0
    rss_sparse = _rss_mb()
    t0 = time.perf_counter()
    full = load_type_model()
    load_full = time.perf_counter() - t0
    rss_full = _rss_mb()
    manifest = full.manifest
    dev = read_humaid("dev", root)
    if limit:
        dev = dev[:limit]
    _, report = dev_halves(dev)
    texts, gold = [e.text for e in dev], [e.label for e in dev]
    rtexts, rgold = [e.text for e in report], [e.label for e in report]

    # the published-style baseline, trained in this run so that its speed is measured on the same machine state
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    train = read_humaid("train", root)
    tf = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    svc = LinearSVC(C=0.5, random_state=13).fit(tf.fit_transform([e.text for e in train]), [e.label for e in train])
    base_pred = list(svc.predict(tf.transform(texts)))
    base_rate = _rate(lambda: svc.predict(tf.transform(texts)), len(texts))
    rows = ["| path | n | accuracy | weighted F1 | macro F1 | ECE | msg/s (type only) | vs baseline |",
            "|---|---|---|---|---|---|---|---|",
            _row("TF-IDF 1-2 + LinearSVC baseline (dev)", classification_report(gold, base_pred, HUMAID_CLASSES)
                 .summary(), base_rate, base_rate)]
    paths: list[tuple[str, Callable[[Sequence[str]], np.ndarray]]] = [
        ("fast (`--fast`, en_fast)", lambda t: sparse.english_proba(t, fast=True)),
        ("sparse (en_sparse)", lambda t: sparse.english_proba(t))]
    if full.encoder is not None:
        paths.append((f"accurate (encoder + sparse, w={full.encoder_weight:.2f})", lambda t: full.english_proba(t)))
    rates: dict[str, float] = {}
    for name, fn in paths:
        p = fn(texts)
        rates[name] = _rate(lambda fn=fn: fn(texts), len(texts), repeat=2 if "accurate" in name else 3)
        rows.append(_row(f"{name}, dev", classification_report(gold, p, HUMAID_CLASSES).summary(), rates[name],
                         base_rate))
        rows.append(_row(f"{name}, dev-report half", classification_report(rgold, fn(rtexts), HUMAID_CLASSES)
                         .summary()))
    full_rate = _rate(lambda: classify_texts(texts[:2000]), min(2000, len(texts)), repeat=1)
    fast_full_rate = _rate(lambda: classify_texts(texts[:2000], fast=True), min(2000, len(texts)), repeat=1)
    out += ["### HumAID type (English), dev split", "",
            "HumAID dev (7,793 tweets) is split by a hash of the tweet id: temperatures and the ensemble weight were "
            "chosen on the *choose* half; the *report* half was never used to choose anything. The official test "
            "split is not available here.", "", *rows, "",
            f"Whole pipeline (language id + type + signals + urgency) on 2,000 dev tweets: "
            f"{fast_full_rate:,.0f} msg/s with `--fast`, {full_rate:,.0f} msg/s default.", "",
            "Published on the HumAID **test** split, weighted F1 (Alam et al. 2021, Table 7): RF .707, SVM .731, "
            "fastText .744, BERT .758, DistilBERT .758, RoBERTa-large .760, XLM-R .758.", ""]

    metrics = json.loads((models_dir() / "humaid-1" / "metrics.json").read_text(encoding="utf-8"))
    ar_rows = ["| held-out event | n | accuracy | weighted F1 | macro F1 | ECE | | |",
               "|---|---|---|---|---|---|---|---|"]
    for key in sorted(k for k in metrics if k.startswith("ar_sparse/loeo/") and not k.endswith("detail")):
        ar_rows.append(_row(key.rsplit("/", 1)[1], metrics[key]))
    kaw = list(read_table(root / "kawarith_ar" / "kawarith_dev_events.tsv", text_col="text",
                          label_col="kawarith_labels"))
    ar_texts = [e.text for e in kaw][: limit or None]
    ar_rate = _rate(lambda: sparse.arabic_proba(ar_texts), len(ar_texts))
    out += ["### Arabic (Kawarith coarse classes, leave-one-event-out)", "",
            "Each event is scored by a model trained on the other three (the shipped model is trained on all "
            "four); predictions are HumAID classes mapped back to Kawarith's coarse classes.", "", *ar_rows, "",
            f"Arabic type model speed: {ar_rate:,.0f} msg/s.", ""]

    # urgency against Disaster Response Messages (official validation split)
    dr = list(_read_dr(root / "disaster_response" / "validation.csv"))
    if limit:
        dr = dr[:limit]
    res = classify_texts([t for t, _ in dr])
    scores = [r.urgency_score for r in res]
    urgent = [u for _, u in dr]
    order = np.argsort(scores)[::-1]
    prec = {k: float(np.mean([urgent[i] for i in order[:k]])) for k in (50, 100, 200) if k <= len(order)}
    levels = {lvl: [u for r, u in zip(res, urgent, strict=True) if r.urgency == lvl]
              for lvl in ("critical", "high", "medium", "low")}
    out += ["### Urgency vs Disaster Response Messages (validation, 2,337 messages)", "",
            f"A message counts as urgent when annotators marked any of {', '.join(URGENT_COLUMNS)} "
            f"({sum(urgent)} of {len(urgent)}, base rate {np.mean(urgent):.3f}).", "",
            f"- ROC AUC of the urgency score: **{_auc(scores, urgent):.3f}**",
            "- precision at top-k: " + ", ".join(f"P@{k} {v:.2f}" for k, v in prec.items()),
            "- share urgent by level: " + ", ".join(
                f"{lvl} {np.mean(v):.2f} (n={len(v)})" if v else f"{lvl} - (n=0)" for lvl, v in levels.items()), ""]

    real, syn = score_signals(load_real(datasets=str(root))), score_signals(load_synthetic())
    blind = score_signals(load_blind(datasets=str(root)))
    blind2 = score_signals(load_blind2(datasets=str(root)))
    blind3 = score_signals(load_blind3(datasets=str(root)))
    blind4 = score_signals(load_blind4(datasets=str(root)))
    blind5 = score_signals(load_blind5(datasets=str(root)))
    blind6 = score_signals(load_blind6(datasets=str(root)))
    held_items = load_blind7(datasets=str(root))
    held = score_signals(held_items)
    sets = [("held-out (blind7)", held), ("blind6 (dev)", blind6), ("blind5 (dev)", blind5), ("blind4 (dev)", blind4),
            ("blind3 (dev)", blind3), ("blind2 (dev)", blind2), ("blind (dev)", blind), ("real (dev)", real),
            ("synthetic", syn)]
    sig_rows = ["| signal | " + " | ".join(f"{n} P | {n} R | {n} support / flagged" for n, _ in sets) + " |",
                "|---" * (1 + 3 * len(sets)) + "|"]

    def f(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}"

    for s in real["signals"]:
        cells = [f"{f(r['signals'][s]['precision'])} | {f(r['signals'][s]['recall'])} | "
                 f"{r['signals'][s]['support']} / {r['signals'][s]['predicted']}" for _, r in sets]
        sig_rows.append(f"| {s} | " + " | ".join(cells) + " |")
    out += ["### Siege signals (hand-labelled sets, data/signals_eval)", "",
            f"Detector `siege_signals.v4` (rules + the trained plea gate plea-gate-4 + the life cue above the gate's "
            f"floor). *held out* (blind7.jsonl): {held['n']} real messages drawn and labelled before plea-gate-4, "
            f"never used to train or tune it, plea labels from two annotators adjudicated (enriched: 105 of them "
            f"drawn among the rules' plea flags, see its README); *blind6 (dev)*: {blind6['n']}, held out for "
            f"plea-gate-3, training data of plea-gate-4 with its adjudicated plea labels (the table scores its "
            f"file's first-annotator labels); *blind5 (dev)*: {blind5['n']}, held out for plea-gate-2; "
            f"*blind4 (dev)*: {blind4['n']}, held out for plea-gate-1; "
            f"*blind3 (dev)*: {blind3['n']}, held out for the fourth rule revision, training data of the gate; "
            f"*blind2 (dev)*: {blind2['n']} real messages, "
            f"held out for the third revision, development data since the fourth acted on its errors; "
            f"*blind (dev)*: {blind['n']}, held out for the second revision; *real (dev)*: {real['n']} real "
            f"messages the patterns were first revised on (EN + AR; all eight sets ids + labels in the repo, text "
            f"joined from shared/); {syn['n']} synthetic ones written for vigil (reported apart). '-' = nothing "
            f"flagged (precision) or nothing to find (recall).", "",
            *sig_rows, "", _signal_target(held), "", *_plea_agreement(held_items), ""]

    out += demo_section()
    out += ["### Loading and memory", "",
            f"- artifact `{manifest['name']}.v{manifest['version']}` on disk: "
            f"{sum(f.stat().st_size for f in (models_dir() / 'humaid-1').rglob('*') if f.is_file()) / 1e6:.1f} MB",
            f"- load: sparse components {load_sparse:.2f} s"
            + (f", encoder + sparse {load_full:.2f} s" if full.encoder is not None else " (no encoder shipped)"),
            f"- resident memory: {rss0:.0f} MB before, {rss_sparse:.0f} MB with the sparse components, "
            f"{rss_full:.0f} MB with the encoder; {_rss_mb():.0f} MB at the end of the run (baseline included)", ""]
    return "\n".join(out)


def _signal_target(held: dict[str, Any]) -> str:
    """The issue's signal target against the held-out set, with three decimals (.896 must not read as .90)."""
    parts = []
    for name in ("farewell", "plea"):
        r = held["signals"][name]
        if r["predicted"] == 0:
            parts.append(f"{name}: nothing flagged, {r['support']} in the set (not measurable)")
            continue
        correct = round(r["precision"] * r["predicted"])
        verdict = "met" if r["precision"] >= 0.9 else "**below target**"
        parts.append(f"{name}: precision {r['precision']:.3f} ({correct} / {r['predicted']} flags), recall "
                     f"{r['recall']:.2f} (support {r['support']}) — {verdict}")
    return ("Target (issue 6): farewell and plea precision ≥ 0.90 on held-out real data. Held-out: "
            + "; ".join(parts) + ".")


def _plea_agreement(items: list[Any]) -> list[str]:
    """The detector's plea precision / recall on blind7 against each annotation of the double-annotated set."""
    from vigil.classify.signals import detect_signals
    from vigil.classify.signals_eval import load_plea_agreement

    labels = load_plea_agreement()["blind7"]
    flagged = {it.key for it in items if "plea" in detect_signals(it.text).signals}
    keys = [it.key for it in items]
    rows = ["| blind7 plea labels | detector P | detector R | correct / flagged, support |", "|---|---|---|---|"]
    for i, name in enumerate(("annotator A", "annotator B", "adjudicated (the set's file; the declared measure)")):
        gold = {k for k in keys if labels[k][i]}
        tp = len(flagged & gold)
        rows.append(f"| {name} | {tp / len(flagged):.3f} | {tp / len(gold):.3f} | {tp} / {len(flagged)}, "
                    f"{len(gold)} |")
    agree = sum(labels[k][0] == labels[k][1] for k in keys)
    return ["Plea labels of blind7, double-annotated before its run (`data/signals_eval/plea_agreement.jsonl`; the "
            f"two annotators agree on {agree} of {len(keys)} messages, a third reader decided the rest):", "", *rows]


def demo_section() -> list[str]:
    """Farewells and pleas flagged in the synthetic demo scenario vs the phrasings its generator planted."""
    from vigil.classify.io import load_messages
    from vigil.classify.pipeline import classify_messages
    from vigil.demo import demo_data_dir
    from vigil.readers import iter_input_files

    data = demo_data_dir()
    truth_file = data.parent / "truth.json"
    if not truth_file.is_file():
        return []
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    phrases = [p.lower() for p in truth.get("farewell_phrasings", {}).get("counts", {})]
    plea_words = [p for p in phrases if "أنقذونا" in p]
    farewell_words = [p for p in phrases if p not in plea_words]
    msgs = []
    for f in iter_input_files([str(data)]):
        try:
            msgs += load_messages(f)[0]
        except Exception:  # a file no reader knows (e.g. voicemail audio notes) is not part of this check
            continue
    res = classify_messages(msgs, fast=True)
    lines = ["### Demo scenario (synthetic siege, examples/siege)", "",
             f"{len(msgs)} messages read from {data}; planted phrasings from truth.json.", "",
             "| signal | messages with a planted phrasing | flagged | flagged among them | flagged elsewhere |",
             "|---|---|---|---|---|"]
    for name, words in (("farewell", farewell_words), ("plea", plea_words)):
        planted = {m.id for m in msgs if any(w in m.text.lower() for w in words)}
        flagged = {r.id for r in res if name in r.signals}
        lines.append(f"| {name} | {len(planted)} | {len(flagged)} | {len(planted & flagged)} | "
                     f"{len(flagged - planted)} |")
    return [*lines, "", "*flagged elsewhere* counts other farewells and pleas the scenario contains (its phrasing "
            "list is not exhaustive) as well as false alarms.", ""]


def _read_dr(path: Path) -> Any:
    import csv

    with path.open(encoding="utf-8", newline="") as fp:
        for row in csv.DictReader(fp):
            yield row["message"], any(row.get(c) == "1" for c in URGENT_COLUMNS)


def main() -> None:
    """Print the section (``--out FILE`` writes it too)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--datasets", default=None)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    text = run(a.datasets, a.limit)
    print(text)
    if a.out:
        a.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
