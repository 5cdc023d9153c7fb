"""What every benchmark section says about the machine it ran on (shared by the benchmark modules)."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_name() -> str:
    """The CPU model from /proc/cpuinfo, or ``unknown CPU``."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def load_average() -> float:
    """The 1-minute load average (NaN where the platform has none)."""
    try:
        return os.getloadavg()[0]
    except (OSError, AttributeError):
        return float("nan")
