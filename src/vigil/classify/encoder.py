"""The fine-tuned MiniLM encoder at run time: ONNX Runtime + the ``tokenizers`` library (no torch).

The folder holds ``model.onnx`` (int8, per-channel dynamic quantisation of the encoder + mean pooling + linear
head, ``(input_ids, attention_mask) -> logits``), ``tokenizer.json`` and ``meta.json`` (classes, max length,
temperature).

How it runs fast on two cores (measurements in ``docs/classifier.md``, "Speed of the accurate path"):

* texts are tokenised in one ``encode_batch`` call, sorted by token length and cut into batches of ``batch``, so a
  batch is padded only to its own longest text (on HumAID dev padding adds under 1 % of the tokens);
* the batches run **concurrently**, one per worker thread, on one shared session (ONNX Runtime releases the GIL and
  its ``run`` is thread-safe) whose intra-op pool is the calling thread alone. Splitting the work by batch needs no
  synchronisation inside an operator, where splitting each operator across two threads (the previous setting)
  waited at every one of the graph's operators, and nothing spins waiting for work: spinning threads burned the
  cores that the sparse model, the other worker or other processes needed;
* the batches are the same whatever the number of workers, so the predictions are too (dynamic int8 quantisation
  scales each activation tensor by its batch's range, so a text's logits depend slightly on its batch-mates:
  batches of 32 instead of 64 changed 1.2 % of the predicted classes on HumAID dev).

Offline graph fusion (``onnxruntime.transformers`` attention/LayerNorm fusion before quantisation) was measured and
rejected: 10-16 % more CPU per message on this CPU than ONNX Runtime's own run-time fusions of the quantised
graph, and it moved 0.3-1.3 % of the dev predictions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .model import softmax
from .textprep import clean_text

__all__ = ["OnnxEncoder", "session_options"]


def session_options(ort: Any, threads: int = 1) -> Any:
    """ONNX Runtime session options for the encoder (``ort`` is the imported ``onnxruntime`` module).

    ``threads`` sizes the intra-op pool. The encoder uses 1 and gets its parallelism from running whole batches
    side by side (see the module docstring): on a loaded 2-core machine that was 1.6-1.9x the speed of the
    previous default (2 intra-op threads, spinning) and 1.1-1.25x that of 2 workers over 2 intra-op threads each.
    """
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # an idle pool thread that spins takes a core from the other worker and from other processes (with 2 intra-op
    # threads, spinning was 1.2-1.4x slower on the loaded machine)
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return opts


@dataclass
class OnnxEncoder:
    """A text classifier over an ONNX encoder.

    Attributes:
        session: the ``onnxruntime.InferenceSession``.
        tokenizer: the ``tokenizers.Tokenizer`` (truncating at ``max_len``).
        classes: output columns.
        max_len: tokens kept per text.
        temperature: calibration temperature for the logits.
        batch: texts per inference call (sorted by length to limit padding). Part of the model's behaviour, not
            only of its speed (see the module docstring): keep it when comparing predictions.
        workers: batches run concurrently (1 = one after the other in the calling thread).
    """

    session: Any
    tokenizer: Any
    classes: tuple[str, ...]
    max_len: int = 64
    temperature: float = 1.0
    batch: int = 64
    workers: int = 2

    @classmethod
    def load(cls, path: Path, *, threads: int = 2) -> OnnxEncoder:
        """Load from an exported folder; ``threads`` is the number of cores to use.

        Raises:
            ModelError: files missing or onnxruntime/tokenizers not installed.
        """
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(f"the encoder needs onnxruntime and tokenizers ({exc}); use --fast or reinstall vigil")\
                from exc
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            session = ort.InferenceSession(str(path / "model.onnx"), session_options(ort),
                                           providers=["CPUExecutionProvider"])
            tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"{path}: cannot load the encoder ({exc})") from exc
        max_len = int(meta.get("max_len", 64))
        tok.enable_truncation(max_len)
        tok.no_padding()
        return cls(session, tok, tuple(meta["classes"]), max_len, float(meta.get("temperature", 1.0)),
                   workers=max(1, threads))

    def batches(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """``(rows, input_ids, attention_mask)`` per batch: texts sorted by token length, each batch padded to its
        longest text. ``rows`` are the batch's positions in ``texts``."""
        encoded = self.tokenizer.encode_batch([clean_text(t) for t in texts])
        lengths = np.fromiter((len(e.ids) for e in encoded), dtype=np.int64, count=len(encoded))
        order = np.argsort(lengths, kind="stable")
        out = []
        for s in range(0, len(order), self.batch):
            rows = order[s:s + self.batch]
            lens = lengths[rows]
            mask = (np.arange(int(lens.max())) < lens[:, None]).astype(np.int64)
            ids = np.zeros(mask.shape, dtype=np.int64)
            ids[mask.astype(bool)] = np.fromiter((t for r in rows for t in encoded[r].ids), dtype=np.int64,
                                                 count=int(lens.sum()))
            out.append((rows, ids, mask))
        return out

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Raw logits, one row per text, in input order."""
        out = np.zeros((len(texts), len(self.classes)), dtype=np.float32)
        batches = self.batches(texts)

        def run(batch: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
            rows, ids, mask = batch
            out[rows] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

        if self.workers <= 1 or len(batches) <= 1:
            for b in batches:
                run(b)
        else:
            # longest batches first, so the two workers finish together on short ones
            with ThreadPoolExecutor(self.workers, thread_name_prefix="vigil-encoder") as pool:
                for _ in pool.map(run, batches[::-1]):
                    pass
        return out

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities."""
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        return softmax(self.logits(texts) / self.temperature)
