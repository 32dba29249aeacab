"""Hostile content (SQL metacharacters, control characters, very long lines) goes through
extraction, storage and export unchanged, and is never executed or interpreted."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from extractor.archive.ingest import ingest
from extractor.cli import main

from ..archive_helpers import assert_consistent
from ..conftest import CORPUS

HOSTILE = 'Lebanese forces\'); DROP TABLE reports; --\u0007 "quoted" %s ? $x'
LONG_LINE = "SELECT * FROM reports; " * 20_000  # a 460,000-character line


def test_hostile_label_is_stored_and_exported_verbatim(tmp_path: Path) -> None:
    text = (CORPUS / "2021-02.txt").read_text(encoding="utf-8")
    assert text.count("• Lebanese forces: One civilian.") == 1
    source = tmp_path / "hostile.txt"
    text = text.replace("• Lebanese forces: One civilian.", f"• {HOSTILE}: One civilian.")
    text = text.replace(
        "I. Background and Methodology:", f"I. Background and Methodology:\n{LONG_LINE}"
    )
    source.write_text(text, encoding="utf-8")
    db = tmp_path / "snhr.db"
    result = ingest([source], db, workers=1)
    assert result.count("ingested") == 1
    assert assert_consistent(db) == 1
    conn = sqlite3.connect(db)
    try:
        labels = [
            r[0] for r in conn.execute("SELECT label FROM tolls WHERE label LIKE 'Lebanese%'")
        ]
        assert labels == [HOSTILE.replace("\u0007", "")]  # control characters are not text
        assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 1
    finally:
        conn.close()
    out = CliRunner().invoke(main, ["export", "timeseries", "--db", str(db)]).output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert any(r["party"].startswith("unrecognized:") and r["total"] == "1" for r in rows)
