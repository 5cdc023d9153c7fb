"""Scoring against a gold set: attribution chains, subjects, and splits left unseen."""

from __future__ import annotations

import json
from pathlib import Path

from vigil.sitrep.evaluate import attribution_ok, evaluate, subject_ok
from vigil.sitrep.model import Claim

ROOT = Path(__file__).resolve().parent.parent


def count(subject: str, counted: str = "") -> Claim:
    return Claim("x:1#1", "count", "", subject, ("Example Gazette",), "x:1", "2024-05-03T00:00:00Z",
                 value_low=3, value_high=3, counted=counted or None)


def test_attribution_ok_needs_the_origin_and_the_intermediaries_in_order() -> None:
    assert attribution_ok(["Syria Civil Defence", "Al Jazeera"], ["Syrian Civil Defence", "Al Jazeera", "BBC"])
    assert not attribution_ok(["Syria Civil Defence", "Al Jazeera"], ["Syria Civil Defence"])
    assert attribution_ok(["Police Command"], ["Police Command", "SANA"])
    assert not attribution_ok(["monitor"], ["Syrian Observatory for Human Rights"])


def test_subject_ok_compares_the_head_and_ignores_the_qualifier() -> None:
    assert subject_ok("deaths (children)", count("deaths"))
    assert subject_ok("deaths", count("deaths (fighters)"))
    assert not subject_ok("injured", count("deaths"))
    assert subject_ok("raids", count("airstrikes", "consecutive raids"))
    assert not subject_ok("villages", count("fighters", "fighters"))


def _gold(tmp_path: Path, splits: dict[str, str]) -> Path:
    files = {"tune": "tests/fixtures/sitrep/en_tune_convoy.txt",
             "held": "tests/fixtures/sitrep/en_heldout_hospital.txt"}
    own = [{"file": files[key], "split": split,
            "counts": [{"low": 37, "high": None, "attributed_to": ["local health office"], "subject": "deaths"},
                       {"low": 110, "high": 110, "attributed_to": ["local health office"], "subject": "deaths"}],
            "quotes": [], "statuses": []} for key, split in splits.items()]
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"fakes": [], "own": own, "subject_splits": ["held"]}), encoding="utf-8")
    return path


def test_evaluate_scores_only_the_splits_asked_for(tmp_path: Path) -> None:
    gold = _gold(tmp_path, {"tune": "tune", "held": "held"})
    both = evaluate(gold, None, root=ROOT)
    assert set(both.scores) == {"tune", "held"}
    only_tune = evaluate(gold, None, root=ROOT, splits=("tune",))
    assert set(only_tune.scores) == {"tune"}  # the held-out article was not even extracted


def test_subject_metric_only_for_subject_splits(tmp_path: Path) -> None:
    result = evaluate(_gold(tmp_path, {"tune": "tune", "held": "held"}), None, root=ROOT)
    assert "counts + subject" not in result.scores["tune"]
    held = result.scores["held"]
    assert held["counts + attribution"].matched_gold == 2
    # 110 were wounded, not killed: the value and source match, the subject does not
    assert held["counts + subject"].matched_gold == 1
