"""The watch-list: people watched for silence, each added with their (or their family's) consent.

A watched *person* has an area (a district, used for outages and for local time) and one or more *handles*
(X, Telegram, Mastodon...). Handles match message authors case-insensitively across sources, and any of a
person's handles posting counts as a sign of life. Every handle is stored with the consent text and who added
it; a handle without consent is refused.

Example:
    >>> from vigil.store import open_store
    >>> with open_store(":memory:") as store:
    ...     _ = add_watch(store, "@Rami_Bustan", area="Al-Bustan", consent="family, case 0121", by="ops")
    ...     [p.name for p in list_watched(store)]
    ['rami_bustan']
"""

from __future__ import annotations

import csv
import getpass
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..errors import InputError, NotFoundError, UsageError
from ..message import format_ts
from ..store import Store
from .privacy import sensitive

__all__ = ["ImportReport", "WatchedHandle", "WatchedPerson", "add_watch", "area_offsets", "current_user",
           "format_utc_offset", "import_watchlist", "list_watched", "match_keys", "normalize_handle",
           "parse_utc_offset", "remove_watch", "set_area_offset"]

_SAME_AS = re.compile(r"same person as\s+(@[\w.@-]+\w)", re.IGNORECASE)
_OFFSET = re.compile(r"^(?:UTC)?\s*([+-])?(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


@dataclass(frozen=True)
class WatchedHandle:
    """One handle of a watched person, with the consent it was added on."""

    handle: str
    consent: str
    added_by: str
    added_at: str
    note: str = ""


@dataclass(frozen=True)
class WatchedPerson:
    """A watched person: a name, an area, and the handles any of which counts as alive."""

    SENSITIVE = True

    person_id: int
    name: str
    area: str
    added_at: str
    handles: tuple[WatchedHandle, ...] = field(default_factory=tuple)

    @property
    def account(self) -> str:
        """The handle the person was first added under (the name shown in silence reports)."""
        return self.handles[0].handle if self.handles else self.name

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (``vigil watch list --json``)."""
        return {"person": self.name, "account": self.account, "area": self.area, "added_at": self.added_at,
                "handles": [{"handle": h.handle, "consent": h.consent, "added_by": h.added_by,
                             "added_at": h.added_at, "note": h.note} for h in self.handles]}


@dataclass
class ImportReport:
    """What :func:`import_watchlist` did."""

    added: int = 0
    updated: int = 0
    rows: int = 0


def normalize_handle(handle: str) -> str:
    """The form handles are stored and matched in: stripped, without a leading ``@``, lowercase.

    >>> normalize_handle(" @Rami_Bustan ")
    'rami_bustan'
    """
    return handle.strip().lstrip("@").strip().lower()


def match_keys(handle: str) -> list[tuple[str, str]]:
    """How a stored handle is recognised among message authors: ``(lowercased author, reader format or '')``.

    A fediverse handle ``user@instance`` is also the bare ``user`` of Mastodon statuses (their ``acct`` has no
    instance for local accounts).

    >>> match_keys("nour@qasr.social")
    [('nour@qasr.social', ''), ('nour', 'mastodon')]
    """
    keys = [(handle, "")]
    user, at, instance = handle.partition("@")
    if at and user and instance:
        keys.append((user, "mastodon"))
    return keys


def current_user(env: dict[str, str] | None = None) -> str:
    """Who is adding entries: ``$VIGIL_USER``, else the OS user, else ``"unknown"``."""
    environ = os.environ if env is None else env
    if environ.get("VIGIL_USER"):
        return environ["VIGIL_USER"]
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry in some containers
        return "unknown"


def parse_utc_offset(text: str | int) -> int:
    """Minutes east of UTC from ``"+03:00"``, ``"+3"``, ``"-0530"``, ``"UTC+2"`` or an int of hours.

    >>> parse_utc_offset("+03:00"), parse_utc_offset("-5"), parse_utc_offset("0530")
    (180, -300, 330)
    """
    if isinstance(text, int):
        return text * 60
    m = _OFFSET.match(text.strip())
    if m is None:
        raise UsageError(f"bad UTC offset {text!r}; write it like +03:00 or -5")
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    if minutes > 14 * 60:
        raise UsageError(f"UTC offset {text!r} is out of range (-14:00..+14:00)")
    return -minutes if m.group(1) == "-" else minutes


def format_utc_offset(minutes: int) -> str:
    """``180`` -> ``"+03:00"``."""
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def add_watch(store: Store, account: str, *, area: str, consent: str, note: str = "", person: str | None = None,
              by: str | None = None, utc_offset: int | None = None, now: datetime | None = None) -> WatchedPerson:
    """Add (or update) a watched handle with its consent; return the person it belongs to.

    Args:
        account: the handle (``@`` optional, any case).
        area: the person's area (district); outages are grouped by it.
        consent: who consented, how and when. Required: without it nothing is stored.
        note: free text for the people who run the watch.
        person: group this handle under a person of that name (several handles, one human); default: the
            handle itself.
        by: who is adding it (default: :func:`current_user`).
        utc_offset: the area's local time in minutes east of UTC (kept per area).
        now: the clock, for tests.

    Raises:
        UsageError: no consent, no handle or no area.
    """
    handle = normalize_handle(account)
    if not handle:
        raise UsageError("an account handle is required")
    if not consent or not consent.strip():
        raise UsageError(f"refusing to watch {handle!r} without consent: pass --consent with who agreed, how and when")
    if not area or not area.strip():
        raise UsageError(f"an area is required for {handle!r} (the district it is in), e.g. --area 'Al-Bustan'")
    stamp = format_ts(now or datetime.now(UTC))
    who = by or current_user()
    name = (person or "").strip() or handle
    area = area.strip()
    with store.transaction() as conn:
        row = conn.execute("SELECT person_id FROM watch_persons WHERE name = ?", (name,)).fetchone()
        if row is None:
            existing = conn.execute("SELECT person_id FROM watch_handles WHERE handle = ?", (handle,)).fetchone()
            if existing is not None and person is None:
                person_id = int(existing[0])
                conn.execute("UPDATE watch_persons SET area = ? WHERE person_id = ?", (area, person_id))
            else:
                cur = conn.execute("INSERT INTO watch_persons (name, area, added_at) VALUES (?, ?, ?)",
                                   (name, area, stamp))
                person_id = int(cur.lastrowid)
        else:
            person_id = int(row[0])
            conn.execute("UPDATE watch_persons SET area = ? WHERE person_id = ?", (area, person_id))
        old = conn.execute("SELECT person_id FROM watch_handles WHERE handle = ?", (handle,)).fetchone()
        if old is None:
            conn.execute("INSERT INTO watch_handles (handle, person_id, consent, added_by, added_at, note) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (handle, person_id, consent.strip(), who, stamp, note))
        else:
            conn.execute("UPDATE watch_handles SET person_id = ?, consent = ?, added_by = ?, note = ? "
                         "WHERE handle = ?", (person_id, consent.strip(), who, note, handle))
            conn.execute("DELETE FROM watch_keys WHERE handle = ?", (handle,))
            conn.execute("DELETE FROM watch_rhythm WHERE person_id = ?", (int(old[0]),))
            _drop_if_empty(conn, int(old[0]))
        conn.executemany("INSERT INTO watch_keys (key, format, handle, person_id) VALUES (?, ?, ?, ?)",
                         [(key, fmt, handle, person_id) for key, fmt in match_keys(handle)])
        if utc_offset is not None:
            conn.execute("DELETE FROM watch_areas WHERE area = ?", (area,))
            conn.execute("INSERT INTO watch_areas (area, utc_offset_min) VALUES (?, ?)", (area, utc_offset))
        # the person's history changed shape (new handle, new area time): refit on next use
        conn.execute("DELETE FROM watch_rhythm WHERE person_id = ?", (person_id,))
    return _person(store, person_id)


def import_watchlist(store: Store, path: str | Path, *, by: str | None = None, utc_offset: int | None = None,
                     now: datetime | None = None) -> ImportReport:
    """Add every row of a CSV file with columns ``account,area,consent`` (optional ``note``, ``person``,
    ``utc_offset``, ``by``).

    Handles of one person are grouped by a ``person`` column, or by a note saying ``same person as @handle``.

    All rows are checked before anything is stored: one row without consent refuses the whole file.

    Raises:
        InputError: the file is missing or lacks a required column.
        UsageError: a row has no consent (the message names the line).
    """
    p = Path(path)
    try:
        with p.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fields = {f.strip().lower() for f in reader.fieldnames or []}
            missing = {"account", "area", "consent"} - fields
            if missing:
                raise InputError(f"{p}: missing column(s) {', '.join(sorted(missing))}; the header must have "
                                 f"account,area,consent[,note][,person][,utc_offset]")
            rows = [({(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}, reader.line_num)
                    for row in reader]
    except OSError as exc:
        raise InputError(f"cannot read watch-list {p}: {exc.strerror or exc}") from None
    for row, line in rows:
        if not row.get("account"):
            raise UsageError(f"{p} line {line}: no account")
        if not row.get("consent"):
            raise UsageError(f"{p} line {line}: {row['account']!r} has no consent; nothing was imported")
    report = ImportReport(rows=len(rows))
    known = {r[0] for r in store.query("SELECT handle FROM watch_handles")}
    # rows that say "same person as @x" (and name no person) go after the row of @x, under its person
    rows.sort(key=lambda r: bool(_same_as(r[0])))
    for row, _line in rows:
        offset = parse_utc_offset(row["utc_offset"]) if row.get("utc_offset") else utc_offset
        person = row.get("person") or None
        ref = _same_as(row)
        if ref:
            found = store.query("SELECT p.name FROM watch_handles h JOIN watch_persons p ON p.person_id = h.person_id "
                                "WHERE h.handle = ?", (ref,))
            person = str(found[0][0]) if found else None
        add_watch(store, row["account"], area=row.get("area", ""), consent=row["consent"], note=row.get("note", ""),
                  person=person, by=row.get("by") or by, utc_offset=offset, now=now)
        if normalize_handle(row["account"]) in known:
            report.updated += 1
        else:
            report.added += 1
    return report


def _same_as(row: dict[str, str]) -> str | None:
    if row.get("person"):
        return None
    m = _SAME_AS.search(row.get("note", ""))
    return normalize_handle(m.group(1)) if m else None


def remove_watch(store: Store, account: str) -> None:
    """Stop watching a handle (a person left without handles is removed with their rhythm).

    Raises:
        NotFoundError: the handle is not on the watch-list.
    """
    handle = normalize_handle(account)
    with store.transaction() as conn:
        row = conn.execute("SELECT person_id FROM watch_handles WHERE handle = ?", (handle,)).fetchone()
        if row is None:
            raise NotFoundError(f"{handle!r} is not on the watch-list (see `vigil watch list`)")
        conn.execute("DELETE FROM watch_keys WHERE handle = ?", (handle,))
        conn.execute("DELETE FROM watch_handles WHERE handle = ?", (handle,))
        conn.execute("DELETE FROM watch_rhythm WHERE person_id = ?", (row[0],))
        _drop_if_empty(conn, int(row[0]))


@sensitive
def list_watched(store: Store, *, area: str | None = None, person_id: int | None = None) -> list[WatchedPerson]:
    """Every watched person (of ``area``, if given) with their handles, ordered by area then name."""
    sql = ("SELECT p.person_id, p.name, p.area, p.added_at, h.handle, h.consent, h.added_by, h.added_at, h.note "
           "FROM watch_persons p JOIN watch_handles h ON h.person_id = p.person_id")
    where: list[str] = []
    params: list[object] = []
    if area is not None:
        where.append("p.area = ?")
        params.append(area)
    if person_id is not None:
        where.append("p.person_id = ?")
        params.append(person_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY p.area, p.name, h.added_at, h.handle"
    people: dict[int, WatchedPerson] = {}
    handles: dict[int, list[WatchedHandle]] = {}
    for pid, name, parea, padded, handle, consent, by, hadded, note in store.query(sql, params):
        if pid not in people:
            people[pid] = WatchedPerson(pid, name, parea, padded)
            handles[pid] = []
        handles[pid].append(WatchedHandle(handle, consent, by, hadded, note))
    return [WatchedPerson(p.person_id, p.name, p.area, p.added_at, tuple(handles[pid])) for pid, p in people.items()]


def set_area_offset(store: Store, area: str, utc_offset: int) -> None:
    """Set an area's local time (minutes east of UTC); rhythms of its people are refitted on next use."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM watch_areas WHERE area = ?", (area,))
        conn.execute("INSERT INTO watch_areas (area, utc_offset_min) VALUES (?, ?)", (area, utc_offset))
        conn.execute("DELETE FROM watch_rhythm WHERE person_id IN (SELECT person_id FROM watch_persons "
                     "WHERE area = ?)", (area,))


def area_offsets(store: Store) -> dict[str, int]:
    """Each area's UTC offset in minutes (areas not listed are taken as UTC)."""
    return {str(a): int(m) for a, m in store.query("SELECT area, utc_offset_min FROM watch_areas")}


def _person(store: Store, person_id: int) -> WatchedPerson:
    for p in list_watched(store, person_id=person_id):
        return p
    raise NotFoundError(f"watched person {person_id} vanished")  # pragma: no cover - concurrent removal


def _drop_if_empty(conn: object, person_id: int) -> None:
    execute = conn.execute  # type: ignore[attr-defined]
    if execute("SELECT 1 FROM watch_handles WHERE person_id = ?", (person_id,)).fetchone() is None:
        execute("DELETE FROM watch_persons WHERE person_id = ?", (person_id,))
