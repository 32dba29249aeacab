"""Every corpus file, through `snhr extract --json`, against its hand-verified golden file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from extractor.cli import main

from .conftest import GOLDEN, REPORT_FILES, ROOT


def _record_via_cli(path: Path) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["extract", str(path.relative_to(ROOT)), "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


@pytest.mark.parametrize("path", REPORT_FILES, ids=[p.name for p in REPORT_FILES])
def test_matches_golden(path: Path, update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    record = _record_via_cli(path)
    golden = GOLDEN / f"{path.name}.json"
    if update_golden:
        golden.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert golden.exists(), (
        f"no golden file for {path.name}; run pytest --update-golden and review it"
    )
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert record == expected
