"""The one list-item reader (extract/items.py), seen through whole reports: an item that
counts another section's unit is a failing check in every section, never a figure; and no
module imports another module's private helper (issue 11)."""

from __future__ import annotations

import ast
from pathlib import Path

from extractor import extract_text

from .conftest import CORPUS

ROOT = Path(__file__).resolve().parents[1]


def test_a_civilian_item_in_another_unit_is_a_failing_check_not_a_figure() -> None:
    # 2024-11, p. 5: "- Gunfire of unidentified source: 13 civilians."
    text = (CORPUS / "2024-11.txt").read_text(encoding="utf-8")
    line = "- Gunfire of unidentified source: 13 civilians."
    assert text.count(line) == 1
    base = extract_text(text)
    assert [p.total for p in base.parties if p.party == "gunfire"] == [13]
    record = extract_text(text.replace(line, "- Gunfire of unidentified source: 13 massacres."))
    assert not [p for p in record.parties if p.party == "gunfire"]
    failing = [c for c in record.checks if c.rule == "unit_consistent" and c.status == "fail"]
    assert len(failing) == 1
    assert "'Gunfire of unidentified source'" in failing[0].message
    assert failing[0].paths == ["parties"]


def test_a_torture_other_parties_line_in_another_unit_is_not_read() -> None:
    # 2023-12, the year's deaths due to torture: "B. Other parties: four individuals"
    text = (CORPUS / "2023-12.txt").read_text(encoding="utf-8")
    line = "B. Other parties: four individuals"
    assert text.count(line) == 1
    base = extract_text(text)
    assert base.annual is not None
    assert base.annual.torture.other_parties is not None
    assert base.annual.torture.other_parties.total == 4
    record = extract_text(text.replace(line, "B. Other parties: four massacres"))
    assert record.annual is not None
    assert record.annual.torture.other_parties is None
    assert [
        c.message
        for c in record.checks
        if c.rule == "unit_consistent" and c.paths == ["annual.torture.other_parties"]
    ] == [
        "under torture, 'Other parties' counts 'massacres' ('B. Other parties: four massacres'), "
        "a slip copied from another section; it was not read"
    ]


KNOWN: set[str] = set()  # none: a helper another module needs is public


def test_no_module_imports_a_private_helper_of_another() -> None:
    offenders = []
    for path in sorted((ROOT / "extractor").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module is not None:
                for alias in node.names:
                    name = f"{node.module.split('.')[-1]}.{alias.name}"
                    private = alias.name.startswith("_") and not alias.name.startswith("__")
                    if private and name not in KNOWN:
                        offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
