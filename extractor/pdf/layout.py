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
from operator import itemgetter

from ..document import Line
from ..settings import Settings
from .engines import Fragment, RawDocument, RawPage

_DIGITS = re.compile(r"\d+")
# A named tuple's own constructor is a Python function that passes its arguments on to
# tuple.__new__; calling that directly builds the same tuple in C (see pdf/engines.py).
_new = tuple.__new__


def _survey(doc: RawDocument, settings: Settings) -> tuple[float, dict[int, set[int]]]:
    """The body font size and, by page number, the indices of the running headers and
    footers, in one pass over the fragments (both are needed before any page is laid out).

    The body size is the size most characters are set in, sizes rounded to 0.1: counted in
    a plain dict, whose first largest entry is what Counter.most_common(1) would return.
    Headers and footers lie in the top or bottom margin band and repeat across pages; a
    fragment's wording (digits folded) is its signature, so "Page 3" repeats as "page #".
    """
    chars: dict[float, int] = {}
    rounded: dict[float, float] = {}  # each size rounded once; see _rounded
    counts: Counter[tuple[str, str]] = Counter()
    candidates: list[tuple[int, int, tuple[str, str]]] = []
    for page in doc.pages:
        margin = settings.margin_band * page.height
        bottom = page.height - margin
        seen: set[tuple[str, str]] = set()
        for i, frag in enumerate(page.fragments):
            _, y0, _, y1, spans = frag  # unpacked: cheaper than reading fields by name
            for text, size, _ in spans:
                if (at := rounded.get(size)) is None:
                    at = _rounded(rounded, size)
                chars[at] = chars.get(at, 0) + len(text.strip())
            if y1 <= margin:
                band = "top"
            elif y0 >= bottom:
                band = "bottom"
            else:
                continue
            key = (band, _signature(frag))
            candidates.append((page.number, i, key))
            if key not in seen:
                counts[key] += 1
                seen.add(key)
    body = max(chars.items(), key=itemgetter(1))[0] if chars else 10.0
    furniture: dict[int, set[int]] = {}
    if len(doc.pages) >= 3:
        needed = max(2, int(settings.repeat_share * len(doc.pages)))
        for number, i, key in candidates:
            if counts[key] >= needed:
                furniture.setdefault(number, set()).add(i)
    return body, furniture


def _rounded(cache: dict[float, float], size: float) -> float:
    """round(size, 1), remembered. Zero and NaN are not remembered, so that every span gets
    what round() gives it: 0.0 and -0.0 are one key but round to different floats, and
    each NaN is a key of its own."""
    at = round(size, 1)
    if at and at == at:
        cache[size] = at
    return at


def _signature(frag: Fragment) -> str:
    text = "".join(s.text for s in frag.spans)
    return _DIGITS.sub("#", " ".join(text.lower().split()))


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
    body, furniture = _survey(doc, settings)
    min_size = settings.small_font_ratio * body
    pages: list[PageDecisions] = []
    for page in doc.pages:
        decided = PageDecisions(page)
        kept: list[Fragment] = []
        dropped = furniture.get(page.number)
        for i, frag in enumerate(page.fragments):
            if dropped is not None and i in dropped:
                decided.furniture.append(frag)
                continue
            if len(frag[4]) == 1:
                # The ordinary fragment (PyMuPDF's line of one span): the general rule
                # below, for a single span.
                ((text, size, _),) = frag[4]  # its spans
                if size >= min_size:
                    if text and not text.isspace():  # text.strip(), without the copy
                        kept.append(frag)
                else:
                    decided.small.append(frag)
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
    # Each run's rows measured once (top, size, whether it fills the column, text): the
    # pitch and the paragraph breaks below both read these, instead of re-scanning the rows.
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
            tops, sizes, filled = run.tops, run.sizes, run.filled
            for i, text in enumerate(run.texts):
                if not text:
                    continue
                if i:
                    # A vertical gap wider than the paragraph gap, a step back up the page,
                    # or a change of type size starts a paragraph.
                    gap = tops[i] - tops[i - 1]
                    above, size = sizes[i - 1], sizes[i]
                    brk = gap > gap_limit or gap < 0 or abs(above - size) > 0.08 * max(above, size)
                    lines.append(_new(Line, (text, number, brk, False, True)))
                else:
                    # The first row of a page or column follows a boundary, not a gap.
                    lines.append(_new(Line, (text, number, True, not ended_short, True)))
                line_rows.append(run.rows[i])
                ended_short = not filled[i]
    return Layout(lines, line_rows, pages)


# A line fills its column when it reaches the last third of the column's width. A wrapped
# line of prose always does (only a word longer than a third of the column could stop it
# sooner); a heading, a list item or a paragraph's last line usually does not.
_FILLED = 2 / 3


@dataclass(slots=True)
class _Run:
    """A run of rows (a column, or a full-width band) with what the reader needs of each
    row: its top, its size (the largest text in it), whether it fills the run's width, and
    its text (right-stripped; empty if blank)."""

    rows: list[list[Fragment]]
    tops: list[float]
    sizes: list[float]
    filled: list[bool]
    texts: list[str]


def _measure(rows: list[list[Fragment]]) -> _Run:
    """One pass over the run's fragments and spans. The comparisons are those of min() and
    max() (the first of equal values is kept), so the values are the same as theirs."""
    tops: list[float] = []
    sizes: list[float] = []
    ends: list[float] = []
    texts: list[str] = []
    left = right = 0.0
    first = True
    for row in rows:
        if len(row) == 1 and len(row[0].spans) == 1:
            # The ordinary row, one fragment of one span: the general case below, for one.
            x0, y0, x1, _, ((text, span_size, _),) = row[0]
            if first:
                left, right, first = x0, x1, False
            else:
                if x0 < left:
                    left = x0
                if x1 > right:
                    right = x1
            text = text.rstrip()
            tops.append(y0)
            sizes.append(span_size if text else 0.0)
            ends.append(x1)
            texts.append(text)
            continue
        top = end = size = None
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
        texts.append(_row_text(row))
    if len(rows) < 3:
        # Too few rows to know the column's width: judge nothing (keep the old reading).
        filled = [True] * len(rows)
    else:
        reach = left + _FILLED * (right - left)
        filled = [end >= reach for end in ends]
    return _Run(rows, tops, sizes, filled, texts)


def _typical_pitch(measured: list[list[_Run]]) -> float:
    """The most common distance between consecutive baselines: the body's line spacing.
    Paragraph gaps are judged against it, so both engines' box heights give one answer.
    Counted in plain dicts, whose first largest entry is what Counter.most_common(1)
    would return."""
    wrapped: dict[float, int] = {}
    pitches: dict[float, int] = {}
    for runs in measured:
        for run in runs:
            tops = run.tops
            # (top of row i, top of row i-1, whether row i-1 fills its column), i >= 1
            for top, above, fills in zip(tops[1:], tops, run.filled, strict=False):
                gap = top - above
                if gap > 0:
                    key = round(gap * 2) / 2
                    pitches[key] = pitches.get(key, 0) + 1
                    if fills:
                        wrapped[key] = wrapped.get(key, 0) + 1
    # Measured after lines that fill their column, i.e. between the lines of wrapped prose:
    # in a report of short paragraphs (2025-05: contents, one-line list items, headings)
    # the commonest distance of all is the paragraph gap itself, and no gap would break.
    for counts in (wrapped, pitches):
        if counts:
            return max(counts.items(), key=itemgetter(1))[0]
    return 12.0


_TOP = itemgetter(1)  # a fragment's y0
_TOP_LEFT = itemgetter(1, 0)  # (y0, x0)
_LEFT = itemgetter(0)  # x0


def _reading_order(page: RawPage, frags: list[Fragment]) -> list[list[Fragment]]:
    """Split the page into runs to read in order: full-width runs and, between them,
    the left column then the right column."""
    mid = page.width / 2
    gutter = page.width * 0.02
    low, high = mid - gutter, mid + gutter
    wide = page.width * 0.15
    # Two columns when at least three wide fragments lie in each half.
    in_left = in_right = 0
    for x0, _, x1, _, _ in frags:
        if x1 - x0 > wide:
            if x1 <= high:
                in_left += 1
            if x0 >= low:
                in_right += 1
    if not (in_right >= 3 and in_left >= 3):
        return [sorted(frags, key=_TOP_LEFT)]
    runs: list[list[Fragment]] = []
    spanning = sorted((f for f in frags if f.x0 < low < high < f.x1), key=_TOP)
    spanning_ids = {id(f) for f in spanning}  # by identity: a set, not a list scan
    # The other fragments sorted once by their top (stably: ties keep the page's order), so
    # each band between two full-width rows is a slice found by bisection, not a page scan.
    others = sorted((f for f in frags if id(f) not in spanning_ids), key=_TOP)
    tops = [f.y0 for f in others]
    top = -1.0
    for bound in [*spanning, None]:
        limit = bound.y0 if bound is not None else float("inf")
        band = others[bisect.bisect_left(tops, top) : bisect.bisect_left(tops, limit)]
        runs.append(sorted((f for f in band if f.x1 <= high), key=_TOP_LEFT))
        runs.append(sorted((f for f in band if f.x1 > high), key=_TOP_LEFT))
        if bound is not None:
            runs.append([bound])
            top = bound.y0 + 0.01
    return [r for r in runs if r]


def _rows(frags: list[Fragment]) -> list[list[Fragment]]:
    """Merge fragments on one baseline into rows, left to right: a fragment joins the row
    when its middle lies within 0.45 times the height of the row's first fragment (at least
    1.0) of that fragment's middle, which is computed once a row."""
    rows: list[list[Fragment]] = []
    row: list[Fragment] = []
    middle = reach = 0.0
    for frag in frags:
        _, y0, _, y1, _ = frag
        here = (y0 + y1) / 2
        if rows and abs(here - middle) < reach:
            row.append(frag)
            continue
        row = [frag]
        rows.append(row)
        middle, reach = here, 0.45 * max(y1 - y0, 1.0)
    for row in rows:
        if len(row) > 1:
            row.sort(key=_LEFT)
    return rows


def _row_text(row: list[Fragment]) -> str:
    parts: list[str] = []
    for frag in row:
        text = "".join(s.text for s in frag.spans)
        if parts and not parts[-1].endswith(" ") and not text.startswith(" "):
            parts.append(" ")
        parts.append(text)
    return "".join(parts).rstrip()
