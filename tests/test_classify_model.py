"""Sparse features, the artifact format, calibration, evaluation metrics and a tiny training smoke run."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from vigil.classify.data import Example
from vigil.classify.evaluate import classification_report, evaluate_file, expected_calibration_error
from vigil.classify.features import SparseVectorizer, ar_chars, en_words
from vigil.classify.labels import HUMAID_CLASSES, HUMAID_TO_KAWARITH, KAWARITH_TO_HUMAID, kawarith_coarse_label
from vigil.classify.model import arabic_subclass, load_linear, load_type_model, save_linear
from vigil.classify.train import SparseSpec, build_artifact, dev_halves, fit_linear, fit_temperature
from vigil.errors import InputError, ModelError

FIXTURES = Path(__file__).parent / "fixtures" / "classify"


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A datasets folder laid out like ../shared/datasets, filled with hand-written fixture texts."""
    root = tmp_path_factory.mktemp("datasets")
    (root / "humaid").mkdir()
    shutil.copy(FIXTURES / "humaid_tiny.tsv", root / "humaid" / "train.tsv")
    shutil.copy(FIXTURES / "humaid_tiny.tsv", root / "humaid" / "dev.tsv")
    (root / "kawarith_ar").mkdir()
    shutil.copy(FIXTURES / "kawarith_tiny.tsv", root / "kawarith_ar" / "kawarith_dev_events.tsv")
    return root


@pytest.fixture(scope="module")
def tiny_model(datasets: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The smoke training run: the whole `vigil train` path on fixture data (a few seconds)."""
    out = tmp_path_factory.mktemp("model")
    build_artifact(out, datasets=str(datasets), seed=13)
    return out


def test_analyzers() -> None:
    assert en_words("Flood in #Houston https://t.co/x") == ["flood", "in", "houston", "url", "flood in", "in houston",
                                                             "houston url"]
    grams = ar_chars("أنقذونا")
    assert " ا" in grams and "انقذ" in grams  # normalised alef


def test_sparse_vectorizer_matches_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [line.split("\t")[1] for line in (FIXTURES / "humaid_tiny.tsv").read_text().splitlines()[1:]]
    tf = TfidfVectorizer(analyzer=en_words, sublinear_tf=True, min_df=1, dtype=np.float32).fit(texts)
    ours = SparseVectorizer("en_words", dict(tf.vocabulary_), tf.idf_.astype(np.float32))
    np.testing.assert_allclose(ours.transform(texts[:10]).toarray(), tf.transform(texts[:10]).toarray(), atol=1e-5)


def test_linear_model_roundtrip(tmp_path: Path) -> None:
    texts = ["we need water", "water needed now", "praying for you", "prayers for all"]
    labels = ["requests_or_urgent_needs", "requests_or_urgent_needs", "sympathy_and_support", "sympathy_and_support"]
    model = fit_linear(texts, labels, SparseSpec((("en_words", 100),), min_df=1), HUMAID_CLASSES)
    model.temperature = 0.7
    save_linear(model, tmp_path / "m")
    again = load_linear(tmp_path / "m")
    np.testing.assert_allclose(again.proba(texts), model.proba(texts), atol=1e-6)
    assert again.proba(["we need water"]).argmax() == HUMAID_CLASSES.index("requests_or_urgent_needs")
    # classes never seen in training get (almost) no probability
    assert again.proba(["we need water"])[0, HUMAID_CLASSES.index("not_humanitarian")] < 1e-6


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"manifest\.json missing"):
        load_type_model(tmp_path)
    (tmp_path / "broken").mkdir()
    with pytest.raises(ModelError, match="cannot load"):
        load_linear(tmp_path / "broken")


def test_fit_temperature_sharpens_underconfident_logits() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 500)
    logits = rng.normal(size=(500, 3)) * 0.1
    logits[np.arange(500), y] += 0.5  # right but timid
    assert fit_temperature(logits, y) < 1.0


def test_classification_report_and_ece() -> None:
    gold = ["a", "a", "b", "b"]
    proba = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.8, 0.2]])
    rep = classification_report(gold, proba, ["a", "b"])
    assert rep.accuracy == 0.75
    assert rep.confusion == [[2, 0], [1, 1]]
    assert rep.per_class["b"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert rep.macro_f1 == pytest.approx((0.8 + 2 / 3) / 2)
    assert expected_calibration_error(np.array([[1.0, 0.0]]), np.array([0])) == 0.0
    assert rep.ece is not None and 0 < rep.ece < 1


def test_dev_halves_are_disjoint_and_balanced() -> None:
    dev = [Example(str(1000000 + i * 2), "t", "x") for i in range(1000)]  # all even ids
    choose, report = dev_halves(dev)
    assert not {e.id for e in choose} & {e.id for e in report}
    assert 400 < len(choose) < 600


def test_kawarith_mapping_round_trips() -> None:
    for coarse, humaid in KAWARITH_TO_HUMAID.items():
        assert all(HUMAID_TO_KAWARITH[h] == coarse for h in humaid)
    assert set(HUMAID_TO_KAWARITH) == set(HUMAID_CLASSES)
    assert kawarith_coarse_label(("emotional_support_and_prayers", "infrastructure_and_utilities_damage")) == \
        "infrastructure_and_utilities_damage"
    assert arabic_subclass("affected_individuals_and_help", "وفاه شخص غرقا") == "injured_or_dead_people"
    assert arabic_subclass("affected_individuals_and_help", "فرق الانقاذ") == "rescue_volunteering_or_donation_effort"
    assert arabic_subclass("caution_advice_and_crisis_updates", "الارصاد تحذر من الامطار") == "caution_and_advice"


def test_smoke_training_run_writes_a_complete_artifact(tiny_model: Path) -> None:
    for name in ("manifest.json", "metrics.json", "MODEL_CARD.md", "en_sparse/coef.npy", "en_fast/meta.json",
                 "ar_sparse/ar_chars.vocab.json"):
        assert (tiny_model / name).is_file(), name
    card = (tiny_model / "MODEL_CARD.md").read_text()
    assert "Licences" in card and "vigil train" in card and "RoBERTa" in card
    model = load_type_model(tiny_model)
    assert model.name == "humaid.v2" and model.encoder is None
    p = model.proba(["Thousands evacuated from coastal towns", "انقطاع الكهرباء بعد العاصفة"], ["en", "ar"])
    assert p.shape == (2, 10)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)


def test_evaluate_file_humaid_and_kawarith(tiny_model: Path, datasets: Path) -> None:
    res = evaluate_file(datasets / "humaid" / "dev.tsv", model_path=str(tiny_model))
    assert res.label_space == "humaid" and res.report.n == 40
    assert res.report.accuracy > 0.5  # it has seen these texts
    d = res.to_dict()
    assert {"accuracy", "weighted_f1", "macro_f1", "per_class", "confusion", "ece", "messages_per_second"} <= set(d)
    ar = evaluate_file(datasets / "kawarith_ar" / "kawarith_dev_events.tsv", model_path=str(tiny_model))
    assert ar.label_space == "kawarith" and ar.report.n == 12


def test_evaluate_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="--text-col"):
        evaluate_file(bad)
    with pytest.raises(InputError, match="no column"):
        evaluate_file(bad, text_col="a", label_col="nope")
