"""Text fidelity: the share of the text edition's body words that come back intact from a PDF.

For every report in corpus/ with both editions, and for each engine, two figures:
- raw: words of the engine's plain page text (pymupdf `page.get_text()`, pdfplumber
  `page.extract_text()`), as a naive tool would see them;
- pipeline: words of the paragraphs `snhr` reads figures from (after header/footer,
  footnote and caption removal and de-hyphenation).
A word is "intact" when the same word occurs in the text edition's body (multiset overlap).

    python benchmarks/fidelity.py
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
import pymupdf  # noqa: E402

from extractor.read.load import load  # noqa: E402
from extractor.text.clean import clean  # noqa: E402
from extractor.text.segment import classify_heading  # noqa: E402

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+|\d[\d,.]*")


def words(text: str) -> Counter[str]:
    return Counter(w.lower().strip(".,").replace("’", "'") for w in _WORD.findall(text))


def overlap(reference: Counter[str], candidate: Counter[str]) -> float:
    return sum((reference & candidate).values()) / max(1, sum(reference.values()))


def raw_text(path: Path, engine: str) -> str:
    if engine == "pymupdf":
        with pymupdf.open(path) as doc:
            return "\n".join(page.get_text() for page in doc)
    with pdfplumber.open(path) as pdf:
        parts = []
        for page in pdf.pages:
            parts.append(page.extract_text() or "")
            page.close()
        return "\n".join(parts)


_FOOTNOTE = re.compile(r"^\d{1,2}\.?\s+\S")


def pipeline_text(path: Path, engine: str = "pymupdf") -> str:
    return "\n".join(p.text for p in clean(load(path, engine=engine)))


def body_text(text_edition: Path) -> str:
    """The text edition's body: its paragraphs without footnotes (which a text edition
    prints inline as numbered paragraphs, and which are not body text)."""
    return "\n".join(
        p.text
        for p in clean(load(text_edition))
        if not (_FOOTNOTE.match(p.text) and classify_heading(p.text) is None)
    )


def measure(corpus: Path) -> list[tuple[str, str, float, float]]:
    rows = []
    for text_edition in sorted(corpus.glob("*.txt")):
        pdf = text_edition.with_suffix(".pdf")
        if not pdf.exists():
            continue
        reference = words(body_text(text_edition))
        for engine in ("pymupdf", "pdfplumber"):
            raw = overlap(reference, words(raw_text(pdf, engine)))
            piped = overlap(reference, words(pipeline_text(pdf, engine)))
            rows.append((text_edition.stem, engine, raw, piped))
    return rows


def main() -> None:
    rows = measure(ROOT / "corpus")
    print(f"{'report':<10} {'engine':<11} {'raw text':>9} {'snhr':>7}")
    for stem, engine, raw, piped in rows:
        print(f"{stem:<10} {engine:<11} {raw:>8.1%} {piped:>7.1%}")


if __name__ == "__main__":
    main()
