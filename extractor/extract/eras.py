"""Reports of the other eras (2012-2019, 2025) and SNHR's web announcements.

Everything about an era's wording is data in patterns/eras/*.toml (schema: EraFile in
extractor/pattern_schema.py): the month it covers, what marks it (`detect`, with the
`since`/`until` months), its blocks ("First: Government Forces", "a- Civilians:"), list
items and figure sentences. This module only walks a report's reading units (sentences,
cut before list and block markers) and applies them. Adding an era is adding a file and
a sample; a wording no file knows gives null, never a guess.

A figure stated twice (an announcement's lead and a later paragraph) is compared: a
difference becomes a failing check quoting both sentences, and the record keeps the
first statement, which the check names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache, lru_cache

import regex

from ..checks.rules import (
    AGGREGATE_SUM,
    FIGURE_PARTY,
    FIGURE_READ,
    PARTY_RECOGNISED,
    RESTATED_AGREES,
)
from ..document import Document, Paragraph
from ..language import prefilter
from ..language.matching import fullmatch, search
from ..language.normalise import fold, label_forms, match_party, parse_number
from ..language.patterns import (
    MONTHS,
    aggregates,
    compile_one,
    eras,
    eras_common,
    pattern,
    sentences,
)
from ..language.schema import (
    AggregateSpec,
    BlockSpec,
    EraFile,
    FigureSpec,
    ItemSpec,
    PatternSpec,
)
from ..models import (
    Aggregate,
    Breakdown,
    Check,
    Group,
    Massacres,
    PartyToll,
    Record,
    ReportMeta,
    TitleFigures,
    Toll,
    TortureBreakdown,
)
from ..settings import Settings
from .common import Hit, split_sentences, toll_clause
from .context import Context, loader_warnings, source_of, unique_path
from .scope import About, Scope, about, is_lead_in, lead_in_about

Period = tuple[int, int]
FIELDS = ("total", "children", "women")
BREAKDOWNS = ("torture", "medical", "media", "civil_defense")


@cache
def _compiled(source: str) -> regex.Pattern[str]:
    return compile_one(source)


def compiled(spec: PatternSpec) -> regex.Pattern[str]:
    return _compiled(spec.pattern)


@dataclass(frozen=True)
class Unit:
    """A reading unit: a sentence, or a list/block marker cut out of a run-on paragraph."""

    text: str
    para: Paragraph
    # The heading or list marker the sentence split cut off before it ("IV.", "B."): the
    # blocks match with it; the evidence quotes the text.
    marker: str = ""

    @property
    def marked(self) -> str:
        return f"{self.marker} {self.text}" if self.marker else self.text


def reading_units(paragraphs: list[Paragraph]) -> list[Unit]:
    units: list[Unit] = []
    for para in paragraphs:
        units += [Unit(text, para, marker) for marker, text in _unit_texts(para.text)]
    return units


# A sentence split leaves a list or heading marker alone ("IV." / "Death Toll of Civilian
# Victims in 2018", "A." / "Main parties to the conflict:"): the marker belongs to the
# unit after it, or headings never match their block (tests/data/unseen/late/2018-12).
_MARKER_ONLY = regex.compile(r"(?:[IVX]{1,4}|[A-Ha-h]|\d{1,2})\s*[.)\-–]")


# detect_era and read_era both cut every paragraph into units: the cut is kept per text.
@lru_cache(maxsize=4096)
def _unit_texts(text: str) -> tuple[tuple[str, str], ...]:
    """(marker, text) of each unit."""
    cut = compiled(eras_common().unit_break)
    pieces = [
        t.strip() for sentence in split_sentences(text) for t in cut.split(sentence) if t.strip()
    ]
    units: list[tuple[str, str]] = []
    marker = ""
    for piece in pieces:
        if _MARKER_ONLY.fullmatch(piece):
            if marker:
                units.append(("", marker))
            marker = piece
            continue
        units.append((marker, piece))
        marker = ""
    if marker:
        units.append(("", marker))
    return tuple(units)


def _month(name: str) -> int:
    return MONTHS.index(name.lower()) + 1


def _period(era: EraFile, front: list[Paragraph]) -> tuple[Period, Paragraph] | None:
    for spec in era.period:
        for para in front:
            found = search(compiled(spec), para.text)
            if found is not None:
                return (int(found.group("year")), _month(found.group("month"))), para
    return None


@dataclass(frozen=True)
class EraMatch:
    era: EraFile
    period: Period
    period_para: Paragraph


def detect_era(paragraphs: list[Paragraph]) -> EraMatch | None:
    """The era whose months include the report's and whose marker the report carries.
    Announcements are tried first: their marker ("Press release") is the most specific."""
    front = paragraphs[: eras_common().front_paragraphs]
    # Every reading unit is a part of a paragraph: a marker whose literals are in no
    # paragraph matches no unit. Cutting every paragraph into units is most of the cost
    # of a report of the 2020-2024 layout, which carries no era's marker. (The folded
    # paragraphs are kept: the figure readers screen their patterns on them again.)
    units: list[Unit] | None = None
    for era in sorted(eras(), key=lambda e: e.kind != "press_release"):
        found = _period(era, front)
        if found is None or not era.applies(found[0]):
            continue
        for spec in era.detect:
            marker = compiled(spec)
            if not any(prefilter.may_match(marker, p.text) for p in paragraphs):
                continue
            if units is None:
                units = reading_units(paragraphs)
            if any(search(marker, u.text) for u in units):
                return EraMatch(era, found[0], found[1])
    return None


# --- reading --------------------------------------------------------------------------


@dataclass
class _Figure:
    value: int
    hit: Hit


@dataclass
class _Party:
    party: str
    group: Group
    label: str
    hit: Hit
    figures: dict[str, _Figure] = field(default_factory=dict)


@dataclass
class _State:
    era: EraFile
    period: Period
    ctx: Context
    figures: dict[str, _Figure] = field(default_factory=dict)
    parties: list[_Party] = field(default_factory=list)
    aggregates: list[tuple[Aggregate, Hit]] = field(default_factory=list)
    current: _Party | None = None
    role: str | None = None
    in_list: bool = False
    # Inside a section or list about another period ("IV. Death Toll of Civilian Victims
    # in 2018", "The deaths of 2018 were distributed as follows:"): nothing is read until
    # the next heading (tests/data/unseen/late/2018-12).
    elsewhere: bool = False
    previous: str = ""

    @property
    def scope(self) -> Scope:
        return Scope("month", self.period[0], self.period[1])

    # What the list being read is about, from the sentence that introduces it ("recorded
    # the following among the dead of February:"); None outside a list.
    list_about: About | None = None
    # The era's blocks, items and figures that apply to the report's month, each with its
    # compiled pattern: chosen once, not for every unit.
    blocks: list[tuple[BlockSpec, regex.Pattern[str]]] = field(default_factory=list)
    items: list[tuple[ItemSpec, regex.Pattern[str]]] = field(default_factory=list)
    figure_specs: list[tuple[FigureSpec, regex.Pattern[str]]] = field(default_factory=list)

    def put(self, target: dict[str, _Figure], key: str, path: str, value: int, hit: Hit) -> None:
        """Set a figure; a second, different statement of it is a failing check."""
        first = target.get(key)
        if first is None:
            target[key] = _Figure(value, hit)
            return
        if first.value == value:
            return
        self.ctx.evidence.add(f"restated.{path}", hit)
        self.ctx.problems.append(
            Check(
                rule=RESTATED_AGREES.qualify(path),
                status="fail",
                expected=first.value,
                found=value,
                message=f"{path} is stated twice with different values: {first.value} "
                f"(page {first.hit.page}: {first.hit.sentence!r}) and {value} "
                f"(page {hit.page}: {hit.sentence!r}); the record keeps the first",
                paths=[path, f"restated.{path}"],
            )
        )


def _aggregate_of(label: str, period: Period) -> tuple[str, AggregateSpec] | None:
    forms = label_forms(label)
    for agg_id, spec in aggregates().aggregate.items():
        if not spec.applies(period):
            continue
        if forms & {fold(a) for a in spec.aliases}:
            return agg_id, spec
    return None


def _number(found: regex.Match[str], name: str) -> int | None:
    if name not in found.re.groupindex:
        return None
    value = found.group(name)
    return parse_number(value) if value else None


def read_toll(text: str, found: regex.Match[str], group: str = "total") -> dict[str, int]:
    """The figures a match states: its own groups, and children/women from the rest of
    the clause after the total (asides in parentheses dropped first)."""
    out: dict[str, int] = {}
    total = _number(found, group)
    if total is not None:
        out["total"] = total
    for name in ("children", "women"):
        value = _number(found, name)
        if value is not None:
            out[name] = value
    if total is None or "children" in out or "women" in out:
        return out
    common = eras_common().clause
    after = compiled(common.aside).sub("", text[found.end(group) :])
    end = search(compiled(common.end), after)
    clause = after[: end.start()] if end is not None else after
    for name, spec in (("children", common.children), ("women", common.women)):
        hit = search(compiled(spec), clause)
        if hit is not None:
            out[name] = parse_number(hit.group(name))
    return out


def _new_party(state: _State, label: str, group: Group | None, hit: Hit) -> _Party:
    match = match_party(label, state.ctx.settings, state.period)
    usual: Group = "main" if match.group == "main" else "other"
    entry = _Party(match.party, group or usual, label.strip(), hit)
    state.parties.append(entry)
    if match.method == "none":
        state.ctx.problem(
            PARTY_RECOGNISED.qualify(),
            f"party label {label!r} matches no alias in patterns/parties.toml for "
            f"{state.period[0]}-{state.period[1]:02d}; its figures are kept under an "
            "unrecognized id",
            [],
        )
    return entry


def _block(state: _State, unit: Unit) -> bool:
    marked = unit.marked.strip()
    for spec, block in state.blocks:
        found = fullmatch(block, marked)
        if found is None:
            continue
        if spec.opens == "party":
            label = found.group("label")
            if _aggregate_of(label, state.period) is not None:
                state.current = None  # a group heading: its members follow as blocks
            else:
                state.current = _new_party(state, label, "main", Hit(unit.text, unit.para))
            state.role = None
        elif spec.opens in ("civilians", "combatants"):
            state.role = spec.opens
        elif spec.opens == "main_list":
            state.in_list, state.current, state.role = True, None, None
            lead = state.previous
            if is_lead_in(lead) and lead_in_about(lead, state.scope) != "own":
                state.elsewhere = True
        else:  # "end" (and "other_list": other parties are read by their own figures)
            state.in_list, state.current, state.role = False, None, None
            state.elsewhere = about(unit.text, state.scope) != "own"
        return True
    return False


def _item(state: _State, unit: Unit) -> bool:
    if not state.in_list:
        return False
    for _, item in state.items:
        found = search(item, unit.text)
        if found is None:
            continue
        hit = Hit(unit.text, unit.para)
        label = found.group("label")
        figures = read_toll(unit.text, found)
        agg = _aggregate_of(label, state.period)
        if agg is not None:
            agg_id, agg_spec = agg
            state.aggregates.append(
                (
                    Aggregate(
                        id=agg_id,
                        label=label.strip(),
                        members=list(agg_spec.members),
                        total=figures["total"],
                        children=figures.get("children"),
                        women=figures.get("women"),
                    ),
                    hit,
                )
            )
            return True
        entry = _new_party(state, label, "main", hit)
        for name, value in figures.items():
            entry.figures[name] = _Figure(value, hit)
        return True
    return False


def _figure(state: _State, spec: FigureSpec, unit: Unit, found: regex.Match[str]) -> None:
    hit = Hit(unit.text, unit.para)
    target: str = spec.target
    path: str
    if target in ("people", "civilians", "combatants", "other_parties", "title.civilians"):
        path = "title_figures.civilians" if target == "title.civilians" else target
        for name, value in read_toll(unit.text, found).items():
            state.put(state.figures, f"{path}.{name}", f"{path}.{name}", value, hit)
    elif target in (*BREAKDOWNS, "massacres", "title.torture"):
        path = {"massacres": "massacres.count", "title.torture": "title_figures.torture"}.get(
            target, f"{target}.total"
        )
        stated = _number(found, "total")
        if stated is not None:
            state.put(state.figures, path, path, stated, hit)
    else:
        if "label" in found.re.groupindex and found.group("label"):
            state.current = _new_party(state, found.group("label"), None, hit)
        entry = state.current
        if entry is None:
            state.ctx.problem(
                FIGURE_PARTY.qualify(),
                f"a figure was read ({unit.text!r}) but no party heads it; it is left out",
                [],
            )
            return
        path = f"parties.{entry.party}"
        if target == "party":
            for name, value in read_toll(unit.text, found).items():
                state.put(entry.figures, name, f"{path}.{name}", value, hit)
            torture = _number(found, "torture")
            if torture is not None:
                state.put(entry.figures, "torture", f"{path}.torture", torture, hit)
        else:
            name = target.split(".", 1)[1]
            figure = _number(found, "torture") if name == "torture" else None
            figure = figure if figure is not None else _number(found, "total")
            if figure is not None:
                state.put(entry.figures, name, f"{path}.{name}", figure, hit)


# A part of the figure, not the figure, is placed: "SNHR recorded 5 massacres in February
# 2025, three of them in Aleppo governorate", "78 deaths due to torture in December 2024,
# most of them in the regime's detention centers" (tests/data/unseen/late/2025-02, 2024-12).
# "all of them in the camps" places the whole figure and is kept in the judged clause.
_PART_OF_IT = r",\s+(?:{NUM}|most|some|many|half|several)\s+of\s+(?:them|these|which)\b"


def _own(text: str, found: regex.Match[str], target: str, period: Period) -> bool:
    """Whether a figure is the month's, for the whole country (docs/decisions.md, "How
    scope is decided"): "In June, by comparison, government forces killed 598 civilians",
    "Over the whole of 2017, government forces killed N civilians" and "its annual report
    records the killing of N civilians in 2017" are not. A party's figure is judged up to
    the end of its own wording, because what follows it ("in Raqqa and Aleppo
    governorates", "in detention") says where that party's victims died, not that the
    figure is a part of the party's toll."""
    group = next((g for g in ("total", "torture") if _number(found, g) is not None), None)
    if group is None:
        return True
    if target.startswith("party"):
        start = text.rfind(";", 0, found.start(group)) + 1
        clause = text[start : found.end()]
    else:
        clause = toll_clause(text, found, group)
        # The era's own clause ends too: "N people killed across Syria, against M people
        # killed in July" compares with another month (tests/data/unseen/early/2014-08).
        era_end = search(compiled(eras_common().clause.end), text, found.end(group))
        if era_end is not None:
            start = text.rfind(";", 0, found.start(group)) + 1
            clause = clause[: max(0, era_end.start() - start)] or clause
        after = found.end(group) - (text.rfind(";", 0, found.start(group)) + 1)
        part = search(_compiled(_PART_OF_IT), clause, after)
        if target.startswith("title."):
            # "N Civilians Killed in Syria in 2019, Including 284 in December": the
            # title's "including" is a part of the figure, with its own period.
            part = part or search(_compiled(r",\s+(?:including|among\s+them)\b"), clause, after)
        clause = clause[: part.start()] if part is not None else clause
    spread = sentences_about_spread()
    if spread is not None:
        # "... across Hama, Homs, Idlib, Daraa and Damascus Suburbs governorates" spreads
        # the figure over the country; it does not place it in one governorate.
        clause = spread.sub("", clause)
    return about(clause, Scope("month", period[0], period[1])) == "own"


_BULLET = regex.compile(r"^[-•▪]\s")


def _follow_list(state: _State, unit: Unit) -> None:
    """A sentence ending in ":" introduces the bullets after it; any other unit ends them."""
    text = unit.text.strip()
    if text.endswith(":"):
        state.list_about = lead_in_about(text, Scope("month", *state.period))
    elif _BULLET.match(text) is None:
        state.list_about = None


def sentences_about_spread() -> regex.Pattern[str] | None:
    """`sentences.toml [about.spread]`, if the data has it."""
    return pattern("about.spread") if sentences()["about"].get("spread") else None


TITLE_MAX_UNITS = 8


def _title(era: EraFile, units: list[Unit], front: list[Paragraph]) -> list[int]:
    """Indexes of the units that make up the title (empty when none is found)."""
    in_front = {id(p) for p in front}
    for spec in era.title:
        for i, unit in enumerate(units):
            if id(unit.para) not in in_front or compiled(spec).match(unit.text) is None:
                continue
            taken = [i]
            if not era.title_ends:
                return taken
            for j in range(i + 1, min(len(units), i + TITLE_MAX_UNITS)):
                if any(search(compiled(end), units[j].text) for end in era.title_ends):
                    return taken
                taken.append(j)
            return [i]  # no end marker near: the first unit alone, never the body
    return []


def _published(front: list[Paragraph], ctx: Context) -> str | None:
    for spec in eras_common().published:
        for para in front:
            found = search(compiled(spec), para.text)
            if found is None:
                continue
            try:
                date = dt.date(
                    int(found.group("year")), _month(found.group("month")), int(found.group("day"))
                )
            except ValueError:
                continue
            ctx.evidence.add("report.published", Hit(found.group(0).strip(), para))
            return date.isoformat()
    return None


def _toll(figures: dict[str, _Figure], prefix: str, ctx: Context) -> Toll | None:
    values = {f: figures[f"{prefix}.{f}"] for f in FIELDS if f"{prefix}.{f}" in figures}
    if not values:
        return None
    for name, fig in values.items():
        ctx.evidence.add(f"{prefix}.{name}", fig.hit)
    return Toll(
        total=values["total"].value if "total" in values else None,
        children=values["children"].value if "children" in values else None,
        women=values["women"].value if "women" in values else None,
    )


def read_era(
    doc: Document,
    paragraphs: list[Paragraph],
    found: EraMatch,
    settings: Settings,
    version: str,
) -> Record:
    """The record of a report (or announcement) of a known era."""
    ctx = Context(settings)
    era, period = found.era, found.period
    front = paragraphs[: eras_common().front_paragraphs]
    ctx.evidence.add("report.period", Hit(found.period_para.text, found.period_para))
    units = reading_units(paragraphs)
    title_at = _title(era, units, front)
    title: Unit | None = None
    if title_at:
        title = Unit(" ".join(units[i].text for i in title_at), units[title_at[0]].para)
        ctx.evidence.add("report.title", Hit(title.text, title.para))
    state = _State(era, period, ctx)
    state.blocks = [(b, compiled(b)) for b in era.blocks if b.applies(period)]
    state.items = [(i, compiled(i)) for i in era.items if i.applies(period)]
    state.figure_specs = [(f, compiled(f)) for f in era.figures if f.applies(period)]
    body = [u for i, u in enumerate(units) if i not in set(title_at)]
    for unit in ([title] if title is not None else []) + body:
        in_title = unit is title
        if not in_title:
            opened = _block(state, unit)
            state.previous = unit.text
            if opened or state.elsewhere or _item(state, unit):
                state.list_about = None
                continue
            _follow_list(state, unit)
        for spec, figure in state.figure_specs:
            if spec.target.startswith("title.") != in_title:
                continue
            if spec.within is not None and spec.within != state.role:
                continue
            match = search(figure, unit.text)
            while match is not None:
                # A title is judged too: "3,364 Civilians Killed in Syria in 2019, Including
                # 284 in December" gives the year's toll (tests/data/unseen/late/2019-12).
                # A bullet is judged by its list's lead-in as well: "the dead of the whole
                # year:" (tests/data/unseen/early).
                in_other_list = not in_title and state.list_about in ("ytd", "other_period")
                if not in_other_list and _own(unit.text, match, spec.target, period):
                    _figure(state, spec, unit, match)
                if not spec.target.startswith("party"):
                    break
                # Prose names several parties in one sentence: "ISIS killed N civilians
                # ..., while Fateh al-Sham Front killed M civilians" (2016-2017).
                match = search(figure, unit.text, match.end())
    return _record(doc, state, title, _published(front, ctx), version)


def _record(
    doc: Document, state: _State, title: Unit | None, published: str | None, version: str
) -> Record:
    ctx, figs = state.ctx, state.figures
    record = Record(
        extractor_version=version,
        report=ReportMeta(
            year=state.period[0],
            month=state.period[1],
            published=published,
            title=title.text if title is not None else None,
            kind=state.era.kind,
            era=state.era.id,
            source=source_of(doc),
        ),
        civilians=_toll(figs, "civilians", ctx),
        people=_toll(figs, "people", ctx),
        combatants=_toll(figs, "combatants", ctx),
        other_parties=_toll(figs, "other_parties", ctx),
    )
    record.title_figures = TitleFigures(civilians=_toll(figs, "title_figures.civilians", ctx))
    if "title_figures.torture" in figs:
        record.title_figures.torture = figs["title_figures.torture"].value
        ctx.evidence.add("title_figures.torture", figs["title_figures.torture"].hit)
    totals: dict[str, int | None] = {}
    for kind in BREAKDOWNS:
        fig = figs.get(f"{kind}.total")
        totals[kind] = fig.value if fig is not None else None
        if fig is not None:
            ctx.evidence.add(f"{kind}.total", fig.hit)
    record.torture = TortureBreakdown(total=totals["torture"])
    record.medical = Breakdown(total=totals["medical"])
    record.media = Breakdown(total=totals["media"])
    record.civil_defense = Breakdown(total=totals["civil_defense"])
    if "massacres.count" in figs:
        record.massacres = Massacres(count=figs["massacres.count"].value)
        ctx.evidence.add("massacres.count", figs["massacres.count"].hit)
    taken: set[str] = set()
    for entry in state.parties:
        if not entry.figures:
            continue
        path = unique_path("parties", entry.party, taken)
        total = entry.figures.get("total")
        if total is None:
            ctx.problem(
                FIGURE_READ.qualify("party"),
                f"{entry.label!r}: figures were read ({', '.join(entry.figures)}) but not "
                "the civilians it killed; they are left out",
                [path],
                entry.hit,
            )
            continue
        values = {name: fig.value for name, fig in entry.figures.items()}
        record.parties.append(
            PartyToll(party=entry.party, group=entry.group, label=entry.label, **values)
        )
        for name, fig in entry.figures.items():
            ctx.evidence.add(f"{path}.{name}", fig.hit)
    for agg, hit in state.aggregates:
        record.aggregates.append(agg)
        for name in FIELDS:
            if getattr(agg, name) is not None:
                ctx.evidence.add(f"aggregates.{agg.id}.{name}", hit)
    if "people" in state.era.expects and record.people is None:
        ctx.problem(
            FIGURE_READ.qualify("people"),
            "the month's toll of everyone killed could not be read (patterns/eras/"
            f"{state.era.id}.toml knows no wording for it in this report)",
            ["people.total"],
        )
    record.checks = list(ctx.problems)
    record.evidence = ctx.evidence.entries
    record.checks += loader_warnings(doc)
    return record


def sums_parties(record: Record) -> bool:
    """Must the record's parties add up to its toll? Yes for the 2020-2024 layout."""
    era = next((e for e in eras() if e.id == record.report.era), None)
    return era is None or era.party_sum


def aggregate_checks(record: Record) -> list[Check]:
    """An aggregate against the sum of its members' own figures, where both are given."""
    checks: list[Check] = []
    for agg in record.aggregates:
        members = [(i, p) for i, p in enumerate(record.parties) if p.party in agg.members]
        if not members:
            continue
        for name in FIELDS:
            stated = getattr(agg, name)
            if stated is None:
                continue
            found = sum(getattr(p, name) or 0 for _, p in members)
            ok = found == stated
            checks.append(
                Check(
                    rule=AGGREGATE_SUM.qualify(agg.id, name),
                    status="pass" if ok else "fail",
                    expected=stated,
                    found=found,
                    message=f"{agg.label!r} {name}: the report states {stated} and its "
                    f"members' own figures add up to {found}"
                    + ("" if ok else f"; a difference of {stated - found}"),
                    paths=[
                        f"aggregates.{agg.id}.{name}",
                        *(f"parties.{p.party}.{name}" for _, p in members),
                    ],
                )
            )
    return checks


__all__ = [
    "EraMatch",
    "aggregate_checks",
    "detect_era",
    "read_era",
    "reading_units",
    "sums_parties",
]
