"""Helpers for archive tests: copies of the corpus under distinct hashes, and a
consistency check that every report is wholly in the archive or wholly out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from extractor.models import Record
from extractor.store import _scope_rows

from .conftest import CORPUS

CHILD_TABLES = ("tolls", "massacres", "incidents", "governorate_shares", "checks", "evidence")


def corpus_copies(folder: Path, copies: int, suffixes: tuple[str, ...] = (".txt",)) -> list[Path]:
    """`copies` versions of each corpus file, made distinct by a trailing comment line
    (text) or bytes after %%EOF (PDF), so each has its own sha256 but the same content."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for source in sorted(p for p in CORPUS.iterdir() if p.suffix in suffixes):
        data = source.read_bytes()
        for n in range(copies):
            target = folder / f"{source.stem}-copy{n}{source.suffix}"
            tail = f"\n%copy {n}\n" if source.suffix == ".pdf" else f"\n\ncopy {n}\n"
            target.write_bytes(data + tail.encode())
            out.append(target)
    return out


def expected_rows(record: Record, report_id: int) -> dict[str, int]:
    rows = _scope_rows(report_id, "month", record)
    if record.annual is not None:
        for name, extra in _scope_rows(report_id, "year", record.annual).items():
            rows[name] += extra
    counts = {name: len(r) for name, r in rows.items()}
    counts["checks"] = len(record.checks)
    counts["evidence"] = len(record.evidence)
    return counts


def assert_consistent(db_path: Path) -> int:
    """Every report row has exactly its child rows; no child row lacks its report.
    Returns the number of reports."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "reports" not in tables:
            # Killed before the first migration committed: an empty archive, and a valid one.
            assert not tables & set(CHILD_TABLES)
            return 0
        reports = conn.execute("SELECT id, record_json FROM reports").fetchall()
        for report_id, record_json in reports:
            record = Record.model_validate_json(record_json)
            for table, count in expected_rows(record, report_id).items():
                found = conn.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE report_id = ?", (report_id,)
                ).fetchone()[0]
                assert found == count, (report_id, table, found, count)
        for table in CHILD_TABLES:
            orphans = conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE report_id NOT IN (SELECT id FROM reports)"
            ).fetchone()[0]
            assert orphans == 0, table
        dupes = conn.execute(
            "SELECT COUNT(*) FROM (SELECT sha256 FROM reports GROUP BY sha256, extractor_version "
            "HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        assert dupes == 0
        return len(reports)
    finally:
        conn.close()
