"""`snhr ingest`: files and folders into the SQLite archive, unattended.

- Idempotent: a file whose sha256 was already ingested by this extractor version is skipped
  with one indexed lookup (and an unchanged path, size and mtime skips even the hashing).
- Atomic per report: reports are written up to 32 to a `BEGIN IMMEDIATE` transaction, each
  in its own savepoint, so a report is in the archive wholly or not at all; a report that
  fails goes to `ingest_errors` and the run goes on.
- One writer at a time: an exclusive `flock` on `<db>.lock` (a separate file, because closing
  any descriptor of the database file itself would drop SQLite's own locks).
- Parallel: each file is extracted whole (read, clean, extract, check) in one of `workers`
  long-lived forked children under the per-file time and memory limits (sandbox.py); the
  parent only dispatches files and writes results, so extraction uses every core while the
  writes stay serial. Patterns are compiled once, here, before the children fork.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..api import extract_unsandboxed
from ..errors import ExtractionError, IngestLocked
from ..extract import PERSONNEL
from ..language.patterns import warm
from ..pdf.engines import preload
from ..read.sandbox import Sandbox
from ..settings import DEFAULT_SETTINGS, Settings
from .store import (
    ArchiveError,
    ReportRows,
    check_archive_path,
    find_report,
    is_full,
    open_db,
    record_error,
    report_rows,
    report_savepoint,
    write_rows,
    write_transaction,
)

__all__ = ["IngestLocked", "discover", "ingest"]

# What ingest reads: report PDFs and text editions, and SNHR's web announcements as text or
# as the saved page (".html", kind `press_release`), which is how `snhr fetch` ingests the
# announcement pages it keeps (fetch.ingestable). Downloads in progress end in ".partial"
# (safe_write.py), so they are never picked up.
REPORT_SUFFIXES = {".pdf", ".txt", ".md", ".html", ".htm"}
# Reports written per transaction, and the longest a finished report waits for its batch.
BATCH_SIZE = 32
BATCH_SECONDS = 2.0


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


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in blocks (a report is never read into memory whole)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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

    with exclusive_lock(db_path, wait):
        db = open_db(db_path, max_mb=max_db_mb)
        try:
            todo: list[tuple[Path, str | None]] = []
            for path in discover(paths):
                sha = _known_sha(db, path)
                if sha is None and path.is_file():
                    sha = sha256_of(path)
                if not reextract and sha is not None:
                    existing = find_report(db, sha, __version__)
                    if existing is not None:
                        emit(Event(str(path), "skipped", report_id=existing))
                        continue
                todo.append((path, sha))
            if todo:
                # Once here, not once per child or per file: the children inherit both
                # ready. (Not for a run with nothing to do, which should take no time, nor
                # the PDF library for text editions and web pages alone; a PDF saved under
                # another name is still read, its child importing the library itself.)
                if any(p.suffix.lower() == ".pdf" for p, _ in todo):
                    preload(engine)
                warm(units=PERSONNEL)  # the sections whose patterns take a {UNIT}
            with Sandbox[tuple[Path, str | None]](workers, settings) as sandbox:
                jobs = (
                    ((p, sha), extract_rows, (p, engine, None, False, settings), p)
                    for p, sha in todo
                )
                writer = _BatchWriter(db, reextract, emit)
                for (path, sha), outcome in sandbox.run(jobs):
                    writer.add(path, sha, outcome)
                writer.flush()
        finally:
            db.close()
    return result


def extract_rows(
    path: Path, engine: str, password: str | None, ocr: bool, settings: Settings
) -> ReportRows:
    """A file's archive rows, extracted and laid out in the sandbox child that read it."""
    return report_rows(extract_unsandboxed(path, engine, password, ocr, settings), str(path))


class _BatchWriter:
    """Writes extracted reports BATCH_SIZE to a transaction, each in its own savepoint.

    One commit per report made the archive's fsyncs a large share of a cold ingest; a
    batch pays one. A report stands or falls whole within its savepoint, and an event says
    "ingested" only once its batch is committed. If a batch hits SQLITE_FULL (a full disk or
    --max-db-mb), it is rolled back and written again one report per transaction, so that
    every report that fits goes in and none goes in half.
    """

    def __init__(self, db: Any, reextract: bool, emit: Callable[[Event], Any]) -> None:
        self.db = db
        self.reextract = reextract
        self.emit = emit
        self.pending: list[tuple[Path, ReportRows]] = []
        self.oldest = 0.0

    def add(self, path: Path, sha: str | None, outcome: object) -> None:
        if not isinstance(outcome, ReportRows):
            exc = (
                outcome
                if isinstance(outcome, ExtractionError)
                else ExtractionError(path, "the extraction returned nothing usable")
            )
            # A full archive cannot log the error either; the event still reports it.
            with contextlib.suppress(sqlite3.DatabaseError):
                record_error(self.db, str(path), sha, exc.code, exc.exit_code, exc.one_line())
            self.emit(Event(str(path), "failed", error=exc.one_line(), exit_code=exc.exit_code))
            return
        if not self.pending:
            self.oldest = time.monotonic()
        self.pending.append((path, outcome))
        # A slow file should not hold finished reports back from the archive (and from a
        # progress bar) for long: flush a partial batch after a couple of seconds.
        if len(self.pending) >= BATCH_SIZE or time.monotonic() - self.oldest > BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            with write_transaction(self.db):
                events = [self._write(path, rows, savepoint=True) for path, rows in batch]
        except sqlite3.DatabaseError:
            events = [self._write_alone(path, rows) for path, rows in batch]
        for event in events:
            self.emit(event)

    def _write_alone(self, path: Path, rows: ReportRows) -> Event:
        try:
            with write_transaction(self.db):
                return self._write(path, rows, savepoint=False)
        except sqlite3.DatabaseError as exc:
            return _not_written(path, exc)

    def _write(self, path: Path, rows: ReportRows, savepoint: bool) -> Event:
        if not savepoint:
            return self._write_rows(path, rows)
        try:
            with report_savepoint(self.db):
                return self._write_rows(path, rows)
        except sqlite3.DatabaseError as exc:
            if is_full(exc) or not self.db.conn.in_transaction:
                raise  # the batch falls back to one report per transaction
            return _not_written(path, exc)

    def _write_rows(self, path: Path, rows: ReportRows) -> Event:
        db = self.db
        existing = find_report(db, rows.sha256, rows.extractor_version)
        if existing is not None and self.reextract:
            # Re-reading the same bytes with the same extractor: replace, keep one row.
            _delete_report(db, existing)
        elif existing is not None:
            return Event(str(path), "skipped", report_id=existing)
        report_id = write_rows(db, rows)
        _remember(db, path, rows.sha256)
        return Event(
            str(path),
            "ingested",
            report_id=report_id,
            period=rows.period,
            failed_checks=rows.failed_checks,
        )


def _not_written(path: Path, exc: sqlite3.DatabaseError) -> Event:
    # A full disk, a size cap or a read-only file: the report's writes were rolled back, so
    # nothing of it is in the archive; the next run will add it.
    message = (
        f"{path}: the archive could not be written ({exc}); nothing of this report "
        "was stored. Free space (or raise --max-db-mb) and run the ingest again."
    )
    return Event(str(path), "failed", error=message, exit_code=ArchiveError.exit_code)


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
    db.conn.execute(
        "INSERT INTO files_seen (path, size, mtime_ns, sha256) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
        "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256",
        (str(path.resolve()), stat.st_size, stat.st_mtime_ns, sha),
    )
