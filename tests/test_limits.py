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

import pytest

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


@pytest.fixture(scope="module")
def huge_text(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An 83 MB text edition (a real one, repeated): no PDF parsing at all, so any limit
    that stops it stops loading, cleaning or extracting."""
    path = tmp_path_factory.mktemp("huge") / "huge-edition.txt"
    with path.open("w", encoding="utf-8") as fh:
        text = (CORPUS / "2023-12.txt").read_text(encoding="utf-8")
        for _ in range(1200):
            fh.write(text)
    return path


@pytest.mark.parametrize("command", ["extract", "check", "audit"])
@pytest.mark.parametrize(
    "limit", [["--timeout", "1"], ["--memory-mb", "128"]], ids=["timeout", "memory"]
)
def test_limits_bound_the_whole_extraction(
    tmp_path: Path, huge_text: Path, command: str, limit: list[str]
) -> None:
    extra = ["-o", str(tmp_path / "annotated.pdf")] if command == "audit" else []
    result = run_snhr(command, str(huge_text), *extra, *limit)
    assert result.returncode == ResourceLimit.exit_code, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    assert str(huge_text) in lines[0]
    assert "--timeout" in lines[0]  # the remedy


@pytest.mark.parametrize(
    "limit", [["--timeout", "5"], ["--memory-mb", "128"]], ids=["timeout", "memory"]
)
def test_ingest_limits_fail_one_file_and_keep_the_others(
    tmp_path: Path, huge_text: Path, limit: list[str]
) -> None:
    # One worker, the huge file between two good ones: the child that was stopped is
    # replaced, and the file after it still goes in.
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "2020-07.txt", folder / "a.txt")
    (folder / "b.txt").symlink_to(huge_text)
    shutil.copy(CORPUS / "2021-02.txt", folder / "c.txt")
    db = tmp_path / "snhr.db"
    result = run_snhr(
        "ingest", str(folder), "--db", str(db), "--workers", "1", "--log-json", *limit
    )
    assert result.returncode == 1, result.stderr[-2000:]
    events = {Path(e["path"]).name: e for e in map(json.loads, result.stdout.splitlines())}
    assert events["b.txt"]["status"] == "failed"
    assert events["b.txt"]["exit_code"] == ResourceLimit.exit_code
    assert events["a.txt"]["status"] == events["c.txt"]["status"] == "ingested"
    conn = sqlite3.connect(db)
    try:
        periods = conn.execute("SELECT period FROM reports ORDER BY period").fetchall()
    finally:
        conn.close()
    assert periods == [("2020-07",), ("2021-02",)]
