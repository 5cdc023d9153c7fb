"""The demo scenario's articles and feeds give a sitrep with every conflict planted in truth.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vigil.sitrep import render, sitrep_from_paths

DEMO = Path(__file__).resolve().parent.parent / "examples" / "siege"
pytestmark = pytest.mark.skipif(not (DEMO / "truth.json").exists(), reason="demo scenario not generated")

# truth.json topic -> (conflict subject, values or statuses that must stand side by side in it)
EXPECTED: dict[str, tuple[str, set[Any]]] = {
    "civilians trapped in the city": ("people trapped", {(20000, 35000), (50000, 50000), (30000, 30000)}),
    "fighters inside the city": ("fighters", {(5000, 5000), (8001, None)}),
    "death toll of the 2025-02-03 shelling of Al-Jisr": ("deaths", {45, 62, 80}),
    "when the ceasefire took effect": ("ceasefire (took effect)", {0, 21}),
    "ceasefire status on 2025-02-05": ("ceasefire", {"holding", "collapsed"}),
    "first evacuation convoy on 2025-02-09": ("convoy", {"reached", "halted", "under fire"}),
    "Al-Nahr General Hospital": ("hospital", {"out of service", "operating"}),
    "deaths from malnutrition": ("deaths (malnutrition)", {6, 9}),
}


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    data = DEMO / "data"
    sitrep = sitrep_from_paths([str(data / "articles"), str(data / "feeds")])
    loaded: dict[str, Any] = json.loads(render(sitrep, "json"))
    return loaded


def _values(report: dict[str, Any], subject: str) -> set[Any]:
    claims = {c["id"]: c for c in report["claims"]}
    out: set[Any] = set()
    for conflict in report["conflicts"]:
        if conflict["subject"] != subject:
            continue
        for cid in conflict["claim_ids"]:
            c = claims[cid]
            if c["kind"] == "count":
                out |= {(c["value_low"], c["value_high"]), c["value_low"]}
            elif c["kind"] == "status":
                out |= {c["status"], c.get("hour")}
    return out


def test_every_planted_conflict_is_reported() -> None:
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    topics = {c["topic"] for c in truth["conflicts"]}
    assert topics == set(EXPECTED), "truth.json changed: update EXPECTED"


@pytest.mark.parametrize("topic", sorted(EXPECTED))
def test_planted_conflict(report: dict[str, Any], topic: str) -> None:
    subject, must = EXPECTED[topic]
    found = _values(report, subject)
    assert must <= found, f"{topic}: {must - found} missing from the {subject!r} conflict"


def test_each_side_blames_the_other_for_the_ceasefire(report: dict[str, Any]) -> None:
    blame = [c for c in report["conflicts"] if c["subject"] == "blame: ceasefire"]
    assert blame and "each side blames the other" in blame[0]["why"]


def test_markdown_report_reads_like_a_sitrep() -> None:
    data = DEMO / "data"
    md = render(sitrep_from_paths([str(data / "articles")]), "md")
    assert "| deaths |" in md and "Health Directorate" in md and "Qasr Civil Defence" in md
    assert md.index("## Conflicts") < md.index("## Statuses (latest change first)") < md.index("## Notable quotes")
    assert "Marta Lindqvist" in md
