"""The structure of every TOML file in patterns/, as pydantic models (issue 11).

A pattern file that does not fit its schema is refused when loaded, with the file and the
key in the message, instead of failing later as a KeyError in some reader. Every pattern
may carry `examples` (sentences it must match, optionally with the groups it must
capture) and `rejects` (sentences it must not match); tests/test_pattern_examples.py runs
them all. `since`/`until` ("YYYY-MM", the month a report covers, both inclusive) say when
a wording applies: "Government forces" is the Assad regime in reports about months before
December 2024 and the transitional government from then on.

headings.toml is in the full form; sentences.toml is still accepted in its plain form
(strings and lists of strings, each with a comment naming its report).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

YearMonth = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Example(_Strict):
    """A sentence a pattern must match, with the groups it must capture (as written)."""

    text: str
    groups: dict[str, str] = Field(default_factory=dict)


class Dated(_Strict):
    since: YearMonth | None = None
    until: YearMonth | None = None

    def applies(self, period: tuple[int, int] | None) -> bool:
        """Does this wording apply to a report about `period` (year, month)?
        With no period known, only undated wordings apply: never guess the era."""
        if self.since is None and self.until is None:
            return True
        if period is None:
            return False
        ym = f"{period[0]:04d}-{period[1]:02d}"
        return (self.since is None or ym >= self.since) and (self.until is None or ym <= self.until)


class PatternSpec(Dated):
    """One regular expression (macros {NUM}, {NUM1}, {MONTH} expanded) with its tests."""

    pattern: str
    examples: list[str | Example] = Field(default_factory=list)
    rejects: list[str] = Field(default_factory=list)
    source: str | None = None  # the sample or report that made the pattern necessary


# --- parties.toml ---------------------------------------------------------------------


class AliasSpec(Dated):
    alias: str
    source: str | None = None


class PartySpec(_Strict):
    group: Literal["main", "other"]
    aliases: list[str | AliasSpec]


def validate_parties(data: dict[str, Any]) -> dict[str, PartySpec]:
    return {party: PartySpec.model_validate(spec) for party, spec in data.items()}


# --- aggregates.toml ------------------------------------------------------------------


class AggregateSpec(Dated):
    """A group of parties the reports give one figure for."""

    label: str
    members: list[str]
    aliases: list[str]
    source: str | None = None


class AggregatesFile(_Strict):
    aggregate: dict[str, AggregateSpec]


# --- eras/*.toml ----------------------------------------------------------------------

FigureTarget = Literal[
    "people",
    "civilians",
    "combatants",
    "other_parties",
    "torture",
    "medical",
    "media",
    "civil_defense",
    "massacres",
    "party",
    "party.torture",
    "party.combatants",
    "title.civilians",
    "title.torture",
]


class FigureSpec(PatternSpec):
    """A sentence that states a figure. Groups: `total` (or `children`/`women` given in
    the pattern itself), `label` for the party, `torture`. Children and women not captured
    by the pattern are read from the rest of the clause (eras/common.toml `clause`).
    `within` limits the pattern to a sub-block ("a- Civilians:" / "b- Gunmen:")."""

    target: FigureTarget
    within: Literal["civilians", "combatants"] | None = None


class BlockSpec(PatternSpec):
    """A paragraph that opens a part of the breakdown: a party's block ("First: Government
    Forces", group `label`), a sub-block of civilians or fighters, a list, or an end."""

    opens: Literal["party", "civilians", "combatants", "main_list", "other_list", "end"]


class ItemSpec(PatternSpec):
    """A list entry "- Label: N, including ..." (groups `label`, `total`)."""


class EraFile(Dated):
    """One era of the series' wording (docs/eras.md)."""

    id: str
    description: str
    samples: list[str]
    kind: Literal["monthly", "press_release"] = "monthly"
    # The month the report covers: tried in order over the first paragraphs, first wins.
    period: list[PatternSpec]
    # At least one must match a paragraph for the era to apply (with since/until).
    detect: list[PatternSpec]
    # The title: the first unit among the front paragraphs that starts with one of these,
    # running on over the next units (a typeset title wraps over several lines) until one
    # matches `title_ends`; with no `title_ends`, the one unit.
    title: list[PatternSpec] = Field(default_factory=list)
    title_ends: list[PatternSpec] = Field(default_factory=list)
    blocks: list[BlockSpec] = Field(default_factory=list)
    items: list[ItemSpec] = Field(default_factory=list)
    figures: list[FigureSpec] = Field(default_factory=list)
    # Does the era list every party with figures, so that main + other parties must add
    # up to the toll? False where the prose names only some (2016-2017, announcements):
    # a sum there would blame the report for what it never claims.
    party_sum: bool = True
    # Totals the era always states: missing one is a failing check.
    expects: list[Literal["people", "civilians"]] = Field(default_factory=list)


class ClauseSpec(_Strict):
    """How children and women are read from the clause after a total."""

    end: PatternSpec
    aside: PatternSpec
    children: PatternSpec
    women: PatternSpec


class ErasCommon(_Strict):
    published: list[PatternSpec]
    unit_break: PatternSpec
    clause: ClauseSpec
    # Paragraphs at the top of a report searched for its title, date and period.
    front_paragraphs: int = Field(ge=1, le=40)


# --- the files being converted by other work: accepted in their plain form ------------

PlainNode = str | int | float | list[str] | dict[str, Any]


class PlainSentences(BaseModel):
    """sentences.toml: nested tables of strings or lists of strings."""

    model_config = ConfigDict(extra="allow")

    @classmethod
    def check(cls, data: dict[str, Any], where: str = "sentences.toml") -> None:
        for key, value in data.items():
            path = f"{where}:{key}"
            if isinstance(value, dict):
                cls.check(value, path)
            elif isinstance(value, list):
                if not all(isinstance(v, str | dict) for v in value):
                    raise ValueError(f"{path}: a list of patterns must hold strings")
            elif not isinstance(value, str | int | float):
                raise ValueError(f"{path}: a pattern must be a string")


# --- headings.toml -----------------------------------------------------------------


class HeadingRuleSpec(PatternSpec):
    """A section heading's title (after its number): examples are titles as printed; a
    title must match in full (less a trailing colon), as an unnumbered heading must."""

    kind: Literal[
        "summary",
        "civilians",
        "container",
        "torture",
        "medical",
        "media",
        "civil_defense",
        "history",
        "massacres",
        "abroad",
        "other",
    ]


class NumberedSpec(PatternSpec):
    """A numbered heading: groups `number` and `title`; matched case-sensitively, since
    "I." is a roman numeral and "i." a sub-item."""

    top_level: str
    max_title_chars: int = Field(ge=10)
    max_unnumbered_chars: int = Field(ge=10)


class HeadingsFile(_Strict):
    heading: list[HeadingRuleSpec]
    scope: PatternSpec
    numbered: NumberedSpec
