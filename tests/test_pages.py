"""Evidence pages and paragraph joins across page breaks.

Every figure's evidence names a page; the figure of its quoted sentence must stand on that
page of the PDF, as the PDF's own text layer shows it (read here page by page with PyMuPDF,
never through the extractor's layout or cleaning). Checked for every corpus and era PDF with
both engines.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from extractor.api import extract
from extractor.document import Line
from extractor.read.load import load
from extractor.text.clean import clean_lines

from .conftest import CORPUS
from .keys import json_at

PDFS = sorted(CORPUS.glob("*.pdf")) + sorted((CORPUS / "eras").glob("*.pdf"))
# Typed by hand: how the reports spell small figures out.
WORDS = {
    1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
    8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve",
}  # fmt: skip


def _alnum(text: str) -> str:
    """Letters and digits only: line breaks, end-of-line hyphens and spacing do not count."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


@cache
def _pages(path: Path) -> list[str]:
    with pymupdf.open(path) as doc:
        return [_alnum(page.get_text()) for page in doc]


def _figure_window(quote: str, value: int) -> str | None:
    """The figure as the quote writes it, with the word before and after it."""
    spellings = [f"{value:,}", str(value), WORDS.get(value, "")]
    words = quote.split()
    for spelling in filter(None, spellings):
        for i, word in enumerate(words):
            if _alnum(word) == _alnum(spelling) and re.fullmatch(r"\W*[\w,]+\W*", word):
                return " ".join(words[max(i - 1, 0) : i + 2])
    return None


def _stands_on(quote: str, value: Any, page: str) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        window = _figure_window(quote, value)
        if window is not None:
            return _alnum(window) in page
    # No figure written in the quote (a title, a date, "the death of one child"): some run
    # of four of the quote's words must stand on the page.
    words = quote.split()
    runs = [" ".join(words[i : i + 4]) for i in range(max(len(words) - 3, 1))]
    return any(_alnum(run) in page for run in runs)


@pytest.mark.parametrize("engine", ["pymupdf", "pdfplumber"])
@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_every_evidence_page_holds_its_figure(path: Path, engine: str) -> None:
    record = extract(path, engine=engine)
    data = record.model_dump(mode="json")
    pages = _pages(path)
    wrong = []
    for key, evidence in record.evidence.items():
        if evidence.page is None:
            continue
        value = json_at(data, key)
        if not _stands_on(evidence.quote, value, pages[evidence.page - 1]):
            wrong.append(f"{key}={value!r} not on page {evidence.page}: {evidence.quote!r}")
    assert record.evidence, "no evidence at all"
    assert not wrong, "\n".join(wrong)


def test_a_sentence_after_a_page_break_has_the_later_page() -> None:
    """A paragraph runs on across a page break; a figure after the break is on page 2."""
    lines = [
        Line("The deaths documented this month are listed in the tables of this", 1, True),
        Line("report, by governorate. In Aleppo we documented the killing of", 1),
        Line("23 civilians, and in Idlib we documented 41 civil-", 2, True, soft=True),
        Line("ians. In Hama we documented 1,205 civilians.", 3, True, soft=True),
    ]
    paragraphs, _ = clean_lines(lines)
    assert len(paragraphs) == 1
    para = paragraphs[0]
    assert para.page == 1
    assert para.page_of("The deaths documented this month are listed") == 1
    straddling = "In Aleppo we documented the killing of 23 civilians, and in Idlib we documented 41 civilians."
    assert straddling in para.text
    # The sentence starts on page 1; its figures stand on page 2.
    assert para.page_of(straddling) == 1
    assert para.page_of(straddling, 23) == 2
    assert para.page_of(straddling, 41) == 2
    # After the hyphen joined over the next break ("civil-" / "ians."), page 3 begins.
    assert para.page_of("In Hama we documented 1,205 civilians.") == 3
    assert para.page_of("In Hama we documented 1,205 civilians.", 1205) == 3
    assert para.page_at(para.text.index("ians.")) == 3


def test_a_figure_before_the_break_keeps_the_first_page() -> None:
    lines = [
        Line("We documented the killing of 23 civilians in the governorate of", 1, True),
        Line("Aleppo and of many more in Idlib and the countryside around it", 1),
        Line("during the month.", 2, True, soft=True),
    ]
    paragraphs, _ = clean_lines(lines)
    assert len(paragraphs) == 1
    sentence = paragraphs[0].text
    assert paragraphs[0].page_of(sentence, 23) == 1
    assert paragraphs[0].page_of(sentence) == 1


@pytest.mark.parametrize("engine", ["pymupdf", "pdfplumber"])
def test_a_short_pages_last_line_does_not_absorb_the_next_page(engine: str) -> None:
    """2020-07, page 2 ends with the heading fragment "mented Killed in Syria in July 2020"
    (the typeset copy lost its first line); page 3 opens a new paragraph ("This report draws
    upon ..."). A line that ends far short of the column's right edge ended its paragraph:
    a sentence that runs on over a page break filled its last line."""
    paragraphs = _paragraphs(CORPUS / "2020-07.pdf", engine)
    fragment = next(p for p in paragraphs if p.text.startswith("mented Killed in Syria"))
    assert fragment.text == "mented Killed in Syria in July 2020"
    following = paragraphs[fragment.index + 1]
    assert following.text.startswith("This report draws upon the ongoing daily monitoring")
    assert following.page == 3


@pytest.mark.parametrize("engine", ["pymupdf", "pdfplumber"])
def test_short_paragraphs_do_not_set_the_line_pitch(engine: str) -> None:
    """2025-05 (era sample): more one-line paragraphs (contents, list items, headings) than
    wrapped lines, so the commonest baseline distance is the paragraph gap. The toll sentence
    still starts its own paragraph on page 2, after the introduction's last paragraph ends."""
    paragraphs = _paragraphs(CORPUS / "eras" / "2025-05.monthly.pdf", engine)
    toll = next(p for p in paragraphs if "157 civilians" in p.text)
    assert toll.text.startswith("SNHR documented the deaths of 157 civilians in Syria")
    assert toll.page == 2
    before = paragraphs[toll.index - 1]
    assert before.text.startswith("Although the Assad regime has fallen")
    assert before.text.endswith("attributed to the remnants of the Assad regime.")
    assert (before.page, before.page_of("In this report such deaths are attributed")) == (1, 2)


def _paragraphs(path: Path, engine: str) -> list[Any]:
    return clean_lines(load(path, engine=engine).lines)[0]
