"""The learned source ranker of counts: candidates, the shipped weights, and the training recipe."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigil.errors import ModelError
from vigil.message import Message
from vigil.sitrep.attribution import find_attributions
from vigil.sitrep.extract import extract_claims, rules_only
from vigil.sitrep.ranker import RANKER_FILE, RANKER_VERSION, Candidate, Ranker, count_candidates, load_ranker
from vigil.sitrep.train import REALISTIC, TRAIN_SPLITS, UNSEEN, VERSION, collect
from vigil.sitrep.train import main as train_main

ROOT = Path(__file__).resolve().parent.parent


def _msg(text: str, source: str = "sana") -> Message:
    return Message(f"{source}:1", source, "fakes", "1", datetime(2017, 1, 1, tzinfo=UTC), text, title="", lang="en")


def test_the_shipped_weights_are_plain_json_with_their_version() -> None:
    data = json.loads(RANKER_FILE.read_text(encoding="utf-8"))
    assert data["version"] == RANKER_VERSION
    assert data["weights"] and all(isinstance(v, float) for v in data["weights"].values())
    assert not set(UNSEEN) & set(data["trained_on"])  # the fresh held-out split is never trained on
    assert data["trained_on"] == list(TRAIN_SPLITS) and data["cv_folds"] == list(REALISTIC)
    ranker = load_ranker()
    assert ranker is not None and ranker.version == RANKER_VERSION == VERSION


def test_the_training_recipe_refuses_the_unseen_split(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"fakes": [], "own": []}), encoding="utf-8")
    with pytest.raises(ModelError, match="held out"):
        collect(gold, tmp_path / "none.csv", root=ROOT, splits=["tune", *UNSEEN])


def test_candidates_cover_rules_sentence_span_mentions_and_the_outlet() -> None:
    text = "SANA reporter in Aleppo said that 6 civilians were killed."
    atts = find_attributions(text)
    pos = text.index("6")
    cands = count_candidates(text, pos, [atts, [], []], ("Aleppo",), None, ("SANA",), "SANA", None, False,
                             lambda n: n, {})
    chains = [c.chain for c in cands]
    assert chains[0] == ("Aleppo",) and cands[0].features["rule"] == 1.0  # the rules' pick comes first
    assert ("SANA reporter",) in chains  # the subject as written, cut before the place
    assert ("SANA",) in chains
    assert all(c.features["bias"] == 1.0 for c in cands)


def test_the_ranker_picks_the_best_scoring_candidate_and_the_first_on_ties() -> None:
    a = Candidate(("A",), features={"bias": 1.0, "rule": 1.0})
    b = Candidate(("B",), features={"bias": 1.0, "src_default": 1.0})
    assert Ranker("t", {"src_default": 2.0}).choose([a, b]) is b
    assert Ranker("t", {}).choose([a, b]) is a


def test_counts_get_a_source_with_the_ranker_and_with_the_rules() -> None:
    msg = _msg("Shelling killed 45 people in Al-Jisr, medics said. SANA said 12 were wounded.")
    for choose in (None, rules_only):
        counts = [(c.value_low, c.attributed_to) for c in extract_claims(msg, choose=choose) if c.kind == "count"]
        assert counts == [(45, ("medics",)), (12, ("SANA",))]


def test_the_training_recipe_runs_and_writes_loadable_weights(tmp_path: Path) -> None:
    # a tiny gold set: one written FA-KES-like row per split plus the repository's own articles
    rows = [("9001", "Rebels shelled the town on Monday, killing 4 civilians, the Observatory said. "
                     "State TV said 7 soldiers were killed."),
            ("9002", "At least 12 people were killed in air strikes, activists said. The ministry said 3 "
                     "buses were hit.")]
    csv_path = tmp_path / "fakes.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["unit_id", "article_title", "article_content", "source"])
        for uid, text in rows:
            writer.writerow([uid, "", text, "sana"])
    gold = json.loads((ROOT / "benchmarks" / "data" / "sitrep_gold.json").read_text(encoding="utf-8"))
    fakes = [{"unit_id": "9001", "outlet": "sana", "split": "heldout2", "quotes": [], "statuses": [],
              "counts": [{"low": 4, "high": 4, "attributed_to": ["Syrian Observatory for Human Rights"]},
                         {"low": 7, "high": 7, "attributed_to": ["State TV"]}]},
             {"unit_id": "9002", "outlet": "sana", "split": "heldout3", "quotes": [], "statuses": [],
              "counts": [{"low": 12, "high": None, "attributed_to": ["activists"]},
                         {"low": 3, "high": 3, "attributed_to": ["ministry"]}]}]
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps({"fakes": fakes, "own": gold["own"]}), encoding="utf-8")
    out = tmp_path / "ranker.json"
    assert train_main(["--gold", str(gold_path), "--csv", str(csv_path), "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["version"] == VERSION and "rules" in data["cv_leave_one_split_out"]
    ranker = load_ranker(str(out))
    assert ranker is not None and ranker.weights
