"""Domain exceptions. Each names the file, says what went wrong and what to do.

Every class has a stable exit code (documented in docs/exit-codes.md) so a cron job or a
newsroom script can tell a bad download from an unknown layout without parsing text.
"""

from __future__ import annotations

from pathlib import Path


class ExtractionError(Exception):
    """A report could not be turned into a record."""

    exit_code = 10
    code = "extraction_error"
    remedy = "Run with --debug for details and report the file if it is an SNHR report."

    def __init__(self, path: Path | str, detail: str, remedy: str | None = None) -> None:
        self.path = str(path)
        self.detail = detail
        if remedy is not None:
            self.remedy = remedy
        super().__init__(self.one_line())

    def __reduce__(self) -> tuple[type[ExtractionError], tuple[str, str, str]]:
        # Errors cross the process boundary of sandbox.py; keep them whole.
        return (type(self), (self.path, self.detail, self.remedy))

    def one_line(self) -> str:
        return f"{self.path}: {self.detail}. {self.remedy}"


class InputNotFound(ExtractionError):
    """The path does not exist or is not a regular file."""

    exit_code = 3
    code = "input_not_found"
    remedy = "Check the path; give a report file (.pdf, .txt or .md), not a directory."


class EmptyFile(ExtractionError):
    """The file has zero bytes (an interrupted download)."""

    exit_code = 4
    code = "empty_file"
    remedy = "Download the report again."


class NotAPDF(ExtractionError):
    """The file is not a PDF although it is named or treated as one."""

    exit_code = 5
    code = "not_a_pdf"
    remedy = "Download the PDF itself (not the web page or an archive) and try again."


class DamagedPDF(ExtractionError):
    """The PDF is truncated or corrupt; MuPDF could only repair part of it."""

    exit_code = 6
    code = "damaged_pdf"
    remedy = "Download the report again; a partial file is never ingested."


class EncryptedPDF(ExtractionError):
    """The PDF needs a user password to open."""

    exit_code = 7
    code = "encrypted_pdf"
    remedy = "Pass the password with --password."


class ImageOnlyPDF(ExtractionError):
    """The PDF has no text layer (a scan)."""

    exit_code = 8
    code = "image_only_pdf"
    remedy = "Install ocrmypdf and re-run with --ocr, or use the report's text edition."


class GarbledText(ExtractionError):
    """The PDF's text layer is not readable text (for example a broken font encoding)."""

    exit_code = 9
    code = "garbled_text"
    remedy = "Try --engine pdfplumber, --ocr, or the report's text edition."


class UnknownLayout(ExtractionError):
    """The document is not recognisably an SNHR monthly death-toll report."""

    exit_code = 10
    code = "unknown_layout"
    remedy = (
        "Check that this is an SNHR monthly death-toll report; if it is, open an issue "
        "with the file so its wording can be added to patterns/."
    )


class ResourceLimit(ExtractionError):
    """Reading the file exceeded the time or memory limit (for example a decompression bomb)."""

    exit_code = 11
    code = "resource_limit"
    remedy = "The file is refused as unsafe; raise --timeout/--memory-mb only if you trust it."


ALL_ERRORS: tuple[type[ExtractionError], ...] = (
    InputNotFound,
    EmptyFile,
    NotAPDF,
    DamagedPDF,
    EncryptedPDF,
    ImageOnlyPDF,
    GarbledText,
    UnknownLayout,
    ResourceLimit,
)
