"""What a section, a sentence or a list is about: the report's month, the year, or something
else (another period, a place, a sub-group, a breakdown by month or governorate).

A figure fills the record only when it is about the section's own period and the whole
country. See docs/decisions.md, "How scope is decided".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..language.matching import search
from ..language.patterns import MONTHS, governorate_regex, pattern
from ..language.prefilter import may_match

Period = Literal["month", "year"]
# own: the section's period, whole country. ytd: the year to date (or the whole year, seen
# from a month). other_period: another month or period. subset: a place or a sub-group.
# dimension: a breakdown by month or governorate, not by party.
About = Literal["own", "ytd", "other_period", "subset", "dimension"]


@dataclass(frozen=True)
class Scope:
    """The period a section covers: the report's month, or the whole year of an annual part."""

    period: Period
    year: int
    month: int | None = None

    @property
    def is_year(self) -> bool:
        """The whole year of a December report's annual part, not the report's month."""
        return self.period == "year"

    @property
    def prefix(self) -> str:
        """The dotted-path prefix of this scope's figures: "" or "annual."."""
        return "" if self.period == "month" else "annual."

    def path(self, name: str) -> str:
        return f"{self.prefix}{name}"


def about(text: str, scope: Scope, *, whole_country: bool = True) -> About:
    """What `text` (a lead-in or the clause of a toll) is about, seen from `scope`.
    With `whole_country=False` places and sub-groups are not looked for (a list item's
    label is a party, not a place)."""
    if search(pattern("about.dimension"), text) is not None:
        return "dimension"
    if whole_country and _subset(text):
        return "subset"
    if search(pattern("about.other_period"), text) is not None:
        return "other_period"
    named = _named_period(text, scope)
    if named is not None:
        return named
    if search(pattern("about.ytd"), text) is not None:
        return "own" if scope.period == "year" else "ytd"
    return "own"


def lead_in_about(sentence: str, scope: Scope) -> About:
    """A lead-in distributes its last figure: "N massacres since the beginning of 2020,
    including four massacre in July ..., distributed as follows:" (2020-07) lists July's."""
    spans = list(pattern("about.including").finditer(sentence))
    if spans:
        tail = sentence[spans[-1].start() :]
        if _names_own(tail, scope):
            return about(tail, scope)
    return about(sentence, scope)


def _names_own(text: str, scope: Scope) -> bool:
    if scope.period == "month" and search(pattern("about.this_month"), text) is not None:
        return True
    return _named_period(text, scope) == "own" and (
        search(pattern("about.month_named"), text) is not None
        or search(pattern("about.year_alone"), text) is not None
    )


def _named_period(text: str, scope: Scope) -> About | None:
    """The verdict of the months and years `text` names, or None if it names none."""
    verdict: About | None = None
    named = pattern("about.month_named")
    for found in named.finditer(text) if may_match(named, text) else ():
        month = MONTHS.index(found.group("month").lower()) + 1
        if scope.period == "year" or month != scope.month:
            return "other_period"
        verdict = "own"
    alone = pattern("about.year_alone")
    for found in alone.finditer(text) if may_match(alone, text) else ():
        year = int(found.group("year"))
        if year != scope.year:
            return "other_period"
        verdict = verdict or "ytd" if scope.period == "month" else "own"
    return verdict


def _subset(text: str) -> bool:
    if search(pattern("about.subset"), text) is not None:
        return True
    # "in Daraa governorate", "in rural Idlib": one governorate is not the whole country.
    return search(governorate_regex(), text) is not None


def is_lead_in(sentence: str) -> bool:
    return search(pattern("about.lead_in"), sentence) is not None
