"""The bundled synthetic siege scenario (``examples/siege``): where it is and how to load it."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError
from .ingest import IngestReport, ingest
from .stages import default_stages
from .store import Store

__all__ = ["demo_data_dir", "load_demo"]


def demo_data_dir() -> Path:
    """The scenario's data folder in this checkout (``examples/siege/data``)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples" / "siege" / "data"
        if candidate.is_dir():
            return candidate
    raise UsageError("the demo scenario (examples/siege/data) is not in this installation; run from a checkout "
                     "of vigil or regenerate it with `python examples/siege/generate.py`")


def load_demo(store: Store, data_dir: Path | None = None) -> IngestReport:
    """Ingest the whole demo scenario into ``store``."""
    return ingest([str(data_dir or demo_data_dir())], store, stages=default_stages())
