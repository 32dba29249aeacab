"""Speed, measured in one run on the same files, as ratios against the raw engines.

Builds an archive at realistic scale from the corpus (the sample PDFs plus each text edition
typeset afresh in several layouts, repeated under distinct content hashes), then measures:
raw pymupdf text extraction, raw pdfplumber text extraction, `snhr extract` per report,
`snhr ingest` cold on 1 and on 2 workers, the re-ingest of the unchanged archive, and the
peak memory of `snhr extract` on the largest report.

    python benchmarks/bench.py                 # about 200 reports
    python benchmarks/bench.py --reports 40    # a quick run
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from extractor.api import extract  # noqa: E402
from extractor.ingest import ingest  # noqa: E402
from extractor.pdf_engines import _pymupdf  # noqa: E402
from tests.typeset import LAYOUTS, typeset_file  # noqa: E402

CORPUS = ROOT / "corpus"


def build_archive(folder: Path, reports: int) -> list[Path]:
    """`reports` PDFs: the corpus PDFs and typeset variants, copied under distinct hashes."""
    base_dir = folder / "base"
    base_dir.mkdir(parents=True, exist_ok=True)
    bases = sorted(CORPUS.glob("*.pdf"))
    layouts = [
        *LAYOUTS,
        replace(LAYOUTS[0], name="large-type", size=13.0),
        replace(LAYOUTS[1], name="two-columns-large", size=12.0),
        replace(LAYOUTS[0], name="very-large-type", size=16.0),
        replace(LAYOUTS[2], name="times-large", size=15.0),
        replace(LAYOUTS[3], name="courier-large", size=14.0),
    ]
    for text in sorted(CORPUS.glob("*.txt")):
        for layout in layouts:
            out = base_dir / f"{text.stem}-{layout.name}.pdf"
            if not out.exists():
                typeset_file(text, layout, out)
            bases.append(out)
    files = []
    archive = folder / "archive"
    archive.mkdir(exist_ok=True)
    for n in range(reports):
        source = bases[n % len(bases)]
        target = archive / f"{n:04d}-{source.name}"
        if not target.exists():
            target.write_bytes(source.read_bytes() + f"\n%copy {n}\n".encode())
        files.append(target)
    return files


def pages_of(files: list[Path]) -> int:
    pymupdf = _pymupdf()
    total = 0
    for path in files:
        with pymupdf.open(path) as doc:
            total += doc.page_count
    return total


def timed(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - start


def raw_pymupdf(files: list[Path]) -> None:
    pymupdf = _pymupdf()
    for path in files:
        with pymupdf.open(path) as doc:
            for page in doc:
                page.get_text()


def raw_pdfplumber(files: list[Path]) -> None:
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()


def peak_memory_mb(path: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(path), "--json"],
        stdout=subprocess.DEVNULL,
        check=True,
        cwd=ROOT,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(before, after) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument(
        "--plumber-sample",
        type=int,
        default=12,
        help="pdfplumber is slow: time it on this many of the files",
    )
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / ".work")
    args = parser.parse_args()

    files = build_archive(args.work, args.reports)
    pages = pages_of(files)
    sample = files[: args.plumber_sample]
    sample_pages = pages_of(sample)
    print(
        f"archive: {len(files)} reports, {pages} pages "
        f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()})"
    )

    rows: list[tuple[str, float, int]] = []  # (what, seconds, pages)
    rows.append(("raw pymupdf get_text", timed(lambda: raw_pymupdf(files)), pages))
    rows.append(
        ("raw pdfplumber extract_text", timed(lambda: raw_pdfplumber(sample)), sample_pages)
    )
    per_report = files[: max(1, min(20, len(files)))]
    rows.append(
        (
            "snhr extract (API, per report)",
            timed(lambda: [extract(p) for p in per_report]),
            pages_of(per_report),
        )
    )
    cold: dict[int, float] = {}
    for workers in (1, 2):
        db = args.work / f"bench-{workers}.db"
        for stale in db.parent.glob(db.name + "*"):
            stale.unlink()
        shutil.rmtree(args.work / "unused", ignore_errors=True)
        cold[workers] = timed(lambda w=workers, d=db: ingest(files, d, workers=w))
        rows.append((f"snhr ingest, cold, {workers} worker(s)", cold[workers], pages))
    again = timed(lambda: ingest(files, args.work / "bench-2.db", workers=2))
    largest = max(files, key=lambda p: p.stat().st_size)
    peak = peak_memory_mb(largest)

    raw_rate = pages / rows[0][1]
    plumber_rate = sample_pages / rows[1][1]
    print(
        f"\n{'measure':<34} {'seconds':>9} {'pages/s':>9} {'vs pymupdf':>11} {'vs pdfplumber':>14}"
    )
    for what, seconds, n in rows:
        rate = n / seconds
        print(
            f"{what:<34} {seconds:>9.2f} {rate:>9.1f} {rate / raw_rate:>10.2f}x "
            f"{rate / plumber_rate:>13.1f}x"
        )
    print(f"{'re-ingest of the unchanged archive':<34} {again:>9.2f}")
    print(f"{'peak memory, largest report':<34} {peak:>8.0f} MB  ({largest.name})")
    print(f"\n2 workers vs 1: {cold[1] / cold[2]:.2f}x the throughput")
    print(
        "\ntargets: ingest (1 core) >= 0.80x raw pymupdf; >= 20x raw pdfplumber; 2 cores >= 1.7x;"
        " re-ingest < 1 s; peak < 300 MB"
    )


if __name__ == "__main__":
    main()
