"""Run work on files in forked children with a memory cap and a per-file wall-clock limit.

Both PDF libraries can be driven to exhaust memory (a few-KB decompression bomb) or to spin
at 100% CPU on hostile files, and text cleaning or pattern matching can be handed input big
enough to do the same. Each file's whole extraction (loading, cleaning, extracting,
checking) therefore runs in a forked child with RLIMIT_AS set, under a deadline kept by the
parent, so the worst a file can do is fail itself, cleanly classified, while the other
reports go on.

A child is long-lived: it serves one file after another, so the imports and compiled
patterns it inherited from the parent (and whatever it compiles itself) are paid for once,
not once per file. A child that hits a limit, crashes, or whose memory grew noticeably is
replaced; the file it was working on fails alone and no other file is lost. Every child's
descriptors are closed when it is replaced, so a long run of failing files cannot run the
process out of file descriptors.
"""

from __future__ import annotations

import contextlib
import cProfile
import multiprocessing as mp
import os
import pickle
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

from ..errors import ExtractionError, ResourceLimit
from ..pdf.engines import ENGINES, RawDocument, preload
from ..settings import Settings

K = TypeVar("K")

# True inside a sandbox child: sandboxed work nested in a child's work runs inline, under
# the limits already in force, instead of forking again.
_inside_child = False
# The parent's ends of the children's pipes. Every child closes its inherited copies, or a
# child would keep a sibling's (and its own) pipe open and never see the parent hang up.
_parent_ends: set[int] = set()


def _address_space() -> int:
    """This process's virtual memory size in bytes."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except OSError:  # not Linux: no /proc; the allowance alone is the cap
        return 0


def _memory_error(path: str, memory_mb: int) -> ResourceLimit:
    return ResourceLimit(path, f"reading it needed more than {memory_mb} MB of memory")


def _run_one(work: Callable[..., Any], args: tuple[Any, ...], path: str, memory_mb: int) -> object:
    try:
        return work(*args)
    except ExtractionError as exc:
        return exc
    except MemoryError:
        return _memory_error(path, memory_mb)
    except RecursionError as exc:
        return ExtractionError(path, f"reading it failed ({type(exc).__name__})")
    except Exception as exc:  # any crash is this file's failure, not the run's
        if "alloc" in str(exc).lower() or "memory" in str(exc).lower():
            # zlib and MuPDF report the memory cap as an allocation failure, not MemoryError.
            return _memory_error(path, memory_mb)
        return ExtractionError(path, f"reading it failed ({type(exc).__name__}: {exc})")


# benchmarks/bench.py sets this to a folder to profile the real path: each child writes
# the cProfile statistics of the files it served there.
PROFILE_ENV = "SNHR_PROFILE_DIR"


def _profiler() -> cProfile.Profile | None:
    return cProfile.Profile(time.process_time) if os.environ.get(PROFILE_ENV) else None


def _serve(conn: Connection, memory_mb: int, inherited: list[int]) -> None:
    """The child's loop: one job in, one pickled (result, retire) out, until told to stop."""
    global _inside_child
    _inside_child = True
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    # RLIMIT_AS counts the address space the fork inherited (a parent that loaded large
    # libraries may already map a gigabyte), so the allowance is added on top of it.
    allowance = memory_mb * 1024 * 1024
    baseline = _address_space()
    resource.setrlimit(resource.RLIMIT_AS, (baseline + allowance, baseline + allowance))
    # C libraries (MuPDF, onnxruntime under PyMuPDF 2) print to the process's own stderr;
    # each outcome comes back through the pipe, classified, so their noise is dropped.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    profile = _profiler()
    while True:
        try:
            work, args, path = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            break  # the parent is done (or gone)
        if profile is not None:
            profile.enable()
        result = _run_one(work, args, path, memory_mb)
        if profile is not None:
            profile.disable()
            profile.dump_stats(Path(os.environ[PROFILE_ENV]) / f"child-{os.getpid()}.prof")
        # A child whose heap grew by half its allowance would leave the next file less than
        # the promised memory; one that hit the cap may be in any state. Both are replaced.
        retire = isinstance(result, ResourceLimit) or (_address_space() - baseline > allowance // 2)
        try:
            payload = pickle.dumps((result, retire))
        except MemoryError:
            payload = pickle.dumps((ResourceLimit(path, "the result did not fit in memory"), True))
        except Exception as exc:  # an unpicklable result is the file's failure
            payload = pickle.dumps(
                (ExtractionError(path, f"its result could not be sent back ({exc})"), True)
            )
        try:
            conn.send_bytes(payload)
        except OSError:
            break
        if retire:
            break
    conn.close()


class _Worker:
    """The parent's handle on one long-lived child."""

    def __init__(self, memory_mb: int) -> None:
        ctx = mp.get_context("fork")
        self.conn, child_end = ctx.Pipe(duplex=True)
        self._fd = self.conn.fileno()
        inherited = sorted(_parent_ends | {self._fd})
        self.proc = ctx.Process(target=_serve, args=(child_end, memory_mb, inherited), daemon=True)
        try:
            self.proc.start()
        except BaseException:
            self.conn.close()
            raise
        finally:
            child_end.close()
        _parent_ends.add(self._fd)

    def send(self, work: Callable[..., Any], args: tuple[Any, ...], path: str) -> None:
        self.conn.send_bytes(pickle.dumps((work, args, path)))

    def close(self) -> None:
        """Stop the child and release every descriptor it cost this process."""
        _parent_ends.discard(self._fd)
        self.conn.close()  # a waiting child sees EOF and exits
        self.proc.join(1)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.proc.close()  # the sentinel pipe, which otherwise lives until garbage collection


class Sandbox(Generic[K]):
    """Up to `size` long-lived children running `work(*args)` per file under the limits.

    Use as a context manager; `run` yields (key, result) as files finish, where result is
    the value `work` returned or the ExtractionError it failed with (never raised here).
    """

    def __init__(self, size: int, settings: Settings) -> None:
        self.size = max(1, size)
        self.settings = settings
        self._idle: list[_Worker] = []
        self._busy: dict[_Worker, tuple[K, str, float]] = {}

    def __enter__(self) -> Sandbox[K]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        for worker in [*self._idle, *self._busy]:
            worker.close()
        self._idle.clear()
        self._busy.clear()

    def run(
        self, jobs: Iterable[tuple[K, Callable[..., Any], tuple[Any, ...], Path | str]]
    ) -> Iterator[tuple[K, object]]:
        pending = iter(jobs)
        exhausted = False

        def fill() -> None:
            """Give every idle child its next file."""
            nonlocal exhausted
            while not exhausted and len(self._busy) < self.size:
                job = next(pending, None)
                if job is None:
                    exhausted = True
                    return
                self._dispatch(*job)

        while True:
            fill()
            if not self._busy:
                return
            done = self._collect()
            # Hand the freed children their next files before the caller spends time on
            # the results (writing them), so the children never wait on the parent.
            fill()
            yield from done

    def _dispatch(
        self, key: K, work: Callable[..., Any], args: tuple[Any, ...], path: Path | str
    ) -> None:
        worker = self._idle.pop() if self._idle else _Worker(self.settings.memory_mb)
        try:
            worker.send(work, args, str(path))
        except OSError:  # the idle child died meanwhile: start a fresh one for this file
            worker.close()
            worker = _Worker(self.settings.memory_mb)
            worker.send(work, args, str(path))
        self._busy[worker] = (key, str(path), time.monotonic() + self.settings.timeout_s)

    def _collect(self) -> list[tuple[K, object]]:
        """Wait for the first result or deadline; return what finished or timed out."""
        soonest = min(deadline for _, _, deadline in self._busy.values())
        by_conn = {worker.conn: worker for worker in self._busy}
        ready = wait(list(by_conn), timeout=max(0.0, soonest - time.monotonic()))
        done: list[tuple[K, object]] = []
        for conn in ready:
            worker = by_conn[conn]  # type: ignore[index]
            key, path, _ = self._busy.pop(worker)
            done.append((key, self._receive(worker, path)))
        now = time.monotonic()
        for worker, (key, path, deadline) in list(self._busy.items()):
            if deadline <= now and not worker.conn.poll(0):
                del self._busy[worker]
                worker.close()
                limit = self.settings.timeout_s
                done.append((key, ResourceLimit(path, f"reading it took longer than {limit:g} s")))
        return done

    def _receive(self, worker: _Worker, path: str) -> object:
        try:
            result, retire = pickle.loads(worker.conn.recv_bytes())
        except (EOFError, OSError):
            worker.proc.join(5)
            code = worker.proc.exitcode
            worker.close()
            return ResourceLimit(
                path, f"the reader died (exit code {code}), most likely out of memory"
            )
        if retire:
            worker.close()
        else:
            self._idle.append(worker)
        return result


def run_in_child(
    work: Callable[..., Any], args: tuple[Any, ...], path: Path | str, settings: Settings
) -> Any:
    """`work(*args)` in a forked child under the settings' limits; its classified
    ExtractionError is raised here. Inside a child already, it runs inline."""
    if _inside_child:
        return work(*args)
    with Sandbox[None](1, settings) as sandbox:
        [(_, result)] = list(sandbox.run([(None, work, args, path)]))
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
