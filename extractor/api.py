"""The public, typed API. The CLI is a thin layer over these functions; they never print."""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import __version__
from .checks.report import run_checks
from .document import Document
from .errors import ExtractionError
from .extract import build_record
from .extract.eras import detect_era, read_era
from .language.patterns import compile_cache_path, warm
from .models import Record
from .read.load import load, text_lines
from .read.sandbox import run_in_child
from .settings import DEFAULT_SETTINGS, Settings
from .text.clean import clean
from .text.segment import segment


def extract_document(doc: Document, settings: Settings = DEFAULT_SETTINGS) -> Record:
    """Run clean, segment, extract and validate over an already loaded document."""
    paragraphs = clean(doc)
    # A report of another era (2012-2019, 2025) or a web announcement, told apart by
    # patterns/eras/ data; anything else is read as the 2020-2024 layout.
    era = detect_era(paragraphs)
    if era is not None:
        record = read_era(doc, paragraphs, era, settings, __version__)
    else:
        record = build_record(doc, segment(paragraphs), settings, __version__)
    record.checks = run_checks(record)
    return record


def extract(
    path: Path | str,
    *,
    engine: str = "pymupdf",
    password: str | None = None,
    ocr: bool = False,
    sandbox: bool = True,
    settings: Settings = DEFAULT_SETTINGS,
) -> Record:
    """Read one report (PDF or text edition) into its record.

    With `sandbox` (the default) the whole extraction, from reading the file to the last
    check, runs in a forked child under `settings.timeout_s` and `settings.memory_mb`: a
    hostile or huge file can exhaust neither this process nor the clock.

    Raises a subclass of `extractor.errors.ExtractionError` for a file that cannot be read.
    """
    args = (Path(path), engine, password, ocr, settings)
    if sandbox:
        # Compiled here (from the disk cache, in a few ms once it is filled), the patterns
        # are inherited by the child, and what this compiles is kept for the next run. With
        # the cache off, the child compiles only the patterns the report needs.
        if compile_cache_path() is not None:
            warm()
        record = run_in_child(extract_unsandboxed, args, path, settings)
        if not isinstance(record, Record):
            raise ExtractionError(path, "the extraction returned nothing usable")
        return record
    return extract_unsandboxed(*args)


def extract_unsandboxed(
    path: Path, engine: str, password: str | None, ocr: bool, settings: Settings
) -> Record:
    """`extract` in this process, without limits: for callers that are a sandbox child."""
    doc = load(path, engine=engine, password=password, ocr=ocr, sandbox=False, settings=settings)
    return extract_document(doc, settings)


def extract_text(text: str, name: str = "<text>", settings: Settings = DEFAULT_SETTINGS) -> Record:
    """Extract from a text edition held in memory (used by property tests and tools)."""
    lines = text_lines(text)
    digest = hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest()
    return extract_document(Document(name, digest, "text", "text", None, lines), settings)
