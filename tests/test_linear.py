"""Cleaning and layout do work linear in their input (issue 12 item 10, issue 13).

Measured by the work done, never by time: the lines of the extractor's own Python code that
run (a deterministic count of steps, which sees any loop over the growing paragraph or the
whole page), and clean's count of the characters its joiner reads or copies (which sees a
paragraph re-read or re-copied by C code, such as a regex search or a string concatenation).
Doubling the input must not more than about double either.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import extractor
from extractor.document import Line
from extractor.pdf.engines import Fragment, RawDocument, RawPage, Span
from extractor.pdf.layout import layout
from extractor.settings import DEFAULT_SETTINGS
from extractor.text.clean import Work, clean_lines

PACKAGE = str(Path(extractor.__file__).resolve().parent)


def _steps(work: Callable[[], object]) -> int:
    """How many lines of extractor/ code run while `work()` runs."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    sys.settrace(calls)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def _unbroken_lines(blocks: int) -> list[Line]:
    """One paragraph of 10 * `blocks` lines without a blank line: ordinary lines, a real
    compound and a broken word at line ends, a chain of hyphen joins, markup and footnote
    markers, and page breaks in mid-sentence (soft breaks)."""
    lines: list[Line] = [Line("The death toll began", 1, True)]
    for i in range(blocks):
        page = 1 + i // 10
        lines += [
            Line(f"the death toll of victims in the governorate {i} continued to rise", page),
            Line("as attacks by fixed-", page),
            Line("wing aircraft and the docu-", page),
            Line("mentation of the deaths of civilians went on", page),
            Line("in the **northern** [areas](https://example.org) of the country3 and", page),
            # A page break in mid-sentence, before a capital: the next page still runs on.
            Line("Idlib and the villages around the town", page + 1, True, soft=True),
            Line("a-", page + 1),
            Line("b-", page + 1),
            Line("c-", page + 1),
            Line("d and the families of the victims reported it", page + 1),
        ]
    return lines


def test_unbroken_lines_give_one_paragraph_read_right() -> None:
    paragraphs, decisions = clean_lines(_unbroken_lines(3))
    assert len(paragraphs) == 1
    text = paragraphs[0].text
    assert text.startswith("The death toll began the death toll of victims in the governorate 0")
    assert "fixed-wing aircraft and the documentation of the deaths" in text
    assert "in the northern areas of the country and Idlib and the villages around" in text
    assert "town abcd and the families" in text
    assert decisions[:4] == ["start", "join", "join", "hyphen"]
    assert decisions.count("start") == 1


def test_cleaning_work_is_linear_in_the_lines() -> None:
    small, large = _unbroken_lines(1000), _unbroken_lines(2000)  # 10,000 and 20,000 lines
    work_small, work_large = Work(), Work()
    steps_small = _steps(lambda: clean_lines(small, work_small))
    steps_large = _steps(lambda: clean_lines(large, work_large))
    assert steps_large <= 2.5 * steps_small
    assert work_large.chars <= 2.5 * work_small.chars
    # Each character of the input is read or copied a few times, not once per line.
    assert work_large.chars <= 6 * sum(len(line.text) for line in large)


def _tall_two_column_page(rows: int) -> RawDocument:
    """One tall page of two columns cut by a full-width row every third row: the reading
    order must split it into many bands."""
    size = 10.0
    fragments: list[Fragment] = []
    for i in range(rows):
        y = 40.0 + 14.0 * i

        def frag(x0: float, x1: float, text: str, y: float = y) -> Fragment:
            return Fragment(x0, y, x1, y + size, (Span(text, size, False),))

        if i % 3 == 0:
            fragments.append(frag(60, 535, f"full width row {i}"))
        else:
            fragments.append(frag(60, 290, f"left {i}"))
            fragments.append(frag(305, 535, f"right {i}"))
    page = RawPage(1, 595.0, 40.0 + 14.0 * rows + 60.0, fragments)
    return RawDocument([page], "test")


def test_two_column_page_is_read_band_by_band() -> None:
    lines = layout(_tall_two_column_page(7), DEFAULT_SETTINGS).lines
    assert [line.text for line in lines] == [
        "full width row 0",
        "left 1",
        "left 2",
        "right 1",
        "right 2",
        "full width row 3",
        "left 4",
        "left 5",
        "right 4",
        "right 5",
        "full width row 6",
    ]


def test_layout_work_is_linear_in_a_pages_fragments() -> None:
    small, large = _tall_two_column_page(1500), _tall_two_column_page(3000)
    steps_small = _steps(lambda: layout(small, DEFAULT_SETTINGS))
    steps_large = _steps(lambda: layout(large, DEFAULT_SETTINGS))
    assert len(layout(large, DEFAULT_SETTINGS).lines) == 1000 + 2 * 2000
    assert steps_large <= 2.5 * steps_small
