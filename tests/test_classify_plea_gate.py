"""The trained plea gate: artifact loading, the gate in detect_signals, and the rebuild recipe on a tiny fixture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vigil.classify.plea_gate import DEFAULT_PLEA_GATE, PleaGate, load_plea_gate, save_plea_gate
from vigil.classify.plea_train import CANONICAL_PLEAS, CUE_FLOORS, PleaData, train_plea_gate
from vigil.classify.signals import detect_signals, plea_life_cue
from vigil.classify.signals_eval import LabeledText
from vigil.errors import ModelError


def test_shipped_gate_loads_and_scores() -> None:
    gate = load_plea_gate()
    assert gate.name == DEFAULT_PLEA_GATE and 0.0 < gate.threshold < 1.0
    p = gate.proba(["Please help us, we are trapped on the roof", "please help us spread the word, retweet"])
    assert p.shape == (2,) and np.all((p >= 0) & (p <= 1))
    assert p[0] > p[1]


def test_gate_only_narrows_the_rules() -> None:
    # the gate confirms or rejects rule candidates; it never adds a plea the rules did not find
    for text in ("We need food and water in Carrefour, please help us", "I need help resetting my password",
                 "Praying for everyone", "أنقذونا نحن محاصرون"):
        gated, rules = detect_signals(text), detect_signals(text, gate=False)
        assert set(gated.signals) <= set(rules.signals)
        assert set(gated.signals) - {"plea"} == set(rules.signals) - {"plea"}
    assert detect_signals("أنقذونا نحن محاصرون").plea_score is None  # Arabic matches pass ungated
    assert "plea" in detect_signals("Please send help, my family is trapped under the rubble").signals


@pytest.mark.parametrize("text", [
    "Please help us, we are trapped on the roof",
    "Please help us, the water is rising",
    "We need water and food, please help us, we are trapped in our house",
    "SOS we are trapped on the roof with 3 kids, water rising, please send a boat",
])
def test_gate_keeps_clear_pleas(text: str) -> None:
    assert "plea" in detect_signals(text).signals


# CANONICAL_PLEAS (vigil.classify.plea_train): plain pleas written for these tests, a life at stake and a rescue or
# aid asked for; the gate must never drop them (the recipe's settings are chosen to keep them)
CANONICAL_NON_PLEAS = [
    "Please donate to our relief fund, every dollar helps the flood victims",
    "Please help us spread the word and retweet this thread",
    "Please RT! Help us reach 10,000 retweets for the victims",
    "I need help resetting my password, please help",
    "Can someone help me reset my account password? please help",
    "Pray for the people of Puerto Rico, Lord please help them",
    "Please pray for us, God help us all",
    "Help us raise money for the families who lost their homes, link in bio",
    "Drop off canned food and water at our collection point this Saturday, we need your help",
    # kinds of blind5's false alarms (siege_signals.v4 vetoes): a sharing request, a drive's shopping list
    "We need help! Please share this link with your friends",
    "Our kitchen is cooking for the shelter, we need food: canned goods, rice, pasta. Please help us",
]


@pytest.mark.parametrize("text", CANONICAL_PLEAS)
def test_canonical_pleas_are_flagged(text: str) -> None:
    r = detect_signals(text)
    assert "plea" in r.signals
    assert plea_life_cue(text, r.signals)


def test_life_cue_floor_limits_the_cue(tmp_path: Path) -> None:
    # below the floor, the life cue no longer keeps a candidate the gate rejects; at floor 0 it does
    gate = load_plea_gate()
    text = "Please help, my mother and I are trapped under the rubble of our house"
    p = float(gate.proba([text])[0])
    for floor, kept in ((0.0, True), (min(p + 0.01, 1.0), False)):
        strict = PleaGate(gate.name, gate.vectorizers, gate.coef, gate.intercept, gate.platt, 1.01, floor)
        save_plea_gate(strict, tmp_path / str(floor))
        assert load_plea_gate(tmp_path / str(floor)).cue_floor == floor
        assert ("plea" in detect_signals(text, gate=strict).signals) is kept


@pytest.mark.parametrize("text", CANONICAL_NON_PLEAS)
def test_canonical_non_pleas_are_not_flagged(text: str) -> None:
    assert "plea" not in detect_signals(text).signals


def test_life_cue_needs_a_cue_and_people() -> None:
    assert plea_life_cue("A family needs to be rescued, they are on the 2nd floor", ())
    assert plea_life_cue("Please send a boat for us", ())
    assert not plea_life_cue("Please help us, thank you", ("plea",))
    assert not plea_life_cue("Send help to the region, thousands dead", ("death_injury",))  # nobody named
    # the cue keeps a gated plea; it never adds one the rules did not find
    assert "plea" not in detect_signals("My family is trapped on the roof").signals


def test_gate_rejects_a_near_plea() -> None:
    # one kind of rule false alarm read on blind3 (development data for the gate)
    assert "plea" in detect_signals("help us wish a happy birthday to our captain!!", gate=False).signals
    assert "plea" not in detect_signals("help us wish a happy birthday to our captain!!").signals


@pytest.mark.xfail(strict=True, reason="known gap of the plea gate: n-grams do not generalise this blind3 kind")
@pytest.mark.parametrize("text", ["Please help us with a RT, we need this to trend"])
def test_gate_known_gaps(text: str) -> None:
    assert "plea" not in detect_signals(text).signals


def test_missing_gate_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="vigil train --signals"):
        load_plea_gate(tmp_path / "nothing-here")


def _fixture() -> PleaData:
    pleas = ["please help us we are trapped", "we need food and water please help us", "send help my family is "
             "stuck on the roof", "please rescue us the water is rising", "we need tents please help us"]
    others = ["please help us spread the word", "donate to help the victims please", "I need help with my password",
              "praying for everyone affected", "help us reach our fundraising goal"]

    def items(prefix: str, k: int) -> list[LabeledText]:
        return [LabeledText(f"{prefix}:{i}", f"{t} {prefix}{k}", frozenset({"plea"} if i < 5 else set()))
                for i, t in enumerate(pleas + others)]

    sets = {name: items(name, k) for k, name in enumerate(("real", "blind", "blind2", "blind3", "blind4", "blind5",
                                                          "blind6"))}
    sets["synthetic"] = items("syn", 9)[:2]
    aux = pleas * 2 + others * 2
    return PleaData(sets, aux, [True] * 10 + [False] * 10)


def test_rebuild_recipe_runs_on_a_tiny_fixture(tmp_path: Path) -> None:
    out = tmp_path / "gate"
    cv = train_plea_gate(out, data=_fixture())
    assert {"platt", "threshold", "table", "rules", "choose_on"} <= set(cv)
    assert cv["choose_on"] == ["blind3", "blind4", "blind5", "blind6"] and cv["table"]
    assert cv["cue_floor"] in CUE_FLOORS
    assert {"folds", "pooled", "gate_only"} <= set(cv["table"][0])
    for name in ("meta.json", "coef.npy", "en_words.vocab.json", "en_chars.idf.npy", "MODEL_CARD.md", "cv.json"):
        assert (out / name).is_file()
    gate = load_plea_gate(out)
    assert gate.threshold == cv["threshold"]
    p = gate.proba(["please help us we are trapped", "please help us spread the word"])
    assert p[0] > p[1]
    assert "blind7 is not used" in (out / "MODEL_CARD.md").read_text(encoding="utf-8")
