"""Classifying messages end to end: language, type, signals, urgency (the library behind ``vigil classify``)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..message import Message
from .labels import HUMAID_CLASSES
from .langid import detect_lang
from .model import load_type_model
from .signals import detect_signals
from .urgency import urgency

__all__ = ["Classification", "classify_messages", "classify_texts", "text_messages"]


@dataclass(frozen=True)
class Classification:
    """Everything vigil says about one message (the ``vigil classify`` JSON object).

    Attributes:
        id: the message id.
        lang: ISO 639-1 code or None.
        type: the most probable HumAID class.
        type_scores: calibrated probability per HumAID class.
        urgency: critical / high / medium / low.
        signals: siege signals found.
        model: ``"name.vN"`` of the type model that produced ``type``.
        urgency_score / evidence / eyewitness: details behind urgency and signals.
    """

    id: str
    lang: str | None
    type: str
    type_scores: dict[str, float]
    urgency: str
    signals: list[str]
    model: str
    urgency_score: float = 0.0
    evidence: dict[str, str] | None = None
    eyewitness: bool = False

    def to_dict(self, *, details: bool = False) -> dict[str, Any]:
        """The contract form (``id, lang, type, type_scores, urgency, signals, model``), details on request."""
        out: dict[str, Any] = {"id": self.id, "lang": self.lang, "type": self.type, "type_scores": self.type_scores,
                               "urgency": self.urgency, "signals": self.signals, "model": self.model}
        if details:
            out.update(urgency_score=self.urgency_score, evidence=self.evidence or {}, eyewitness=self.eyewitness)
        return out


def text_messages(texts: Iterable[str], *, prefix: str = "arg") -> list[Message]:
    """Wrap bare texts as messages with ids ``arg:1``, ``arg:2`` ... (for ``vigil classify TEXT ...``)."""
    now = datetime(1970, 1, 1, tzinfo=UTC)
    return [Message(id=f"{prefix}:{i}", source=prefix, format="text", native_id=str(i), created_at=now, text=t)
            for i, t in enumerate(texts, start=1)]


def _text_of(msg: Message) -> str:
    # articles: the title carries the gist and the body can be thousands of words; the models saw tweets
    return f"{msg.title}. {msg.text[:600]}" if msg.title else msg.text


def classify_messages(messages: Sequence[Message], *, fast: bool = False,
                      model_path: str | os.PathLike[str] | None = None) -> list[Classification]:
    """Classify messages in order (language detected unless the message already says it)."""
    model = load_type_model(model_path, with_encoder=not fast)
    texts = [_text_of(m) for m in messages]
    langs = [m.lang or detect_lang(t).lang for m, t in zip(messages, texts, strict=True)]
    if fast or model.encoder is None:
        proba = model.proba(texts, langs, fast=fast)
        signals = [detect_signals(t) for t in texts]
    else:
        # the encoder spends its time inside ONNX Runtime without the GIL: find the signals meanwhile
        with ThreadPoolExecutor(1, thread_name_prefix="vigil-classify") as pool:
            pending = pool.submit(model.proba, texts, langs)
            signals = [detect_signals(t) for t in texts]
            proba = pending.result()
    out = []
    for msg, lang, row, sig in zip(messages, langs, proba, signals, strict=True):
        scores = {c: round(float(p), 4) for c, p in zip(HUMAID_CLASSES, row, strict=True)}
        best = HUMAID_CLASSES[int(row.argmax())]
        urg = urgency(scores, sig.signals, sig.eyewitness)
        out.append(Classification(msg.id, lang, best, scores, urg.level, list(sig.signals),
                                  model.model_name(fast, lang), urg.score, sig.evidence, sig.eyewitness))
    return out


def classify_texts(texts: Sequence[str], *, fast: bool = False,
                   model_path: str | os.PathLike[str] | None = None) -> list[Classification]:
    """Classify bare texts (ids ``arg:N``)."""
    return classify_messages(text_messages(texts), fast=fast, model_path=model_path)
