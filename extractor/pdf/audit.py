"""`snhr audit`: a copy of the report PDF that shows what the reader did.

`audit` highlights every extracted figure where it was read, and every figure in a failing
check in red with the check's message. A figure is found by its evidence: the page, the
sentence, and the figure's own wording inside that sentence ("45", "2,415", "four").

`audit_layout` (`snhr audit --layout`, as pdfplumber's `debug_tablefinder` does for tables)
draws the reader's layout decisions: the text it dropped (running headers and footers,
footnotes, captions), the reading order of each page's columns, and the paragraphs it built.

The figures and the layout may be read with any registered engine; the copy is drawn with
PyMuPDF, whose page coordinates (points from the top-left corner) every engine reports in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import extract
from ..document import Line
from ..errors import ExtractionError, NotAPDF
from ..figure_paths import value_at
from ..language.patterns import number_words
from ..models import Record
from ..read.load import load
from ..read.sandbox import read_in_child, run_in_child
from ..settings import DEFAULT_SETTINGS, Settings
from ..text.clean import Decision, clean_lines
from .engines import DEFAULT_ENGINE, Fragment, pymupdf_module
from .layout import layout

READ = (1.0, 0.85, 0.0)  # yellow: a figure that was read
FAILS = (1.0, 0.25, 0.25)  # red: a figure in a failing check
_TOKEN = re.compile(r"[^\w%.,-]+")


@dataclass
class AuditResult:
    output: Path
    highlighted: int = 0
    failing: int = 0
    not_located: list[str] = field(default_factory=list)


def _forms(value: object) -> set[str]:
    """How a figure may be printed: digits, with a thousands comma, or in words."""
    if isinstance(value, float):
        return {f"{value:g}", f"{value:g}%"}
    if not isinstance(value, int) or isinstance(value, bool):
        return set()
    forms = {str(value), f"{value:,}"}
    words = number_words()
    for word, n in words.units.items():
        if n == value:
            forms.add(word)
    for tens_word, tens in words.tens.items():
        if tens == value:
            forms.add(tens_word)
        for unit_word, unit in words.units.items():
            if 0 < unit < 10 and tens + unit == value:
                forms.add(f"{tens_word}-{unit_word}")
    if value == 1:
        forms |= set(words.one_words)
    if value == 0:
        forms |= {"no", "any", "none"}  # "documented no massacres", "didn't document any deaths"
    return forms


def _norm(word: str) -> str:
    return _TOKEN.sub("", word.lower()).strip(".,-")


def _locate(
    words: list[tuple[float, float, float, float, str]], quote: str, value: object, field_name: str
) -> tuple[float, float, float, float] | None:
    """The figure's word in the first place on the page where the quote starts and the
    figure follows within the quote's length (a sentence opening may repeat on a page)."""
    page = [(i, _norm(w[4])) for i, w in enumerate(words)]
    page = [(i, w) for i, w in page if w]  # bullets and stray punctuation are not words
    normed = [w for _, w in page]
    opening = [w for w in (_norm(w) for w in quote.split()) if w][:4]
    forms = _forms(value)
    length = len(quote.split()) + 8
    stem = {"children": "child", "women": "wom"}.get(field_name)
    for start in range(len(normed) - len(opening) + 1):
        if normed[start : start + len(opening)] != opening:
            continue
        span = normed[start : start + length]
        hits = [i for i, w in enumerate(span) if w in forms or w.rstrip("%") in forms]
        if stem is not None:
            hits = [i for i in hits if i + 1 < len(span) and span[i + 1].startswith(stem)] or hits
        if hits:
            x0, y0, x1, y1, _ = words[page[start + hits[0]][0]]
            return (x0, y0, x1, y1)
    return None


def audit(
    pdf: Path,
    output: Path,
    record: Record | None = None,
    *,
    engine: str = DEFAULT_ENGINE,
    password: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    sandbox: bool = True,
) -> AuditResult:
    """Extract (unless `record` is given) and annotate; with `sandbox`, all of it runs in a
    forked child under the settings' time and memory limits."""
    if sandbox:
        result = run_in_child(
            _audit_unsandboxed, (pdf, output, record, engine, password, settings), pdf, settings
        )
        if not isinstance(result, AuditResult):
            raise ExtractionError(pdf, "the audit returned nothing usable")
        return result
    return _audit_unsandboxed(pdf, output, record, engine, password, settings)


def _audit_unsandboxed(
    pdf: Path,
    output: Path,
    record: Record | None,
    engine: str,
    password: str | None,
    settings: Settings,
) -> AuditResult:
    pymupdf = pymupdf_module()
    record = record or extract(
        pdf, engine=engine, password=password, sandbox=False, settings=settings
    )
    failing: dict[str, list[str]] = {}
    for check in record.failed_checks:
        for path in check.paths:
            failing.setdefault(path, []).append(f"{check.rule}: {check.message}")
    result = AuditResult(output)
    with pymupdf.open(pdf) as doc:
        _authenticate(doc, password)
        page_words = {}
        for path, ev in record.evidence.items():
            value = value_at(record, path)
            if ev.page is None or not isinstance(value, int | float) or isinstance(value, bool):
                continue
            page = doc[ev.page - 1]
            if ev.page not in page_words:
                page_words[ev.page] = [w[:5] for w in page.get_text("words")]
            rect = _locate(page_words[ev.page], ev.quote, value, path.rsplit(".", 1)[-1])
            if rect is None:
                result.not_located.append(path)
                continue
            annot = page.add_highlight_annot(pymupdf.Rect(rect))
            notes = failing.get(path, [])
            annot.set_colors(stroke=FAILS if notes else READ)
            content = f"{path} = {value}"
            if notes:
                content += "\n\nFAILS " + "\n".join(notes)
                result.failing += 1
            annot.set_info(title="snhr", content=content)
            annot.update()
            result.highlighted += 1
        doc.save(output, garbage=1, deflate=True)
    return result


def _authenticate(doc: Any, password: str | None) -> None:
    if doc.needs_pass and password is not None:
        doc.authenticate(password)


# `audit --layout` colours (RGB, 0-1). Everything dropped is red; the reading order blue;
# paragraphs alternate two greens, so that where one ends and the next begins shows.
DROPPED = (0.9, 0.0, 0.0)
ORDER = (0.0, 0.3, 1.0)
PARAGRAPH = ((0.0, 0.75, 0.1), (0.0, 0.55, 0.55))
BREAK = (1.0, 0.55, 0.0)  # orange: a paragraph break placed before this line
HYPHEN = (0.75, 0.0, 0.75)  # purple: an end-of-line hyphen undone into the next line
_FILL_OPACITY = 0.3

LEGEND = (
    ("red, struck through", DROPPED, "dropped: running header/footer, footnote, caption"),
    ("red, underlined", DROPPED, "small text (a footnote marker) dropped from this line"),
    ("blue box, numbered", ORDER, "reading order of the page's runs (columns, full-width bands)"),
    ("green / teal fill", PARAGRAPH[0], "one paragraph; the colour alternates between them"),
    ("orange bar, left", BREAK, "a paragraph starts on this line"),
    ("purple mark, right", HYPHEN, "the line's end hyphen was joined with the next line"),
)


@dataclass
class LayoutAuditResult:
    output: Path
    pages: int = 0
    dropped: int = 0  # fragments and lines dropped
    runs: int = 0
    paragraphs: int = 0
    hyphen_joins: int = 0


Box = tuple[float, float, float, float]


def _box(frags: list[Fragment]) -> Box:
    return (
        min(f.x0 for f in frags),
        min(f.y0 for f in frags),
        max(f.x1 for f in frags),
        max(f.y1 for f in frags),
    )


def audit_layout(
    pdf: Path,
    output: Path,
    *,
    engine: str = DEFAULT_ENGINE,
    password: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> LayoutAuditResult:
    """Write a copy of `pdf` with the reader's layout decisions drawn on every page, and a
    legend page at the end (so the report's page numbers stay the same)."""
    # Loading first refuses what `snhr extract` refuses, with the same error and exit code.
    if load(pdf, engine=engine, password=password, settings=settings).format != "pdf":
        raise NotAPDF(pdf, "the layout view needs a PDF, and this is a text edition")
    raw = read_in_child(pdf, engine, password, settings)
    laid = layout(raw, settings)
    _, decisions = clean_lines(laid.lines)
    pymupdf = pymupdf_module()
    result = LayoutAuditResult(output, pages=len(raw.pages))
    with pymupdf.open(pdf) as doc:
        _authenticate(doc, password)
        for decided in laid.pages:
            page = doc[decided.page.number - 1]
            shape = page.new_shape()
            for frag in [*decided.furniture, *decided.small]:
                _strike(shape, _box([frag]))
            for frag in decided.trimmed:
                _underline(shape, _box([frag]))
            result.dropped += len(decided.furniture) + len(decided.small)
            for rows in decided.runs:
                _outline(shape, _box([f for row in rows for f in row]))
            shape.commit()
            # Numbers last, so that no fill covers them.
            for number, rows in enumerate(decided.runs, start=1):
                _number(page, _box([f for row in rows for f in row]), number)
                result.runs += 1
        _draw_paragraphs(doc, laid.rows, laid.lines, decisions, result)
        _legend_page(doc)
        doc.save(output, garbage=1, deflate=True)
    return result


def _draw_paragraphs(
    doc: Any,
    rows: list[list[Fragment]],
    lines: list[Line],
    decisions: list[Decision],
    result: LayoutAuditResult,
) -> None:
    shapes: dict[int, Any] = {}
    paragraph = -1
    above: tuple[int, Box] | None = None  # the last line kept, with its page
    for row, line, decision in zip(rows, lines, decisions, strict=True):
        assert line.page is not None  # lines of a PDF always carry their page
        shape = shapes.get(line.page)
        if shape is None:
            shape = shapes[line.page] = doc[line.page - 1].new_shape()
        x0, y0, x1, y1 = _box(row)
        if decision == "dropped":  # an empty line, a bare URL, a caption
            _strike(shape, (x0, y0, x1, y1))
            result.dropped += 1
            continue
        if decision == "start":
            paragraph += 1
            _fill(shape, (x0 - 7, y0, x0 - 3, y1), BREAK, 1.0)
        _fill(shape, (x0, y0, x1, y1), PARAGRAPH[paragraph % 2], _FILL_OPACITY)
        if decision == "hyphen" and above is not None:
            # The hyphen was at the end of the line above: mark it there.
            result.hyphen_joins += 1
            page_above, (_, top, right, bottom) = above
            _fill(shapes[page_above], (right + 2, top, right + 6, bottom), HYPHEN, 1.0)
        above = (line.page, (x0, y0, x1, y1))
    for shape in shapes.values():
        shape.commit()
    result.paragraphs = paragraph + 1


def _fill(shape: Any, box: Box, colour: tuple[float, float, float], opacity: float) -> None:
    shape.draw_rect(box)
    shape.finish(color=None, fill=colour, fill_opacity=opacity, width=0)


def _strike(shape: Any, box: Box) -> None:
    x0, y0, x1, y1 = box
    _fill(shape, box, DROPPED, _FILL_OPACITY)
    middle = (y0 + y1) / 2
    shape.draw_line((x0, middle), (x1, middle))
    shape.finish(color=DROPPED, width=1.2)


def _underline(shape: Any, box: Box) -> None:
    x0, _, x1, y1 = box
    shape.draw_line((x0, y1 + 1), (x1, y1 + 1))
    shape.finish(color=DROPPED, width=1.0, dashes="[2 2] 0")


def _outline(shape: Any, box: Box) -> None:
    x0, y0, x1, y1 = box
    shape.draw_rect((x0 - 14, y0 - 3, x1 + 3, y1 + 3))
    shape.finish(color=ORDER, fill=None, width=1.0)


def _number(page: Any, box: Box, number: int) -> None:
    x0, y0, _, _ = box
    label = (x0 - 14, y0 - 3, x0 - 2, y0 + 9)
    page.draw_rect(label, color=ORDER, fill=ORDER, width=0)
    page.insert_text((label[0] + 2, label[3] - 2), str(number), fontsize=9, color=(1, 1, 1))


def _legend_page(doc: Any) -> None:
    first = doc[0].rect
    page = doc.new_page(-1, width=first.width, height=first.height)
    y = 60.0
    page.insert_text((50, y), "snhr audit --layout: what the reader decided", fontsize=14)
    for name, colour, meaning in LEGEND:
        y += 26
        page.draw_rect((50, y - 10, 70, y + 2), color=colour, fill=colour, width=0)
        page.insert_text((80, y), f"{name}: {meaning}", fontsize=10)
