"""Benchmark of ``vigil sitrep`` extraction: accuracy on the hand-annotated gold set and speed.

Run: ``.venv/bin/python benchmarks/sitrep.py`` (prints a Markdown section; ``run()`` returns it for
``make bench``). Needs ../shared/datasets/fakes_news/fakes_articles_dev.csv (FA-KES, CC BY 4.0) for the
FA-KES part; the own articles are in tests/fixtures/sitrep.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from vigil.sitrep.evaluate import (  # noqa: E402
    METRICS,
    SUBJECT_METRIC,
    Evaluation,
    evaluate,
    fakes_message,
    load_gold,
)
from vigil.sitrep.extract import extract_claims  # noqa: E402

GOLD = ROOT / "benchmarks" / "data" / "sitrep_gold.json"
COMMAND = ".venv/bin/python benchmarks/sitrep.py"
# The splits the benchmark extracts and scores; nothing else in the gold file is even extracted. A fresh held-out
# split is appended here (and named in HELD_OUT) only for its one run, at the end of a round.
SPLITS = ("tune", "heldout1", "heldout2", "heldout3", "heldout4", "heldout5", "train6", "heldout6", "heldout7",
          "heldout8", "heldout9")
HELD_OUT = "heldout9"  # the split no rule or ranker was developed on: its figures are the held-out result
HELD_OUT_ANNOTATION = "e10d0c1"  # the commit that fixed its annotation, before the extractor ran on it
HELD_OUT_RULES = "12a9f24"  # the rules and source ranker (source_ranker.v3) it was run on, once


def _fakes_csv() -> Path | None:
    for base in (ROOT.parent / "shared", ROOT / ".." / "shared", Path(os.environ.get("VIGIL_SHARED", "/nonexistent"))):
        path = base / "datasets" / "fakes_news" / "fakes_articles_dev.csv"
        if path.exists():
            return path
    return None


def _speed(csv_path: Path | None) -> tuple[float, int, int]:
    """Articles per second of extract_claims over the FA-KES dev file (or the own articles), without the rows of
    gold splits not in :data:`SPLITS`."""
    import csv

    if csv_path is not None:
        # the rows of gold splits not in SPLITS (a fresh held-out split awaiting its one run) are left out, so
        # that nothing extracts them before that run
        unrun = {a["unit_id"] for a in load_gold(GOLD).get("fakes", []) if a["split"] not in SPLITS}
        with open(csv_path, encoding="utf-8", newline="") as fh:
            messages = [fakes_message(row) for row in csv.DictReader(fh) if row.get("unit_id") not in unrun]
    else:
        from vigil.sitrep.build import messages_from_paths

        messages = list(messages_from_paths([str(ROOT / "tests" / "fixtures" / "sitrep")]))
    claims = 0
    start = time.perf_counter()
    rounds = 0
    while True:
        for msg in messages:
            claims += len(extract_claims(msg))
        rounds += 1
        if time.perf_counter() - start > 3.0 or rounds >= 5:
            break
    elapsed = time.perf_counter() - start
    return rounds * len(messages) / elapsed, len(messages), claims // rounds


def _posts_rate() -> tuple[float, int] | None:
    from vigil.sitrep.build import messages_from_paths

    data = ROOT / "examples" / "siege" / "data"
    if not data.is_dir():
        return None
    msgs = list(messages_from_paths([str(data / d) for d in ("x_v2", "telegram", "mastodon") if (data / d).exists()]))
    if not msgs:
        return None
    start = time.perf_counter()
    for msg in msgs:
        extract_claims(msg)
    return len(msgs) / (time.perf_counter() - start), len(msgs)


def table(result: Evaluation, splits: tuple[str, ...] = SPLITS) -> list[str]:
    """The score table of ``result`` as Markdown lines, one row per split and metric."""
    lines = ["| split | articles | metric | precision | recall | matched / predicted / gold |",
             "|---|---|---|---|---|---|"]
    for split in splits:
        scores = result.scores.get(split)
        if not scores:
            continue
        name = f"**{split}** (held out)" if split == HELD_OUT else split
        for metric in (*METRICS, SUBJECT_METRIC):
            if metric not in scores:
                continue
            s = scores[metric]
            lines.append(f"| {name} | {result.articles[split]} | {metric} | {s.precision:.2f} | {s.recall:.2f} | "
                         f"{s.matched_pred} / {s.predicted} / {s.gold} |")
    return lines


def _ranker_line() -> str:
    """The shipped source ranker's training record (its leave-one-split-out figures on the realistic folds)."""
    import json

    from vigil.sitrep.ranker import RANKER_FILE

    if not RANKER_FILE.exists():
        return "No source ranker installed: the rules choose every count's source."
    data = json.loads(RANKER_FILE.read_text(encoding="utf-8"))
    cv = data.get("cv_leave_one_split_out", {})
    chosen, rules = cv.get(data.get("setting", f"C={data['C']}")), cv.get("rules")
    text = (f"Count sources are chosen by `{data['version']}` (logistic regression over candidate sources, trained on "
            f"{', '.join(data['trained_on'])}; rebuild: `.venv/bin/python -m vigil.sitrep.train`).")
    if chosen and rules:
        text += (f" Leave-one-split-out counts + attribution pooled over {', '.join(data.get('cv_folds', []))} "
                 f"(setting {data.get('setting')}, chosen on those folds): ranker P {chosen['precision']:.3f} / "
                 f"R {chosen['recall']:.3f} ({chosen['matched']} / {chosen['predicted']} / {chosen['gold']}), "
                 f"rules alone P {rules['precision']:.3f} / R {rules['recall']:.3f} ({rules['matched']} / "
                 f"{rules['predicted']} / {rules['gold']}).")
    return text


def run() -> str:
    """The benchmark as a Markdown section."""
    csv_path = _fakes_csv()
    assert HELD_OUT in SPLITS, "the held-out row must be one of the splits run"
    result = evaluate(GOLD, csv_path, root=ROOT, splits=SPLITS)
    assert set(result.scores) <= set(SPLITS), "evaluate extracted a split outside SPLITS"
    held = result.scores.get(HELD_OUT, {}).get("counts + attribution")
    fakes = load_gold(GOLD).get("fakes", [])
    n_run = sum(1 for a in fakes if a["split"] in SPLITS)
    unrun = sorted({a["split"] for a in fakes if a["split"] not in SPLITS})
    unrun_note = (f"; {len(fakes) - n_run} more FA-KES articles ({', '.join(unrun)}) are in the file, not yet run"
                  if unrun else "")
    lines = ["## sitrep: claim extraction (counts, attribution, quotes, statuses)", "",
             f"Command: `{COMMAND}`. Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
             f"{platform.python_version()}, one process.", "",
             "Gold set: `benchmarks/data/sitrep_gold.json`, hand-annotated (one annotator per split, one pass; "
             f"up to `heldout8` the annotator also wrote the rules): {n_run} FA-KES articles run here (ids only, "
             "text read from ../shared) from 15 outlets plus "
             f"4 articles written for vigil (English and Arabic){unrun_note}. Each split was fixed, annotated and "
             "committed before the extractor ran on it (protocol in docs/sitrep.md#gold-set):",
             "",
             "* `tune`: rules developed on it from the start;",
             "* `heldout1`: first held-out run counts + attribution P 0.77 / R 0.71, quotes 0.33 / 0.33, statuses "
             "0.88 / 0.58; then used for rule round 2, so no longer held out;",
             "* `heldout2`: first run counts + attribution P 0.86 / R 0.77, quotes 0.50 / 0.29, statuses 1.00 / "
             "0.50; then used for rule round 3, so no longer held out;",
             "* `heldout3`: first run counts + attribution P 0.76 / R 0.68, quotes 0.57 / 0.50, statuses 0.86 / "
             "0.67; then used for rule round 4, so no longer held out;",
             "* `heldout4`: first run counts + attribution P 0.78 / R 0.70, quotes 0.83 / 0.83, statuses 0.50 / "
             "0.67; then used to train the source ranker (`source_ranker.v1`), so no longer held out;",
             "* `heldout5`: first run counts + attribution P 0.77 / R 0.68 (source_ranker.v1 = rules alone); then "
             "used to train source_ranker.v2, so no longer held out;",
             "* `train6`: 45 fresh articles annotated for counts only, training data of source_ranker.v2 and v3; no "
             "rule was tuned on it, so its figures are realistic for the rules but seen by the ranker;",
             "* `heldout6`: first run counts + attribution P 0.85 / R 0.70 (source_ranker.v2 = rules alone); then "
             "used for rule round 7, so no longer held out;",
             "* `heldout7`: first run counts + attribution P 0.79 / R 0.68 (source_ranker.v2 = rules alone); then "
             "used for rule round 8 and to train source_ranker.v3, so no longer held out;",
             "* `heldout8`: first run counts + attribution P 0.78 / R 0.71 (source_ranker.v3 = rules alone); then "
             "its errors were read and it trained the tried (not kept) source_ranker.v4, so no longer held out;",
             f"* **`heldout9`**: 27 articles from 10 outlets (600–6,000 characters), annotated and committed (commit "
             f"{HELD_OUT_ANNOTATION}) before the extractor or ranker ran on it, run once (rules and ranker at "
             f"{HELD_OUT_RULES}, the same extraction code as `heldout8`'s run): **the held-out figure**.",
             "",
             "Figures for `tune` to `heldout8` are after tuning on them and only show the rules fit "
             "the data they were written from. Before round 3, 10 gold attributions of the earlier splits were "
             "aligned with clarified annotation rules (descriptions of the Syrian Observatory name it; \"the source "
             "added\" takes its source) and one missed quotation was added (`revisions` in the gold file)."
             + ("" if csv_path else " **FA-KES CSV not found: own articles only.**"), ""]
    lines += table(result)
    lines += ["", _ranker_line()]
    rate, n, claims = _speed(csv_path)
    lines += ["", f"Speed: {rate:,.0f} articles/s ({n} articles, {claims} claims per pass, single core; target ≥ 50)."]
    posts = _posts_rate()
    if posts is not None:
        lines.append(f"The `claims.v1` stage on short posts (the demo's X, Telegram and Mastodon posts): "
                     f"{posts[0]:,.0f} "
                     f"posts/s over {posts[1]:,} posts.")
    verdict = ""
    if held is not None:
        met = held.precision >= 0.9 and held.recall >= 0.8
        verdict = (f" Held-out (`{HELD_OUT}`) counts + attribution: P {held.precision:.2f} / R {held.recall:.2f} — "
                   + ("target met." if met else "**below target**."))
    lines += ["", "Targets: counts + attribution precision ≥ 0.90 and recall ≥ 0.80 on the held-out split "
              f"(`{HELD_OUT}`); speed ≥ 50 articles/s." + verdict]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())
