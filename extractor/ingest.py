"""`snhr ingest`: files and folders into the SQLite archive, unattended.

- Idempotent: a file whose sha256 was already ingested by this extractor version is skipped
  with one indexed lookup (and an unchanged path, size and mtime skips even the hashing).
- Atomic per report: each report is written in one `BEGIN IMMEDIATE` transaction; a report
  that fails goes to `ingest_errors` and the run goes on.
- One writer at a time: an exclusive `flock` on `<db>.lock` (a separate file, because closing
  any descriptor of the database file itself would drop SQLite's own locks).
- Parallel: each file is extracted whole in a forked, resource-limited child; threads only
  wait on the children, so extraction uses every core while the writes stay serial.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .api import extract
from .errors import ExtractionError, IngestLocked
from .models import Record
from .pdf_engines import preload
from .sandbox import run_in_child
from .settings import DEFAULT_SETTINGS, Settings
from .store import (
    ArchiveError,
    check_archive_path,
    find_report,
    open_db,
    record_error,
    write_record,
    write_transaction,
)

__all__ = ["IngestLocked", "discover", "ingest"]

# What ingest reads. Downloads in progress end in ".partial" (safe_write.py) and fetched
# announcement pages in ".html", so neither is picked up; when reading announcement pages
# lands (issue 10, kind `press_release`), adding ".html" here is what makes `snhr fetch`
# ingest the pages it keeps (see fetch.ingestable).
REPORT_SUFFIXES = {".pdf", ".txt", ".md"}


@dataclass(frozen=True)
class Event:
    """One file's outcome, for progress bars and JSON logs."""

    path: str
    status: str  # "ingested", "skipped", "failed"
    report_id: int | None = None
    period: str | None = None
    failed_checks: int | None = None
    error: str | None = None
    exit_code: int | None = None


@dataclass
class IngestResult:
    events: list[Event] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for e in self.events if e.status == status)

    @property
    def exit_code(self) -> int:
        failed = [e.exit_code or 1 for e in self.events if e.status == "failed"]
        return 1 if failed else 0


def discover(paths: list[Path]) -> list[Path]:
    """Report files under the given files and folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES and p.is_file()
            )
        else:
            found.append(path)
    return found


@contextmanager
def exclusive_lock(db_path: Path, wait: bool) -> Iterator[None]:
    lock_path = db_path.with_name(db_path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise IngestLocked(db_path, "another ingest is running; it was left alone") from exc
            raise
        yield
    finally:
        os.close(fd)  # releases the flock


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _extract_whole(path: Path, engine: str, settings: Settings) -> Record:
    return extract(path, engine=engine, sandbox=False, settings=settings)


def ingest(
    paths: list[Path],
    db_path: Path,
    *,
    workers: int = 2,
    reextract: bool = False,
    engine: str = "pymupdf",
    wait: bool = True,
    max_db_mb: int | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    on_event: Callable[[Event], Any] | None = None,
) -> IngestResult:
    """Ingest report files into the archive at `db_path`; never raises for one bad file."""
    check_archive_path(db_path, must_exist=False)
    result = IngestResult()

    def emit(event: Event) -> None:
        result.events.append(event)
        if on_event is not None:
            on_event(event)

    preload(engine)  # once here, not once per forked child
    with exclusive_lock(db_path, wait):
        db = open_db(db_path, max_mb=max_db_mb)
        try:
            todo: list[tuple[Path, str | None]] = []
            for path in discover(paths):
                sha = _known_sha(db, path)
                if sha is None and path.is_file():
                    sha = _sha256(path)
                if not reextract and sha is not None:
                    existing = find_report(db, sha, __version__)
                    if existing is not None:
                        emit(Event(str(path), "skipped", report_id=existing))
                        continue
                todo.append((path, sha))
            with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
                futures: dict[Future[Record], tuple[Path, str | None]] = {
                    pool.submit(run_in_child, _extract_whole, (p, engine, settings), p, settings): (
                        p,
                        sha,
                    )
                    for p, sha in todo
                }
                for future in as_completed(futures):
                    path, sha = futures[future]
                    emit(_store_one(db, path, sha, future, reextract))
        finally:
            db.close()
    return result


def _store_one(
    db: Any, path: Path, sha: str | None, future: Future[Record], reextract: bool
) -> Event:
    try:
        record = future.result()
    except ExtractionError as exc:
        # A full archive cannot log the error either; the event still reports the failure.
        with contextlib.suppress(sqlite3.DatabaseError):
            record_error(db, str(path), sha, exc.code, exc.exit_code, exc.one_line())
        return Event(str(path), "failed", error=exc.one_line(), exit_code=exc.exit_code)
    try:
        with write_transaction(db):
            existing = find_report(db, record.report.source.sha256, record.extractor_version)
            if existing is not None and reextract:
                # Re-reading the same bytes with the same extractor: replace, keep one row.
                _delete_report(db, existing)
            elif existing is not None:
                return Event(str(path), "skipped", report_id=existing)
            report_id = write_record(db, record, str(path))
            _remember(db, path, record.report.source.sha256)
    except sqlite3.DatabaseError as exc:
        # A full disk, a size cap or a read-only file: the transaction was rolled back, so
        # nothing of this report is in the archive; the next run will add it.
        message = (
            f"{path}: the archive could not be written ({exc}); nothing of this report "
            "was stored. Free space (or raise --max-db-mb) and run the ingest again."
        )
        return Event(str(path), "failed", error=message, exit_code=ArchiveError.exit_code)
    r = record.report
    return Event(
        str(path),
        "ingested",
        report_id=report_id,
        period=f"{r.year:04d}-{r.month:02d}",
        failed_checks=len(record.failed_checks),
    )


def _delete_report(db: Any, report_id: int) -> None:
    for table in ("tolls", "massacres", "incidents", "governorate_shares", "checks", "evidence"):
        db.conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
    db.conn.execute("UPDATE reports SET superseded_by = NULL WHERE superseded_by = ?", (report_id,))
    db.conn.execute("DELETE FROM reports WHERE id = ?", (report_id,))


def _known_sha(db: Any, path: Path) -> str | None:
    """The sha256 recorded for this path, if its size and mtime are unchanged."""
    try:
        stat = path.stat()
    except OSError:
        return None
    row = db.conn.execute(
        "SELECT sha256 FROM files_seen WHERE path = ? AND size = ? AND mtime_ns = ?",
        (str(path.resolve()), stat.st_size, stat.st_mtime_ns),
    ).fetchone()
    return str(row[0]) if row else None


def _remember(db: Any, path: Path, sha: str) -> None:
    stat = path.stat()
    db["files_seen"].upsert(
        {
            "path": str(path.resolve()),
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "sha256": sha,
        },
        pk="path",
    )
