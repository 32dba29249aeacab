"""Plain records passed between pipeline stages (internal; the public record is models.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple


# A named tuple, not a frozen dataclass: a report has thousands of lines, and a frozen
# dataclass's __init__ sets each field through object.__setattr__ (about a microsecond a
# line, three times a named tuple's). Immutable and read by field name all the same.
class Line(NamedTuple):
    """One visual line of text; `break_before` marks a paragraph boundary seen by the loader
    (a blank line in a text edition, a vertical gap or font change in a PDF)."""

    text: str
    page: int | None
    break_before: bool = False
    # The break is only a page or column boundary: a sentence may run on across it.
    soft: bool = False
    # The loader saw the type (a PDF): no break before this line means the same style as
    # the line above, so a wrapped heading's second line is still the heading.
    styled: bool = False


@dataclass(slots=True)
class Document:
    """The loaded report: its lines in reading order, with where they came from."""

    path: str
    sha256: str
    format: Literal["pdf", "text", "html"]
    engine: str
    pages: int | None
    lines: list[Line]
    # Problems the loader noticed that do not stop extraction (become failing checks).
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A cleaned paragraph: joined lines, hyphenation undone, markup removed.

    `page` is where the paragraph starts. A paragraph may run on across a page break, so
    `page_starts` keeps, for every later page, the offset in `text` where that page's part
    begins; `page_at` and `page_of` give the page a figure or sentence stands on."""

    text: str
    page: int | None
    index: int
    # (offset in text, page) for each page after the first the paragraph runs onto.
    page_starts: tuple[tuple[int, int | None], ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page the character at `offset` of the text stands on."""
        page = self.page
        for start, later in self.page_starts:
            if start > offset:
                break
            page = later
        return page

    def page_of(self, sentence: str, figure: int | None = None) -> int | None:
        """The page `sentence` (a part of the text) stands on: where `figure` is written in
        it (as digits), else where the sentence begins."""
        start = self.text.find(sentence)
        if start < 0:
            return self.page
        if figure is not None:
            for spelling in (f"{figure:,}", str(figure)):
                found = _number_in(sentence, spelling)
                if found >= 0:
                    return self.page_at(start + found)
        return self.page_at(start)


def _number_in(text: str, number: str) -> int:
    """Where `number` stands in `text` as a whole number (not inside "2020" or "1,234")."""
    at = text.find(number)
    while at >= 0:
        before = text[at - 1 : at]
        after = text[at + len(number) : at + len(number) + 2]
        if not (before.isdigit() or before == ",") and not (
            after[:1].isdigit() or (after[:1] == "," and after[1:2].isdigit())
        ):
            return at
        at = text.find(number, at + 1)
    return -1
