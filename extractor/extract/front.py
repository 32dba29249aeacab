"""The cover: title, publication date, title figures; and the report's period."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..document import Paragraph
from ..language.matching import fullmatch, search
from ..language.normalise import parse_number
from ..language.patterns import MONTHS, pattern, pattern_list
from ..language.prefilter import may_match
from ..models import TitleFigures
from .common import Hit, read_toll, split_sentences
from .context import Context


@dataclass(frozen=True)
class Cover:
    title: str | None
    published: str | None
    title_paragraphs: tuple[Paragraph, ...]


def read_cover(front: list[Paragraph], ctx: Context) -> Cover:
    """Title = the cover paragraphs before the publication date line."""
    for i, para in enumerate(front):
        for pat in pattern_list("front.published"):
            found = fullmatch(pat, para.text.strip(" ."))
            if found is None:
                continue
            try:
                month = MONTHS.index(found.group("month").lower()) + 1
                published = dt.date(
                    int(found.group("year")), month, int(found.group("day"))
                ).isoformat()
            except ValueError:
                continue
            ctx.evidence.add("report.published", Hit(para.text, para))
            titles = tuple(p for p in front[:i] if not p.text.lower().startswith("contents"))
            title = " ".join(p.text for p in titles) or None
            if title is not None:
                ctx.evidence.add("report.title", Hit(title, titles[0]))
            return Cover(title, published, titles)
    return Cover(None, None, ())


def read_title_figures(cover: Cover, ctx: Context) -> TitleFigures:
    """The figures a cover states. A title may hold two tolls ("N Deaths ... Documented
    in 2023" then "We Documented 91 Civilian Deaths ... in December 2023", 2023-12): each
    runs from its total to the next, and names a month (the month's toll) or only a year."""
    out = TitleFigures()
    if cover.title is None or not cover.title_paragraphs:
        return out
    text, hit = cover.title, Hit(cover.title, cover.title_paragraphs[0])
    totals = list(pattern("front.title_total").finditer(text))
    for i, total in enumerate(totals):
        segment = text[total.start() : totals[i + 1].start() if i + 1 < len(totals) else len(text)]
        if search(pattern("front.title_month"), segment) is not None:
            annual = False
        elif search(pattern("front.title_year"), segment) is not None:
            annual = True
        else:
            continue
        if (out.annual_civilians if annual else out.civilians) is not None:
            continue
        key = "annual_" if annual else ""
        toll = read_toll(text[: total.start() + len(segment)], total)
        torture_found = search(pattern("front.title_torture"), segment)
        torture = parse_number(torture_found.group("total")) if torture_found else None
        if annual:
            out.annual_civilians = toll
            out.annual_torture = torture if torture is not None else out.annual_torture
        else:
            out.civilians = toll
            out.torture = torture if torture is not None else out.torture
        ctx.evidence.add_toll(f"title_figures.{key}civilians", toll, hit)
        if torture is not None:
            ctx.evidence.add(f"title_figures.{key}torture", hit)
    return out


def read_period(paragraphs: list[Paragraph], cover: Cover, ctx: Context) -> tuple[int, int] | None:
    """The month the report covers: the month named in its title, else the "Month YYYY"
    its figure sections name most often."""
    if cover.title is not None:
        named = search(pattern("front.title_month"), cover.title)
        if named is not None:
            ctx.evidence.add("report.period", Hit(cover.title, cover.title_paragraphs[0]))
            return int(named.group("year")), MONTHS.index(named.group("month").lower()) + 1
    counts: Counter[tuple[int, int]] = Counter()
    first_seen: dict[tuple[int, int], Hit] = {}
    month_year = pattern("period.month_year")
    for para in paragraphs:
        if not may_match(month_year, para.text):
            continue  # then none of its sentences names a month
        for sentence in split_sentences(para.text):
            for found in month_year.finditer(sentence):
                key = (int(found.group("year")), MONTHS.index(found.group("month").lower()) + 1)
                counts[key] += 1
                first_seen.setdefault(key, Hit(sentence, para))
    if not counts:
        return None
    best = max(counts, key=lambda k: (counts[k], -list(first_seen).index(k)))
    ctx.evidence.add("report.period", first_seen[best])
    return best
