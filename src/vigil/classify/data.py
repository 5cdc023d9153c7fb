"""Readers for the labelled crisis datasets used to train and evaluate the classifiers.

The datasets live outside the repository (``../shared/datasets`` beside the work tree, or a path given on the
command line) because their text is licence-restricted; only ids and labels may be committed. Every reader
returns plain :class:`Example` records so that training and evaluation code never cares about the file layout.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

__all__ = ["Example", "datasets_dir", "read_humaid", "read_kawarith", "read_table"]


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text.

    Attributes:
        id: the dataset's id for it (tweet id, message id).
        text: the text.
        label: the gold label (already mapped, when a reader maps).
        event: the crisis event it belongs to, when the dataset says.
        labels: all gold labels for multi-label datasets (``label`` is then the primary one).
    """

    id: str
    text: str
    label: str
    event: str = ""
    labels: tuple[str, ...] = ()


def datasets_dir(explicit: str | os.PathLike[str] | None = None, *, env: dict[str, str] | None = None) -> Path:
    """Where the shared datasets are: ``explicit``, else ``$VIGIL_DATASETS``, else ``../shared/datasets``.

    The default is looked up beside the work tree (``<repo>/../shared/datasets``) and beside the current
    directory, so the commands work from a clone next to ``shared/``.
    """
    environ = os.environ if env is None else env
    if explicit:
        path = Path(explicit)
    elif environ.get("VIGIL_DATASETS"):
        path = Path(environ["VIGIL_DATASETS"])
    else:
        repo = Path(__file__).resolve().parents[3]
        candidates = [repo.parent / "shared" / "datasets", Path.cwd().parent / "shared" / "datasets",
                      Path.cwd() / "shared" / "datasets"]
        path = next((c for c in candidates if c.is_dir()), candidates[0])
    if not path.is_dir():
        raise InputError(f"{path}: datasets folder not found — pass --datasets PATH or set VIGIL_DATASETS")
    return path


def read_table(path: str | os.PathLike[str], *, text_col: str, label_col: str, id_col: str | None = None,
               event_col: str | None = None) -> Iterator[Example]:
    """Stream a CSV/TSV file (delimiter from the extension) as examples.

    Raises:
        InputError: the file or a named column is missing.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    delimiter = "\t" if p.suffix.lower() in {".tsv", ".tab"} else ","
    with p.open(encoding="utf-8", newline="") as fp:
        reader = csv.DictReader(fp, delimiter=delimiter, quoting=csv.QUOTE_NONE if delimiter == "\t" else
                                csv.QUOTE_MINIMAL)
        fields = [f.strip() for f in reader.fieldnames or []]
        reader.fieldnames = fields
        for col in (text_col, label_col, id_col, event_col):
            if col is not None and col not in fields:
                raise InputError(f"{p}: no column {col!r} (columns: {', '.join(fields)}) — use --text-col/--label-col")
        for i, row in enumerate(reader, start=2):
            yield Example(id=(row.get(id_col) or "") if id_col else str(i), text=row.get(text_col) or "",
                          label=(row.get(label_col) or "").strip(),
                          event=(row.get(event_col) or "") if event_col else "")


def read_humaid(split: str, root: str | os.PathLike[str] | None = None) -> list[Example]:
    """HumAID ``train`` or ``dev`` (the official test split is deliberately not available)."""
    path = datasets_dir(root) / "humaid" / f"{split}.tsv"
    return list(read_table(path, text_col="tweet_text", label_col="class_label", id_col="tweet_id",
                           event_col="event"))


def read_kawarith(root: str | os.PathLike[str] | None = None) -> list[Example]:
    """Kawarith Arabic tweets with text (via IDRISI); ``label`` is the raw ``|``-joined Kawarith label set."""
    path = datasets_dir(root) / "kawarith_ar" / "kawarith_dev_events.tsv"
    out = []
    for ex in read_table(path, text_col="text", label_col="kawarith_labels", id_col="tweet_id", event_col="event"):
        labels = tuple(x for x in ex.label.split("|") if x)
        out.append(Example(ex.id, ex.text, ex.label, ex.event, labels))
    return out
