"""Ingest end to end: counts, idempotent re-ingest, directories, stdin, unknown formats, kill -9 and rerun."""

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

from conftest import Cli, count_stored
from vigil.errors import UnknownFormatError
from vigil.ingest import ingest
from vigil.store import SQLiteStore

FIX = Path(__file__).parent / "fixtures"


def write_jsonl(path: Path, n: int, start: int = 0) -> None:
    with path.open("w") as f:
        for i in range(start, start + n):
            f.write(json.dumps({"id": str(10**18 + i), "text": f"message number {i} from the Old Souk",
                                "author_id": str(i % 40), "author": {"username": f"user{i % 40}", "name": "U"},
                                "created_at": f"2025-02-0{1 + i % 9}T{i % 24:02d}:00:00Z", "lang": "en"}) + "\n")


def test_ingest_counts_and_idempotent_rerun(tmp_path: Path, store: SQLiteStore) -> None:
    path = tmp_path / "t.jsonl"
    write_jsonl(path, 120)
    first = ingest([str(path)], store, batch_size=50)
    assert (first.read, first.stored, first.duplicates, first.rejected) == (120, 120, 0, 0)
    second = ingest([str(path)], store)
    assert (second.stored, second.duplicates) == (0, 120)
    assert store.count_messages() == 120


def test_cli_json_contract(vigil: Cli, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_jsonl(path, 5)
    with path.open("a") as f:
        f.write("{not json\n")
    result = vigil("ingest", str(path), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"read", "stored", "duplicates", "rejected", "by_format", "rejects"}
    assert out["read"] == 6 and out["stored"] == 5 and out["rejected"] == 1
    assert out["by_format"] == {"twitter-v2": 5}
    assert out["rejects"] == [{"file": str(path), "line": 6, "reason": out["rejects"][0]["reason"]}]
    assert "broken JSON" in out["rejects"][0]["reason"]
    rejects = vigil("rejects", "--json")
    assert json.loads(rejects.stdout.splitlines()[0])["line"] == 6


def test_messages_jsonl_and_csv(vigil: Cli) -> None:
    vigil("ingest", str(FIX / "twitter_v2" / "search_page.json"))
    lines = vigil("messages", "--json").stdout.splitlines()
    assert len(lines) == 5
    first = json.loads(lines[0])
    for key in ("id", "source", "format", "native_id", "author", "created_at", "text", "title", "labels"):
        assert key in first
    assert first["created_at"].endswith("Z")
    found = vigil("messages", "--search", "وداعا", "--json").stdout.splitlines()
    assert len(found) == 1
    limited = vigil("messages", "--author", "NOUR_QN", "--limit", "1", "--json").stdout.splitlines()
    assert json.loads(limited[0])["author"] == "nour_qn"
    since = vigil("messages", "--since", "2025-02-09T00:00:00Z", "--json").stdout.splitlines()
    assert len(since) == 2
    csv_out = vigil("messages", "--csv").stdout.splitlines()
    assert csv_out[0].startswith("id,source,format") and len(csv_out) >= 6
    bad = vigil("messages", "--since", "not-a-date")
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_directory_and_stdin(vigil: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    write_jsonl(folder / "a.jsonl", 10)
    write_jsonl(folder / "sub" / "b.jsonl", 10, start=10)
    (folder / "notes.bin").write_bytes(b"\x00\x01\x02binary")
    out = json.loads(vigil("ingest", str(folder), "--json").stdout)
    assert out["stored"] == 20 and out["rejected"] == 1  # the stray binary file is quarantined, not fatal
    data = (tmp_path / "c.jsonl")
    write_jsonl(data, 3, start=100)
    piped = json.loads(vigil("ingest", "-", "--json", input=data.read_bytes()).stdout)
    assert piped["stored"] == 3


def test_unknown_format_is_refused_with_the_known_formats(vigil: Cli, tmp_path: Path, store: SQLiteStore) -> None:
    odd = tmp_path / "odd.dat"
    odd.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = vigil("ingest", str(odd))
    assert result.exit_code != 0
    assert "twitter-v2" in result.stderr and "--format" in result.stderr and "Traceback" not in result.output
    with pytest.raises(UnknownFormatError):
        ingest([str(odd)], store)
    bad_fmt = vigil("ingest", str(odd), "--format", "nope")
    assert bad_fmt.exit_code == 2


def test_missing_file_is_a_clear_error(vigil: Cli) -> None:
    result = vigil("ingest", "/nonexistent/file.json")
    assert result.exit_code == 1 and "no such file" in result.stderr


@pytest.mark.parametrize("kill_after", [1, 2])
def test_kill_9_mid_ingest_then_rerun_stores_exactly_once(tmp_path: Path, kill_after: int) -> None:
    n = 60_000
    path = tmp_path / "big.jsonl"
    write_jsonl(path, n)
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "vigil", "ingest", str(path), "--db", str(db), "--stages", "none"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while count_stored(db) < kill_after * 2000 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = count_stored(db)
    assert partial < n, "ingest finished before it could be killed; make the file larger"
    done = subprocess.run([*cmd, "--json"], capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    assert report["stored"] == n - partial and report["duplicates"] == partial
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM messages").fetchone() == (n, n)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
