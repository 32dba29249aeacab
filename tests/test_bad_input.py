"""Bad input: each kind gets its own exit code and a one-line message naming the file and
the remedy, with no traceback unless --debug is given. Every file is made by the test."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from extractor import errors

from . import pdf_factory as make

CASES: list[tuple[str, Callable[[Path], Path], list[str], type[errors.ExtractionError], str]] = [
    ("zero-byte", make.zero_bytes, [], errors.EmptyFile, "empty"),
    ("html-renamed", make.html_as_pdf, [], errors.NotAPDF, "HTML page"),
    ("png-renamed", make.png_as_pdf, [], errors.NotAPDF, "PNG image"),
    ("zip-renamed", make.zip_as_pdf, [], errors.NotAPDF, "ZIP archive"),
    ("truncated", make.truncated, [], errors.DamagedPDF, "Download the report again"),
    ("flipped-bytes", make.flipped_bytes, [], errors.DamagedPDF, "Download the report again"),
    ("user-password", lambda d: make.encrypted(d, "s3cret"), [], errors.EncryptedPDF, "--password"),
    (
        "wrong-password",
        lambda d: make.encrypted(d, "s3cret"),
        ["--password", "nope"],
        errors.EncryptedPDF,
        "--password",
    ),
    ("image-only", make.image_only, [], errors.ImageOnlyPDF, "--ocr"),
    ("not-snhr", make.not_snhr, [], errors.UnknownLayout, "SNHR monthly death-toll report"),
    ("garbage-text", make.garbage_text, [], errors.GarbledText, "text layer is garbage"),
    ("2000-pages", make.many_pages, ["--timeout", "120"], errors.UnknownLayout, "SNHR"),
    (
        "bomb-pymupdf",
        make.decompression_bomb,
        ["--timeout", "3", "--memory-mb", "400"],
        errors.ResourceLimit,
        "unsafe",
    ),
    (
        "bomb-pdfplumber",
        make.decompression_bomb,
        ["--engine", "pdfplumber", "--timeout", "60", "--memory-mb", "300"],
        errors.ResourceLimit,
        "unsafe",
    ),
]


def run_snhr(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "build", "options", "error", "remedy"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_is_refused_cleanly(
    tmp_path: Path,
    name: str,
    build: Callable[[Path], Path],
    options: list[str],
    error: type[errors.ExtractionError],
    remedy: str,
) -> None:
    path = build(tmp_path)
    result = run_snhr("extract", str(path), *options)
    assert result.returncode == error.exit_code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert remedy in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_path_and_directory(tmp_path: Path) -> None:
    for target in (tmp_path / "nowhere.pdf", tmp_path):
        result = run_snhr("extract", str(target))
        assert result.returncode == errors.InputNotFound.exit_code
        assert str(target) in result.stderr
        assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run_snhr("extract", str(make.truncated(tmp_path)), "--debug")
    assert result.returncode == errors.DamagedPDF.exit_code
    assert "Traceback" in result.stderr


def test_user_password_opens_with_password(tmp_path: Path) -> None:
    result = run_snhr(
        "extract", str(make.encrypted(tmp_path, "s3cret")), "--password", "s3cret", "--json"
    )
    assert result.returncode == 0, result.stderr
    assert '"total": 138' in result.stdout


def test_owner_password_only_is_read_normally(tmp_path: Path) -> None:
    result = run_snhr("extract", str(make.encrypted(tmp_path, None)), "--json")
    assert result.returncode == 0, result.stderr
    assert '"total": 138' in result.stdout


def test_exit_codes_are_distinct() -> None:
    codes = [e.exit_code for e in (*errors.ALL_ERRORS, *errors.OTHER_ERRORS)]
    assert errors.UnknownLayout in errors.ALL_ERRORS
    assert len(codes) == len(set(codes))
    assert all(c not in (0, 1, 2) for c in codes)


def test_a_good_file_after_a_bad_one_still_goes_through(tmp_path: Path) -> None:
    from .conftest import CORPUS

    result = run_snhr("extract", str(make.truncated(tmp_path)), str(CORPUS / "2024-11.pdf"))
    assert result.returncode == errors.DamagedPDF.exit_code
    assert "November 2024" in result.stdout
