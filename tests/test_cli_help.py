"""Every command has help text with an example; `python -m vigil` works; errors never show a traceback."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from vigil.cli import cli, load_commands

load_commands()


def all_commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []

    def walk(prefix: str, group: click.Group) -> None:
        for name, command in sorted(group.commands.items()):
            path = f"{prefix} {name}".strip()
            if isinstance(command, click.Group):
                walk(path, command)
            found.append((path, command))

    walk("", cli)
    return found


@pytest.mark.parametrize(("path", "command"), all_commands(), ids=[p for p, _ in all_commands()])
def test_command_has_help_and_example(path: str, command: click.Command) -> None:
    result = CliRunner().invoke(cli, [*path.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert (command.help or "").strip(), f"`vigil {path}` has no help text"
    if not isinstance(command, click.Group):
        assert "Example" in result.output, f"`vigil {path} --help` shows no example"


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "vigil", "formats"], capture_output=True, text=True, check=True)
    assert "twitter-v2" in done.stdout and "telegram" in done.stdout


def test_user_error_is_one_line_not_a_traceback(tmp_path: object) -> None:
    done = subprocess.run([sys.executable, "-m", "vigil", "ingest", "/no/such/file", "--db", f"{tmp_path}/x.db"],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
