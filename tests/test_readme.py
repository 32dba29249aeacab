"""The README shows real output: run its commands and compare."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import errors
from extractor.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [b for b in re.findall(r"```console\n(.*?)```", README, flags=re.S) if "$ snhr" in b]


def _steps(block: str) -> list[tuple[str, list[str]]]:
    """(command, lines it shows) for each `$ snhr ...` line of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def test_readme_has_examples() -> None:
    assert BLOCKS, "README should show `$ snhr ...` examples"
    assert "make demo" in README
    assert "make test" in README


@pytest.mark.parametrize("block", BLOCKS, ids=[_steps(b)[0][0] for b in BLOCKS])
def test_readme_commands_print_what_the_readme_shows(
    block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    monkeypatch.chdir(tmp_path)
    for command, shown in _steps(block):
        args = shlex.split(command, comments=True)
        result = CliRunner().invoke(main, args[1:])
        assert result.exit_code == 0, result.output
        output = result.output.splitlines()
        if any(line.strip() == "..." for line in shown):
            # Abridged with "..." lines: every other line shown is real, in the order shown,
            # including the lines after each "...".
            position = 0
            for line in shown:
                if line.strip() == "...":
                    continue
                assert line in output[position:], line
                position = output.index(line, position) + 1
        else:
            assert output == shown


def test_exit_code_table_matches_errors() -> None:
    table = dict(re.findall(r"^\| (\d+) \| ([^|]+) \|$", README, flags=re.M))
    for error in errors.ALL_ERRORS:
        assert str(error.exit_code) in table, error.__name__
