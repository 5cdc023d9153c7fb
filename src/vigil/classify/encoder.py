"""The fine-tuned MiniLM encoder at run time: ONNX Runtime + the ``tokenizers`` library (no torch).

The folder holds ``model.onnx`` (int8, per-channel dynamic quantisation of the encoder + mean pooling + linear
head, ``(input_ids, attention_mask) -> logits``), ``tokenizer.json`` and ``meta.json`` (classes, max length,
temperature).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .model import softmax
from .textprep import clean_text

__all__ = ["OnnxEncoder"]


@dataclass
class OnnxEncoder:
    """A text classifier over an ONNX encoder.

    Attributes:
        session: the ``onnxruntime.InferenceSession``.
        tokenizer: the ``tokenizers.Tokenizer`` (truncating at ``max_len``).
        classes: output columns.
        temperature: calibration temperature for the logits.
        batch: texts per inference call (sorted by length to limit padding).
    """

    session: Any
    tokenizer: Any
    classes: tuple[str, ...]
    max_len: int = 64
    temperature: float = 1.0
    batch: int = 64

    @classmethod
    def load(cls, path: Path, *, threads: int = 2) -> OnnxEncoder:
        """Load from an exported folder.

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
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            session = ort.InferenceSession(str(path / "model.onnx"), opts, providers=["CPUExecutionProvider"])
            tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"{path}: cannot load the encoder ({exc})") from exc
        max_len = int(meta.get("max_len", 64))
        tok.enable_truncation(max_len)
        tok.no_padding()
        return cls(session, tok, tuple(meta["classes"]), max_len, float(meta.get("temperature", 1.0)))

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Raw logits, one row per text, in input order."""
        ids = [e.ids for e in self.tokenizer.encode_batch([clean_text(t) for t in texts])]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.zeros((len(ids), len(self.classes)), dtype=np.float32)
        for s in range(0, len(order), self.batch):
            part = order[s:s + self.batch]
            width = max(len(ids[i]) for i in part)
            x = np.zeros((len(part), width), dtype=np.int64)
            mask = np.zeros((len(part), width), dtype=np.int64)
            for r, i in enumerate(part):
                x[r, :len(ids[i])] = ids[i]
                mask[r, :len(ids[i])] = 1
            out[part] = self.session.run(None, {"input_ids": x, "attention_mask": mask})[0]
        return out

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities."""
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        return softmax(self.logits(texts) / self.temperature)
