"""The report record: the public data contract (see docs/contract.md and docs/schema.json).

These pydantic models are the source of truth for `snhr extract --json`, the database
and every test. They serialise to exactly the contract's keys, plus a few documented
extras (`summary`, `title_figures`, `extractor_version`, `Massacres.other_parties_count`,
`GovernorateShare.joint`, `Annual.governorates`).

A figure that could not be read is `None` and comes with a failing check; `0` means the
report states that there were none.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .checks.rules import rule_of

SCHEMA_VERSION = 2

Group = Literal["main", "other"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Toll(_Model):
    """A death toll: `children`/`women` are null where the report does not state them."""

    total: int | None
    children: int | None = None
    women: int | None = None


class PartyToll(_Model):
    """One perpetrator's share of a toll; `label` is the report's own wording."""

    party: str
    group: Group
    label: str
    total: int
    children: int | None = None
    women: int | None = None
    # v2: deaths under torture given inside this party's paragraph (2014-2016 reports) and
    # fighters this party killed ("rebels", "gunmen"); null where the report gives none.
    torture: int | None = None
    combatants: int | None = None


class Aggregate(_Model):
    """A figure the report gives for a group of parties ("Extremist Islamic groups: N,
    distributed as follows", 2019-03). `members` are PartyIds; the members' own figures,
    where given, stay in `parties` and a check compares their sum. Never copied into a
    member."""

    id: str
    label: str
    members: list[str]
    total: int
    children: int | None = None
    women: int | None = None


class Breakdown(_Model):
    """Deaths in one category (torture, medical, media, Civil Defense) with their split."""

    total: int | None = None
    children: int | None = None
    women: int | None = None
    ytd: int | None = None
    parties: list[PartyToll] = Field(default_factory=list)
    other_parties: Toll | None = None


class TortureBreakdown(Breakdown):
    """Deaths due to torture; `counted_in_civilians` only where the wording says which."""

    counted_in_civilians: bool | None = None


class MassacreParty(_Model):
    party: str
    group: Group
    count: int
    deaths: Toll | None = None


class Incident(_Model):
    """One massacre described in the report's prose."""

    date: str | None
    deaths: Toll
    party: str | None
    place: str | None
    governorate: str | None
    quote: str


class Massacres(_Model):
    count: int | None = None
    ytd: int | None = None
    deaths: Toll | None = None
    parties: list[MassacreParty] = Field(default_factory=list)
    other_parties_count: int | None = None
    incidents: list[Incident] = Field(default_factory=list)


class GovernorateShare(_Model):
    governorate: str
    percent: float
    quote: str
    joint: bool = False


class Source(_Model):
    file: str
    sha256: str
    format: Literal["pdf", "text", "html"]
    pages: int | None
    engine: str


class ReportMeta(_Model):
    year: int
    month: int
    published: str | None
    title: str | None
    kind: Literal["monthly", "monthly+annual", "press_release"]
    source: Source
    # Which patterns/eras/ file read the report (docs/eras.md); null for the 2020-2024
    # layout. Tells a researcher which wording, and so which definitions, a figure has.
    era: str | None = None

    @property
    def period(self) -> str:
        """The report's month as "YYYY-MM", the archive's and the series' key."""
        return period_of(self.year, self.month)


def period_of(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


class Check(_Model):
    """One consistency rule applied to the record.

    `expected` and `found` mean the same in every rule (the contract keeps the names):
    - a sum (`*_sum`, `aggregate_sum`, `series.annual_equals_months`): `expected` is the
      figure the report states, `found` what its parts add up to;
    - an agreement between two statements of one figure (`title_agrees`, `summary_agrees`,
      `restated_agrees`, `against`, `engines_agree`): `expected` is the first witness (the
      toll section; the first statement; the report; the first engine), `found` the other;
    - a bound (`*_within_*`): `expected` is the bound (the toll, the total), `found` the
      figure held against it;
    - a reading problem (`figure_read`, `figure_ambiguous`, `item_unread`, `section_found`,
      `party_recognised`, `unit_consistent`, ...): both null; the message quotes the text.
    """

    rule: str = Field(description="`[annual.]<rule id>[.<detail>]`, declared in checks/rules.py")
    status: Literal["pass", "fail"]
    expected: int | None = Field(
        description="the figure the report states, or the first witness, or the bound"
    )
    found: int | None = Field(
        description="what the parts add up to, or what the other witness gives, or the "
        "figure held against the bound"
    )
    message: str
    paths: list[str] = Field(default_factory=list)

    @field_validator("rule")
    @classmethod
    def _registered(cls, rule: str) -> str:
        # Every rule is declared once in extractor/checks/rules.py; an id made up on the spot
        # would be missing from docs/checks.md and from every tool that lists the rules.
        if rule_of(rule) is None:
            raise ValueError(f"check rule {rule!r} is not declared in extractor/checks/rules.py")
        return rule


class Evidence(_Model):
    """Where a figure was read: 1-based page (null for text editions) and the sentence."""

    page: int | None
    quote: str


class Annual(_Model):
    year: int
    civilians: Toll | None
    parties: list[PartyToll] = Field(default_factory=list)
    other_parties: Toll | None = None
    torture: TortureBreakdown = Field(default_factory=TortureBreakdown)
    medical: Breakdown = Field(default_factory=Breakdown)
    media: Breakdown = Field(default_factory=Breakdown)
    civil_defense: Breakdown = Field(default_factory=Breakdown)
    massacres: Massacres = Field(default_factory=Massacres)
    governorates: list[GovernorateShare] = Field(default_factory=list)


class SummaryFigures(_Model):
    """What the report's summary section ("Brief on the most notable incidents") states.

    Kept apart from the toll sections so that checks can compare the two.
    """

    civilians: Toll | None = None
    parties: list[PartyToll] = Field(default_factory=list)
    other_parties: Toll | None = None


class TitleFigures(_Model):
    """Figures stated in the report's title (cover page)."""

    civilians: Toll | None = None
    torture: int | None = None
    annual_civilians: Toll | None = None
    annual_torture: int | None = None


class Record(_Model):
    """One report, as `snhr extract --json` prints it."""

    schema_version: int = SCHEMA_VERSION
    extractor_version: str
    report: ReportMeta
    civilians: Toll | None
    civilians_ytd: int | None = None
    # v2: everyone the report counts as killed, fighters included ("N Syrian citizens",
    # "N people", 2013-2015), and the fighters as it counts them. Never derived from
    # `civilians` or the other way round.
    people: Toll | None = None
    combatants: Toll | None = None
    parties: list[PartyToll] = Field(default_factory=list)
    other_parties: Toll | None = None
    aggregates: list[Aggregate] = Field(default_factory=list)
    torture: TortureBreakdown = Field(default_factory=TortureBreakdown)
    medical: Breakdown = Field(default_factory=Breakdown)
    media: Breakdown = Field(default_factory=Breakdown)
    civil_defense: Breakdown = Field(default_factory=Breakdown)
    massacres: Massacres = Field(default_factory=Massacres)
    governorates: list[GovernorateShare] = Field(default_factory=list)
    annual: Annual | None = None
    summary: SummaryFigures = Field(default_factory=SummaryFigures)
    title_figures: TitleFigures = Field(default_factory=TitleFigures)
    checks: list[Check] = Field(default_factory=list)
    evidence: dict[str, Evidence] = Field(default_factory=dict)

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]
