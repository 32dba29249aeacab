"""`--engine both`, and a report whose wording the patterns partly do not know."""

from __future__ import annotations

import json

from click.testing import CliRunner

from extractor import extract_text
from extractor.cli import main

from .conftest import CORPUS


def test_engine_both_reports_agreement() -> None:
    result = CliRunner().invoke(
        main, ["extract", str(CORPUS / "2021-02.pdf"), "--engine", "both", "--json"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    agree = [c for c in record["checks"] if c["rule"] == "engines_agree"]
    assert [c["status"] for c in agree] == ["pass"]
    assert record["report"]["source"]["engine"] == "pymupdf+pdfplumber"


def test_unknown_section_heading_gives_nulls_and_a_failing_check() -> None:
    text = (CORPUS / "2021-02.txt").read_text(encoding="utf-8")
    assert text.count("A. Death toll of victims who died due to torture") == 1
    record = extract_text(
        text.replace(
            "A. Death toll of victims who died due to torture", "A. Detainees lost in custody"
        )
    )
    assert record.civilians is not None
    assert record.civilians.total == 138  # everything else is still read
    assert record.torture.total is None
    failing = [c for c in record.checks if c.status == "fail"]
    assert [(c.rule, c.paths) for c in failing] == [("section_found", ["torture"])]
