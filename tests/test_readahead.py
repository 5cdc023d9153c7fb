"""Reading in a helper process (vigil.readahead) stores exactly what reading in-process stores."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import count_stored
from vigil.errors import InputError
from vigil.ingest import READAHEAD_MIN_BYTES, ingest
from vigil.store import MessageQuery, SQLiteStore, open_store

TESTS = Path(__file__).parent


def write_mixed(path: Path, n: int) -> None:
    """Good tweets in two languages, some repeated ids (within and across batches), and broken lines."""
    with path.open("wb") as f:
        for i in range(n):
            if i % 997 == 13:
                f.write(b'{"id": "broken", "text": \n')
                continue
            if i % 1001 == 7:
                f.write(b"\xff\xfe not utf-8\n")
                continue
            native = str(10**18 + (i if i % 50 else i - 1))  # every 50th repeats the id before it
            text = f"Message {i} from Qasr al-Nahr #GoodbyeAleppo" if i % 3 else f"رسالة رقم {i} من حلب المُحاصَرة"
            f.write(json.dumps({"id": native, "text": text, "author_id": str(i % 40),
                                "author": {"username": f"user{i % 40}", "name": "U"},
                                "created_at": f"2025-02-0{1 + i % 9}T{i % 24:02d}:00:00Z"}).encode() + b"\n")


def broken(n: int) -> int:
    return sum(1 for i in range(n) if i % 997 == 13 or i % 1001 == 7)


def rows(db: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        # every column but ingested_at, which is the wall clock of the write
        return con.execute("SELECT rowid, id, source, format, native_id, author, author_name, created_at, text, "
                           "title, lang, reply_to, forward_of, retweet_of, quote_of, url, labels, raw, enrichments "
                           "FROM messages ORDER BY rowid").fetchall()
    finally:
        con.close()


def rejects(db: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT file, line, reason, raw FROM rejects ORDER BY rowid").fetchall()
    finally:
        con.close()


def test_same_messages_rejects_and_index_as_in_process(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    write_mixed(path, 5000)
    reports, found = {}, {}
    for mode in (False, True):
        with open_store(tmp_path / f"{mode}.db") as store:
            reports[mode] = ingest([str(path)], store, batch_size=700, readahead=mode).to_dict()
            # the full-text index is built from the same folded text: diacritics and hashtags behave alike
            found[mode] = [m.id for m in store.messages(MessageQuery(search="المحاصره"))] + [
                m.id for m in store.messages(MessageQuery(search="goodbye aleppo"))]
    assert reports[False] == reports[True]
    assert reports[True]["rejected"] == broken(5000) and reports[True]["duplicates"] > 90
    assert found[False] == found[True] and len(found[True]) > 4000
    assert rows(tmp_path / "False.db") == rows(tmp_path / "True.db")
    assert rejects(tmp_path / "False.db") == rejects(tmp_path / "True.db")


def test_rerun_is_idempotent_and_progress_advances(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    write_mixed(path, 3000)
    seen: list[int] = []
    with open_store(tmp_path / "r.db") as store:
        first = ingest([str(path)], store, batch_size=500, readahead=True,
                       progress=lambda _name, done, _total: seen.append(done))
        second = ingest([str(path)], store, readahead=True)
        assert store.count_messages() == first.stored
    assert second.stored == 0 and second.duplicates == first.stored + first.duplicates
    assert seen == sorted(seen) and seen[-1] == path.stat().st_size and len(seen) >= 5


def exit_while_preparing(messages: object) -> object:
    """A batch preparer that kills its process, as an out-of-memory kill would."""
    os._exit(3)


def test_a_dead_reader_process_is_an_error_not_a_hang(tmp_path: Path, store: SQLiteStore,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from vigil import readahead

    monkeypatch.setenv("PYTHONPATH", str(TESTS))  # the helper imports this module's preparer by name
    path = tmp_path / "mixed.jsonl"
    write_mixed(path, 100)
    batches = readahead.read_prepared(str(path), fmt="twitter-v2", source=None, prepare=exit_while_preparing)
    with pytest.raises(InputError, match=r"reader process stopped unexpectedly \(exit code 3\).*rerun"):
        next(iter(batches))


def _helpers_reading(path: Path) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"vigil.readahead" in cmdline and str(path).encode() in cmdline:
            pids.append(int(entry.name))
    return pids


@pytest.mark.slow
def test_kill_9_during_a_readahead_ingest_then_rerun_stores_exactly_once(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    write_mixed(path, 120_000)
    assert path.stat().st_size >= READAHEAD_MIN_BYTES, "the file must be big enough to be read ahead"
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "vigil", "ingest", str(path), "--db", str(db), "--stages", "none", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while count_stored(db) < 4000 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert _helpers_reading(path), "the ingest should be reading in a helper process"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = count_stored(db)
    # the orphaned helper notices the closed pipe and exits by itself
    deadline = time.monotonic() + 20
    while _helpers_reading(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _helpers_reading(path)
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    con = sqlite3.connect(db)
    stored, distinct = con.execute("SELECT count(*), count(DISTINCT id) FROM messages").fetchone()
    indexed = con.execute("SELECT count(*) FROM messages_fts").fetchone()[0]
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert stored == distinct == partial + report["stored"]
    assert indexed == stored
    assert report["rejected"] == broken(120_000)
