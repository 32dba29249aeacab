"""The archive and the CLI under a careless operator (issue 12 items 2-4 and 11, issue 11's
archive part): read-only commands never create or change an archive, backups and exports
are atomic and never overwrite the archive, every failure is one line with its exit code."""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from extractor import errors
from extractor.archive.ingest import ingest
from extractor.cli import SnhrGroup, main

from .archive_helpers import assert_consistent
from .conftest import CORPUS, ROOT

LEGACY = Path(__file__).parent / "data" / "archive-positional-migrations.db"


def snhr(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("archive") / "snhr.db"
    ingest([CORPUS / "2023-12.txt", CORPUS / "2024-11.txt"], db, workers=1)
    return db


READERS = [
    ("check", "--db", "{db}"),
    ("export", "timeseries", "--db", "{db}"),
    ("plot", "--db", "{db}", "-o", "{out}"),
    ("backup", "--db", "{db}", "{out}"),
]


def _bad_archives(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "bad"
    folder.mkdir()
    corrupt = folder / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    text = folder / "notes.db"
    text.write_text("not a database\n")
    empty = folder / "empty.db"
    empty.write_bytes(b"")
    foreign = folder / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    fifo = folder / "fifo.db"
    os.mkfifo(fifo)
    return {
        "missing": folder / "typo.db",
        "corrupt": corrupt,
        "not-sqlite": text,
        "empty": empty,
        "foreign-sqlite": foreign,
        "directory": folder,
        "fifo": fifo,
    }


@pytest.mark.parametrize("command", READERS, ids=[c[0] for c in READERS])
def test_read_only_commands_refuse_what_is_not_an_archive_and_create_nothing(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    for name, db in _bad_archives(tmp_path).items():
        before = sorted(p.name for p in db.parent.iterdir()) if db.parent.exists() else []
        out = tmp_path / f"out-{name}"
        code, _, err = snhr(*(a.format(db=db, out=out) for a in command))
        assert code == errors.ArchiveError.exit_code, (name, err)
        one_line(err)
        assert not out.exists(), name
        assert sorted(p.name for p in db.parent.iterdir()) == before, name  # nothing created
    assert not (tmp_path / "bad" / "typo.db").exists()


def test_db_paths_sqlite_would_take_for_throwaway_databases_are_refused(tmp_path: Path) -> None:
    for db in ("", ":memory:"):
        for args in (
            ("check", "--db", db),
            ("export", "timeseries", "--db", db),
            ("ingest", str(CORPUS / "2023-12.txt"), "--db", db),
        ):
            code, _, err = snhr(*args)
            assert code == errors.ArchiveError.exit_code, (args, err)
            assert "not a path to an archive file" in one_line(err)


def test_read_only_commands_leave_the_archive_byte_for_byte(archive: Path, tmp_path: Path) -> None:
    before = sha(archive)
    assert snhr("check", "--db", str(archive))[0] in (0, 1)
    assert snhr("export", "timeseries", "--db", str(archive))[0] == 0
    assert snhr("plot", "--db", str(archive), "-o", str(tmp_path / "p.png"))[0] == 0
    assert snhr("backup", "--db", str(archive), str(tmp_path / "b.db"))[0] == 0
    assert sha(archive) == before


def test_an_archive_migrated_by_position_is_read_without_change_and_upgraded_by_a_write(
    tmp_path: Path,
) -> None:
    db = tmp_path / "old.db"
    shutil.copy(LEGACY, db)
    before = sha(db)
    # A reader never migrates: an archive lacking a migration is refused with the remedy
    # (issue 10 added `series_by_kind`), and left byte for byte.
    code, out, err = snhr("export", "timeseries", "--db", str(db))
    assert code == errors.ArchiveError.exit_code
    assert "missing: series_by_kind" in one_line(err)
    assert "snhr ingest" in err
    assert sha(db) == before
    result = ingest([CORPUS / "2024-11.txt"], db, workers=1)
    assert result.count("ingested") == 1
    code, out, err = snhr("export", "timeseries", "--db", str(db))
    assert code == 0, err
    assert "2023-12,all,,91," in out  # the December 2023 toll typed from the report
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert names == ["initial", "views", "fetch_state", "series_by_kind"]
    assert "_migrations" not in tables
    assert assert_consistent(db) == 2


# --- item 2: backup -----------------------------------------------------------------------------


def test_a_backup_killed_mid_write_leaves_no_archive_under_the_target_name(
    archive: Path, tmp_path: Path
) -> None:
    """SIGXFSZ at 64 KiB kills the backup half-way through writing, as kill -9 would."""
    target = tmp_path / "backup.db"

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    proc = subprocess.run(
        [sys.executable, "-m", "extractor", "backup", "--db", str(archive), str(target)],
        preexec_fn=small_files,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    assert not target.exists()
    code, _, err = snhr("check", "--db", str(target))
    assert code == errors.ArchiveError.exit_code
    assert "no such archive" in one_line(err)
    code, _, err = snhr("backup", "--db", str(archive), str(target))
    assert code == 0, err
    assert assert_consistent(target) == 2


def test_backup_never_overwrites(archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "b.db"
    target.write_bytes(b"precious")
    code, _, err = snhr("backup", "--db", str(archive), str(target))
    assert code == errors.OutputRefused.exit_code
    assert "exists" in one_line(err)
    assert target.read_bytes() == b"precious"
    code, _, err = snhr("backup", "--db", str(archive), str(tmp_path / "missing" / "b.db"))
    assert code == errors.OutputRefused.exit_code
    assert "does not exist" in one_line(err)


# --- item 3: exports ------------------------------------------------------------------------------


def test_export_refuses_the_archive_and_its_companions(archive: Path) -> None:
    before = sha(archive)
    for out in (archive, Path(f"{archive}-wal"), Path(f"{archive}-shm")):
        code, _, err = snhr("export", "timeseries", "--db", str(archive), "-o", str(out))
        assert code == errors.OutputRefused.exit_code, err
        assert "is the archive" in one_line(err)
    code, _, err = snhr("plot", "--db", str(archive), "-o", str(archive))
    assert code == errors.OutputRefused.exit_code
    assert sha(archive) == before
    assert assert_consistent(archive) == 2


def test_exports_write_whole_files_with_normal_permissions(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "series.csv"
    out.write_text("old\n")
    old = os.umask(0o022)
    try:
        code, _, err = snhr("export", "timeseries", "--db", str(archive), "-o", str(out))
    finally:
        os.umask(old)
    assert code == 0, err
    assert out.read_text().startswith("period,party,")
    assert oct(out.stat().st_mode & 0o777) == oct(0o644)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["series.csv"]  # no temporary left
    code, _, err = snhr(
        "export", "timeseries", "--db", str(archive), "-o", str(tmp_path / "no" / "x.csv")
    )
    assert code == errors.OutputRefused.exit_code
    assert "does not exist" in one_line(err)


# --- item 4: check --db --month ----------------------------------------------------------------


def test_check_month_is_validated_and_filters_by_period(archive: Path) -> None:
    for bad in ("2024-1", "2024-13", "Nov 2024", "report"):
        code, _, err = snhr("check", "--db", str(archive), "--month", bad)
        assert code == 2, bad
        assert "YYYY-MM" in one_line(err)
    code, out, err = snhr("check", "--db", str(archive), "--month", "2024-11", "--json")
    assert code in (0, 1), err

    rules = [c["rule"] for c in json.loads(out)]
    assert rules
    assert not any(r.startswith("2023-12 ") for r in rules)
    assert any(r.startswith("2024-11 ") for r in rules)
    code, _, err = snhr("check", "--db", str(archive), "--month", "2019-01")
    assert code == errors.ArchiveError.exit_code
    assert "no report for 2019-01" in one_line(err)


# --- item 11: one line, the right code ----------------------------------------------------------


def test_audit_refuses_a_directory_its_input_and_a_missing_folder(tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    shutil.copy(CORPUS / "2021-02.pdf", pdf)
    before = sha(pdf)
    for out, says in (
        (tmp_path, "is a directory"),
        (pdf, "is the command's input"),
        (tmp_path / "missing" / "a.pdf", "does not exist"),
    ):
        code, _, err = snhr("audit", str(pdf), "-o", str(out))
        assert code == errors.OutputRefused.exit_code, err
        assert says in one_line(err)
    assert sha(pdf) == before


def test_check_and_audit_take_a_password(tmp_path: Path) -> None:
    from .pdf_factory import encrypted

    pdf = encrypted(tmp_path, "secret")
    code, _, err = snhr("check", str(pdf))
    assert code == errors.EncryptedPDF.exit_code
    one_line(err)
    code, _, err = snhr("check", str(pdf), "--password", "secret")
    assert code in (0, 1), err
    code, _out, err = snhr("audit", str(pdf), "--password", "secret", "-o", str(tmp_path / "a.pdf"))
    assert code == 0, err
    assert (tmp_path / "a.pdf").read_bytes()[:5] == b"%PDF-"


def test_a_fifo_is_not_called_a_directory(tmp_path: Path) -> None:
    fifo = tmp_path / "report.pdf"
    os.mkfifo(fifo)
    code, _, err = snhr("extract", str(fifo))
    assert code == errors.InputNotFound.exit_code
    line = one_line(err)
    assert "FIFO" in line
    assert "directory" not in line


def test_a_utf16_text_edition_is_decoded_or_refused_as_utf16(tmp_path: Path) -> None:
    text = (CORPUS / "2023-12.txt").read_text(encoding="utf-8")
    marked = tmp_path / "2023-12-utf16.txt"
    marked.write_bytes(text.encode("utf-16"))
    code, out, err = snhr("extract", str(marked), "--json")
    assert code == 0, err
    assert '"total": 91' in out  # December 2023: "the killing of 91 civilians"
    bare = tmp_path / "2023-12-utf16le.txt"
    bare.write_bytes(text.encode("utf-16-le"))
    code, _, err = snhr("extract", str(bare))
    assert code == errors.NotAPDF.exit_code
    assert "UTF-16" in one_line(err)


def test_an_unexpected_exception_is_an_internal_error_of_its_own() -> None:
    @click.group(cls=SnhrGroup)
    def group() -> None:
        pass

    @group.command()
    def boom() -> None:
        raise RuntimeError("a bug")

    result = CliRunner().invoke(group, ["boom"])
    assert result.exit_code == errors.InternalError.exit_code == 70
    assert "internal error: RuntimeError: a bug" in one_line(result.stderr)
    assert errors.InternalError.exit_code != errors.UnknownLayout.exit_code


def test_every_exit_code_is_distinct() -> None:
    classes = [*errors.ALL_ERRORS, *errors.OTHER_ERRORS]
    codes = [e.exit_code for e in classes]
    assert len(codes) == len(set(codes))
    assert all(c not in (0, 1, 2) for c in codes)
    assert errors.UnknownLayout in classes
    assert errors.ExtractionError in classes


def test_exit_codes_doc_is_current() -> None:
    assert (ROOT / "docs" / "exit-codes.md").read_text(encoding="utf-8") == (
        errors.exit_codes_markdown()
    ), "regenerate: python -m extractor.errors > docs/exit-codes.md"


READING_COMMANDS = ("extract", "check", "audit", "ingest")


def test_remedies_name_options_that_exist() -> None:
    """An option in a remedy exists on every command that can print it, unless the remedy
    names the commands that have it."""
    options = {
        name: {opt for p in main.commands[name].params for opt in getattr(p, "opts", [])}
        for name in READING_COMMANDS
    }
    for error in errors.ALL_ERRORS:
        named = re.findall(r"(?<!qpdf )--[a-z][a-z-]*", error.remedy)  # not qpdf options
        mentioned = [c for c in READING_COMMANDS if re.search(rf"\b{c}\b", error.remedy)]
        for option in named:
            for command in mentioned or READING_COMMANDS:
                assert option in options[command], (error.__name__, option, command)
