"""`evaluate_silence` on a real SQLite store: overdue accounts, handles across sources, outages, replay."""

from __future__ import annotations

from datetime import timedelta

import pytest

from vigil.store import SQLiteStore
from vigil.watch import add_watch, evaluate_silence, is_sensitive
from vigil.watch.silence import load_rhythms
from watch_helpers import T0, regular_times, write_posts

DAYS = 21


@pytest.fixture
def watched(store: SQLiteStore) -> SQLiteStore:
    """Five people in 'East' posting ~12/day for 3 weeks; 'quiet_one' stops after day 14."""
    for i in range(5):
        name = f"east{i}"
        add_watch(store, name, area="East", consent="self", utc_offset=180)
        write_posts(store, name, regular_times(12, DAYS, seed=i, utc_offset_h=3))
    add_watch(store, "quiet_one", area="West", consent="family", utc_offset=180)
    write_posts(store, "quiet_one", [t for t in regular_times(12, DAYS, seed=9, utc_offset_h=3)
                                     if t < T0 + timedelta(days=14)])
    add_watch(store, "west_ok", area="West", consent="self")
    write_posts(store, "west_ok", regular_times(12, DAYS, seed=10, utc_offset_h=3))
    return store


def _by_account(report: object) -> dict[str, dict[str, object]]:
    return {a["account"]: a for a in report.to_dict()["accounts"]}  # type: ignore[attr-defined]


def test_a_stopped_account_becomes_overdue(watched: SQLiteStore) -> None:
    early = evaluate_silence(watched, at=T0 + timedelta(days=14, hours=1))
    assert _by_account(early)["quiet_one"]["status"] == "ok"
    late = evaluate_silence(watched, at=T0 + timedelta(days=16))
    rows = _by_account(late)
    q = rows["quiet_one"]
    assert q["status"] == "overdue" and q["score"] > 0.5 and q["area"] == "West"
    assert set(q) >= {"account", "area", "status", "last_seen", "silent_for_s", "expected_gap_s", "score"}
    assert q["silent_for_s"] > 86400 and 0 < q["expected_gap_s"] < 86400
    assert rows["west_ok"]["status"] == "ok"
    assert [a.account for a in late.overdue] == ["quiet_one"]
    assert late.to_dict()["outages"] == []


def test_evaluation_ignores_messages_after_t(watched: SQLiteStore) -> None:
    at = T0 + timedelta(days=10, hours=12)
    report = evaluate_silence(watched, at=at)
    for a in report.accounts:
        assert a.last_seen is not None and a.last_seen <= report.at
    assert report.at.startswith("2025-01-16T12:00")


def test_rhythms_are_stored_and_reused(watched: SQLiteStore) -> None:
    at = T0 + timedelta(days=16)
    first = evaluate_silence(watched, at=at)
    stored = load_rhythms(watched)
    assert len(stored) == 7 and all(not r.cold_start for r in stored.values())
    # an hour later: the stored fits are reused, and new posts still count as signs of life
    write_posts(watched, "west_ok", [at + timedelta(minutes=30)], text="new")
    second = evaluate_silence(watched, at=at + timedelta(hours=1))
    assert {k: v.fitted_at for k, v in load_rhythms(watched).items()} == {k: v.fitted_at for k, v in stored.items()}
    assert _by_account(second)["west_ok"]["silent_for_s"] == pytest.approx(1800, abs=1)
    assert _by_account(first)["quiet_one"]["status"] == "overdue"
    # a replay of the past refits without replacing the newer fits
    evaluate_silence(watched, at=T0 + timedelta(days=5))
    assert {k: v.fitted_at for k, v in load_rhythms(watched).items()} == {k: v.fitted_at for k, v in stored.items()}


def test_any_handle_of_a_person_counts_as_alive(store: SQLiteStore) -> None:
    add_watch(store, "@dana_x", area="Zaytun", consent="self")
    add_watch(store, "@dana@qasr.social", area="Zaytun", consent="self", person="dana_x")
    times = regular_times(10, 14, seed=3)
    write_posts(store, "Dana_X", [t for t in times if t < T0 + timedelta(days=10)])
    # after day 10 she only posts on Mastodon, where her local acct has no instance
    write_posts(store, "dana", [t for t in times if t >= T0 + timedelta(days=10)], source="mastodon", fmt="mastodon")
    report = evaluate_silence(store, at=T0 + timedelta(days=14))
    (a,) = report.accounts
    assert a.account == "dana_x" and a.handles == ("dana_x", "dana@qasr.social")
    assert a.status == "ok" and a.silent_for_s is not None and a.silent_for_s < 12 * 3600


def test_area_outage_groups_accounts(watched: SQLiteStore) -> None:
    # East goes dark on day 18 at 09:00 local (06:00 UTC): remove what they posted afterwards
    dark = T0 + timedelta(days=18, hours=6)
    watched.execute("DELETE FROM messages WHERE author LIKE 'east%' AND created_at >= ?",
                    (dark.strftime("%Y-%m-%dT%H:%M:%S.000000Z"),))
    before = evaluate_silence(watched, at=dark - timedelta(hours=1))
    assert before.outages == ()
    during = evaluate_silence(watched, at=dark + timedelta(hours=8))
    (outage,) = during.outages
    assert outage.area == "East" and sorted(outage.accounts) == [f"east{i}" for i in range(5)]
    assert dark - timedelta(hours=3) < _t(outage.since) <= dark
    rows = _by_account(during)
    assert all(rows[f"east{i}"]["outage"] == "East" for i in range(5))
    assert rows["west_ok"]["outage"] is None


def _t(stamp: str) -> object:
    from vigil.text import parse_datetime

    return parse_datetime(stamp)


def test_sensitive_and_empty(store: SQLiteStore) -> None:
    assert is_sensitive(evaluate_silence)
    report = evaluate_silence(store, at=T0)
    assert report.to_dict() == {"at": "2025-01-06T00:00:00.000000Z", "accounts": [], "outages": []}
    assert report.SENSITIVE


def test_silence_longer_than_the_history_window_is_overdue(watched: SQLiteStore) -> None:
    # quiet_one's last post is day 14: 120 days later it lies outside the rhythm's history window, and a
    # person silent for months must read as overdue with the real last post, not as "ok, never seen"
    at = T0 + timedelta(days=134)
    q = _by_account(evaluate_silence(watched, at=at))["quiet_one"]
    assert q["status"] == "overdue" and q["score"] > 0.5
    assert q["last_seen"] is not None and q["last_seen"] < (T0 + timedelta(days=14)).isoformat()
    assert q["silent_for_s"] > 119 * 86400


def test_a_watched_person_who_never_posted_has_no_last_post(store: SQLiteStore) -> None:
    add_watch(store, "new_person", area="East", consent="self")
    q = _by_account(evaluate_silence(store, at=T0))["new_person"]
    assert q["last_seen"] is None and q["silent_for_s"] is None and q["status"] == "ok"
