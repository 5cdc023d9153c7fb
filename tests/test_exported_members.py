"""Public names listed in `__all__` exist, and modules of the public API declare `__all__`."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import vigil

MODULES = sorted(m.name for m in pkgutil.walk_packages(vigil.__path__, "vigil.")
                 if not any(part.startswith("_") for part in m.name.split(".")[1:]))


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # optional backends (e.g. PostgreSQL) may need extras
        pytest.fail(f"{name} does not import: {exc}")
    for public in getattr(module, "__all__", []):
        assert hasattr(module, public), f"{name}.__all__ lists {public!r}, which does not exist"


def test_top_level_api() -> None:
    assert set(vigil.__all__) >= {"Message", "Reject", "VigilError"}
