"""`vigil classify` / `vigil eval` on user mistakes: clear messages, usage exit codes, no silent no-ops."""

from __future__ import annotations

from pathlib import Path

from conftest import Cli

FIXTURES = Path(__file__).parent / "fixtures"


def test_format_without_file_is_a_usage_error(vigil: Cli) -> None:
    result = vigil("classify", "we need water", "--format", "lines", db=False)
    assert result.exit_code == 2 and "--format describes --file" in result.output


def test_unknown_format_lists_lines_and_auto(vigil: Cli, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("we need water\n", encoding="utf-8")
    result = vigil("classify", "--file", str(path), "--format", "nosuch", db=False)
    assert result.exit_code == 2
    assert "'nosuch' is not one of: lines, auto, " in result.output and "twitter-v2" in result.output


def test_an_empty_file_says_so(vigil: Cli, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("\n\n", encoding="utf-8")
    result = vigil("classify", "--file", str(path), "--format", "lines", "--json", db=False)
    assert result.exit_code == 0 and result.stdout == ""
    assert f"{path}: no messages to classify" in result.stderr


def test_eval_table_numbers_every_confusion_column(vigil: Cli) -> None:
    result = vigil("eval", "--data", str(FIXTURES / "csv" / "humaid_sample.tsv"), "--fast", db=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = lines.index("confusion (rows gold, columns predicted; column k is class k):")
    assert lines[header + 1].split() == [str(k) for k in range(1, 11)]
    rows = lines[header + 2:]
    assert rows and all(len(r.split()) == 12 for r in rows)  # number, class, ten columns
