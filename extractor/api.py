"""The public, typed API. The CLI is a thin layer over these functions; they never print."""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import __version__
from .clean import clean
from .document import Document
from .extract import build_record
from .extract.eras import detect_era, read_era
from .load import load, text_lines
from .models import Record
from .segment import segment
from .settings import DEFAULT_SETTINGS, Settings
from .validate import run_checks


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

    Raises a subclass of `extractor.errors.ExtractionError` for a file that cannot be read.
    """
    doc = load(
        Path(path), engine=engine, password=password, ocr=ocr, sandbox=sandbox, settings=settings
    )
    return extract_document(doc, settings)


def extract_text(text: str, name: str = "<text>", settings: Settings = DEFAULT_SETTINGS) -> Record:
    """Extract from a text edition held in memory (used by property tests and tools)."""
    lines = text_lines(text)
    digest = hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest()
    return extract_document(Document(name, digest, "text", "text", None, lines), settings)
