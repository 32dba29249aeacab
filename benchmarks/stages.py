"""CPU time of each pipeline stage, per page, in this process (no sandbox, no profiler).

cProfile inflates Python-heavy stages about threefold against MuPDF's C code, so it shows
where time goes inside a stage but not how the stages compare; this does the second. Each
corpus PDF is run through every stage `--repeat` times and the median CPU time per page is
printed, with MuPDF's plain `get_text()` and `get_text("dict")` beside them.

    python benchmarks/stages.py            # pin it for steadier numbers: taskset -c 0 ...
    python benchmarks/stages.py --repeat 15
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import api  # noqa: E402
from extractor.checks.report import run_checks  # noqa: E402
from extractor.document import Document  # noqa: E402
from extractor.extract import build_record  # noqa: E402
from extractor.language.patterns import warm  # noqa: E402
from extractor.pdf.engines import RawDocument, pymupdf_module, read_pymupdf  # noqa: E402
from extractor.pdf.layout import page_lines  # noqa: E402
from extractor.read import load  # noqa: E402
from extractor.settings import DEFAULT_SETTINGS  # noqa: E402
from extractor.text.clean import clean  # noqa: E402
from extractor.text.segment import segment  # noqa: E402

STAGES = (
    "raw get_text()",
    "raw get_text('dict')",
    "read (dict + spans)",
    "load checks",
    "layout",
    "clean",
    "segment",
    "extract",
    "checks",
    "whole api.extract",
)


def _one_pass(pdfs: list[Path]) -> tuple[dict[str, float], int]:
    pymupdf = pymupdf_module()
    flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES
    spent = dict.fromkeys(STAGES, 0.0)
    pages = 0

    def timed(stage: str, work: Callable[..., Any], *args: Any) -> Any:
        start = time.process_time()
        out = work(*args)
        spent[stage] += time.process_time() - start
        return out

    def plain(pdf: Path) -> None:
        with pymupdf.open(str(pdf)) as doc:
            for page in doc:
                page.get_text()

    def as_dict(pdf: Path) -> None:
        with pymupdf.open(str(pdf)) as doc:
            for page in doc:
                page.get_text("dict", flags=flags)

    def load_checks(pdf: Path, raw: RawDocument) -> None:
        load._is_image_only(raw, DEFAULT_SETTINGS)
        load._refuse_garbage(pdf, raw, "pymupdf", DEFAULT_SETTINGS)

    for pdf in pdfs:
        timed("raw get_text()", plain, pdf)
        timed("raw get_text('dict')", as_dict, pdf)
        raw = timed("read (dict + spans)", read_pymupdf, pdf, None)
        pages += len(raw.pages)
        timed("load checks", load_checks, pdf, raw)
        lines = timed("layout", page_lines, raw, DEFAULT_SETTINGS)
        doc = Document(str(pdf), "", "pdf", "pymupdf", len(raw.pages), lines)
        paragraphs = timed("clean", clean, doc)
        sections = timed("segment", segment, paragraphs)
        record = timed("extract", build_record, doc, sections, DEFAULT_SETTINGS, "x")
        timed("checks", run_checks, record)
        timed(
            "whole api.extract",
            api.extract_unsandboxed,
            pdf,
            "pymupdf",
            None,
            False,
            DEFAULT_SETTINGS,
        )
    return spent, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    pdfs = sorted((ROOT / "corpus").glob("*.pdf"))
    warm()
    _one_pass(pdfs)  # MuPDF's and Python's first-use costs are not what is compared
    runs = [_one_pass(pdfs) for _ in range(args.repeat)]
    pages = runs[0][1]
    base = statistics.median(run[STAGES[0]] for run, _ in runs)
    print(f"{len(pdfs)} corpus PDFs, {pages} pages, median of {args.repeat} runs, CPU time")
    print("| stage | ms/page | vs raw get_text() |\n|---|---:|---:|")
    for stage in STAGES:
        median = statistics.median(run[stage] for run, _ in runs)
        print(f"| {stage} | {median * 1000 / pages:.3f} | {median / base:.2f}x |")


if __name__ == "__main__":
    main()
