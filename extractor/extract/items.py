"""One list-item reader for every figure section (issue 11).

A list line "- Label: N unit, including ..." (or a label line "- Label:" followed by its
figure, or "B. Other parties: N unit") becomes an `Entry`: whose figure it is (a party, or
the other parties' total) and the figure itself. The civilian, torture/personnel and
massacre readers all read their lists with `step_entries`; they differ only in where an
entry goes (`add_toll_entry` for tolls, the massacre reader's own placement for counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..checks.rules import UNIT_CONSISTENT
from ..language.normalise import PartyMatch
from ..models import Group, PartyToll, Toll
from .common import OTHER_PARTIES, Figure, Hit, Step, is_other_parties, leading_figure
from .context import Context, unique_path


@dataclass(frozen=True)
class ListOf:
    """What a section's lists count, and where their problems are reported."""

    section: str  # "civilians", "torture", "massacres": named in messages
    units: tuple[str, ...]  # [units] keys an item may count; the first is the section's own
    path: str  # the party list's path ("parties", "annual.torture.parties")
    other_path: str  # the other parties' total ("other_parties", "massacres.other_parties_count")
    other_units: tuple[str, ...] | None = None  # what "Other parties: N" may count (`units`)


@dataclass(frozen=True)
class Entry:
    """A list item read: the other parties' total (`match` None) or one party's figure."""

    label: str
    toll: Toll
    unit: str  # the [units] key the figure counts
    match: PartyMatch | None
    group: Group
    hit: Hit

    def party_toll(self) -> PartyToll:
        assert self.match is not None
        assert self.toll.total is not None
        return PartyToll(
            party=self.match.party,
            group=self.group,
            label=self.label,
            total=self.toll.total,
            children=self.toll.children,
            women=self.toll.women,
        )


def read_entry(
    label: str, figure: Figure | None, group: Group | None, of: ListOf, hit: Hit, ctx: Context
) -> Entry | None:
    """`label` and the figure after it as an entry; None (with a failing check) when the
    figure is missing or counts another section's unit."""
    other = is_other_parties(label)
    if figure is None or figure.toll.total is None:
        ctx.item_unread(of.other_path if other else of.path, hit, f"the item {label!r}")
        return None
    units = of.other_units or of.units if other else of.units
    unit = next((u for u in units if figure.fits(u)), None)
    if unit is None:
        who = "'Other parties'" if other else f"the item {label!r}"
        ctx.problem(
            UNIT_CONSISTENT.qualify(),
            f"under {of.section}, {who} counts {figure.unit!r} ({hit.sentence!r}), "
            "a slip copied from another section; it was not read",
            [of.other_path if other else of.path],
            hit,
        )
        return None
    if other:
        return Entry(label, figure.toll, unit, None, group or "other", hit)
    return party_entry(label, figure.toll, unit, group, hit, ctx)


def party_entry(
    label: str, toll: Toll, unit: str, group: Group | None, hit: Hit, ctx: Context
) -> Entry:
    """A party's figure; outside a "Main parties"/"Other parties" group, the party's own
    usual group decides."""
    match = ctx.match_party(label)
    chosen: Group = group if group is not None else ("main" if match.group == "main" else "other")
    return Entry(label, toll, unit, match, chosen, hit)


def step_entries(step: Step, of: ListOf, ctx: Context) -> list[Entry] | None:
    """The entries a step of `walk` holds, or None when it is not a list item with a
    figure (the caller then reads it as sentences). A list whose lead-in is about another
    period, a place or a sub-group holds no entries of this section."""
    if step.other_rest is not None:
        figure = leading_figure(step.other_rest)
        hit = Hit(step.para.text, step.para)
        if step.about != "own" or figure is None:
            return []
        entry = read_entry(OTHER_PARTIES, figure, step.group, of, hit, ctx)
        return [entry] if entry is not None else []
    first = leading_figure(step.item.rest) if step.item is not None else None
    if step.item is not None and first is not None:
        if step.about != "own":
            return []
        hit = step.first_sentence
        # Each item's figure is read once (leading_figure has no side effects).
        figures = [(step.item, first), *((i, leading_figure(i.rest)) for i in step.more)]
        found = (read_entry(i.label, figure, step.group, of, hit, ctx) for i, figure in figures)
        return [e for e in found if e is not None]
    if step.label is not None and step.item is None:
        figure = step.label_figure
        if figure is None:
            return None
        # "- Landmines of unknown origin:" then "10 civilians, including ..."
        if step.about != "own":
            return []
        entry = read_entry(step.label, figure, step.group, of, step.first_sentence, ctx)
        return [entry] if entry is not None else []
    return None


class TollList(Protocol):
    """A section whose list gives tolls: the civilian toll and every breakdown."""

    parties: list[PartyToll]
    other_parties: Toll | None


def add_toll_entry(out: TollList, entry: Entry, prefix: str, taken: set[str], ctx: Context) -> None:
    """Put a toll entry in its place: the other parties' total (the first one stated) or
    the next party of the list, with its evidence. `prefix`: "civilians"-less path root,
    e.g. "" + "parties" or "torture." + "parties"."""
    if entry.match is None:
        if out.other_parties is None:
            out.other_parties = entry.toll
            ctx.evidence.add_toll(f"{prefix}other_parties", entry.toll, entry.hit)
        return
    party = entry.party_toll()
    path = unique_path(f"{prefix}parties", party.party, taken)
    out.parties.append(party)
    ctx.evidence.add_toll(path, entry.toll, entry.hit)
    ctx.party_recognised(party, entry.match, f"{path}.total", entry.hit)


__all__ = [
    "Entry",
    "ListOf",
    "TollList",
    "add_toll_entry",
    "party_entry",
    "read_entry",
    "step_entries",
]
