"""The `snhr` command: a thin layer over the API. Each command builds its inputs, makes one
API call and turns domain errors into a one-line message and a documented exit code."""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .api import extract
from .engines import extract_both
from .errors import ExtractionError
from .models import Record
from .render import render_record
from .settings import DEFAULT_SETTINGS, Settings

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES_HELP = """\b
Exit codes: 0 ok; 2 usage; 3 no such file or a directory; 4 empty file;
5 not a PDF; 6 damaged or truncated PDF; 7 encrypted (use --password);
8 image-only PDF (use --ocr); 9 garbage text layer; 10 not an SNHR report
of a known layout; 11 time or memory limit exceeded."""


def _fail(exc: ExtractionError, debug: bool) -> None:
    if debug:
        traceback.print_exception(exc)
    click.echo(f"snhr: {exc.one_line()}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="snhr")
def main() -> None:
    """Turn SNHR monthly death-toll reports into checked figures with evidence.

    \b
    Examples:
      snhr extract corpus/2023-12.pdf           readable summary and checks
      snhr extract corpus/2023-12.pdf --json    the full record (docs/contract.md)
      snhr extract report.pdf --engine both     compare pymupdf and pdfplumber
      snhr schema > schema.json                 JSON Schema of the record
    """


def _settings(timeout: float | None, memory_mb: int | None) -> Settings:
    changes: dict[str, Any] = {}
    if timeout is not None:
        changes["timeout_s"] = timeout
    if memory_mb is not None:
        changes["memory_mb"] = memory_mb
    return DEFAULT_SETTINGS.model_copy(update=changes) if changes else DEFAULT_SETTINGS


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full record as JSON.")
@click.option(
    "--engine",
    type=click.Choice(["pymupdf", "pdfplumber", "both"]),
    default="pymupdf",
    show_default=True,
    help="PDF engine; 'both' reports every figure they disagree on.",
)
@click.option("--password", default=None, help="User password of an encrypted PDF.")
@click.option("--ocr", is_flag=True, help="OCR image-only PDFs with ocrmypdf, if installed.")
@click.option(
    "--timeout",
    type=float,
    default=None,
    help=f"Seconds allowed to read one PDF [default: {DEFAULT_SETTINGS.timeout_s:g}].",
)
@click.option(
    "--memory-mb",
    type=int,
    default=None,
    help=f"Memory cap for reading one PDF [default: {DEFAULT_SETTINGS.memory_mb}].",
)
@click.option("--debug", is_flag=True, help="Show the traceback of a failure.")
def extract_cmd(
    files: tuple[Path, ...],
    as_json: bool,
    engine: str,
    password: str | None,
    ocr: bool,
    timeout: float | None,
    memory_mb: int | None,
    debug: bool,
) -> None:
    """Read report FILES (PDF, or a .txt/.md text edition) and print their figures.

    Every figure carries the page and sentence it was read from (see --json, key
    "evidence"). Figures that cannot be read are null and come with a failing check; sums
    that do not add up in the report itself are reported as failing checks, not fixed.
    """
    settings = _settings(timeout, memory_mb)
    records: list[Record] = []
    code = 0
    for path in files:
        try:
            if engine == "both":
                record = extract_both(path, password=password, settings=settings)
            else:
                record = extract(path, engine=engine, password=password, ocr=ocr, settings=settings)
        except ExtractionError as exc:
            _fail(exc, debug)
            code = code or exc.exit_code
            continue
        records.append(record)
        if not as_json:
            click.echo(render_record(record))
            if len(files) > 1:
                click.echo("")
    if as_json and records:
        payload: Any = (
            records[0].model_dump(mode="json")
            if len(files) == 1
            else [r.model_dump(mode="json") for r in records]
        )
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    sys.exit(code)


extract_cmd.name = "extract"


DB_OPTION = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default="snhr.db",
    show_default=True,
    help="The SQLite archive.",
)


@main.command(
    epilog="Exit codes: 0 all ingested or skipped; 1 some file failed (see the "
    "ingest_errors table); 13 the archive is corrupt or cannot be written; 75 another ingest "
    "holds the lock (with --no-wait)."
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@DB_OPTION
@click.option(
    "--workers",
    type=int,
    default=os.cpu_count() or 1,
    show_default=True,
    help="Files extracted in parallel.",
)
@click.option("--reextract", is_flag=True, help="Re-read every file, even ones already ingested.")
@click.option(
    "--engine", type=click.Choice(["pymupdf", "pdfplumber"]), default="pymupdf", show_default=True
)
@click.option("--no-wait", is_flag=True, help="Exit (code 75) if another ingest is running.")
@click.option("--log-json", is_flag=True, help="One JSON line per file on stdout, for cron.")
@click.option(
    "--max-db-mb",
    type=int,
    default=None,
    help="Refuse to grow the archive past this size (writes then fail like a full disk).",
)
def ingest(
    paths: tuple[Path, ...],
    db_path: Path,
    workers: int,
    reextract: bool,
    engine: str,
    no_wait: bool,
    log_json: bool,
    max_db_mb: int | None,
) -> None:
    """Add report files (or folders of them) to the SQLite archive.

    Files already ingested by this extractor version are skipped; each report is written
    all-or-nothing; a file that cannot be read is logged in the ingest_errors table and
    the others still go in. Safe to run from cron: a second ingest waits for the first.

    \b
    Example:
      snhr ingest corpus/ --db snhr.db
    """
    from .ingest import IngestLocked, discover
    from .ingest import ingest as run_ingest
    from .store import ArchiveError

    files = discover(list(paths))
    bar = None
    if not log_json and sys.stderr.isatty():
        bar = click.progressbar(length=len(files), label="Ingesting", file=sys.stderr)
        bar.__enter__()

    def on_event(event: Any) -> None:
        if log_json:
            click.echo(json.dumps({k: v for k, v in vars(event).items() if v is not None}))
        elif bar is not None:
            bar.update(1)
        elif event.status == "failed":
            click.echo(f"snhr: {event.error}", err=True)

    try:
        result = run_ingest(
            list(paths),
            db_path,
            workers=workers,
            reextract=reextract,
            engine=engine,
            wait=not no_wait,
            max_db_mb=max_db_mb,
            on_event=on_event,
        )
    except (IngestLocked, ArchiveError) as exc:
        click.echo(f"snhr: {exc}", err=True)
        sys.exit(exc.exit_code)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    ingested, skipped, failed = (result.count(s) for s in ("ingested", "skipped", "failed"))
    if not log_json:
        if bar is not None:
            for event in result.events:
                if event.status == "failed":
                    click.echo(f"snhr: {event.error}", err=True)
        if ingested == failed == 0:
            click.echo(f"Nothing to do: all {skipped} file(s) are already in {db_path}.")
        else:
            click.echo(f"{db_path}: {ingested} ingested, {skipped} already there, {failed} failed.")
    sys.exit(result.exit_code)


@main.command()
@DB_OPTION
@click.argument("target", type=click.Path(path_type=Path))
def backup(db_path: Path, target: Path) -> None:
    """Write a consistent copy of the archive to TARGET (VACUUM INTO), safe during an ingest."""
    from .store import backup as run_backup

    try:
        run_backup(db_path, target)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up {db_path} to {target}.")


@main.command(
    epilog="Exit codes: 0 ok; 1 some download or report failed; 12 the feed could "
    "not be read; 75 another ingest holds the lock."
)
@click.option("--feed", "feed_url", required=True, help="URL of a feed or index page listing PDFs.")
@click.option(
    "--archive",
    type=click.Path(path_type=Path),
    default="archive",
    show_default=True,
    help="Folder the PDFs are kept in.",
)
@DB_OPTION
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds per request.")
@click.option("--retries", type=int, default=3, show_default=True)
@click.option("--max-mb", type=int, default=100, show_default=True, help="Size cap per file.")
def fetch(
    feed_url: str, archive: Path, db_path: Path, timeout: float, retries: int, max_mb: int
) -> None:
    """Download the reports FEED lists that the archive lacks, and ingest them.

    Uses conditional GET, so an unchanged report is not downloaded again; a truncated or
    failed download is discarded and retried on the next run. Meant for cron:

    \b
      15 6 * * *  cd /srv/snhr && .venv/bin/snhr fetch --feed URL --db snhr.db --archive archive
    """
    from .fetch import FetchError, FetchSettings
    from .fetch import fetch as run_fetch
    from .ingest import IngestLocked
    from .ingest import ingest as run_ingest

    settings = FetchSettings(timeout_s=timeout, retries=retries, max_bytes=max_mb * 1024 * 1024)
    try:
        got = run_fetch(
            feed_url,
            archive,
            db_path,
            settings=settings,
            on_file=lambda url, what: click.echo(f"{url}: {what}", err=True),
        )
    except FetchError as exc:
        click.echo(f"snhr: {exc}", err=True)
        sys.exit(FetchError.exit_code)
    code = 1 if got.failed else 0
    if got.downloaded:
        try:
            result = run_ingest(got.downloaded, db_path)
        except IngestLocked as exc:
            click.echo(f"snhr: {exc}", err=True)
            sys.exit(IngestLocked.exit_code)
        code = code or result.exit_code
        click.echo(
            f"{len(got.downloaded)} downloaded, {result.count('ingested')} ingested, "
            f"{len(got.not_modified)} unchanged, {len(got.failed)} failed."
        )
    else:
        click.echo(f"Nothing new: {len(got.not_modified)} unchanged, {len(got.failed)} failed.")
    sys.exit(code)


@main.command(
    epilog="Exit codes: 0 every rule passes; 1 some rule fails; 3-11 the file "
    "could not be read (see snhr extract --help)."
)
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Check the archive instead of a file: every report, and the rules across them.",
)
@click.option("--month", default=None, metavar="YYYY-MM", help="With --db: only this month.")
@click.option("--json", "as_json", is_flag=True, help="Machine output: the list of checks.")
@click.option("--engine", type=click.Choice(["pymupdf", "pdfplumber"]), default="pymupdf")
@click.option(
    "--against",
    "announcement",
    type=click.Path(path_type=Path),
    default=None,
    help="SNHR's web announcement of FILE (text or saved HTML page): every figure it "
    "states must agree with the report.",
)
def check(
    file: Path | None,
    db_path: Path | None,
    month: str | None,
    as_json: bool,
    engine: str,
    announcement: Path | None,
) -> None:
    """Do a report's figures add up, agree with its summary and title, and with the
    archive's other months? Prints every rule, and under each failure the sentences
    involved with their pages.

    \b
    Examples:
      snhr check corpus/2023-12.pdf
      snhr check --db snhr.db --month 2024-11
      snhr check corpus/2024-11.pdf --against corpus/eras/2024-11.press_release.txt
    """
    from .compare import compare_records
    from .models import Check
    from .render import render_check_table
    from .series_checks import load_records, series_checks
    from .store import open_db

    if (file is None) == (db_path is None):
        raise click.UsageError("give a FILE or --db, not both")
    if announcement is not None and file is None:
        raise click.UsageError("--against compares a report FILE with its announcement")
    records: dict[str, Record] = {}
    checks: list[Check] = []
    if file is not None:
        try:
            record = extract(file, engine=engine)
        except ExtractionError as exc:
            _fail(exc, False)
            sys.exit(exc.exit_code)
        records[str(file)] = record
        checks = list(record.checks)
        if announcement is not None:
            try:
                other = extract(announcement, engine=engine)
            except ExtractionError as exc:
                _fail(exc, False)
                sys.exit(exc.exit_code)
            checks += compare_records(record, other)
    else:
        assert db_path is not None
        db = open_db(db_path)
        try:
            stored = load_records(db)
        finally:
            db.close()
        for s in stored:
            if s.current and (month is None or s.period == month):
                records[s.period] = s.record
                checks += [
                    c.model_copy(update={"rule": f"{s.period} {c.rule}"}) for c in s.record.checks
                ]
        series = series_checks(stored)
        if month is not None:
            series = [c for c in series if month in c.message]
        checks += series
    if as_json:
        click.echo(json.dumps([c.model_dump() for c in checks], indent=2, ensure_ascii=False))
    else:
        click.echo(render_check_table(checks, records))
    sys.exit(1 if any(c.status == "fail" for c in checks) else 0)


@main.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The annotated copy to write.",
)
def audit(pdf: Path, output: Path) -> None:
    """Write a copy of PDF with every extracted figure highlighted where it was read
    (yellow), and every figure in a failing check in red with the check's message as a
    note. Open it next to the original to see what was read and what does not add up."""
    from .audit import audit as run_audit

    try:
        result = run_audit(pdf, output)
    except ExtractionError as exc:
        _fail(exc, False)
        sys.exit(exc.exit_code)
    click.echo(
        f"Wrote {output}: {result.highlighted} figures highlighted, {result.failing} in "
        f"failing checks, {len(result.not_located)} not located on their page."
    )


@main.group()
def export() -> None:
    """Export the archive for analysis."""


@export.command("timeseries")
@DB_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "parquet"]),
    default="csv",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file (required for parquet) instead of stdout.",
)
def export_timeseries(db_path: Path, fmt: str, output: Path | None) -> None:
    """A tidy month x party table of civilian deaths.

    One row per month and party, plus a party "all" row with the month's total. A month
    missing from the archive between the first and last is a row with status "missing"
    and empty figures, never a zero.
    """
    from .export import write_timeseries

    try:
        text = write_timeseries(db_path, fmt, output)
    except (ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    if text is not None:
        click.echo(text, nl=False)


@main.command()
@DB_OPTION
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default="snhr-monthly.png", show_default=True
)
def plot(db_path: Path, output: Path) -> None:
    """Write a PNG of monthly civilian deaths, stacked by party."""
    from .export import plot as run_plot

    click.echo(f"Wrote {run_plot(db_path, output)}.")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the record `snhr extract --json` emits."""
    click.echo(json.dumps(Record.model_json_schema(), indent=2, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    main()
