"""docs/schema.json is the published JSON Schema of the record; keep it in step."""

from __future__ import annotations

import json

from click.testing import CliRunner

from extractor.cli import main
from extractor.models import Record

from .conftest import ROOT

CONTRACT_KEYS = {
    "schema_version",
    "report",
    "civilians",
    "civilians_ytd",
    "parties",
    "other_parties",
    "torture",
    "medical",
    "media",
    "civil_defense",
    "massacres",
    "governorates",
    "annual",
    "checks",
    "evidence",
}


def test_schema_file_is_current() -> None:
    published = json.loads((ROOT / "docs" / "schema.json").read_text(encoding="utf-8"))
    assert published == Record.model_json_schema(), "run: snhr schema > docs/schema.json"


def test_schema_command_prints_it() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == Record.model_json_schema()


def test_contract_keys_are_all_there() -> None:
    assert set(Record.model_json_schema()["properties"]) >= CONTRACT_KEYS
