"""Would an ensemble of the encoders trained here make a better teacher (for distillation) than the shipped model?

Averages the temperature-scaled probabilities of several fine-tuned MiniLM-L6 encoders (ONNX int8 exports under
``build/``: ``minilm2`` = one pass over HumAID train, the humaid.v1 encoder; ``minilm_e2`` = two passes, shipped;
``minilm_e3`` = a third pass at lr 1e-5, not kept) and mixes them with the shipped ``en_sparse`` model, the mixing
weight chosen on HumAID dev-choose (mean of weighted and macro F1, grid of 0.05), and scores dev-report. The
encoders are rebuilt by ``python -m vigil.classify.encoder_train`` (docs/classifier.md, "Rebuilding").

Command: ``.venv/bin/python benchmarks/experiments/encoder_ensemble.py`` (about 1 minute). Result (2026-11-26):

| encoders averaged, + en_sparse | weight | dev-choose weighted / macro | dev-report weighted / macro |
|---|---|---|---|
| two-pass (shipped) | .75 | .784 / .771 | .768 / .753 |
| one-pass + two-pass | .75 | .781 / .764 | .768 / .752 |
| two-pass + three-pass | .75 | .782 / .769 | .766 / .749 |
| all three | .70 | .782 / .770 | .768 / .752 |

No ensemble beats the shipped model, so none of them is a teacher worth distilling into one encoder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from vigil.classify.data import read_humaid  # noqa: E402
from vigil.classify.encoder import OnnxEncoder  # noqa: E402
from vigil.classify.evaluate import classification_report  # noqa: E402
from vigil.classify.labels import HUMAID_CLASSES  # noqa: E402
from vigil.classify.model import load_linear, softmax  # noqa: E402
from vigil.classify.train import dev_halves, fit_temperature  # noqa: E402

ENCODERS = ("minilm2", "minilm_e2", "minilm_e3")
COMBOS = (("minilm_e2",), ("minilm2", "minilm_e2"), ("minilm_e2", "minilm_e3"), ENCODERS)


def main() -> None:
    choose, report = dev_halves(read_humaid("dev", None))
    halves = {"dev_choose": choose, "dev_report": report}
    sparse = load_linear(ROOT / "src" / "vigil" / "models" / "humaid-1" / "en_sparse")
    sp = {h: sparse.proba([e.text for e in exs]) for h, exs in halves.items()}
    y = np.array([HUMAID_CLASSES.index(e.label) for e in choose])
    probs = {}
    for name in ENCODERS:
        enc = OnnxEncoder.load(ROOT / "build" / name / "onnx")
        logits = {h: enc.logits([e.text for e in exs]) for h, exs in halves.items()}
        t = fit_temperature(logits["dev_choose"], y)
        probs[name] = {h: softmax(logits[h] / t) for h in halves}

    def score(p: np.ndarray, half: str) -> tuple[float, float]:
        rep = classification_report([e.label for e in halves[half]], p, HUMAID_CLASSES)
        return rep.weighted_f1, rep.macro_f1

    for combo in COMBOS:
        mean = {h: np.mean([probs[n][h] for n in combo], axis=0) for h in halves}
        best = max(((float(w), score(w * mean["dev_choose"] + (1 - w) * sp["dev_choose"], "dev_choose"))
                    for w in np.linspace(0.0, 1.0, 21)), key=lambda t: (sum(t[1]) / 2, -t[0]))
        w = best[0]
        rep = score(w * mean["dev_report"] + (1 - w) * sp["dev_report"], "dev_report")
        print(f"{' + '.join(combo):32} w={w:.2f}  dev-choose {best[1][0]:.3f} / {best[1][1]:.3f}  "
              f"dev-report {rep[0]:.3f} / {rep[1]:.3f}")


if __name__ == "__main__":
    main()
