"""Domain exceptions. Each names the file (or URL), says what went wrong and what to do.

Every class has a stable exit code so a cron job or a newsroom script can tell a bad
download from an unknown layout without parsing text. `docs/exit-codes.md` is generated
from these classes (`python -m extractor.errors > docs/exit-codes.md`) and a test keeps it
current. The CLI has one handler (in `cli.py`'s command group) that turns any of them into
one line on stderr and its exit code; anything else is an internal error (exit 70).
"""

from __future__ import annotations

from pathlib import Path


class SnhrError(Exception):
    """Base of every domain error: a subject (file, URL, option), what went wrong, a remedy."""

    exit_code = 1
    code = "error"
    remedy = ""

    def __init__(self, path: Path | str, detail: str, remedy: str | None = None) -> None:
        self.path = str(path)
        self.detail = detail
        if remedy is not None:
            self.remedy = remedy
        super().__init__(self.one_line())

    def __reduce__(self) -> tuple[type[SnhrError], tuple[str, str, str]]:
        # Errors cross the process boundary of read/sandbox.py; keep them whole.
        return (type(self), (self.path, self.detail, self.remedy))

    def one_line(self) -> str:
        text = f"{self.path}: {self.detail}."
        text = f"{text} {self.remedy}" if self.remedy else text
        # One line whatever the detail holds (a reader's message may span lines).
        return " ".join(text.split())


class ExtractionError(SnhrError):
    """A report could not be read, for a reason no narrower class names."""

    exit_code = 16
    code = "extraction_error"
    remedy = "Run with --debug for details and report the file if it is an SNHR report."


class InputNotFound(ExtractionError):
    """The path does not exist, or is a directory, a FIFO or another non-regular file."""

    exit_code = 3
    code = "input_not_found"
    remedy = "Check the path; give a report file (.pdf, .txt or .md)."


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
    remedy = (
        "Pass the password with --password (snhr extract, check and audit take it); to "
        "archive the report, add a decrypted copy (qpdf --decrypt)."
    )


class ImageOnlyPDF(ExtractionError):
    """The PDF has no text layer (a scan)."""

    exit_code = 8
    code = "image_only_pdf"
    remedy = (
        "Install ocrmypdf and read it with snhr extract --ocr, or use the report's text edition."
    )


class GarbledText(ExtractionError):
    """The PDF's text layer is not readable text (for example a broken font encoding)."""

    exit_code = 9
    code = "garbled_text"
    remedy = "Try --engine pdfplumber, snhr extract --ocr, or the report's text edition."


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


class FeedUnreadable(SnhrError):
    """`snhr fetch`: the feed could not be downloaded (network, HTTP error, refused URL)."""

    exit_code = 12
    code = "feed_unreadable"
    remedy = "Check the URL and the network; nothing was changed."


class ArchiveError(SnhrError):
    """The archive is missing, corrupt, not SQLite, a directory, full or not writable."""

    exit_code = 13
    code = "archive_error"
    remedy = (
        "Check the --db path; if the file is damaged, restore it from a backup made with "
        "'snhr backup', or move it aside and ingest again into a new file."
    )


class EmptyFeed(SnhrError):
    """`snhr fetch`: the feed was read but lists no items (an error page, junk, a broken feed)."""

    exit_code = 14
    code = "empty_feed"
    remedy = (
        "Open the URL in a browser: it should be an RSS/Atom feed or a page linking to the "
        "reports; nothing was changed."
    )


class OutputRefused(SnhrError):
    """An output path cannot be used: its folder is missing, it is a directory, the archive
    itself or the command's input."""

    exit_code = 15
    code = "output_refused"
    remedy = "Choose another output path (-o); nothing was written."


class IngestLocked(SnhrError):
    """Another ingest holds the archive's lock (with --no-wait)."""

    exit_code = 75  # EX_TEMPFAIL: try again later
    code = "ingest_locked"
    remedy = "Run again later, or without --no-wait to wait for it."


class InternalError(SnhrError):
    """A bug in snhr, not a problem with the input (an unexpected exception)."""

    exit_code = 70  # EX_SOFTWARE
    code = "internal_error"
    remedy = "Re-run with --debug and report the traceback with the input."


ALL_ERRORS: tuple[type[ExtractionError], ...] = (
    ExtractionError,
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

OTHER_ERRORS: tuple[type[SnhrError], ...] = (
    FeedUnreadable,
    ArchiveError,
    EmptyFeed,
    OutputRefused,
    InternalError,
    IngestLocked,
)

# Outcomes that are not errors of a class: what 0, 1 and 2 mean for every command.
GENERAL_CODES: tuple[tuple[int, str, str], ...] = (
    (0, "ok", "Done; for `extract`, failing checks are in the output, not in the exit code."),
    (
        1,
        "some_failed",
        "`check`: some rule fails; `ingest`/`fetch`: some file or download failed (the "
        "others went in).",
    ),
    (2, "usage", "Wrong options or arguments (click's usage error)."),
)


def exit_codes() -> list[tuple[int, str, str]]:
    """Every exit code: (code, name, meaning), in order of code."""
    rows = list(GENERAL_CODES)
    for error in (*ALL_ERRORS, *OTHER_ERRORS):
        doc = " ".join((error.__doc__ or "").split())
        rows.append((error.exit_code, error.code, doc))
    return sorted(rows)


def exit_codes_markdown() -> str:
    """docs/exit-codes.md, generated from the classes above."""
    lines = [
        "# Exit codes",
        "",
        "Generated from `extractor/errors.py` by `python -m extractor.errors > "
        "docs/exit-codes.md`; a test fails when this file is out of date.",
        "",
        "Every failure prints one line on stderr: the file or URL, what went wrong, and what",
        "to do. A cron job can tell the cases apart by the code alone.",
        "",
        "| code | name | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| {code} | `{name}` | {meaning} |" for code, name, meaning in exit_codes()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(exit_codes_markdown(), end="")
