"""``vigil classify``, ``vigil eval``, ``vigil train``: the message classifier from the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import orjson

from . import cli


@cli.command("classify")
@click.argument("texts", nargs=-1, metavar="[TEXT]...")
@click.option("--file", "path", default=None, metavar="PATH", help="Classify the messages of a file (- for stdin).")
@click.option("--format", "fmt", default="auto", show_default=True, metavar="lines|auto|NAME",
              help="Format of --file: `lines` (one text per line), `auto` (detect), or a reader name.")
@click.option("--fast", is_flag=True, help="Sparse linear models only (firehose speed, slightly less accurate).")
@click.option("--details", is_flag=True, help="Add urgency_score, evidence and eyewitness to each object.")
@click.option("--model", "model_path", default=None, metavar="DIR", help="A model artifact (default: the shipped one).")
@click.option("--json", "as_json", is_flag=True, help="JSON lines (the default when stdout is not a terminal).")
def classify_cmd(texts: tuple[str, ...], path: str | None, fmt: str, fast: bool, details: bool,
                 model_path: str | None, as_json: bool) -> None:
    """Classify messages: language, HumAID type with probabilities, urgency, siege signals.

    Prints one JSON object per message, in input order: {"id", "lang", "type", "type_scores", "urgency",
    "signals", "model"}. TEXT arguments get ids arg:1, arg:2 ...; messages read from a file keep the ids of
    vigil's readers (`--format lines` uses line:N).

    \b
    Example:
      vigil classify "We are trapped on the roof, please send a boat"
      vigil classify --file examples/siege/data/x_stream.jsonl --json
      vigil classify --file tweets.txt --format lines --fast
    """
    from ..classify.io import load_messages
    from ..classify.pipeline import classify_messages, text_messages

    if not texts and path is None:
        raise click.UsageError("give TEXT arguments or --file PATH")
    if fmt != "auto" and path is None:
        raise click.UsageError("--format describes --file: give --file PATH too (TEXT arguments are plain texts)")
    if path is not None:
        from ..readers import formats

        known = ["lines", "auto", *(name for name, _ in formats())]
        if fmt not in known:
            raise click.BadParameter(f"{fmt!r} is not one of: {', '.join(known)}", param_hint="--format")
    messages = text_messages(texts) if texts else []
    rejected = 0
    if path is not None:
        more, rejected = load_messages(path, fmt)
        messages += more
    results = classify_messages(messages, fast=fast, model_path=model_path)
    if as_json or not sys.stdout.isatty():
        out = sys.stdout.buffer
        for r in results:
            out.write(orjson.dumps(r.to_dict(details=details)) + b"\n")
        out.flush()
    else:
        for r in results:
            sig = ",".join(r.signals) or "-"
            click.echo(f"{r.id}\t{r.lang or '?'}\t{r.urgency}\t{r.type} ({r.type_scores[r.type]:.2f})\t{sig}")
    if rejected:
        click.echo(f"skipped {rejected} unreadable record(s) of {path}", err=True)
    if path is not None and not results:
        click.echo(f"{path}: no messages to classify", err=True)


@cli.command("eval")
@click.option("--data", "data", required=True, metavar="FILE", help="A labelled CSV/TSV file (HumAID or Kawarith).")
@click.option("--text-col", default=None, help="Column with the text (guessed for HumAID/Kawarith files).")
@click.option("--label-col", default=None, help="Column with the gold label (guessed for HumAID/Kawarith files).")
@click.option("--fast", is_flag=True, help="Evaluate the fast (sparse) path.")
@click.option("--model", "model_path", default=None, metavar="DIR", help="A model artifact (default: the shipped one).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_cmd(data: str, text_col: str | None, label_col: str | None, fast: bool, model_path: str | None,
             as_json: bool) -> None:
    """Score the classifier on a labelled file: accuracy, weighted/macro F1, per class, confusion, ECE, speed.

    HumAID labels are scored over the 10 classes; Kawarith label sets on Kawarith's coarse classes (the
    predicted HumAID class mapped back, see docs/classifier.md).

    \b
    Example:
      vigil eval --data ../shared/datasets/humaid/dev.tsv
      vigil eval --data ../shared/datasets/kawarith_ar/kawarith_dev_events.tsv --json
      vigil eval --data mine.csv --text-col message --label-col label
    """
    from ..classify.evaluate import evaluate_file

    result = evaluate_file(data, text_col=text_col, label_col=label_col, fast=fast, model_path=model_path)
    if as_json:
        click.echo(orjson.dumps(result.to_dict()).decode())
        return
    _print_eval(result.to_dict())


def _print_eval(d: dict[str, Any]) -> None:
    click.echo(f"{d['data']}  ({d['label_space']} labels, model {d['model']})")
    click.echo(f"n {d['n']}  accuracy {d['accuracy']:.4f}  weighted F1 {d['weighted_f1']:.4f}  "
               f"macro F1 {d['macro_f1']:.4f}  ECE {d['ece'] if d['ece'] is not None else '-'}  "
               f"{d['messages_per_second']:.0f} msg/s" + (f"  skipped {d['skipped']}" if d["skipped"] else ""))
    width = max(len(c) for c in d["classes"])
    click.echo(f"{'class':<{width}}  precision  recall     f1  support")
    for c in d["classes"]:
        p = d["per_class"][c]
        if p["support"] or p["precision"]:
            click.echo(f"{c:<{width}}  {p['precision']:9.3f}  {p['recall']:6.3f}  {p['f1']:5.3f}  {p['support']:7d}")
    # every class is a column (a class may be predicted without being in the gold), numbered for the header
    click.echo("confusion (rows gold, columns predicted; column k is class k):")
    click.echo(f"  {'':<27} " + " ".join(f"{k:5d}" for k in range(1, len(d["classes"]) + 1)))
    for k, (c, row) in enumerate(zip(d["classes"], d["confusion"], strict=True), start=1):
        if any(row) or any(r[k - 1] for r in d["confusion"]):
            click.echo(f"  {k:2d} {c[:24]:<24} " + " ".join(f"{v:5d}" for v in row))


@cli.command("train")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build/model"), show_default=True,
              help="Where to write the artifact.")
@click.option("--datasets", default=None, metavar="PATH",
              help="The shared datasets folder (default ../shared/datasets).")
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--encoder", "encoder_dir", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Include an exported ONNX encoder folder (see docs/classifier.md for fine-tuning it).")
@click.option("--encoder-weight", type=float, default=None,
              help="Ensemble weight of the encoder (default: chosen on HumAID dev-choose).")
@click.option("--finetune", "finetune", is_flag=True,
              help="Also fine-tune the MiniLM encoder (needs the [train] extra; ~25-30 min per epoch on 2 cores), "
                   "export it to ONNX int8 and add it to the artifact.")
@click.option("--epochs", type=int, default=2, show_default=True,
              help="Fine-tuning passes over HumAID train with --finetune (the shipped encoder has two).")
@click.option("--attach", is_flag=True,
              help="Only add --encoder to the artifact already in --out (keep its sparse components).")
@click.option("--limit", type=int, default=None, help="Train on the first N HumAID examples only (smoke runs).")
@click.option("--signals", "signals", is_flag=True,
              help="Rebuild only the plea gate of siege_signals.v4 (a few minutes): cross-validate it on the "
                   "hand-labelled signal sets and write it to --out (default: the shipped plea-gate-4).")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest and metrics as JSON.")
def train_cmd(out: Path, datasets: str | None, seed: int, encoder_dir: Path | None, encoder_weight: float | None,
              finetune: bool, epochs: int, attach: bool, limit: int | None, signals: bool, as_json: bool) -> None:
    """Rebuild the type model from the shared datasets (fixed seed) and write it with its model card.

    Trains the sparse English, fast and Arabic components, evaluates them (HumAID dev halves, Kawarith
    leave-one-event-out) and writes manifest.json, metrics.json and MODEL_CARD.md into --out.

    \b
    Example:
      vigil train --out build/model
      vigil train --out build/model --encoder build/minilm/onnx --attach
      vigil train --out build/model --finetune       # everything, encoder included
      vigil classify --model build/model "we need water"
      vigil train --signals                          # the plea gate, into src/vigil/models/plea-gate-4
    """
    from ..classify.train import attach_encoder, build_artifact

    def log(line: str) -> None:
        click.echo(line, err=True)

    if signals:
        from ..classify.plea_train import train_plea_gate

        target = None if out == Path("build/model") else out
        cv = train_plea_gate(target, datasets=datasets, seed=seed, log=log)
        if as_json:
            click.echo(orjson.dumps(cv).decode())
        else:
            click.echo(f"wrote {cv['path']} (threshold {cv['threshold']:.2f}; see its MODEL_CARD.md)")
        return

    if finetune:
        from ..classify.encoder_train import export_onnx
        from ..classify.encoder_train import train as finetune_encoder

        work = out.parent / f"{out.name}-encoder"
        finetune_encoder(work, epochs=epochs, seed=seed, datasets=datasets, limit=limit, dev_eval=False)
        encoder_dir = export_onnx(work / f"epoch{epochs}.pt", work / "onnx")
    if attach:
        if encoder_dir is None:
            raise click.UsageError("--attach needs --encoder DIR")
        result = attach_encoder(out, encoder_dir, datasets=datasets, encoder_weight=encoder_weight, log=log)
    else:
        result = build_artifact(out, datasets=datasets, seed=seed, encoder_dir=encoder_dir,
                                encoder_weight=encoder_weight, limit=limit, log=log)
    if as_json:
        click.echo(orjson.dumps(result).decode())
    else:
        click.echo(f"wrote {out} ({out / 'MODEL_CARD.md'})")
