"""Shared fixtures: a real SQLite store in tmp_path and an in-process CLI runner."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from vigil.cli import cli, load_commands
from vigil.store import SQLiteStore, open_store

load_commands()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "vigil.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[SQLiteStore]:
    s = open_store(db_path)
    assert isinstance(s, SQLiteStore)
    yield s
    s.close()


class Cli:
    """Run vigil commands in-process, the way a user would type them."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None, db: bool = True) -> Result:
        argv = list(args)
        if db and "--db" not in argv and argv and argv[0] not in ("formats",):
            argv += ["--db", str(self.db)]
        return self.runner.invoke(cli, argv, input=input, catch_exceptions=False)


@pytest.fixture
def vigil(db_path: Path) -> Cli:
    return Cli(db_path)


def count_stored(db: Path) -> int:
    """Messages in a database another process may be writing (0 while it cannot be read yet)."""
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return int(con.execute("SELECT count(*) FROM messages").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0
