"""Draw a held-out siege-signal set from ../shared/datasets, seeded.

Round 1 (blind.jsonl, seed 2027, detector as of commit cc68272; now development data):

    .venv/bin/python data/signals_eval/sample_blind.py --round 1 --out data/signals_eval/blind.jsonl \
        --texts /tmp/b.txt

Round 2 (blind2.jsonl, seed 2028, detector as of commit de61626, before the third revision):

    .venv/bin/python data/signals_eval/sample_blind.py --round 2 --out data/signals_eval/blind2.jsonl \
        --texts /tmp/b2.txt

Round 3 (blind3.jsonl, seed 2029, detector as of commit 721502b, before the fourth revision):

    .venv/bin/python data/signals_eval/sample_blind.py --round 3 --out data/signals_eval/blind3.jsonl \
        --texts /tmp/b3.txt

Round 4 (blind4.jsonl, seed 2030, detector as of commit f415d43 — the fourth rule revision, 24e350b — before the
trained plea gate):

    .venv/bin/python data/signals_eval/sample_blind.py --round 4 --out data/signals_eval/blind4.jsonl \
        --texts /tmp/b4.txt

Round 7 (blind7.jsonl, seed 2033, rules of commit c7753db — siege_signals.v3's rules — before any change acting on
the blind6 errors; labelled by two annotators independently and adjudicated, the adjudicated labels declared as the
measure before the draw):

    .venv/bin/python data/signals_eval/sample_blind.py --round 7 --out data/signals_eval/blind7.jsonl \
        --texts /tmp/b7.txt

Round 6 (blind6.jsonl, seed 2032, rules of commit 37b1e47 — siege_signals.v2's rules, unchanged since blind5 —
before any change acting on the blind5 errors; the plea_flag slice is the rules' candidates, larger than before):

    .venv/bin/python data/signals_eval/sample_blind.py --round 6 --out data/signals_eval/blind6.jsonl \
        --texts /tmp/b6.txt

Round 5 (blind5.jsonl, seed 2031, rules of commit 8b3e7a4 — the fourth rule revision, 24e350b, unchanged —
before the plea gate's combination with co-signals; the plea_flag slice is drawn from the rules' flags, without
the gate, as in round 4):

    .venv/bin/python data/signals_eval/sample_blind.py --round 5 --out data/signals_eval/blind5.jsonl \
        --texts /tmp/b5.txt

It writes the ids with an empty ``signals`` list (the annotator fills them in by hand) and, to a file outside the
repository, the texts in a shuffled order without the sampling reason, for labelling. Messages already in the
earlier sets are excluded. Slices per dataset: *keyword* (a loose list that is not the detector's patterns),
*random* (the rest), *plea_flag* / *farewell_flag* (messages the detector of the time flags, so that its precision
is measured on enough flags; only the flag is used, never a label) and, in round 2 (when the detector flagged no
farewell left outside the earlier sets), *farewell_kw* (a loose list of leave-taking words, not the patterns).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from vigil.classify.arabic_norm import normalize_arabic  # noqa: E402
from vigil.classify.data import datasets_dir, read_humaid, read_table  # noqa: E402
from vigil.classify.signals import detect_signals  # noqa: E402
from vigil.classify.signals_eval import _texts  # noqa: E402

DATASETS = ("humaid", "disaster_response", "syria_tweets", "kawarith_ar", "crisislex_t26")
# per round: seed, the sets whose ids are excluded, and per dataset the quota of keyword, random, plea_flag,
# farewell_flag (a cap: all there are when fewer) and farewell_kw messages
ROUNDS: dict[int, tuple[int, tuple[str, ...], dict[str, tuple[int, int, int, int, int]]]] = {
    1: (2027, ("real.jsonl",), {"humaid": (35, 20, 30, 12, 0), "disaster_response": (35, 20, 30, 12, 0),
                                "syria_tweets": (30, 15, 5, 6, 0), "kawarith_ar": (45, 20, 15, 6, 0),
                                "crisislex_t26": (10, 10, 5, 4, 0)}),
    2: (2028, ("real.jsonl", "blind.jsonl"), {"humaid": (30, 15, 30, 50, 12),
                                              "disaster_response": (30, 15, 25, 50, 12),
                                              "syria_tweets": (25, 10, 10, 50, 6),
                                              "kawarith_ar": (45, 15, 10, 50, 10),
                                              "crisislex_t26": (10, 10, 8, 50, 6)}),
    3: (2029, ("real.jsonl", "blind.jsonl", "blind2.jsonl"), {"humaid": (30, 15, 30, 50, 8),
                                                              "disaster_response": (30, 15, 30, 50, 8),
                                                              "syria_tweets": (25, 10, 10, 50, 3),
                                                              "kawarith_ar": (45, 15, 10, 50, 5),
                                                              "crisislex_t26": (10, 10, 10, 50, 5)}),
    4: (2030, ("real.jsonl", "blind.jsonl", "blind2.jsonl", "blind3.jsonl"),
        {"humaid": (30, 15, 30, 50, 8), "disaster_response": (30, 15, 30, 50, 8), "syria_tweets": (25, 10, 10, 50, 3),
         "kawarith_ar": (45, 15, 10, 50, 5), "crisislex_t26": (10, 10, 10, 50, 5)}),
    5: (2031, ("real.jsonl", "blind.jsonl", "blind2.jsonl", "blind3.jsonl", "blind4.jsonl"),
        {"humaid": (30, 15, 30, 50, 8), "disaster_response": (30, 15, 30, 50, 8), "syria_tweets": (25, 10, 10, 50, 3),
         "kawarith_ar": (45, 15, 10, 50, 5), "crisislex_t26": (10, 10, 10, 50, 5)}),
    # round 6: a larger plea_flag slice, so that the plea precision is measured on more flags
    6: (2032, ("real.jsonl", "blind.jsonl", "blind2.jsonl", "blind3.jsonl", "blind4.jsonl", "blind5.jsonl"),
        {"humaid": (30, 15, 45, 50, 8), "disaster_response": (30, 15, 45, 50, 8), "syria_tweets": (25, 10, 10, 50, 3),
         "kawarith_ar": (45, 15, 10, 50, 5), "crisislex_t26": (10, 10, 15, 50, 5)}),
    # round 7: double-annotated (two annotators + adjudication, the declared labels); plea_flag as in round 6
    7: (2033, ("real.jsonl", "blind.jsonl", "blind2.jsonl", "blind3.jsonl", "blind4.jsonl", "blind5.jsonl",
               "blind6.jsonl"),
        {"humaid": (30, 15, 45, 50, 8), "disaster_response": (30, 15, 45, 50, 8), "syria_tweets": (25, 10, 10, 50, 3),
         "kawarith_ar": (45, 15, 10, 50, 5), "crisislex_t26": (10, 10, 15, 50, 5)}),
}
KEYWORDS_EN = ["help", "please", "rescue", "trapped", "need", "save us", "goodbye", "last", "forgive", "farewell",
               "stuck", "urgent", "emergency", "bye", "pray", "dying"]
KEYWORDS_AR = ["اغيثونا", "انقذونا", "ساعدونا", "نداء", "استغاثة", "وداعا", "سامحونا", "مساعدة", "النجدة", "عاجل",
               "ارجو", "الحقونا", "اخر", "الوداع", "يا الله", "محتاجين", "ادعو"]
_KW = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in KEYWORDS_EN) + r")\b", re.IGNORECASE)
_KW_AR = [normalize_arabic(k) for k in KEYWORDS_AR]
# round 2: leave-taking words, looser than the detector's farewell patterns (which flag none of the messages left)
FAREWELL_EN = ["goodbye", "good bye", "farewell", "bye", "last tweet", "last message", "last words", "last moment",
               "forgive", "will die", "going to die", "remember me", "remember us", "never see"]
FAREWELL_AR = ["وداعا", "الوداع", "سامحونا", "سامحني", "سامحوني", "لا تنسونا", "ادعولنا", "ادعوا لنا", "اخر رسالة",
               "اخر تغريدة", "استودعكم", "حللوني", "سنموت", "نموت", "نودع", "اودع"]
_FW = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in FAREWELL_EN) + r")\b", re.IGNORECASE)
_FW_AR = [normalize_arabic(k) for k in FAREWELL_AR]


def _farewell_kw(text: str) -> bool:
    if _FW.search(text):
        return True
    norm = normalize_arabic(text)
    return any(k in norm for k in _FW_AR)


def _loose(text: str) -> bool:
    if _KW.search(text):
        return True
    norm = normalize_arabic(text)
    return any(k in norm for k in _KW_AR)


def _first_split_ids(ds: str, root: Path) -> set[str]:
    if ds == "humaid":
        return {e.id for e in read_humaid("train", root)}
    if ds == "disaster_response":
        return {e.id for e in read_table(root / ds / "train.csv", text_col="message", label_col="split", id_col="id")}
    return set()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--texts", required=True)
    ap.add_argument("--round", type=int, choices=sorted(ROUNDS), default=7)
    args = ap.parse_args()
    seed, exclude, quota = ROUNDS[args.round]
    here = Path(__file__).resolve().parent
    taken = {(r["dataset"], r["id"]) for f in exclude for r in map(json.loads, (here / f).read_text().splitlines())}
    root = datasets_dir(None)
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    texts: list[tuple[str, str]] = []
    for ds in DATASETS:
        corpus = _texts(ds, root)
        seen_text: set[str] = set()
        ids = []
        for i, t in sorted(corpus.items()):  # sorted: the draw does not depend on file order
            key = t.strip().lower()
            if (ds, i) in taken or not t.strip() or key in seen_text:
                continue
            seen_text.add(key)
            ids.append(i)
        n_kw, n_rand, n_plea, n_fw, n_fw_kw = quota[ds]
        chosen: list[tuple[str, str]] = []
        used: set[str] = set()

        def draw(pool: list[str], k: int, why: str, chosen: list[tuple[str, str]] = chosen,
                 used: set[str] = used) -> None:
            pool = [i for i in pool if i not in used]
            for i in rng.sample(pool, min(k, len(pool))):
                used.add(i)
                chosen.append((i, why))

        # the rules' flags (no plea gate): rounds 1-4 predate the gate, rounds 5-7 measure the rules' candidates
        flags = {i: set(detect_signals(corpus[i], gate=False).signals) for i in ids}
        draw([i for i in ids if "farewell" in flags[i]], n_fw, "farewell_flag")
        draw([i for i in ids if _farewell_kw(corpus[i])], n_fw_kw, "farewell_kw")
        draw([i for i in ids if "plea" in flags[i]], n_plea, "plea_flag")
        draw([i for i in ids if _loose(corpus[i])], n_kw, "keyword")
        draw([i for i in ids if not _loose(corpus[i])], n_rand, "random")
        first = _first_split_ids(ds, root)
        for i, why in chosen:
            split = {"humaid": ("train", "dev"), "disaster_response": ("train", "validation")}.get(ds, ("all", "all"))
            rows.append({"dataset": ds, "split": split[0] if i in first else split[1], "id": i, "sample": why,
                         "signals": []})
            texts.append((f"{ds}:{i}", corpus[i]))
    Path(args.out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    random.Random(seed + 1).shuffle(texts)
    with open(args.texts, "w", encoding="utf-8") as fp:
        for key, t in texts:
            t = t.encode("utf-16", "surrogatepass").decode("utf-16", "replace")  # syria_tweets keeps emoji halves
            fp.write(json.dumps({"key": key, "text": t}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} messages", file=sys.stderr)


if __name__ == "__main__":
    main()
