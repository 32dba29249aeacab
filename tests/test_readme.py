"""The README shows real output: run its commands and compare."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from extractor import errors
from extractor.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```console\n\$ (snhr [^\n]+)\n(.*?)```", README, flags=re.S)


def test_readme_has_examples() -> None:
    assert BLOCKS, "README should show at least one `$ snhr ...` example"
    assert "make demo" in README
    assert "make test" in README


@pytest.mark.parametrize(("command", "shown"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_readme_command_output(command: str, shown: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, shlex.split(command)[1:])
    assert result.exit_code == 0, result.output
    if "..." in shown:  # an abridged example: every line shown up to the ellipsis is real
        for line in shown.splitlines():
            if "..." in line:
                break
            assert line.strip() in result.output or line.strip() in {"{", ""}
    else:
        assert result.output.strip() == shown.strip()


def test_exit_code_table_matches_errors() -> None:
    table = dict(re.findall(r"^\| (\d+) \| ([^|]+) \|$", README, flags=re.M))
    for error in errors.ALL_ERRORS:
        assert str(error.exit_code) in table, error.__name__
