"""CPU time of each pipeline stage, per page, in this process (no sandbox, no profiler).

cProfile inflates Python-heavy stages about threefold against MuPDF's C code, so it shows
where time goes inside a stage but not how the stages compare; this does the second. Each
corpus PDF is run through every stage `--repeat` times and the median CPU time per page is
printed, with MuPDF's plain `get_text()` and `get_text("dict")` beside them.

The caches keyed by a paragraph's, sentence's or label's text (sentence splits, clause
ends, era reading units, folded texts and labels, party matches) are emptied before each
report: a real ingest reads each report once, so a pass that found the previous pass's
entries would not measure work a real run does (`--keep-texts` keeps them, as this
script did before the fourth pass). `--eras` adds a table of the era reader
(patterns/eras/, 2012-2019 and 2025 reports and the web announcements) over corpus/eras/
and the unseen text editions in tests/data/unseen/.

    python benchmarks/stages.py            # pin it for steadier numbers: taskset -c 0 ...
    python benchmarks/stages.py --repeat 15
    python benchmarks/stages.py --eras
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
from extractor.document import Document, Paragraph  # noqa: E402
from extractor.extract import build_record, common, eras  # noqa: E402
from extractor.extract.eras import detect_era, read_era  # noqa: E402
from extractor.language import normalise, prefilter  # noqa: E402
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
    "detect era",
    "segment",
    "extract",
    "checks",
    "whole api.extract",
)


KEEP_TEXTS = False


def forget_texts() -> None:
    """Empty the caches keyed by text, so that a pass reads like the first (see above)."""
    if KEEP_TEXTS:
        return
    common._sentences.cache_clear()
    common.clause_end.cache_clear()
    eras._unit_texts.cache_clear()
    normalise._key.cache_clear()
    normalise._match_party.cache_clear()
    prefilter.forget_texts()


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
        forget_texts()
        timed("raw get_text()", plain, pdf)
        timed("raw get_text('dict')", as_dict, pdf)
        raw = timed("read (dict + spans)", read_pymupdf, pdf, None)
        pages += len(raw.pages)
        timed("load checks", load_checks, pdf, raw)
        lines = timed("layout", page_lines, raw, DEFAULT_SETTINGS)
        doc = Document(str(pdf), "", "pdf", "pymupdf", len(raw.pages), lines)
        paragraphs = timed("clean", clean, doc)
        timed("detect era", detect_era, paragraphs)
        sections = timed("segment", segment, paragraphs)
        record = timed("extract", build_record, doc, sections, DEFAULT_SETTINGS, "x")
        timed("checks", run_checks, record)
        forget_texts()
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


ERA_STAGES = ("detect era", "read era", "checks")


def _era_pass(docs: list[tuple[Document, list[Paragraph]]]) -> dict[str, float]:
    spent = dict.fromkeys(ERA_STAGES, 0.0)
    for doc, paragraphs in docs:
        forget_texts()
        start = time.process_time()
        found = detect_era(paragraphs)
        spent["detect era"] += time.process_time() - start
        assert found is not None  # only era reports are given (era_table)
        start = time.process_time()
        record = read_era(doc, paragraphs, found, DEFAULT_SETTINGS, "x")
        spent["read era"] += time.process_time() - start
        start = time.process_time()
        run_checks(record)
        spent["checks"] += time.process_time() - start
    return spent


def era_table(repeat: int) -> None:
    """The era reader's stages: ms per page over the era PDFs, ms per report over the text
    editions (corpus/eras/*.txt and the unseen reports of tests/data/unseen/)."""
    pdfs = sorted((ROOT / "corpus" / "eras").glob("*.pdf"))
    texts = sorted((ROOT / "corpus" / "eras").glob("*.txt"))
    texts += sorted((ROOT / "tests" / "data" / "unseen").glob("*/*.txt"))
    groups = []
    for name, paths in (("era PDFs", pdfs), ("era text editions", texts)):
        docs = []
        for path in paths:
            doc = load.load(path, sandbox=False, settings=DEFAULT_SETTINGS)
            paragraphs = clean(doc)
            if detect_era(paragraphs) is not None:  # not the 2020-2024 unseen reports
                docs.append((doc, paragraphs))
        _era_pass(docs)
        runs = [_era_pass(docs) for _ in range(repeat)]
        groups.append((name, docs, runs))
    print(f"\nThe era reader, median of {repeat} runs, CPU time")
    print("| stage | era PDFs, ms/page | era text editions, ms/report |\n|---|---:|---:|")
    (_, pdf_docs, pdf_runs), (_, text_docs, text_runs) = groups
    pages = sum(doc.pages or 0 for doc, _ in pdf_docs)
    for stage in ERA_STAGES:
        per_page = statistics.median(run[stage] for run in pdf_runs) * 1000 / pages
        per_report = statistics.median(run[stage] for run in text_runs) * 1000 / len(text_docs)
        print(f"| {stage} | {per_page:.3f} | {per_report:.3f} |")
    print(f"({len(pdf_docs)} PDFs, {pages} pages; {len(text_docs)} text editions)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--eras", action="store_true", help="add the era reader's table")
    parser.add_argument(
        "--keep-texts", action="store_true", help="keep the text caches between passes"
    )
    args = parser.parse_args()
    global KEEP_TEXTS
    KEEP_TEXTS = args.keep_texts
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
    if args.eras:
        era_table(args.repeat)


if __name__ == "__main__":
    main()
