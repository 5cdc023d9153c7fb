"""The watch-list: consent required, handles grouped into persons, CSV import, removal."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.errors import InputError, NotFoundError, UsageError
from vigil.store import SQLiteStore
from vigil.watch import add_watch, import_watchlist, is_sensitive, list_watched, remove_watch
from vigil.watch.watchlist import area_offsets, match_keys, normalize_handle, parse_utc_offset
from watch_helpers import T0


def test_add_stores_consent_and_who_added(store: SQLiteStore) -> None:
    p = add_watch(store, "@Rami_Bustan", area="Al-Bustan", consent="sister, by phone", note="hourly", by="ops",
                  now=T0)
    assert p.name == "rami_bustan" and p.area == "Al-Bustan"
    (h,) = p.handles
    assert (h.handle, h.consent, h.added_by, h.note) == ("rami_bustan", "sister, by phone", "ops", "hourly")
    assert h.added_at.startswith("2025-01-06")


@pytest.mark.parametrize("consent", ["", "   "])
def test_no_consent_is_refused(store: SQLiteStore, consent: str) -> None:
    with pytest.raises(UsageError, match="without consent"):
        add_watch(store, "rami", area="Al-Bustan", consent=consent)
    assert list_watched(store) == []


def test_who_added_defaults_to_the_os_user(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_USER", "hotline-3")
    p = add_watch(store, "rami", area="A", consent="self")
    assert p.handles[0].added_by == "hotline-3"


def test_handles_group_under_one_person(store: SQLiteStore) -> None:
    add_watch(store, "@dana_writes_qn", area="Tal al-Zaytun", consent="self")
    p = add_watch(store, "@Dana@qasr.social", area="Tal al-Zaytun", consent="self", person="dana_writes_qn")
    assert [h.handle for h in p.handles] == ["dana_writes_qn", "dana@qasr.social"]
    assert len(list_watched(store)) == 1
    assert match_keys("dana@qasr.social") == [("dana@qasr.social", ""), ("dana", "mastodon")]


def test_import_csv_groups_same_person_notes(store: SQLiteStore, tmp_path: Path) -> None:
    f = tmp_path / "watchlist.csv"
    f.write_text("account,area,consent,note\n"
                 "@nour@qasr.social,Al-Jisr,self,same person as @nour_qn\n"
                 "@nour_qn,Al-Jisr,self,\n"
                 "@umm_khalil,Al-Jisr,family,\"elderly, daughter calls\"\n", encoding="utf-8")
    report = import_watchlist(store, f, by="import", utc_offset=180)
    assert (report.rows, report.added, report.updated) == (3, 3, 0)
    people = {p.name: p for p in list_watched(store)}
    assert sorted(people) == ["nour_qn", "umm_khalil"]
    assert [h.handle for h in people["nour_qn"].handles] == ["nour_qn", "nour@qasr.social"]
    assert people["umm_khalil"].handles[0].note == "elderly, daughter calls"
    assert area_offsets(store) == {"Al-Jisr": 180}
    again = import_watchlist(store, f)
    assert (again.added, again.updated) == (0, 3)


def test_import_refuses_a_file_with_a_row_without_consent(store: SQLiteStore, tmp_path: Path) -> None:
    f = tmp_path / "w.csv"
    f.write_text("account,area,consent\n@a,X,yes\n@b,X,\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"line 3.*no consent"):
        import_watchlist(store, f)
    assert list_watched(store) == []


def test_import_needs_the_columns(store: SQLiteStore, tmp_path: Path) -> None:
    f = tmp_path / "w.csv"
    f.write_text("account,area\n@a,X\n", encoding="utf-8")
    with pytest.raises(InputError, match="consent"):
        import_watchlist(store, f)
    with pytest.raises(InputError, match="cannot read"):
        import_watchlist(store, tmp_path / "missing.csv")


def test_remove(store: SQLiteStore) -> None:
    add_watch(store, "a", area="X", consent="yes")
    add_watch(store, "a2", area="X", consent="yes", person="a")
    remove_watch(store, "@A")
    assert [h.handle for h in list_watched(store)[0].handles] == ["a2"]
    remove_watch(store, "a2")
    assert list_watched(store) == []
    with pytest.raises(NotFoundError):
        remove_watch(store, "a2")


def test_helpers_and_sensitivity() -> None:
    assert normalize_handle(" @Abc ") == "abc"
    assert parse_utc_offset("+03:00") == 180 and parse_utc_offset("-0530") == -330 and parse_utc_offset(2) == 120
    with pytest.raises(UsageError):
        parse_utc_offset("east")
    assert is_sensitive(list_watched)
