"""Page geometry to lines in reading order, shared by both PDF engines.

Running headers and footers are found by position *and* repetition across pages, never by
their wording. Captions, footnotes and superscript markers are found by being set smaller
than the body text. Two-column pages are read column by column between full-width rows.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from ..document import Line
from ..settings import Settings
from .engines import Fragment, RawDocument, RawPage

_DIGITS = re.compile(r"\d+")


def body_font_size(doc: RawDocument) -> float:
    """The size most characters are set in."""
    sizes: Counter[float] = Counter()
    for page in doc.pages:
        for frag in page.fragments:
            for span in frag.spans:
                sizes[round(span.size, 1)] += len(span.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _signature(frag: Fragment) -> str:
    text = "".join(s.text for s in frag.spans)
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def running_furniture(doc: RawDocument, settings: Settings) -> set[tuple[int, int]]:
    """(page, fragment index) of headers/footers: in a margin band and repeated across pages."""
    counts: Counter[tuple[str, str]] = Counter()
    candidates: list[tuple[int, int, tuple[str, str]]] = []
    for page in doc.pages:
        seen: set[tuple[str, str]] = set()
        for i, frag in enumerate(page.fragments):
            band = _band(frag, page, settings)
            if band is None:
                continue
            key = (band, _signature(frag))
            candidates.append((page.number, i, key))
            if key not in seen:
                counts[key] += 1
                seen.add(key)
    if len(doc.pages) < 3:
        return set()
    needed = max(2, int(settings.repeat_share * len(doc.pages)))
    return {(p, i) for p, i, key in candidates if counts[key] >= needed}


def _band(frag: Fragment, page: RawPage, settings: Settings) -> str | None:
    margin = settings.margin_band * page.height
    if frag.y1 <= margin:
        return "top"
    if frag.y0 >= page.height - margin:
        return "bottom"
    return None


@dataclass(slots=True)
class PageDecisions:
    """What the reader decided on one page, kept for `snhr audit --layout`."""

    page: RawPage
    # Running headers and footers, dropped.
    furniture: list[Fragment] = field(default_factory=list)
    # Fragments set smaller than the body text (footnotes, captions), dropped.
    small: list[Fragment] = field(default_factory=list)
    # Fragments that lost some small text (a superscript footnote marker), the rest kept.
    trimmed: list[Fragment] = field(default_factory=list)
    # The runs in reading order (full-width bands, left column, right column), as rows.
    runs: list[list[list[Fragment]]] = field(default_factory=list)


@dataclass(slots=True)
class Layout:
    """The lines in reading order, the row each line was read from, and every page's
    decisions."""

    lines: list[Line]
    rows: list[list[Fragment]]
    pages: list[PageDecisions]


def page_lines(doc: RawDocument, settings: Settings) -> list[Line]:
    """All pages' lines in reading order, with paragraph breaks from geometry."""
    return layout(doc, settings).lines


def layout(doc: RawDocument, settings: Settings) -> Layout:
    """Lines in reading order with the decisions that produced them. One pass over the
    fragments per step, and columns split by sorting, so linear-logarithmic in a page's
    fragments."""
    body = body_font_size(doc)
    furniture = running_furniture(doc, settings)
    min_size = settings.small_font_ratio * body
    pages: list[PageDecisions] = []
    for page in doc.pages:
        decided = PageDecisions(page)
        kept: list[Fragment] = []
        for i, frag in enumerate(page.fragments):
            if (page.number, i) in furniture:
                decided.furniture.append(frag)
                continue
            if all(s.size >= min_size for s in frag.spans):
                # The ordinary fragment: all body text, kept as it is.
                if any(s.text.strip() for s in frag.spans):
                    kept.append(frag)
                continue
            spans = tuple(s for s in frag.spans if s.size >= min_size)
            if any(s.text.strip() for s in spans):
                decided.trimmed.append(frag)
                kept.append(Fragment(frag.x0, frag.y0, frag.x1, frag.y1, spans))
            else:
                decided.small.append(frag)
        decided.runs = [_rows(column) for column in _reading_order(page, kept)]
        pages.append(decided)
    # Each run's rows measured once (top, size, whether it fills the column): the pitch
    # and the paragraph breaks below both read these, instead of re-scanning the rows.
    measured = [[_measure(rows) for rows in decided.runs] for decided in pages]
    pitch = _typical_pitch(measured)
    gap_limit = settings.paragraph_gap * pitch
    lines: list[Line] = []
    line_rows: list[list[Fragment]] = []
    # Did the last row read fill its column? A sentence that runs on over a page or column
    # boundary filled the line before it; a short last line ended its paragraph (2020-07,
    # page 2 ends with the title fragment "mented Killed in Syria in July 2020", and page 3
    # starts a new paragraph).
    ended_short = False
    for decided, runs in zip(pages, measured, strict=True):
        number = decided.page.number
        for run in runs:
            prev = -1
            for i, row in enumerate(run.rows):
                # The first row of a page or column follows a boundary, not a gap.
                soft = prev < 0 and not ended_short
                brk = prev < 0 or _breaks(run, prev, i, gap_limit)
                text = _row_text(row)
                if text.strip():
                    lines.append(Line(text, number, brk, soft=soft, styled=True))
                    line_rows.append(row)
                    ended_short = not run.filled[i]
                prev = i
    return Layout(lines, line_rows, pages)


# A line fills its column when it reaches the last third of the column's width. A wrapped
# line of prose always does (only a word longer than a third of the column could stop it
# sooner); a heading, a list item or a paragraph's last line usually does not.
_FILLED = 2 / 3


@dataclass(slots=True)
class _Run:
    """A run of rows (a column, or a full-width band) with what the reader needs of each
    row: its top, its size (the largest text in it) and whether it fills the run's width."""

    rows: list[list[Fragment]]
    tops: list[float]
    sizes: list[float]
    filled: list[bool]


def _measure(rows: list[list[Fragment]]) -> _Run:
    """One pass over the run's fragments and spans. The comparisons are those of min() and
    max() (the first of equal values is kept), so the values are the same as theirs."""
    tops: list[float] = []
    sizes: list[float] = []
    ends: list[float] = []
    left = right = 0.0
    first = True
    for row in rows:
        top = end = None
        size = None
        for frag in row:
            if first:
                left, right, first = frag.x0, frag.x1, False
            else:
                if frag.x0 < left:
                    left = frag.x0
                if frag.x1 > right:
                    right = frag.x1
            if top is None or frag.y0 < top:
                top = frag.y0
            if end is None or frag.x1 > end:
                end = frag.x1
            for span in frag.spans:
                if (size is None or span.size > size) and span.text.strip():
                    size = span.size
        tops.append(top if top is not None else 0.0)
        sizes.append(size if size is not None else 0.0)
        ends.append(end if end is not None else 0.0)
    if len(rows) < 3:
        # Too few rows to know the column's width: judge nothing (keep the old reading).
        filled = [True] * len(rows)
    else:
        reach = left + _FILLED * (right - left)
        filled = [end >= reach for end in ends]
    return _Run(rows, tops, sizes, filled)


def _typical_pitch(measured: list[list[_Run]]) -> float:
    """The most common distance between consecutive baselines: the body's line spacing.
    Paragraph gaps are judged against it, so both engines' box heights give one answer."""
    wrapped: Counter[float] = Counter()
    pitches: Counter[float] = Counter()
    for runs in measured:
        for run in runs:
            tops, filled = run.tops, run.filled
            for i in range(1, len(tops)):
                gap = tops[i] - tops[i - 1]
                if gap > 0:
                    key = round(gap * 2) / 2
                    pitches[key] += 1
                    if filled[i - 1]:
                        wrapped[key] += 1
    # Measured after lines that fill their column, i.e. between the lines of wrapped prose:
    # in a report of short paragraphs (2025-05: contents, one-line list items, headings)
    # the commonest distance of all is the paragraph gap itself, and no gap would break.
    for counts in (wrapped, pitches):
        if counts:
            return counts.most_common(1)[0][0]
    return 12.0


def _breaks(run: _Run, prev: int, i: int, gap_limit: float) -> bool:
    gap = run.tops[i] - run.tops[prev]
    size_prev, size_row = run.sizes[prev], run.sizes[i]
    return gap > gap_limit or gap < 0 or abs(size_prev - size_row) > 0.08 * max(size_prev, size_row)


def _reading_order(page: RawPage, frags: list[Fragment]) -> list[list[Fragment]]:
    """Split the page into runs to read in order: full-width runs and, between them,
    the left column then the right column."""
    mid = page.width / 2
    gutter = page.width * 0.02
    left = [f for f in frags if f.x1 <= mid + gutter]
    right = [f for f in frags if f.x0 >= mid - gutter]
    two_columns = (
        sum(1 for f in right if f.x0 >= mid - gutter and (f.x1 - f.x0) > page.width * 0.15) >= 3
        and sum(1 for f in left if (f.x1 - f.x0) > page.width * 0.15) >= 3
    )
    if not two_columns:
        return [sorted(frags, key=lambda f: (f.y0, f.x0))]
    runs: list[list[Fragment]] = []
    spanning = sorted(
        (f for f in frags if f.x0 < mid - gutter < mid + gutter < f.x1), key=lambda f: f.y0
    )
    spanning_ids = {id(f) for f in spanning}  # by identity: a set, not a list scan
    # The other fragments sorted once by their top (stably: ties keep the page's order), so
    # each band between two full-width rows is a slice found by bisection, not a page scan.
    others = sorted((f for f in frags if id(f) not in spanning_ids), key=lambda f: f.y0)
    tops = [f.y0 for f in others]
    top = -1.0
    for bound in [*spanning, None]:
        limit = bound.y0 if bound is not None else float("inf")
        band = others[bisect.bisect_left(tops, top) : bisect.bisect_left(tops, limit)]
        runs.append(sorted((f for f in band if f.x1 <= mid + gutter), key=lambda f: (f.y0, f.x0)))
        runs.append(sorted((f for f in band if f.x1 > mid + gutter), key=lambda f: (f.y0, f.x0)))
        if bound is not None:
            runs.append([bound])
            top = bound.y0 + 0.01
    return [r for r in runs if r]


def _rows(frags: list[Fragment]) -> list[list[Fragment]]:
    """Merge fragments on one baseline into rows, left to right."""
    rows: list[list[Fragment]] = []
    for frag in frags:
        if rows:
            last = rows[-1][0]
            height = max(last.y1 - last.y0, 1.0)
            if abs((frag.y0 + frag.y1) / 2 - (last.y0 + last.y1) / 2) < 0.45 * height:
                rows[-1].append(frag)
                continue
        rows.append([frag])
    for row in rows:
        row.sort(key=lambda f: f.x0)
    return rows


def _row_text(row: list[Fragment]) -> str:
    parts: list[str] = []
    for frag in row:
        text = "".join(s.text for s in frag.spans)
        if parts and not parts[-1].endswith(" ") and not text.startswith(" "):
            parts.append(" ")
        parts.append(text)
    return "".join(parts).rstrip()
