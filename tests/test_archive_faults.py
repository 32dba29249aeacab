"""The archive under faults: SIGKILL mid-ingest, two ingests at once, readers during a write."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from .archive_helpers import assert_consistent, corpus_copies

KILLS = int(os.environ.get("SNHR_KILLS", "50"))


def _start_ingest(folder: Path, db: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "extractor", "ingest", str(folder), "--db", str(db), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def test_sigkill_mid_ingest_leaves_whole_reports_and_a_rerun_completes(tmp_path: Path) -> None:
    files = corpus_copies(tmp_path / "in", copies=4)
    db = tmp_path / "snhr.db"
    rng = random.Random(7)
    for _ in range(KILLS):
        proc = _start_ingest(tmp_path / "in", db, "--workers", "2")
        time.sleep(rng.uniform(0.2, 2.0))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert_consistent(db)
    final = _start_ingest(tmp_path / "in", db)
    final.wait(timeout=600)
    assert final.returncode == 0, final.stderr.read() if final.stderr else b""
    assert assert_consistent(db) == len(files)


def test_two_ingests_at_once_do_not_collide(tmp_path: Path) -> None:
    files = corpus_copies(tmp_path / "in", copies=2)
    db = tmp_path / "snhr.db"
    first = _start_ingest(tmp_path / "in", db)
    second = _start_ingest(tmp_path / "in", db)
    assert first.wait(timeout=600) == 0
    assert second.wait(timeout=600) == 0
    assert assert_consistent(db) == len(files)


def test_no_wait_exits_cleanly_while_another_ingest_holds_the_lock(tmp_path: Path) -> None:
    corpus_copies(tmp_path / "in", copies=1)
    db = tmp_path / "snhr.db"
    fd = os.open(str(db) + ".lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        proc = _start_ingest(tmp_path / "in", db, "--no-wait")
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 75
        assert b"another ingest is running" in err
    finally:
        os.close(fd)
    assert not db.exists() or assert_consistent(db) == 0


def test_readers_keep_reading_during_an_ingest(tmp_path: Path) -> None:
    corpus_copies(tmp_path / "in", copies=3)
    db = tmp_path / "snhr.db"
    warm = _start_ingest(tmp_path / "in", db, "--workers", "1")
    reads = 0
    seen: set[int] = set()
    while warm.poll() is None:
        if db.exists():
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
            try:
                seen.add(conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0])
                reads += 1
            except sqlite3.OperationalError as exc:
                # Only "no such table", before the first migration commits; never "locked".
                if "no such table" not in str(exc):
                    raise
            finally:
                conn.close()
        time.sleep(0.05)
    assert warm.returncode == 0
    assert reads > 5
    assert len(seen) > 1  # the reader saw the archive grow, report by report


def test_a_full_disk_stores_nothing_half_and_a_rerun_completes(tmp_path: Path) -> None:
    """SQLite's max_page_count makes writes fail exactly as a full disk does (SQLITE_FULL)."""
    files = corpus_copies(tmp_path / "in", copies=4, suffixes=(".txt",))  # about 1.4 MB stored
    db = tmp_path / "snhr.db"
    full = subprocess.run(
        [
            sys.executable,
            "-m",
            "extractor",
            "ingest",
            str(tmp_path / "in"),
            "--db",
            str(db),
            "--max-db-mb",
            "1",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert full.returncode == 1
    assert "the archive could not be written (database or disk is full)" in full.stderr
    assert "Traceback" not in full.stderr
    stored = assert_consistent(db)
    assert 0 < stored < len(files)  # some reports did not fit, and none of them is in part
    again = subprocess.run(
        [sys.executable, "-m", "extractor", "ingest", str(tmp_path / "in"), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert assert_consistent(db) == len(files)


def test_a_corrupt_archive_is_refused_with_a_remedy(tmp_path: Path) -> None:
    corpus_copies(tmp_path / "in", copies=1)
    db = tmp_path / "snhr.db"
    db.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    result = subprocess.run(
        [sys.executable, "-m", "extractor", "ingest", str(tmp_path / "in"), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 13
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "the archive cannot be used" in lines[0]
    assert "snhr backup" in lines[0]
