"""Run a PDF engine in a child process with a memory cap and a wall-clock limit.

Both PDF libraries can be driven to exhaust memory (a few-KB decompression bomb) or to spin
at 100% CPU on hostile files. Reading in a forked child with RLIMIT_AS set means the worst
a file can do is fail itself, cleanly classified, while the other reports go on.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
import resource
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import ExtractionError, ResourceLimit
from .pdf_engines import ENGINES, RawDocument
from .settings import Settings


def _child(conn: Connection, engine: str, path: str, password: str | None, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result: object = ENGINES[engine](Path(path), password)
    except ExtractionError as exc:
        result = exc
    except MemoryError:
        result = ResourceLimit(path, f"reading it needed more than {memory_mb} MB of memory")
    except Exception as exc:  # any engine crash is this file's failure, not the run's
        if "alloc" in str(exc).lower() or "memory" in str(exc).lower():
            # zlib and MuPDF report the memory cap as an allocation failure, not MemoryError.
            result = ResourceLimit(path, f"reading it needed more than {memory_mb} MB of memory")
        else:
            result = ExtractionError(
                path, f"the {engine} engine failed ({type(exc).__name__}: {exc})"
            )
    try:
        conn.send_bytes(pickle.dumps(result))
    except MemoryError:
        conn.send_bytes(pickle.dumps(ResourceLimit(path, "the result did not fit in memory")))
    finally:
        conn.close()


def read_in_child(path: Path, engine: str, password: str | None, settings: Settings) -> RawDocument:
    """Read `path` with `engine` in a forked child; raise the child's classified error."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(child, engine, str(path), password, settings.memory_mb), daemon=True
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
                path,
                f"the {engine} reader died (exit code {proc.exitcode}), most likely out of memory",
            ) from exc
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    result = pickle.loads(payload)
    if isinstance(result, ExtractionError):
        raise result
    if not isinstance(result, RawDocument):
        raise ExtractionError(path, "the PDF reader returned nothing usable")
    return result
