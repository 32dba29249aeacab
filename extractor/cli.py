"""The `snhr` command: a thin layer over the API. Each command builds its inputs, makes one
API call and turns domain errors into a one-line message and a documented exit code."""

from __future__ import annotations

import json
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


@main.command()
def schema() -> None:
    """Print the JSON Schema of the record `snhr extract --json` emits."""
    click.echo(json.dumps(Record.model_json_schema(), indent=2, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    main()
