"""The demo scenario replayed: its silent account is overdue and its blackout district is an outage."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from vigil.ingest import ingest
from vigil.store import open_store
from vigil.text import parse_datetime
from vigil.watch import evaluate_silence, import_watchlist

DEMO = Path(__file__).resolve().parents[1] / "examples" / "siege"


@pytest.mark.skipif(not (DEMO / "data").is_dir() or not (DEMO / "watchlist.csv").is_file(),
                    reason="demo scenario not generated")
def test_demo_silent_account_and_blackout(tmp_path: Path) -> None:
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    incidents = {i["type"]: i for i in truth["incidents"]}
    silent, blackout = incidents["account_silence"], incidents["district_blackout"]
    with open_store(tmp_path / "demo.db") as store:
        ingest([str(DEMO / "data")], store, stages=[])
        import_watchlist(store, DEMO / "watchlist.csv", by="test", utc_offset=180)
        start, end = parse_datetime(blackout["start"]), parse_datetime(blackout["end"])

        before = evaluate_silence(store, at=start.replace(hour=start.hour - 1))
        assert before.outages == ()
        during = evaluate_silence(store, at=end.replace(hour=end.hour - 3))
        (outage,) = during.outages
        assert outage.area == blackout["district"]
        expected = {a.lstrip("@").lower() for a in blackout["accounts"]}
        people = {a.account: a for a in during.accounts}
        assert {h for a in outage.accounts for h in people[a].handles} == expected
        assert start.timestamp() - 3 * 3600 <= parse_datetime(outage.since).timestamp() <= start.timestamp()
        # flagged within 10 hours of the tower being hit (found at 16:30Z, 8.8 h; 3 h is out of reach: see
        # docs/benchmarks/silence.md), back once its people post again, and no other outage in the 10 days
        assert [o.area for o in evaluate_silence(store, at=start + timedelta(hours=10)).outages] == [outage.area]
        assert evaluate_silence(store, at=end + timedelta(minutes=30)).outages == ()
        scenario = truth["scenario"]
        t, stop = parse_datetime(scenario["start"]), parse_datetime(scenario["end"])
        while t <= stop:
            for o in evaluate_silence(store, at=t).outages:
                assert o.area == blackout["district"] and start <= t <= end + timedelta(hours=1), (o.area, t)
            t += timedelta(hours=1)

        handle = silent["accounts"][0].lstrip("@").lower()
        last = parse_datetime(silent["last_post_at"])
        after = evaluate_silence(store, at=datetime.fromtimestamp(last.timestamp() + 36 * 3600, last.tzinfo))
        row = next(a for a in after.accounts if a.account == handle)
        assert row.status == "overdue" and row.last_seen is not None
        assert parse_datetime(row.last_seen) == last
        assert after.outages == ()
