"""Area outages: a district going dark together, told from city-wide quiet, personal silences and chance."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt
import pytest

from vigil.store import SQLiteStore
from vigil.watch import add_watch, evaluate_silence
from vigil.watch.outage import THRESHOLDS, area_evidence, find_outages, threshold_for
from vigil.watch.rhythm import HOUR, RhythmTable, fit_rhythm
from vigil.watch.watchers import SilenceWatcher
from watch_helpers import T0, regular_times, write_posts

Array = npt.NDArray[np.float64]
DAYS = 21
DARK = (T0 + timedelta(days=18, hours=6)).timestamp()  # a Thursday, 09:00 local (UTC+3)


def _times(per_day: float, seed: int, days: float = DAYS) -> Array:
    return np.array([t.timestamp() for t in regular_times(per_day, days, seed=seed, utc_offset_h=3)])


@pytest.fixture(scope="module")
def city() -> dict[str, tuple[str, Array]]:
    """Two districts of eight people posting about 20 times a day, for three weeks."""
    people = {f"n{i}": ("North", _times(20, i)) for i in range(8)}
    people |= {f"s{i}": ("South", _times(20, 100 + i)) for i in range(8)}
    return people


def _evaluate(people: dict[str, tuple[str, Array]], at: float, *, dark: Collection[str] = (),
              dark_from: float = DARK) -> tuple[RhythmTable, Array, list[str]]:
    """Rhythms fitted an hour before the darkness, last posts up to ``at`` (dark areas post nothing after it)."""
    kept = [t[(t <= at) & ((t < dark_from) | (area not in dark))] for area, t in people.values()]
    table = RhythmTable.from_rhythms([fit_rhythm(t, at=dark_from - HOUR, utc_offset_min=180) for t in kept])
    last = np.array([t.max() if t.size else np.nan for t in kept])
    return table, last, [area for area, _ in people.values()]


def test_thresholds_fall_with_the_length_of_the_silence() -> None:
    values = threshold_for([0.0, 3 * HOUR, 6 * HOUR, 11 * HOUR, 12 * HOUR, 48 * HOUR])
    assert values.tolist() == [12.5, 12.5, 12.0, 12.0, 10.5, 10.5]
    assert [v for _, v in THRESHOLDS] == sorted((v for _, v in THRESHOLDS), reverse=True)


def test_a_district_going_dark_is_found_within_hours(city: dict[str, tuple[str, Array]]) -> None:
    before = find_outages(*_evaluate(city, DARK - HOUR, dark={"North"}), DARK - HOUR)
    assert before == []
    first = None
    for minutes in range(10, 8 * 60, 10):
        at = DARK + minutes * 60
        found = find_outages(*_evaluate(city, at, dark={"North"}), at)
        if found:
            first = minutes
            break
    assert first is not None and first <= 3 * 60, first
    (outage,) = found
    _table, last, areas = _evaluate(city, at, dark={"North"})
    north = [i for i, a in enumerate(areas) if a == "North"]
    assert outage.area == "North"
    assert outage.since == max(last[i] for i in north) < DARK  # its last sign of life
    assert sorted(outage.members) == north
    assert outage.window_s == pytest.approx(at - outage.since)
    assert outage.log_p <= -THRESHOLDS[0][1] and 0 < outage.expected <= len(north)


def test_evidence_grows_while_the_district_stays_dark(city: dict[str, tuple[str, Array]]) -> None:
    table, last, areas = _evaluate(city, DARK + 12 * HOUR, dark={"North"})
    series = [area_evidence(table, last, areas, DARK + h * HOUR).evidence[0] for h in (1, 2, 4, 8, 12)]
    assert series == sorted(series) and series[0] > 0
    # anyone of the area posting again ends it: the area is "back"
    back = last.copy()
    back[0] = DARK + 12 * HOUR - 600
    assert find_outages(table, back, areas, DARK + 12 * HOUR) == []
    assert find_outages(table, last, areas, DARK + 12 * HOUR)[0].area == "North"


def test_a_city_wide_silence_is_not_a_district_outage(city: dict[str, tuple[str, Array]]) -> None:
    for hours in (2, 4, 8, 24):
        at = DARK + hours * HOUR
        table, last, areas = _evaluate(city, at, dark={"North", "South"})
        ev = area_evidence(table, last, areas, at)
        assert find_outages(table, last, areas, at) == [], hours
        assert ev.ratio.max() < 0.3  # everyone is quieter than usual, so nobody's silence says much


def test_within_a_session_silence_is_no_evidence(city: dict[str, tuple[str, Array]]) -> None:
    table, last, areas = _evaluate(city, DARK, dark={"North"})
    fresh = last.copy()
    fresh[areas.index("North")] = DARK - 600
    ev = area_evidence(table, fresh, areas, DARK)
    assert ev.evidence[list(ev.names).index("North")] == 0.0


def test_one_person_falling_silent_is_not_an_outage() -> None:
    """A heavy poster goes quiet in a district whose other people stopped long ago: a personal silence."""
    people = {"busy": ("Solo", _times(40, 7))}
    people |= {f"gone{i}": ("Solo", _times(10, 20 + i, days=8)) for i in range(3)}
    people |= {f"w{i}": ("West", _times(20, 40 + i)) for i in range(4)}
    at = DARK + 12 * HOUR
    table, last, areas = _evaluate(people, at, dark={"Solo"})
    ev = area_evidence(table, last, areas, at)
    solo = list(ev.names).index("Solo")
    assert ev.evidence[solo] > 3.0  # the busy person's silence is surprising ...
    assert ev.n_members[solo] == 1 and ev.loo[solo] < 1.0  # ... but nobody else of the area would have posted
    low = ((0.0, 1.0),)
    assert find_outages(table, last, areas, at, thresholds=low) == []
    (alone,) = find_outages(table, last, areas, at, thresholds=low, min_accounts=1, loo_threshold=0.0)
    assert alone.area == "Solo" and [areas[i] for i in alone.members] == ["Solo"]


def test_never_seen_people_and_empty_input() -> None:
    assert find_outages(RhythmTable.from_rhythms([]), np.zeros(0), [], 0.0) == []
    table = RhythmTable.from_rhythms([fit_rhythm([], at=DARK) for _ in range(3)])
    ev = area_evidence(table, [np.nan] * 3, ["A", "A", "B"], DARK)
    assert np.isnan(ev.since).all() and (ev.evidence == 0).all() and (ev.n_members == 0).all()


def _t(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def test_outage_on_a_store_groups_people_and_silences_their_personal_alerts(store: SQLiteStore) -> None:
    for i in range(6):
        add_watch(store, f"east{i}", area="East", consent="self", utc_offset=180)
        write_posts(store, f"east{i}", [t for t in regular_times(20, DAYS, seed=i, utc_offset_h=3)
                                         if t.timestamp() < DARK])
    for i in range(4):
        add_watch(store, f"west{i}", area="West", consent="self", utc_offset=180)
        write_posts(store, f"west{i}", regular_times(20, DAYS, seed=50 + i, utc_offset_h=3))
    assert evaluate_silence(store, at=_t(DARK - HOUR)).outages == ()
    report = evaluate_silence(store, at=_t(DARK + 5 * HOUR))
    (outage,) = report.outages
    assert outage.area == "East" and sorted(outage.accounts) == [f"east{i}" for i in range(6)]
    body = report.to_dict()["outages"][0]
    assert {"area", "since", "accounts"} <= set(body) and body["since"] == outage.since
    assert _t(DARK - 3 * HOUR).isoformat() < outage.since.replace("Z", "+00:00") < _t(DARK).isoformat()
    conditions = SilenceWatcher().check(store, _t(DARK + 30 * HOUR))
    kinds = sorted((c.kind, c.subject) for c in conditions)
    assert kinds == [("outage", "East")]  # one outage, no personal alarms for its members
    # East is back: its first post ends the outage
    write_posts(store, "east3", [_t(DARK + 31 * HOUR)], text="back online")
    assert evaluate_silence(store, at=_t(DARK + 31.5 * HOUR)).outages == ()
