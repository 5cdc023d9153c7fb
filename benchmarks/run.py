"""Run every benchmark module in this folder and write docs/benchmarks.md.

Each ``benchmarks/<area>.py`` exposes ``run() -> str`` returning a markdown section that names the exact
command behind its figures. Usage: ``python benchmarks/run.py [--only AREA ...] [--out docs/benchmarks.md]``.
Each area's latest section is kept in ``docs/benchmarks/<area>.md``; docs/benchmarks.md gathers them all.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from pathlib import Path

from _machine import cpu_name

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = cpu_name()
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
    parser.add_argument("--only", nargs="*", default=None, help="areas (file stems) to run; others are kept")
    args = parser.parse_args()
    out = Path(args.out)
    sections_dir = out.parent / "benchmarks"
    sections_dir.mkdir(parents=True, exist_ok=True)
    modules = sorted(p for p in HERE.glob("*.py") if p.stem not in {"run", "__init__"} and not p.stem.startswith("_"))
    for path in modules:
        if args.only is not None and path.stem not in args.only:
            continue
        print(f"== {path.stem}", flush=True)
        started = time.time()
        section = load(path).run()  # type: ignore[attr-defined]
        section = section.rstrip() + (f"\n\n_({path.stem}: {time.time() - started:.0f} s on "
                                      f"{time.strftime('%Y-%m-%d')}; machine: {machine()})_\n")
        (sections_dir / f"{path.stem}.md").write_text(section)
        print(section, flush=True)
    # docs/benchmarks.md gathers the latest section of every area, each produced by the command it names
    body = ["# Benchmarks", "",
            "Produced by `make bench` (`python benchmarks/run.py`), one section per `benchmarks/<area>.py`; each "
            "section names the exact command behind its figures and the machine and load it ran on. "
            "`python benchmarks/run.py --only AREA` refreshes one area.", ""]
    for path in sorted(sections_dir.glob("*.md")):
        body += [path.read_text().rstrip(), ""]
    out.write_text("\n".join(body))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
