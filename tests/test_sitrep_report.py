"""Reconciliation, the report formats and the ``vigil sitrep`` command (files and store)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from vigil.ingest import ingest
from vigil.message import Message
from vigil.sitrep import CLAIM_KEYS, Claim, build_sitrep, find_conflicts, render, sitrep_from_store
from vigil.stages import default_stages
from vigil.store import SQLiteStore

FIXTURES = Path(__file__).parent / "fixtures" / "sitrep"
T0 = datetime(2025, 2, 3, 12, tzinfo=UTC)


def count(cid: str, low: int | None, high: int | None, who: str, when: str = "2025-02-03T12:00:00.000000Z",
          subject: str = "deaths") -> Claim:
    return Claim(cid, "count", f"{low} killed", subject, (who,), cid.split("#")[0], when, value_low=low,
                 value_high=high)


def status(cid: str, value: str, who: str, when: str, subject: str = "convoy", hour: int | None = None) -> Claim:
    return Claim(cid, "status", f"the {subject} {value}", subject, (who,), cid.split("#")[0], when, status=value,
                 extra={"hour": hour} if hour is not None else {})


def test_numbers_from_different_sources_conflict_and_stay_side_by_side() -> None:
    claims = [count("a#1", 45, None, "Health Directorate"), count("b#1", 62, 62, "Civil Defence"),
              count("c#1", 80, 80, "activists")]
    (conflict,) = find_conflicts(claims)
    assert conflict.subject == "deaths" and conflict.claim_ids == ("a#1", "b#1", "c#1")
    assert "45" in conflict.why and "62" in conflict.why and "80" in conflict.why and "activists" in conflict.why


@pytest.mark.parametrize("claims", [
    [count("a#1", 20000, 35000, "Levant Daily", subject="people trapped"),
     count("b#1", 30000, 30000, "Courier", subject="people trapped")],  # overlapping ranges
    [count("a#1", 100, 100, "A"), count("b#1", 105, 105, "B")],  # within tolerance
    [count("a#1", 45, 45, "Health Directorate"), count("b#1", 60, 60, "Health Directorate")],  # an update, one source
    [count("a#1", 45, 45, "A"), count("b#1", 80, 80, "B", when="2025-02-07T12:00:00.000000Z")],  # another incident
])
def test_no_conflict(claims: list[Claim]) -> None:
    assert find_conflicts(claims) == []


def test_contradictory_statuses_and_timing() -> None:
    claims = [status("a#1", "halted", "activists", "2025-02-09T06:00:00.000000Z"),
              status("b#1", "reached", "Evacuation Committee", "2025-02-09T08:40:00.000000Z"),
              status("c#1", "departed", "Courier", "2025-02-09T08:40:00.000000Z"),
              status("d#1", "took effect", "officials", "2025-02-05T07:30:00.000000Z", "ceasefire", 0),
              status("e#1", "took effect", "UN", "2025-02-05T16:00:00.000000Z", "ceasefire", 21)]
    conflicts = {c.subject: c for c in find_conflicts(claims)}
    assert conflicts["convoy"].claim_ids == ("a#1", "b#1") and conflicts["convoy"].kind == "status"
    assert conflicts["ceasefire (took effect)"].kind == "timing"


def test_blame_conflicts() -> None:
    base = dict(kind="statement", text="t", subject="blame: ceasefire", document="x", published_at="2025-02-05T16:00Z")
    claims = [Claim(id="a#1", attributed_to=("command",), blamed="armed groups", **base),  # type: ignore[arg-type]
              Claim(id="b#1", attributed_to=("activists",), blamed="besieging forces", **base),  # type: ignore[arg-type]
              Claim(id="c#1", attributed_to=("Courier",), blamed="each other", **base)]  # type: ignore[arg-type]
    (conflict,) = find_conflicts(claims)
    assert set(conflict.claim_ids) == {"a#1", "b#1", "c#1"} and conflict.kind == "blame"


def article(i: int, text: str, when: datetime = T0, **kw: Any) -> Message:
    return Message(f"news:{i}", "news", "article", str(i), when, text, title=f"story {i}", **kw)


def test_report_formats_escape_attacker_text() -> None:
    evil = '<script>alert(1)</script> | **x**'
    msgs = [article(1, f'At least 45 people were killed, the Health Directorate said. "{evil} we have no food," '
                       f'said Omar <b>Haddad</b>.'),
            article(2, "Activists put the toll at 80. The convoy was halted at the checkpoint, activists said."),
            article(3, "The convoy reached the crossing, the committee said.", when=T0)]
    sitrep = build_sitrep(msgs, now=T0)
    page = render(sitrep, "html")
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>Haddad" not in page
    md = render(sitrep, "md")
    assert "<script>" not in md and "\\<script\\>" in md
    for heading in ("## Key numbers", "## Conflicts", "## Statuses (latest change first)", "## Notable quotes",
                    "## Most urgent messages by type"):
        assert heading in md
    assert "not available" in md  # no classifier results: the section says so instead of failing
    data = json.loads(render(sitrep, "json"))
    assert data["documents"] == 3 and {c["subject"] for c in data["conflicts"]} >= {"deaths", "convoy"}


def test_urgent_messages_use_classifier_results_when_present() -> None:
    post = Message("x:1", "x", "twitter-v2", "1", T0, "We are trapped in the basement, please send help",
                   author="nour").with_enrichment("humaid_type.v1", {"label": "requests_or_urgent_needs",
                                                                   "score": 0.9})
    post = post.with_enrichment("urgency.v1", {"label": "high", "score": 0.95})
    md = render(build_sitrep([post], now=T0), "md")
    assert "requests or urgent needs" in md and "@nour" in md and "0.95" in md


def test_cli_over_files_json_contract(vigil: Cli) -> None:
    out = vigil("sitrep", str(FIXTURES), "--format", "json", db=False)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) == {"documents", "claims", "conflicts"} and data["documents"] == 4
    for claim in data["claims"]:
        assert set(CLAIM_KEYS) <= set(claim)
    for conflict in data["conflicts"]:
        assert set(conflict) >= {"subject", "claim_ids", "why"}
        ids = {c["id"] for c in data["claims"]}
        assert set(conflict["claim_ids"]) <= ids


def test_cli_since_until_and_bad_usage(vigil: Cli) -> None:
    out = vigil("sitrep", str(FIXTURES), "--format", "json", "--since", "2024-05-01", db=False)
    assert json.loads(out.output)["documents"] == 2
    both = vigil("sitrep", str(FIXTURES), "--db", "x.db", db=False)
    assert both.exit_code == 2


def test_cli_over_the_store_uses_the_stage_results(vigil: Cli, store: SQLiteStore) -> None:
    assert "claims.v1" in default_stages()
    ingest([str(FIXTURES)], store, stages=default_stages())
    stored = next(iter(store.messages()))
    assert "claims.v1" in stored.enrichments
    from_store = sitrep_from_store(store, now=T0).to_dict()
    assert from_store["documents"] == 4 and from_store["claims"]
    out = vigil("sitrep", "--format", "md")
    assert out.exit_code == 0 and "# Situation report" in out.output
    window = vigil("sitrep", "--format", "json", "--until", "2024-04-01")
    assert json.loads(window.output)["documents"] == 2
