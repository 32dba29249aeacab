"""The structure of every TOML file in patterns/, as pydantic models (issue 11).

A pattern file that does not fit its schema is refused when loaded, with the file and the
key in the message, instead of failing later as a KeyError in some reader. Every pattern
may carry `examples` (sentences it must match, optionally with the groups it must
capture) and `rejects` (sentences it must not match); tests/test_pattern_examples.py runs
them all. `since`/`until` ("YYYY-MM", the month a report covers, both inclusive) say when
a wording applies: "Government forces" is the Assad regime in reports about months before
December 2024 and the transitional government from then on.

Every file is in this form: headings.toml, sentences.toml (one model per table, so a
misspelt key is refused rather than ignored), clean.toml (Python `re` patterns of the
clean stage), the eras, parties and aggregates; numbers.toml and governorates.toml are
word tables, checked for shape. `load` wraps a refusal in `PatternFileError`, naming the
file and the key.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from ..models import period_of

YearMonth = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Example(_Strict):
    """A sentence a pattern must match, with the groups it must capture (as written)."""

    text: str
    groups: dict[str, str] = Field(default_factory=dict)
    # A {UNIT} pattern of sentences.toml is tested expanded with this [units] entry.
    unit: str | None = None


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
        ym = period_of(*period)
        return (self.since is None or ym >= self.since) and (self.until is None or ym <= self.until)


class PatternSpec(Dated):
    """One regular expression (macros {NUM}, {NUM1}, {MONTH} expanded) with its tests."""

    pattern: str
    examples: list[str | Example] = Field(default_factory=list)
    rejects: list[str | Example] = Field(default_factory=list)  # groups unused
    source: str | None = None  # the sample or report that made the pattern necessary


class PatternFileError(ValueError):
    """A pattern file that does not fit its schema (a broken installation or a bad edit)."""


M = TypeVar("M", bound=BaseModel)


def load(model: type[M], name: str, data: dict[str, Any]) -> M:
    """`data` (the parsed file `name`) as `model`, or a PatternFileError naming the file,
    the key and what is wrong with it."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise PatternFileError(f"patterns/{name}: {key}: {first['msg']}{more}") from exc


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


# --- sentences.toml ------------------------------------------------------------------
# One model per table: a key the readers do not know is refused. A list keeps its order
# (the first pattern that matches wins) and is never empty.

Patterns = Annotated[list[PatternSpec], Field(min_length=1)]


class TollPatterns(_Strict):
    clause_end: PatternSpec
    split_start: PatternSpec
    children: PatternSpec
    women: PatternSpec
    only_children: PatternSpec
    only_women: PatternSpec


class CiviliansPatterns(_Strict):
    total: Patterns
    ytd: Patterns
    party_toll: Patterns
    at_hands: PatternSpec
    other_parties: PatternSpec


class ListsPatterns(_Strict):
    main_marker: PatternSpec
    other_marker: PatternSpec
    item: PatternSpec
    bare: PatternSpec
    unit_any: PatternSpec


class UnitsPatterns(_Strict):
    """The words a section counts in: the {UNIT} of that section's patterns."""

    civilians: PatternSpec
    torture: PatternSpec
    medical: PatternSpec
    media: PatternSpec
    civil_defense: PatternSpec
    massacres: PatternSpec
    massacre_deaths: PatternSpec


class TorturePatterns(_Strict):
    total: Patterns
    zero: Patterns
    ytd: Patterns
    counted_in: Patterns
    added_to: Patterns


class PersonnelPatterns(_Strict):
    total: Patterns
    zero: Patterns
    shared: PatternSpec


class MassacresPatterns(_Strict):
    count: Patterns
    zero: Patterns
    ytd: Patterns
    all_by: Patterns
    deaths: Patterns


class IncidentPatterns(_Strict):
    date: PatternSpec
    deaths: Patterns
    control: PatternSpec
    death_word: PatternSpec
    agent_before: PatternSpec
    agent_verb: PatternSpec
    origin: PatternSpec
    place: PatternSpec


class GovernoratePatterns(_Strict):
    percent: PatternSpec
    each: PatternSpec
    joint: PatternSpec
    party_share: PatternSpec


class FrontPatterns(_Strict):
    published: Patterns
    title_total: PatternSpec
    title_torture: PatternSpec
    title_month: PatternSpec
    title_year: PatternSpec


class PeriodPatterns(_Strict):
    month_year: PatternSpec


class SummaryPatterns(_Strict):
    toll: PatternSpec
    subheading: PatternSpec
    stacked_opener: PatternSpec


class AboutPatterns(_Strict):
    lead_in: PatternSpec
    dimension: PatternSpec
    ytd: PatternSpec
    other_period: PatternSpec
    month_named: PatternSpec
    year_alone: PatternSpec
    subset: PatternSpec
    this_month: PatternSpec
    including: PatternSpec
    another_item: PatternSpec
    # Where a whole-country figure fell, not a part of it: dropped before judging a clause.
    spread: PatternSpec | None = None


class SentencesFile(_Strict):
    toll: TollPatterns
    civilians: CiviliansPatterns
    lists: ListsPatterns
    units: UnitsPatterns
    torture: TorturePatterns
    personnel: PersonnelPatterns
    massacres: MassacresPatterns
    incident: IncidentPatterns
    governorate: GovernoratePatterns
    front: FrontPatterns
    period: PeriodPatterns
    summary: SummaryPatterns
    about: AboutPatterns

    @model_validator(mode="after")
    def _units_named(self) -> SentencesFile:
        """A {UNIT} pattern's examples say which unit they are read with; a pattern
        without {UNIT} has no unit to name."""
        known = set(UnitsPatterns.model_fields)
        for table in type(self).model_fields:
            for key, node in getattr(self, table):
                for i, spec in enumerate(node if isinstance(node, list) else [node]):
                    where = f"{table}.{key}" + (f"[{i}]" if isinstance(node, list) else "")
                    _check_units(spec, where, known)
        return self


def _check_units(spec: PatternSpec, where: str, known: set[str]) -> None:
    needs = "{UNIT}" in spec.pattern
    for example in [*spec.examples, *spec.rejects]:
        unit = None if isinstance(example, str) else example.unit
        if needs and unit not in known:
            raise ValueError(f"{where}: an example of a {{UNIT}} pattern must name its unit")
        if not needs and unit is not None:
            raise ValueError(f"{where}: unit {unit!r} given for a pattern without {{UNIT}}")


# --- clean.toml ------------------------------------------------------------------------


class CleanFile(_Strict):
    """The wordings and marks of the clean stage (Python `re`, case-sensitive)."""

    caption: PatternSpec
    bullet: PatternSpec
    numbered: PatternSpec
    heading_continues: PatternSpec
    compound_first: PatternSpec
    compound_second: PatternSpec
    name_particles: PatternSpec
    list_line: PatternSpec


# --- numbers.toml, governorates.toml ---------------------------------------------------

Word = Annotated[str, StringConstraints(pattern=r"^[a-z]+$")]


class OneWords(_Strict):
    words: list[Word] = Field(min_length=1)


class AtLeast(_Strict):
    phrases: list[Annotated[str, StringConstraints(pattern=r"^[a-z]+(?: [a-z]+)*$")]] = Field(
        min_length=1
    )


class NumbersFile(_Strict):
    """Number words: units 0-19, tens 20-90, and the words that count as one in a
    breakdown ("a woman")."""

    units: dict[Word, Annotated[int, Field(ge=0, le=19, strict=True)]]
    tens: dict[Word, Annotated[int, Field(ge=20, le=90, multiple_of=10, strict=True)]]
    one_words: OneWords
    at_least: AtLeast


Spelling = Annotated[str, StringConstraints(min_length=2, strip_whitespace=False)]


class GovernoratesFile(_Strict):
    """Each governorate's canonical name and the spellings the reports use for it."""

    governorates: dict[Spelling, Annotated[list[Spelling], Field(min_length=1)]]

    @model_validator(mode="after")
    def _one_name_per_spelling(self) -> GovernoratesFile:
        seen: dict[str, str] = {}
        for name, spellings in self.governorates.items():
            for spelling in spellings:
                other = seen.setdefault(spelling.lower(), name)
                if other != name:
                    raise ValueError(f"{spelling!r} is a spelling of both {other} and {name}")
        return self
