"""The watch-list, silence and watcher commands, run the way a user types them."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from conftest import Cli
from vigil.store import open_store
from watch_helpers import T0, regular_times, write_posts


def test_watch_add_list_remove(vigil: Cli) -> None:
    refused = vigil("watch", "add", "@rami", "--area", "Al-Bustan")
    assert refused.exit_code == 2 and "without consent" in refused.output and "Traceback" not in refused.output
    ok = vigil("watch", "add", "@Rami", "--area", "Al-Bustan", "--consent", "sister, by phone", "--by", "ops",
               "--note", "hourly", "--utc-offset", "+03:00")
    assert ok.exit_code == 0, ok.output
    assert "watching @rami" in ok.output
    listed = json.loads(vigil("watch", "list", "--json").output)
    assert listed["sensitive"] is True
    (person,) = listed["people"]
    assert person["handles"][0] | {"added_at": "x"} == {"handle": "rami", "consent": "sister, by phone",
                                                        "added_by": "ops", "added_at": "x", "note": "hourly"}
    assert "sister, by phone" in vigil("watch", "list").output
    assert vigil("watch", "remove", "@rami").exit_code == 0
    missing = vigil("watch", "remove", "@rami")
    assert missing.exit_code == 1 and "not on the watch-list" in missing.output


def test_watch_import_and_area(vigil: Cli, tmp_path: Path) -> None:
    f = tmp_path / "w.csv"
    f.write_text("account,area,consent,note\n@a,East,yes,\n@b,East,yes,\n", encoding="utf-8")
    out = vigil("watch", "import", str(f), "--utc-offset", "+03:00", "--json")
    assert json.loads(out.output) == {"rows": 2, "added": 2, "updated": 0}
    assert "East: UTC+02:00" in vigil("watch", "area", "East", "--utc-offset", "+2").output


def test_silence_json_contract_and_table(vigil: Cli) -> None:
    assert vigil("watch", "add", "quiet", "--area", "West", "--consent", "family").exit_code == 0
    assert vigil("watch", "add", "busy", "--area", "West", "--consent", "self").exit_code == 0
    with open_store(vigil.db) as store:
        times = regular_times(12, 21, seed=1)
        write_posts(store, "quiet", [t for t in times if t < T0 + timedelta(days=14)])
        write_posts(store, "busy", regular_times(12, 21, seed=2))
    result = vigil("silence", "--at", "2025-01-22T00:00:00Z", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["at"].startswith("2025-01-22T00:00:00") and data["outages"] == []
    rows = {a["account"]: a for a in data["accounts"]}
    assert rows["quiet"]["status"] == "overdue" and rows["busy"]["status"] == "ok"
    for a in data["accounts"]:
        assert 0.0 <= a["score"] <= 1.0 and a["area"] == "West"
    table = vigil("silence", "--at", "2025-01-22T00:00:00Z").output
    assert "overdue" in table and "@quiet" in table and "no area-wide outage" in table
    bad = vigil("silence", "--at", "yesterday-ish")
    assert bad.exit_code == 2


def test_every_watch_command_has_help_with_an_example(vigil: Cli) -> None:
    for args in (["watch"], ["watch", "add"], ["watch", "import"], ["watch", "list"], ["watch", "remove"],
                 ["watch", "area"], ["silence"]):
        out = vigil(*args, "--help", db=False)
        assert out.exit_code == 0 and "Example:" in out.output, args
