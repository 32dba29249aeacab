"""The clean and layout stages alone, per corpus PDF and on a long unbroken text.

The PDFs are read once (outside the measure); then `page_lines` (layout) and `clean` run
`--repeat` times on the same pages and the median CPU time (process time, steadier than
wall time on a shared machine) is printed. The unbroken text is the case
of issue 12 item 10: many lines with no blank line, one paragraph.

    python benchmarks/clean_layout.py
    python benchmarks/clean_layout.py --lines 20000 --repeat 7
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.document import Document, Line  # noqa: E402
from extractor.pdf.engines import read_pdfplumber, read_pymupdf  # noqa: E402
from extractor.pdf.layout import page_lines  # noqa: E402
from extractor.settings import DEFAULT_SETTINGS  # noqa: E402
from extractor.text.clean import clean  # noqa: E402


def _median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lines", type=int, default=20000)
    args = parser.parse_args()
    header = f"{'file':<24} {'engine':<10} {'pages':>5} {'lines':>6} {'layout ms':>10}"
    print(header + f" {'clean ms':>9}")
    totals = [0.0, 0.0]
    for pdf in sorted((ROOT / "corpus").glob("*.pdf")):
        for name, read in (("pymupdf", read_pymupdf), ("pdfplumber", read_pdfplumber)):
            raw = read(pdf, None)
            lines = page_lines(raw, DEFAULT_SETTINGS)
            doc = Document(str(pdf), "", "pdf", name, len(raw.pages), lines)
            layout_ms = _median_ms(partial(page_lines, raw, DEFAULT_SETTINGS), args.repeat)
            clean_ms = _median_ms(partial(clean, doc), args.repeat)
            totals[0] += layout_ms
            totals[1] += clean_ms
            print(
                f"{pdf.name:<24} {name:<10} {len(raw.pages):>5} {len(lines):>6} "
                f"{layout_ms:>10.1f} {clean_ms:>9.1f}"
            )
    print(f"{'all corpus PDFs':<24} {'':<10} {'':>5} {'':>6} {totals[0]:>10.1f} {totals[1]:>9.1f}")
    unbroken = [
        Line(f"the death toll of victims in the governorate {i} continued to rise and", None)
        for i in range(args.lines)
    ]
    doc = Document("unbroken", "", "text", "text", None, unbroken)
    clean_ms = _median_ms(lambda: clean(doc), 1)
    print(f"{args.lines} lines without a blank line: clean {clean_ms:.0f} ms")


if __name__ == "__main__":
    main()
