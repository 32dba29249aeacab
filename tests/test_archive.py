"""The SQLite archive: ingest, idempotency, supersession, errors, exports, backup."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from extractor.archive.ingest import ingest
from extractor.archive.store import MIGRATION_NAMES, open_db
from extractor.cli import main

from .archive_helpers import assert_consistent
from .conftest import CORPUS, REPORT_FILES


def _rows(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_ingest_corpus_then_nothing_to_do(tmp_path: Path) -> None:
    # The four reports of the 2020-2024 layout, as a folder; corpus/eras/ (other eras and
    # web announcements, issue 10) waits for the archive to store both kinds per month.
    folder = tmp_path / "corpus"
    folder.mkdir()
    for report in REPORT_FILES:
        shutil.copy(report, folder / report.name)
    db = tmp_path / "snhr.db"
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(folder), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "8 ingested" in first.output
    assert assert_consistent(db) == 8
    second = runner.invoke(main, ["ingest", str(folder), "--db", str(db)])
    assert second.exit_code == 0
    assert second.output.startswith("Nothing to do: all 8 file(s)")
    # One current report per month, the PDF preferred over its text edition.
    current = _rows(
        db, "SELECT period, format FROM reports WHERE superseded_by IS NULL ORDER BY period"
    )
    assert current == [
        ("2020-07", "pdf"),
        ("2021-02", "pdf"),
        ("2023-12", "pdf"),
        ("2024-11", "pdf"),
    ]
    series = _rows(db, "SELECT period, total, children, women FROM monthly_civilians")
    golden = {
        p.stem: json.loads(p.read_text()) for p in (CORPUS.parent / "golden").glob("*.pdf.json")
    }
    assert series == [
        (
            f"{g['report']['year']:04d}-{g['report']['month']:02d}",
            g["civilians"]["total"],
            g["civilians"]["children"],
            g["civilians"]["women"],
        )
        for _, g in sorted(golden.items())
    ]


def test_schema_is_versioned(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    sql = "SELECT name FROM _sqlite_migrations WHERE migration_set = 'snhr' ORDER BY id"
    names = [r[0] for r in db.conn.execute(sql)]
    db.close()
    assert names == ["initial", "views", "fetch_state", "series_by_kind"]
    assert names == MIGRATION_NAMES
    again = open_db(tmp_path / "a.db")  # reopening applies nothing twice
    assert [r[0] for r in again.conn.execute(sql)] == names
    again.close()


def test_corrected_republication_supersedes_and_keeps_history(tmp_path: Path) -> None:
    db = tmp_path / "snhr.db"
    original = tmp_path / "feb.txt"
    shutil.copy(CORPUS / "2021-02.txt", original)
    ingest([original], db, workers=1)
    corrected = tmp_path / "feb-corrected.txt"
    corrected.write_text(
        original.read_text(encoding="utf-8").replace(
            "documented the deaths of 138 civilians", "documented the deaths of 139 civilians"
        ),
        encoding="utf-8",
    )
    ingest([corrected], db, workers=1)
    rows = _rows(db, "SELECT id, source_file, superseded_by FROM reports ORDER BY id")
    assert len(rows) == 2
    (old_id, _, old_sup), (new_id, _, new_sup) = rows
    assert old_sup == new_id
    assert new_sup is None
    assert _rows(db, "SELECT total FROM monthly_civilians") == [(139,)]
    # History stays queryable.
    assert _rows(
        db,
        "SELECT total FROM tolls WHERE report_id = ? AND category = 'civilians' "
        "AND party IS NULL AND scope = 'month'",
        old_id,
    ) == [(138,)]
    assert_consistent(db)


def test_reextract_rereads_without_duplicates(tmp_path: Path) -> None:
    db = tmp_path / "snhr.db"
    files = [CORPUS / "2024-11.txt", CORPUS / "2020-07.txt"]
    ingest(files, db, workers=1)
    result = ingest(files, db, workers=1, reextract=True)
    assert result.count("ingested") == 2
    assert assert_consistent(db) == 2


def test_a_bad_file_is_logged_and_the_others_go_in(tmp_path: Path) -> None:
    db = tmp_path / "snhr.db"
    bad = tmp_path / "broken.pdf"
    bad.write_bytes((CORPUS / "2021-02.pdf").read_bytes()[:5000])
    good = CORPUS / "2024-11.txt"
    result = CliRunner().invoke(main, ["ingest", str(bad), str(good), "--db", str(db)])
    assert result.exit_code == 1
    assert "1 ingested" in result.output
    errors = _rows(db, "SELECT path, code, exit_code FROM ingest_errors")
    assert errors == [(str(bad), "damaged_pdf", 6)]
    assert assert_consistent(db) == 1


def test_log_json_lines(tmp_path: Path) -> None:
    db = tmp_path / "snhr.db"
    result = CliRunner().invoke(
        main, ["ingest", str(CORPUS / "2020-07.txt"), "--db", str(db), "--log-json"]
    )
    events = [json.loads(line) for line in result.output.splitlines()]
    assert events == [
        {
            "path": str(CORPUS / "2020-07.txt"),
            "status": "ingested",
            "report_id": 1,
            "period": "2020-07",
            "failed_checks": 0,
        }
    ]


def test_exports_mark_missing_months(tmp_path: Path) -> None:
    db = tmp_path / "snhr.db"
    ingest([CORPUS / "2020-07.txt", CORPUS / "2020-07.pdf", CORPUS / "2021-02.txt"], db, workers=1)
    runner = CliRunner()
    csv_out = runner.invoke(main, ["export", "timeseries", "--db", str(db)]).output
    lines = csv_out.splitlines()
    assert lines[0] == (
        "period,party,group,total,children,women,status,measure,source,disputed,disputed_by"
    )
    assert "2020-07,all,,107,26,11,reported,civilians,report,False," in lines
    assert "2020-09,all,,,,,missing,,,," in lines
    assert sum(1 for line in lines if ",missing," in line) == 6  # Aug 2020 - Jan 2021
    data = json.loads(
        runner.invoke(main, ["export", "timeseries", "--db", str(db), "--format", "json"]).output
    )
    assert {
        "period": "2021-02",
        "party": "isis",
        "group": "main",
        "total": 1,
        "children": None,
        "women": None,
        "status": "reported",
        "measure": "civilians",
        "source": "report",
        "disputed": False,
        "disputed_by": None,
    } in data
    parquet = tmp_path / "series.parquet"
    result = runner.invoke(
        main, ["export", "timeseries", "--db", str(db), "--format", "parquet", "-o", str(parquet)]
    )
    assert result.exit_code == 0, result.output
    assert pq.read_table(parquet).to_pylist() == data
    png = tmp_path / "plot.png"
    result = runner.invoke(main, ["plot", "--db", str(db), "-o", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    db = tmp_path / "snhr.db"
    ingest([CORPUS / "2023-12.txt"], db, workers=1)
    copy = tmp_path / "backup.db"
    result = CliRunner().invoke(main, ["backup", "--db", str(db), str(copy)])
    assert result.exit_code == 0, result.output
    assert assert_consistent(copy) == 1
    again = CliRunner().invoke(main, ["backup", "--db", str(db), str(copy)])
    assert again.exit_code != 0
    assert "exists" in again.output


def test_evidence_is_full_text_searchable(tmp_path: Path) -> None:
    db = tmp_path / "snhr.db"
    ingest([CORPUS / "2023-12.txt"], db, workers=1)
    hits = _rows(
        db,
        "SELECT e.path FROM evidence e JOIN evidence_fts f ON f.rowid = e.id "
        "WHERE evidence_fts MATCH 'landmines' ORDER BY e.path",
    )
    assert ("annual.parties.landmines.total",) in hits
