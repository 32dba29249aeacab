"""Stage 4, extract: sections to the report record, one reader per section kind."""

from __future__ import annotations

from ..checks.rules import SECTION_FOUND
from ..document import Document, Paragraph
from ..errors import UnknownLayout
from ..language.matching import search
from ..language.patterns import pattern, pattern_list
from ..models import (
    Annual,
    Breakdown,
    Check,
    Record,
    ReportMeta,
    TortureBreakdown,
)
from ..settings import Settings
from ..text.segment import FIGURE_KINDS, Section
from .breakdowns import read_breakdown
from .civilians import read_civilians
from .common import Hit, first_match, split_sentences
from .context import Context, loader_warnings, source_of
from .front import read_cover, read_period, read_title_figures
from .governorates import read_governorates
from .massacres import read_massacres
from .scope import Scope
from .summary import read_summary

PERSONNEL = ("medical", "media", "civil_defense")


def _paragraphs(sections: list[Section], kind: str, period: str) -> list[Paragraph]:
    return [p for s in sections if s.kind == kind and s.scope == period for p in s.paragraphs]


def build_record(
    doc: Document, sections: list[Section], settings: Settings, version: str
) -> Record:
    ctx = Context(settings)
    front = [p for s in sections if s.kind == "front" for p in s.paragraphs]
    cover = read_cover(front, ctx)
    figure_paras = front + [p for s in sections if s.kind in FIGURE_KINDS for p in s.paragraphs]
    period = read_period(figure_paras, cover, ctx)
    found_kinds = {s.kind for s in sections if s.paragraphs or s.heading is not None}
    if period is None or not found_kinds & {"civilians", "torture", "massacres"}:
        raise UnknownLayout(
            doc.path,
            "no SNHR death-toll section (civilian toll, torture or "
            "massacres) or no report month was found",
        )
    year, month = period
    ctx.period = period
    record = Record(
        extractor_version=version,
        report=ReportMeta(
            year=year,
            month=month,
            published=cover.published,
            title=cover.title,
            kind="monthly",
            source=source_of(doc),
        ),
        civilians=None,
    )
    this_month = Scope("month", year, month)
    month_civ = read_civilians(_paragraphs(sections, "civilians", "month"), this_month, ctx)
    record.civilians, record.civilians_ytd = month_civ.total, month_civ.ytd
    record.parties, record.other_parties = month_civ.parties, month_civ.other_parties
    record.governorates = read_governorates(
        _paragraphs(sections, "civilians", "month"), this_month, ctx
    )
    record.torture = read_breakdown(
        _paragraphs(sections, "torture", "month"), "torture", this_month, ctx, TortureBreakdown()
    )
    record.medical, record.media, record.civil_defense = (
        read_breakdown(_paragraphs(sections, kind, "month"), kind, this_month, ctx, Breakdown())
        for kind in PERSONNEL
    )
    record.massacres = read_massacres(
        _paragraphs(sections, "massacres", "month"), this_month, year, ctx
    )
    record.summary = read_summary(_paragraphs(sections, "summary", "month"), this_month, ctx)
    record.title_figures = read_title_figures(cover, ctx)
    record.torture.counted_in_civilians = _torture_counted(
        [
            *cover.title_paragraphs,
            *_paragraphs(sections, "civilians", "month"),
            *_paragraphs(sections, "summary", "month"),
        ],
        ctx,
    )
    record.annual = _annual(sections, ctx)
    if record.annual is not None:
        record.report.kind = "monthly+annual"
    record.checks = list(ctx.problems)
    record.evidence = ctx.evidence.entries
    headings = " ".join(s.heading.text for s in sections if s.heading is not None)
    for kind in sorted({"civilians", "torture", "massacres", *PERSONNEL} - found_kinds):
        # A monthly report may simply not cover media or Civil Defense (2024-11): that is
        # null, not a failure. It is a failure when a heading announces the category
        # ("... Media Workers, and Civil Defense") but no section for it was recognised.
        if kind in PERSONNEL and search(pattern(f"units.{kind}"), headings) is None:
            continue
        record.checks.append(_missing_section(kind))
    record.checks += loader_warnings(doc)
    return record


def _annual(sections: list[Section], ctx: Context) -> Annual | None:
    years = [s.scope_year for s in sections if s.scope == "year" and s.scope_year]
    if not years:
        return None
    scope = Scope("year", years[0])
    civ = read_civilians(_paragraphs(sections, "civilians", "year"), scope, ctx)
    annual = Annual(
        year=years[0], civilians=civ.total, parties=civ.parties, other_parties=civ.other_parties
    )
    annual.governorates = read_governorates(_paragraphs(sections, "civilians", "year"), scope, ctx)
    annual.torture = read_breakdown(
        _paragraphs(sections, "torture", "year"), "torture", scope, ctx, TortureBreakdown()
    )
    annual.medical, annual.media, annual.civil_defense = (
        read_breakdown(_paragraphs(sections, kind, "year"), kind, scope, ctx, Breakdown())
        for kind in PERSONNEL
    )
    annual.massacres = read_massacres(
        _paragraphs(sections, "massacres", "year"), scope, years[0], ctx
    )
    if annual.civilians is None and annual.torture.total is None and annual.massacres.count is None:
        return None
    return annual


def _torture_counted(paragraphs: list[Paragraph], ctx: Context) -> bool | None:
    for para in paragraphs:
        for sentence in split_sentences(para.text):
            if first_match(pattern_list("torture.counted_in"), sentence) is not None:
                ctx.evidence.add("torture.counted_in_civilians", Hit(sentence, para))
                return True
            if first_match(pattern_list("torture.added_to"), sentence) is not None:
                ctx.evidence.add("torture.counted_in_civilians", Hit(sentence, para))
                return False
    return None


def _missing_section(kind: str) -> Check:
    return Check(
        rule=SECTION_FOUND.qualify(),
        status="fail",
        expected=None,
        found=None,
        message=f"no {kind.replace('_', ' ')} section was found; its figures are null "
        "(the report may not cover it, or its heading is worded in a way "
        "patterns/headings.toml does not know)",
        paths=[kind],
    )


__all__ = ["build_record"]
