"""Run every benchmark module in this folder and write docs/benchmarks.md.

Each ``benchmarks/<area>.py`` exposes ``run() -> str`` returning a markdown section that names the exact
command behind its figures. Usage: ``python benchmarks/run.py [--only AREA ...] [--out docs/benchmarks.md]``.
With ``--only`` the other sections are kept from the existing file (each lives between markers).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(HERE))
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="docs/benchmarks.md")
    parser.add_argument("--only", nargs="*", default=None, help="areas (file stems) to run")
    args = parser.parse_args()
    out = Path(args.out)
    existing = out.read_text() if out.exists() else ""
    sections: dict[str, str] = dict(re.findall(r"<!-- bench:(\w+) -->\n(.*?)<!-- /bench -->", existing, re.S))
    modules = sorted(p for p in HERE.glob("*.py") if p.stem not in {"run", "__init__"} and not p.stem.startswith("_"))
    for path in modules:
        if args.only is not None and path.stem not in args.only:
            continue
        print(f"== {path.stem}", flush=True)
        started = time.time()
        section = load(path).run()  # type: ignore[attr-defined]
        sections[path.stem] = section.rstrip() + f"\n\n_({path.stem}: {time.time() - started:.0f} s, "\
            f"{time.strftime('%Y-%m-%d')})_\n"
        print(section, flush=True)
    body = ["# Benchmarks", "",
            "Produced by `make bench` (`python benchmarks/run.py`); one section per `benchmarks/<area>.py`, each "
            "naming the command behind its figures.", "", f"Machine: {machine()}.", ""]
    for name in sorted(sections):
        body += [f"<!-- bench:{name} -->", sections[name].rstrip(), "<!-- /bench -->", ""]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(body))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
