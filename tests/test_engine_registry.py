"""One registry of PDF engines: a new entry is a choice of every command, named in the
remedies, read by `--engine both` and usable by `snhr audit`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import errors, extract
from extractor.cli import main
from extractor.pdf.engines import ENGINES, Engine, RawDocument, read_pymupdf, register

from .conftest import CORPUS

NEW = "pymupdf-again"


def _read_again(path: Path, password: str | None) -> RawDocument:
    """A second engine for the test: MuPDF's reading under another name."""
    return replace(read_pymupdf(path, password), engine=NEW)


@pytest.fixture
def new_engine() -> Iterator[str]:
    register(Engine(NEW, _read_again, lambda: None, doc="MuPDF again", try_when="a test"))
    try:
        yield NEW
    finally:
        del ENGINES[NEW]


@pytest.mark.parametrize("command", ["extract", "ingest", "check", "audit"])
def test_a_registered_engine_is_a_choice_of_every_command(new_engine: str, command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert new_engine in result.output
    # ... and not before it is registered (the choices are read from the registry).
    del ENGINES[NEW]
    try:
        assert new_engine not in CliRunner().invoke(main, [command, "--help"]).output
    finally:
        ENGINES[NEW] = Engine(NEW, _read_again, lambda: None, doc="", try_when="a test")


def test_a_registered_engine_reads_and_is_compared(new_engine: str) -> None:
    pdf = str(CORPUS / "2021-02.pdf")
    result = CliRunner().invoke(main, ["extract", pdf, "--engine", new_engine, "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["report"]["source"]["engine"] == new_engine
    assert record["civilians"]["total"] == 138  # typed from the report: 138 civilians

    both = CliRunner().invoke(main, ["extract", pdf, "--engine", "both", "--json"])
    assert both.exit_code == 0, both.output
    record = json.loads(both.output)
    assert record["report"]["source"]["engine"] == f"pymupdf+pdfplumber+{new_engine}"
    agree = [c for c in record["checks"] if c["rule"] == "engines_agree"]
    assert [(c["status"], c["message"]) for c in agree] == [
        ("pass", f"pymupdf, pdfplumber and {new_engine} read every figure alike")
    ]


def test_remedies_name_the_registered_engines(new_engine: str) -> None:
    with pytest.raises(errors.ExtractionError) as caught:
        extract(CORPUS / "2021-02.pdf", engine="no-such-engine")
    assert caught.value.remedy == f"Use one of: pymupdf, pdfplumber, {new_engine}."
    unknown = CliRunner().invoke(main, ["extract", str(CORPUS / "2021-02.pdf"), "--engine", "x"])
    assert unknown.exit_code == 2
    assert new_engine in unknown.output


def test_an_engine_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="already taken"):
        register(replace(ENGINES["pdfplumber"]))
    with pytest.raises(ValueError, match="already taken"):
        register(replace(ENGINES["pdfplumber"], name="both"))


def test_garbled_text_remedy_names_the_other_engines(tmp_path: Path) -> None:
    from .pdf_factory import garbage_text

    pdf = garbage_text(tmp_path)
    with pytest.raises(errors.GarbledText) as caught:
        extract(pdf, engine="pdfplumber")
    assert caught.value.remedy.startswith("Try --engine pymupdf (")
    assert "--engine pdfplumber" not in caught.value.remedy
