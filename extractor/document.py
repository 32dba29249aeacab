"""Plain records passed between pipeline stages (internal; the public record is models.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class Line:
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
    """A cleaned paragraph: joined lines, hyphenation undone, markup removed."""

    text: str
    page: int | None
    index: int
