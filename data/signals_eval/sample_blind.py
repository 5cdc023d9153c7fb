"""Draw the blind siege-signal set (data/signals_eval/blind.jsonl), seeded, from ../shared/datasets.

Run once, before the detector was revised for the second time:

    .venv/bin/python data/signals_eval/sample_blind.py --out data/signals_eval/blind.jsonl --texts /tmp/blind.txt

It writes the ids with an empty ``signals`` list (the annotator fills them in by hand) and, to a file outside the
repository, the texts in a shuffled order without the sampling reason, for labelling. Messages already in
real.jsonl are excluded. Slices per dataset: *keyword* (a loose list that is not the detector's patterns),
*random* (the rest), *plea_flag* / *farewell_flag* (messages the detector as of commit cc68272 flags, so that
its precision is measured on enough flags; only the flag is used, never a label).
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

SEED = 2027
DATASETS = ("humaid", "disaster_response", "syria_tweets", "kawarith_ar", "crisislex_t26")
# per dataset: keyword, random, plea_flag, farewell_flag (cap)
QUOTA = {"humaid": (35, 20, 30, 12), "disaster_response": (35, 20, 30, 12), "syria_tweets": (30, 15, 5, 6),
         "kawarith_ar": (45, 20, 15, 6), "crisislex_t26": (10, 10, 5, 4)}
KEYWORDS_EN = ["help", "please", "rescue", "trapped", "need", "save us", "goodbye", "last", "forgive", "farewell",
               "stuck", "urgent", "emergency", "bye", "pray", "dying"]
KEYWORDS_AR = ["اغيثونا", "انقذونا", "ساعدونا", "نداء", "استغاثة", "وداعا", "سامحونا", "مساعدة", "النجدة", "عاجل",
               "ارجو", "الحقونا", "اخر", "الوداع", "يا الله", "محتاجين", "ادعو"]
_KW = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in KEYWORDS_EN) + r")\b", re.IGNORECASE)
_KW_AR = [normalize_arabic(k) for k in KEYWORDS_AR]


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
    args = ap.parse_args()
    here = Path(__file__).resolve().parent
    taken = {(r["dataset"], r["id"]) for r in map(json.loads, (here / "real.jsonl").read_text().splitlines())}
    root = datasets_dir(None)
    rng = random.Random(SEED)
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
        n_kw, n_rand, n_plea, n_fw = QUOTA[ds]
        chosen: list[tuple[str, str]] = []
        used: set[str] = set()

        def draw(pool: list[str], k: int, why: str, chosen: list[tuple[str, str]] = chosen,
                 used: set[str] = used) -> None:
            pool = [i for i in pool if i not in used]
            for i in rng.sample(pool, min(k, len(pool))):
                used.add(i)
                chosen.append((i, why))

        flags = {i: set(detect_signals(corpus[i]).signals) for i in ids}
        draw([i for i in ids if "farewell" in flags[i]], n_fw, "farewell_flag")
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
    random.Random(SEED + 1).shuffle(texts)
    with open(args.texts, "w", encoding="utf-8") as fp:
        for key, t in texts:
            t = t.encode("utf-16", "surrogatepass").decode("utf-16", "replace")  # syria_tweets keeps emoji halves
            fp.write(json.dumps({"key": key, "text": t}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} messages", file=sys.stderr)


if __name__ == "__main__":
    main()
