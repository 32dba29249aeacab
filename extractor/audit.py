"""`snhr audit`: a copy of the report PDF with every extracted figure highlighted where it
was read, and every figure in a failing check highlighted in red with the check's message.

A figure is found by its evidence: the page, the sentence, and the figure's own wording
inside that sentence ("45", "2,415", "four", "twenty-three").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .api import extract
from .models import Record
from .paths import value_at
from .patterns import number_words
from .pdf_engines import _pymupdf

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
    pdf: Path, output: Path, record: Record | None = None, password: str | None = None
) -> AuditResult:
    pymupdf = _pymupdf()
    record = record or extract(pdf, password=password)
    failing: dict[str, list[str]] = {}
    for check in record.failed_checks:
        for path in check.paths:
            failing.setdefault(path, []).append(f"{check.rule}: {check.message}")
    result = AuditResult(output)
    with pymupdf.open(pdf) as doc:
        if password and doc.needs_pass:
            doc.authenticate(password)
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
