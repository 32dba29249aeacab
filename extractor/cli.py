"""The `snhr` command: a thin layer over the API. Each command builds its inputs and makes
one API call; the group's single error handler (`SnhrGroup.invoke`) turns every domain error
into one line on stderr and its documented exit code (docs/exit-codes.md), a usage error into
one line and exit 2, and anything unexpected into an internal error (exit 70)."""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .api import extract
from .errors import ArchiveError, ExtractionError, InternalError, SnhrError
from .models import Record
from .output.render import render_record
from .pdf.compare import extract_both
from .pdf.engines import BOTH, DEFAULT_ENGINE, ENGINES, engine_names
from .settings import DEFAULT_SETTINGS, Settings

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES_HELP = """\b
Exit codes: 0 ok; 2 usage; 3 no such file or not a regular file; 4 empty file;
5 not a PDF; 6 damaged or truncated PDF; 7 encrypted (use --password);
8 image-only PDF (use --ocr); 9 garbage text layer; 10 not an SNHR report
of a known layout; 11 time or memory limit exceeded; 16 unreadable for another
reason; 70 internal error. All codes: docs/exit-codes.md."""

_DEBUG = "snhr.debug"


def _debugging(ctx: click.Context) -> bool:
    return bool(ctx.meta.get(_DEBUG)) or os.environ.get("SNHR_DEBUG") == "1"


def _fail(exc: SnhrError, debug: bool) -> None:
    if debug:
        traceback.print_exception(exc)
    click.echo(f"snhr: {exc.one_line()}", err=True)


class SnhrGroup(click.Group):
    """The one place where errors become messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            if exc.ctx is not None and exc.ctx.command is not self:
                name = exc.ctx.command_path
                click.echo(f"{name}: {exc.format_message()} (see {name} --help)", err=True)
                ctx.exit(exc.exit_code)
            raise
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except SnhrError as exc:
            _fail(exc, _debugging(ctx))
            ctx.exit(exc.exit_code)
        except Exception as exc:
            internal = InternalError(
                f"snhr {ctx.invoked_subcommand or ''}".strip(),
                f"internal error: {type(exc).__name__}: {exc}",
            )
            if _debugging(ctx):
                traceback.print_exception(exc)
            click.echo(f"snhr: {internal.one_line()}", err=True)
            ctx.exit(InternalError.exit_code)


@click.group(
    cls=SnhrGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="snhr")
def main() -> None:
    """Turn SNHR monthly death-toll reports into checked figures with evidence.

    \b
    Examples:
      snhr extract corpus/2023-12.pdf           readable summary and checks
      snhr extract corpus/2023-12.pdf --json    the full record (docs/contract.md)
      snhr extract report.pdf --engine both     compare every PDF engine
      snhr schema > schema.json                 JSON Schema of the record
    """


class EngineChoice(click.Choice[str]):
    """The registered PDF engines (pdf.engines.ENGINES), read when a command runs, so that
    registering an engine makes it a choice of every command without touching this file."""

    def __init__(self, *, both: bool) -> None:
        super().__init__((), case_sensitive=True)
        self.both = both

    @property
    def choices(self) -> tuple[str, ...]:
        return (*engine_names(), *((BOTH,) if self.both else ()))

    @choices.setter
    def choices(self, _: object) -> None:
        pass  # click.Choice.__init__ assigns it; the registry is the only source


def engine_option(*, both: bool = False) -> Callable[[F], F]:
    """`--engine`, with `both` (compare every registered engine) where a command allows it."""
    lines = [f"{name}: {ENGINES[name].doc}" for name in engine_names()]
    if both:
        lines.append(f"{BOTH}: every engine, reporting each figure they disagree on")
    return click.option(
        "--engine",
        type=EngineChoice(both=both),
        default=DEFAULT_ENGINE,
        show_default=True,
        help="PDF engine (" + "; ".join(lines) + ").",
    )


# --- options shared by several commands (sqlite-utils style) ---------------------------------


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[_DEBUG] = True
    return value


def debug_option(fn: F) -> F:
    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        callback=_set_debug,
        help="Show the traceback of a failure.",
    )(fn)


def password_option(fn: F) -> F:
    return click.option("--password", default=None, help="User password of an encrypted PDF.")(fn)


def limits_options(fn: F) -> F:
    """--timeout and --memory-mb: limits on each file's whole extraction (read, clean,
    extract, check), in every command that reads reports (see Settings)."""
    fn = click.option(
        "--memory-mb",
        type=click.IntRange(min=128),
        default=None,
        help=f"Memory cap for extracting one file [default: {DEFAULT_SETTINGS.memory_mb}].",
    )(fn)
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=None,
        help=f"Seconds allowed to extract one file [default: {DEFAULT_SETTINGS.timeout_s:g}].",
    )(fn)


def _archive_path(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Path | None:
    # Kept as typed: click.Path would turn "" into ".", and SQLite takes ":memory:" and ""
    # for throw-away databases.
    if value is None:
        return None
    from .archive.store import check_archive_path

    check_archive_path(value, must_exist=False)
    return Path(value)


def db_option(
    default: str | None = "snhr.db", help: str = "The SQLite archive."
) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        return click.option(
            "--db",
            "db_path",
            type=str,
            default=default,
            show_default=default is not None,
            callback=_archive_path,
            help=help,
        )(fn)

    return decorate


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
@engine_option(both=True)
@password_option
@click.option("--ocr", is_flag=True, help="OCR image-only PDFs with ocrmypdf, if installed.")
@limits_options
@debug_option
def extract_cmd(
    files: tuple[Path, ...],
    as_json: bool,
    engine: str,
    password: str | None,
    ocr: bool,
    timeout: float | None,
    memory_mb: int | None,
) -> None:
    """Read report FILES (PDF, or a .txt/.md text edition) and print their figures.

    Every figure carries the page and sentence it was read from (see --json, key
    "evidence"). Figures that cannot be read are null and come with a failing check; sums
    that do not add up in the report itself are reported as failing checks, not fixed.
    """
    settings = _settings(timeout, memory_mb)
    debug = _debugging(click.get_current_context())
    records: list[Record] = []
    code = 0
    for path in files:
        try:
            if engine == BOTH:
                record = extract_both(path, password=password, settings=settings)
            else:
                record = extract(path, engine=engine, password=password, ocr=ocr, settings=settings)
        except ExtractionError as exc:  # this file fails; the others are still read
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


@main.command(
    epilog="Exit codes: 0 all ingested or skipped; 1 some file failed (see the "
    "ingest_errors table); 13 the archive is unusable; 75 another ingest holds the lock "
    "(with --no-wait). All codes: docs/exit-codes.md."
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@db_option()
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default=True,
    help="Files extracted in parallel.",
)
@click.option("--reextract", is_flag=True, help="Re-read every file, even ones already ingested.")
@engine_option()
@click.option("--no-wait", is_flag=True, help="Exit (code 75) if another ingest is running.")
@click.option("--log-json", is_flag=True, help="One JSON line per file on stdout, for cron.")
@click.option(
    "--max-db-mb",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse to grow the archive past this size (writes then fail like a full disk).",
)
@limits_options
@debug_option
def ingest(
    paths: tuple[Path, ...],
    db_path: Path,
    workers: int,
    reextract: bool,
    engine: str,
    no_wait: bool,
    log_json: bool,
    max_db_mb: int | None,
    timeout: float | None,
    memory_mb: int | None,
) -> None:
    """Add report files (or folders of them) to the SQLite archive.

    Files already ingested by this extractor version are skipped; each report is written
    all-or-nothing; a file that cannot be read is logged in the ingest_errors table and
    the others still go in. Safe to run from cron: a second ingest waits for the first.

    \b
    Example:
      snhr ingest corpus/ --db snhr.db
    """
    from .archive.ingest import discover
    from .archive.ingest import ingest as run_ingest

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
            settings=_settings(timeout, memory_mb),
            on_event=on_event,
        )
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


@main.command(
    epilog="Exit codes: 0 ok; 13 the archive is unusable; 15 TARGET exists or its "
    "folder is missing."
)
@db_option()
@click.argument("target", type=click.Path(path_type=Path))
@debug_option
def backup(db_path: Path, target: Path) -> None:
    """Write a consistent copy of the archive to TARGET (VACUUM INTO), safe during an ingest.

    The copy is written under a temporary name and appears as TARGET only when complete;
    TARGET is never overwritten."""
    from .archive.store import backup as run_backup

    run_backup(db_path, target)
    click.echo(f"Backed up {db_path} to {target}.")


@main.command(
    epilog="Exit codes: 0 ok; 1 some download or report failed; 12 the feed could "
    "not be read; 13 the archive is unusable; 14 the feed lists nothing; 75 another ingest "
    "holds the lock. All codes: docs/exit-codes.md."
)
@click.option(
    "--feed", "feed_url", required=True, help="http(s) URL of a feed or index page listing PDFs."
)
@click.option(
    "--archive",
    type=click.Path(path_type=Path),
    default="archive",
    show_default=True,
    help="Folder the PDFs (and announcement pages) are kept in.",
)
@db_option()
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds per network operation (connect, one read).",
)
@click.option(
    "--deadline",
    type=click.FloatRange(min=0, min_open=True),
    default=600.0,
    show_default=True,
    help="Seconds for one whole download, retries included.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Further attempts after a network error or a 5xx answer.",
)
@click.option(
    "--max-mb",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Size cap per file.",
)
@debug_option
def fetch(
    feed_url: str,
    archive: Path,
    db_path: Path,
    timeout: float,
    deadline: float,
    retries: int,
    max_mb: int,
) -> None:
    """Download the reports FEED lists that the archive lacks, and ingest them.

    A feed item may be the report PDF or an announcement page linking to it; the page is
    kept as .html beside the PDFs. Only http and https are fetched. Downloads are named by
    their content, so nothing in the archive folder is ever replaced. Uses conditional GET,
    so an unchanged report is not downloaded again; a truncated or failed download is
    discarded and retried on the next run. Meant for cron:

    \b
      15 6 * * *  cd /srv/snhr && .venv/bin/snhr fetch --feed URL --db snhr.db --archive archive
    """
    from .archive.fetch import FetchSettings, ingestable
    from .archive.fetch import fetch as run_fetch
    from .archive.ingest import REPORT_SUFFIXES
    from .archive.ingest import ingest as run_ingest

    settings = FetchSettings(
        timeout_s=timeout, deadline_s=deadline, retries=retries, max_bytes=max_mb * 1024 * 1024
    )
    got = run_fetch(
        feed_url,
        archive,
        db_path,
        settings=settings,
        on_file=lambda url, what: click.echo(f"{url}: {what}", err=True),
    )
    code = 1 if got.failed else 0
    files = ingestable(got, REPORT_SUFFIXES)
    ingested = 0
    if files:
        result = run_ingest(files, db_path)
        for event in result.events:
            if event.status == "failed":
                click.echo(f"snhr: {event.error}", err=True)
        ingested = result.count("ingested")
        code = code or result.exit_code
    pages = f", {len(got.announcements)} announcement page(s) kept" if got.announcements else ""
    if got.downloaded or got.announcements or ingested:
        click.echo(
            f"{len(got.downloaded)} downloaded, {ingested} ingested, "
            f"{len(got.not_modified)} unchanged, {len(got.failed)} failed{pages}."
        )
    else:
        click.echo(f"Nothing new: {len(got.not_modified)} unchanged, {len(got.failed)} failed.")
    sys.exit(code)


_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _month(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _MONTH.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a month; give YYYY-MM, e.g. 2024-11")
    return value


@main.command(
    epilog="Exit codes: 0 every rule passes; 1 some rule fails; 3-11 and 16 the file "
    "could not be read (see snhr extract --help); 13 the archive is unusable."
)
@click.argument("file", required=False, type=click.Path(path_type=Path))
@db_option(
    default=None,
    help="Check the archive instead of a file: every report, the rules across them, and "
    "each month's report against its announcement.",
)
@click.option(
    "--month", default=None, metavar="YYYY-MM", callback=_month, help="With --db: only this month."
)
@click.option("--json", "as_json", is_flag=True, help="Machine output: the list of checks.")
@engine_option()
@password_option
@limits_options
@debug_option
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
    password: str | None,
    timeout: float | None,
    memory_mb: int | None,
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
    from .archive.store import open_readonly
    from .checks.against import compare_records
    from .checks.series import load_records, series_checks_by_period
    from .models import Check
    from .output.render import render_check_table

    if (file is None) == (db_path is None):
        raise click.UsageError("give a FILE or --db, not both")
    if month is not None and db_path is None:
        raise click.UsageError("--month goes with --db")
    if announcement is not None and file is None:
        raise click.UsageError("--against compares a report FILE with its announcement")
    records: dict[str, Record] = {}
    checks: list[Check] = []
    if file is not None:
        record = extract(
            file, engine=engine, password=password, settings=_settings(timeout, memory_mb)
        )
        records[str(file)] = record
        checks = list(record.checks)
        if announcement is not None:
            other = extract(announcement, engine=engine, settings=_settings(timeout, memory_mb))
            checks += compare_records(record, other)
    else:
        assert db_path is not None
        db = open_readonly(db_path)
        try:
            stored = load_records(db)
        finally:
            db.close()
        for s in stored:
            if s.current and (month is None or s.period == month):
                # A month may hold its report and SNHR's announcement of it (issue 10).
                label = s.period if not s.announcement else f"{s.period} announcement"
                records[f"{s.period} {s.source}"] = s.record
                checks += [
                    c.model_copy(update={"rule": f"{label} {c.rule}"}) for c in s.record.checks
                ]
        checks += [
            # The report against its announcement (`against.*`) is about one month: say which.
            c.model_copy(update={"rule": f"{period} {c.rule}"})
            if c.rule.startswith("against.")
            else c
            for period, c in series_checks_by_period(stored)
            if month is None or period == month
        ]
        if month is not None and not records:
            raise ArchiveError(
                db_path, f"holds no report for {month}", "Check the month, or ingest its report."
            )
    if as_json:
        click.echo(json.dumps([c.model_dump() for c in checks], indent=2, ensure_ascii=False))
    else:
        click.echo(render_check_table(checks, records))
    sys.exit(1 if any(c.status == "fail" for c in checks) else 0)


@main.command(
    epilog="Exit codes: 0 written; 3-11 and 16 the PDF could not be read; 15 the "
    "output path is refused (its folder is missing, a directory, or the input itself)."
)
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The annotated copy to write.",
)
@click.option(
    "--layout",
    "show_layout",
    is_flag=True,
    help="Draw the layout decisions instead: dropped headers, footers, footnotes and "
    "captions (red), the reading order (numbered blue boxes), the paragraphs (green/teal) "
    "and where each starts (orange); a legend is the last page.",
)
@engine_option()
@password_option
@limits_options
@debug_option
def audit(
    pdf: Path,
    output: Path,
    show_layout: bool,
    engine: str,
    password: str | None,
    timeout: float | None,
    memory_mb: int | None,
) -> None:
    """Write a copy of PDF with every extracted figure highlighted where it was read
    (yellow), and every figure in a failing check in red with the check's message as a
    note. Open it next to the original to see what was read and what does not add up.

    With --layout, the copy shows instead how the page was read, so a misread page can be
    seen rather than guessed.
    """
    from .archive.safe_write import atomic_write, check_output
    from .pdf.audit import audit as run_audit
    from .pdf.audit import audit_layout

    check_output(output, inputs=[pdf])
    settings = _settings(timeout, memory_mb)
    if show_layout:
        with atomic_write(output) as tmp:
            laid = audit_layout(pdf, tmp, engine=engine, password=password, settings=settings)
        click.echo(
            f"Wrote {output}: {laid.pages} pages, {laid.dropped} dropped text blocks, "
            f"{laid.runs} reading-order runs, {laid.paragraphs} paragraphs "
            f"({laid.hyphen_joins} hyphen joins); legend on the last page."
        )
        return
    with atomic_write(output) as tmp:
        result = run_audit(pdf, tmp, engine=engine, password=password, settings=settings)
    click.echo(
        f"Wrote {output}: {result.highlighted} figures highlighted, {result.failing} in "
        f"failing checks, {len(result.not_located)} not located on their page."
    )


@main.group()
def export() -> None:
    """Export the archive for analysis."""


@export.command(
    "timeseries",
    epilog="Exit codes: 0 ok; 13 the archive is unusable; 15 the "
    "output path is refused (the archive itself, a directory, or its folder is missing).",
)
@db_option()
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
@debug_option
def export_timeseries(db_path: Path, fmt: str, output: Path | None) -> None:
    """A tidy month x party table of civilian deaths.

    One row per month and party, plus a party "all" row with the month's total. A month
    missing from the archive between the first and last is a row with status "missing"
    and empty figures, never a zero. Each row says its `measure` (civilians, or people
    with fighters included), its `source` (report, or the announcement where the archive
    holds no report) and whether it is `disputed` (a failing check touches it).
    """
    from .archive.export import write_timeseries

    text = write_timeseries(db_path, fmt, output)
    if text is not None:
        click.echo(text, nl=False)


@main.command(epilog="Exit codes: 0 ok; 13 the archive is unusable; 15 the output path is refused.")
@db_option()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default="snhr-monthly.png", show_default=True
)
@debug_option
def plot(db_path: Path, output: Path) -> None:
    """Write a PNG of monthly deaths, stacked by party, marking disputed months and changes
    of definition (people / civilians)."""
    from .output.plot import plot as run_plot

    click.echo(f"Wrote {run_plot(db_path, output)}.")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the record `snhr extract --json` emits."""
    click.echo(json.dumps(Record.model_json_schema(), indent=2, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    main()
