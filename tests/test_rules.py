"""The rule registry is complete: every check the extractor emits names a declared rule, and
docs/checks.md lists exactly the registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from extractor.checks.rules import RULES, markdown_table, rule_of, with_table
from extractor.models import Check

from .conftest import GOLDEN, ROOT


def test_docs_table_is_generated_from_the_registry() -> None:
    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert markdown_table() in doc
    assert with_table(doc) == doc, "run: python -m extractor.checks.rules docs/checks.md"


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.name)
def test_every_check_in_the_goldens_is_a_declared_rule(golden: Path) -> None:
    record = json.loads(golden.read_text(encoding="utf-8"))
    undeclared = {c["rule"] for c in record["checks"] if rule_of(c["rule"]) is None}
    assert not undeclared


@pytest.mark.parametrize(
    ("rule", "declared"),
    [
        ("civilians_sum.total", "civilians_sum"),
        ("annual.civilians_sum.women", "civilians_sum"),
        ("summary_agrees.parties.bombings.total", "summary_agrees"),
        ("series.civilians_ytd_chains", "series.civilians_ytd_chains"),
        ("engines_agree", "engines_agree"),
        ("civilians_summ.total", None),
        ("series.other", None),
    ],
)
def test_rule_strings_resolve_to_their_declaration(rule: str, declared: str | None) -> None:
    found = rule_of(rule)
    assert (found.id if found else None) == declared


def test_a_check_with_an_undeclared_rule_is_refused() -> None:
    with pytest.raises(ValidationError, match="not declared"):
        Check(rule="made_up_rule", status="pass", expected=1, found=1, message="")


def test_ids_are_unique_and_qualify_builds_the_documented_form() -> None:
    assert len({r.id for r in RULES}) == len(RULES)
    civilians_sum = next(r for r in RULES if r.id == "civilians_sum")
    assert civilians_sum.qualify("children", annual=True) == "annual.civilians_sum.children"
