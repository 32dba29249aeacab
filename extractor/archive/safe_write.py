"""Writing output files so that nothing is lost: refuse a path that is the archive or the
command's input, and write through a temporary name beside the target, renamed into place
only when complete (SQLite's own rule: a file is either the old one or the whole new one).

Temporary names start with "." and end in ".partial", which `snhr ingest` never reads.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputRefused

PARTIAL_SUFFIX = ".partial"
# Files SQLite keeps beside an archive; writing over any of them damages it.
ARCHIVE_COMPANIONS = ("", "-wal", "-shm", "-journal", ".lock")


def partial_name(target: Path) -> Path:
    return target.parent / f".{target.name}.{secrets.token_hex(6)}{PARTIAL_SUFFIX}"


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_output(
    out: Path,
    *,
    archive: Path | None = None,
    inputs: Iterable[Path] = (),
    overwrite: bool = True,
) -> Path:
    """Raise OutputRefused unless `out` can be written without harming anything."""
    if str(out).strip() == "":
        raise OutputRefused(repr(str(out)), "is not a file path")
    folder = out.parent
    if not folder.is_dir():
        raise OutputRefused(out, f"its folder {folder} does not exist", "Create it first.")
    if archive is not None:
        for suffix in ARCHIVE_COMPANIONS:
            companion = archive.with_name(archive.name + suffix)
            if _same(out, companion):
                raise OutputRefused(
                    out, f"is the archive{' file ' + suffix if suffix else ''} itself"
                )
    for source in inputs:
        if _same(out, source):
            raise OutputRefused(out, "is the command's input; it would be overwritten")
    try:
        mode = out.stat().st_mode
    except FileNotFoundError:
        return out
    if stat.S_ISDIR(mode):
        raise OutputRefused(out, "is a directory", "Give a file path with -o.")
    if not stat.S_ISREG(mode):
        raise OutputRefused(out, "is not a regular file (a FIFO, socket or device)")
    if not overwrite:
        raise OutputRefused(out, "exists", "Choose a new file name.")
    return out


@contextmanager
def atomic_write(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside `out`; when the block ends normally, flush it to disk
    and rename it onto `out`. On any error the temporary file is removed and `out` is left
    as it was. The file gets the usual permissions (0666 less the umask)."""
    tmp = partial_name(out)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    os.close(fd)
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
