"""Resource limits over whole runs (issue 12, items 9 and 10): a run of many failed files
does not exhaust file descriptors, and --timeout / --memory-mb bound the whole extraction
(loading, cleaning, extracting, checking) in every command, not only PDF parsing.

Every input is a real file made here; limits are proved by the exit code of ResourceLimit,
never by timing."""

from __future__ import annotations

import json
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from extractor.errors import DamagedPDF, ResourceLimit

from .conftest import CORPUS, ROOT

GOOD = CORPUS / "2021-02.pdf"


def run_snhr(*args: str, nofile: int | None = None) -> subprocess.CompletedProcess[str]:
    def lower_fd_limit() -> None:
        if nofile is not None:
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, hard))

    return subprocess.run(
        [sys.executable, "-m", "extractor", *args],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=ROOT,
        preexec_fn=lower_fd_limit,
    )


def _damaged_copies(folder: Path, count: int) -> None:
    """`count` distinct unreadable PDFs: the head of a real report, cut short."""
    head = GOOD.read_bytes()[:4000]
    for n in range(count):
        (folder / f"bad-{n:04d}.pdf").write_bytes(head + f"\n%{n}\n".encode())


def test_many_failed_files_do_not_exhaust_file_descriptors(tmp_path: Path) -> None:
    # 64 descriptors in all, 150 failing files: two leaked per file ran out after about 25.
    archive = tmp_path / "archive"
    archive.mkdir()
    _damaged_copies(archive, 150)
    shutil.copy(GOOD, archive / "zz-good.pdf")
    db = tmp_path / "snhr.db"
    result = run_snhr(
        "ingest", str(archive), "--db", str(db), "--workers", "2", "--log-json", nofile=64
    )
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1, result.stderr[-2000:]
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(events) == 151
    failed = [e for e in events if e["status"] == "failed"]
    assert len(failed) == 150
    assert {e["exit_code"] for e in failed} == {DamagedPDF.exit_code}
    assert [e["path"] for e in events if e["status"] == "ingested"] == [
        str(archive / "zz-good.pdf")
    ]
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 150
        assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    finally:
        conn.close()
