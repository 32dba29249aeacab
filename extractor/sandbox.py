"""Run work on one file in a child process with a memory cap and a wall-clock limit.

Both PDF libraries can be driven to exhaust memory (a few-KB decompression bomb) or to spin
at 100% CPU on hostile files. Working in a forked child with RLIMIT_AS set means the worst
a file can do is fail itself, cleanly classified, while the other reports go on.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .errors import ExtractionError, ResourceLimit
from .pdf_engines import ENGINES, RawDocument, preload
from .settings import Settings


def _child(
    conn: Connection, work: Callable[..., Any], args: tuple[Any, ...], path: str, memory_mb: int
) -> None:
    # RLIMIT_AS counts the address space the fork inherited (a parent that loaded large
    # libraries may already map a gigabyte), so the allowance is added on top of it.
    limit = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # C libraries (MuPDF, onnxruntime under PyMuPDF 2) print to the process's own stderr;
    # the child's outcome comes back through the pipe, classified, so their noise is dropped.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        result: object = work(*args)
    except ExtractionError as exc:
        result = exc
    except MemoryError:
        result = ResourceLimit(path, f"reading it needed more than {memory_mb} MB of memory")
    except Exception as exc:  # any crash is this file's failure, not the run's
        if "alloc" in str(exc).lower() or "memory" in str(exc).lower():
            # zlib and MuPDF report the memory cap as an allocation failure, not MemoryError.
            result = ResourceLimit(path, f"reading it needed more than {memory_mb} MB of memory")
        else:
            result = ExtractionError(path, f"reading it failed ({type(exc).__name__}: {exc})")
    try:
        conn.send_bytes(pickle.dumps(result))
    except MemoryError:
        conn.send_bytes(pickle.dumps(ResourceLimit(path, "the result did not fit in memory")))
    finally:
        conn.close()


def _address_space() -> int:
    """This process's virtual memory size in bytes."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except OSError:  # not Linux: no /proc; the allowance alone is the cap
        return 0


def run_in_child(
    work: Callable[..., Any], args: tuple[Any, ...], path: Path | str, settings: Settings
) -> Any:
    """`work(*args)` in a forked child under the settings' limits; its classified
    ExtractionError is raised here."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(child, work, args, str(path), settings.memory_mb), daemon=True
    )
    proc.start()
    child.close()
    try:
        if not parent.poll(settings.timeout_s):
            raise ResourceLimit(path, f"reading it took longer than {settings.timeout_s:g} s")
        try:
            payload = parent.recv_bytes()
        except EOFError as exc:
            raise ResourceLimit(
                path, f"the reader died (exit code {proc.exitcode}), most likely out of memory"
            ) from exc
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    result = pickle.loads(payload)
    if isinstance(result, ExtractionError):
        raise result
    return result


def read_in_child(path: Path, engine: str, password: str | None, settings: Settings) -> RawDocument:
    """Read `path` with a PDF engine in a forked child."""
    preload(engine)
    result = run_in_child(ENGINES[engine], (path, password), path, settings)
    if not isinstance(result, RawDocument):
        raise ExtractionError(path, "the PDF reader returned nothing usable")
    return result
