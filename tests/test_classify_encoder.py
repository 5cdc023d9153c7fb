"""The shipped ONNX encoder at run time: batching, concurrent workers, input order, the accurate ensemble."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from vigil.classify.encoder import OnnxEncoder, session_options
from vigil.classify.model import load_type_model, models_dir

FIXTURES = Path(__file__).parent / "fixtures" / "classify"
ENCODER = models_dir() / "humaid-1" / "encoder"


@pytest.fixture(scope="module")
def encoder() -> OnnxEncoder:
    return OnnxEncoder.load(ENCODER)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    rows = [line.split("\t")[1] for line in (FIXTURES / "humaid_tiny.tsv").read_text().splitlines()[1:]]
    # 2 to 64 tokens (the last one is truncated), so that batches differ in width
    return [*rows, "help", "", " ".join(rows[:4]), " ".join(rows[:8])]


def test_session_options_do_not_spin() -> None:
    import onnxruntime as ort

    opts = session_options(ort)
    assert opts.intra_op_num_threads == 1
    assert opts.get_session_config_entry("session.intra_op.allow_spinning") == "0"


def test_batches_are_sorted_and_padded_to_their_own_longest_text(encoder: OnnxEncoder, texts: list[str]) -> None:
    small = replace(encoder, batch=8)
    batches = small.batches(texts)
    assert sorted(int(r) for rows, _, _ in batches for r in rows) == list(range(len(texts)))
    widths = []
    for rows, ids, mask in batches:
        assert ids.shape == mask.shape and ids.dtype == mask.dtype == np.int64 and len(rows) <= 8
        lengths = mask.sum(axis=1)
        assert lengths.max() == ids.shape[1] <= encoder.max_len  # no column of padding only
        assert (ids[mask == 0] == 0).all() and (ids[mask == 1] != 0).all()
        assert (np.diff(lengths) >= 0).all()
        widths.append(ids.shape[1])
    assert widths == sorted(widths) and widths[0] < widths[-1]
    rows, ids, mask = batches[0]
    first = encoder.tokenizer.encode(texts[int(rows[0])]).ids
    assert list(ids[0, :len(first)]) == first


def test_workers_change_speed_not_results(encoder: OnnxEncoder, texts: list[str]) -> None:
    small = replace(encoder, batch=8)
    together = replace(small, workers=2).logits(texts)
    np.testing.assert_array_equal(together, replace(small, workers=1).logits(texts))
    assert together.shape == (len(texts), len(encoder.classes))


def test_rows_follow_input_order(encoder: OnnxEncoder, texts: list[str]) -> None:
    # one batch holds them all, so the reversed input makes the same batch in another row order
    forward = encoder.logits(texts)
    np.testing.assert_allclose(encoder.logits(texts[::-1])[::-1], forward, rtol=0, atol=1e-5)
    p = encoder.proba(texts)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert encoder.proba([]).shape == (0, len(encoder.classes))


def test_accurate_ensemble_runs_sparse_and_encoder_side_by_side(texts: list[str]) -> None:
    model = load_type_model()
    assert model.encoder is not None and model.encoder_weight > 0
    both = model.english_proba(texts)
    w = model.encoder_weight
    expected = w * model.encoder.proba(texts) + (1 - w) * replace(model, encoder=None).english_proba(texts)
    np.testing.assert_allclose(both, expected, rtol=0, atol=1e-6)
