"""Stage 3, segment: paragraphs to sections (civilians, torture, massacres, ...) and scopes.

A section is opened by a heading (patterns/headings.toml). Inside a section, a scope
heading ("A. In 2023" / "B. in December 2023") switches between the year and the month.
Roman-numbered headings always close the current section, so recommendations and
conclusions, which name parties but hold no figures, are never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..document import Paragraph
from ..language.patterns import MONTHS, headings, pattern

Scope = Literal["month", "year"]
FIGURE_KINDS = ("summary", "civilians", "torture", "medical", "media", "civil_defense", "massacres")


@dataclass
class Section:
    kind: str
    scope: Scope
    heading: Paragraph | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    scope_year: int | None = None


@dataclass(frozen=True)
class Heading:
    kind: str | None  # a section kind, "scope", or None for an unrecognised heading
    top_level: bool
    scope: Scope | None = None
    year: int | None = None
    month: int | None = None


def classify_heading(text: str) -> Heading | None:
    """Is this paragraph a heading, and of what? None for body text."""
    pats = headings()
    numbered = pats.numbered.fullmatch(text)
    if numbered is not None:
        title = numbered.group("title")
        if len(title) > pats.max_title_chars or _is_sentence(title):
            return None
        top = bool(pats.top_level.fullmatch(numbered.group("number")))
        return _classify_title(title, top, prefix=True)
    if len(text) <= pats.max_unnumbered_chars and not _is_sentence(text):
        found = _classify_title(text, top=False, prefix=False)
        if found is not None and found.kind is not None:
            return found
    return None


def _is_sentence(text: str) -> bool:
    # A heading has no full stop inside it ("B. Other parties: Two individuals." is an item).
    body = text.rstrip(" .:")
    if ". " in body or body.endswith(("civilians", "individuals")):
        return True
    # A lead-in is a sentence that introduces a list, never a heading, however it starts:
    # "Civilian deaths documented since the beginning of 2024 are distributed by month as
    # follows:" (2024-11) begins like the heading "Civilian deaths".
    return pattern("about.lead_in").search(text.strip()) is not None


def _classify_title(title: str, top: bool, prefix: bool) -> Heading | None:
    pats = headings()
    stripped = title.strip().rstrip(":").strip()
    scope = pats.scope.fullmatch(stripped)
    if scope is not None:
        month = scope.group("month")
        return Heading(
            "scope",
            top,
            "month" if month else "year",
            int(scope.group("year")),
            MONTHS.index(month.lower()) + 1 if month else None,
        )
    for rule in pats.rules:
        found = rule.regex.match(stripped) if prefix else rule.regex.fullmatch(stripped)
        if found is not None:
            return Heading(rule.kind, top)
    return Heading(None, top) if prefix else None


def segment(paragraphs: list[Paragraph]) -> list[Section]:
    """Split the paragraphs into sections; the first section is the front matter."""
    sections = [Section("front", "month", None)]
    current = sections[0]
    for para in paragraphs:
        head = classify_heading(para.text)
        if head is None:
            current.paragraphs.append(para)
            continue
        if head.kind == "scope":
            if current.kind in FIGURE_KINDS:
                current = _open(sections, current.kind, head.scope or "month", para)
                current.scope_year = head.year
            else:
                current.paragraphs.append(para)
            continue
        # A container ("Deaths due to torture, and deaths among medical personnel ...") is a
        # top section by its words, however it is numbered ("4." in an edition that numbers
        # its sections with digits).
        if head.top_level or head.kind in ("history", "other", "container"):
            current = _open(sections, head.kind or "other", "month", para)
            continue
        if head.kind in FIGURE_KINDS or head.kind == "abroad":
            if current.kind == "summary" and head.kind != "abroad":
                current.paragraphs.append(para)  # a summary's sub-heading, e.g. "Drowning"
                continue
            current = _open(sections, head.kind or "other", "month", para)
            continue
        current.paragraphs.append(para)  # a sub-heading that opens nothing: body text
    return sections


def _open(sections: list[Section], kind: str, scope: Scope, heading: Paragraph) -> Section:
    section = Section(kind, scope, heading)
    sections.append(section)
    return section
