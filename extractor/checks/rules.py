"""Every consistency rule, declared once: its id, where it applies and what it compares.

A check's `rule` is `[annual.]<id>[.<detail>]`: `annual.` when the rule ran over a December
report's whole-year figures, and a detail naming the figure (`civilians_sum.children`,
`summary_agrees.parties.bombings.total`). Code builds the string with `Rule.qualify`, never by
hand, so this table is the complete list; `Check` refuses a rule that is not in it, and the
rule table of docs/checks.md is generated from it
(`python -m extractor.checks.rules docs/checks.md`).

Adding a rule: declare it here, emit it with `RULE.qualify(...)`, document its failures in
docs/checks.md, regenerate the table. `tests/test_rules.py` keeps the three in step.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Applies = Literal["report", "archive", "engines"]


@dataclass(frozen=True)
class Rule:
    id: str
    applies: Applies  # one report; the archive (across reports); `--engine both`
    details: str  # what may follow the id, for the docs ("" for nothing)
    compares: str  # one line: what is compared, for the docs and `snhr check`

    def qualify(self, *detail: str, annual: bool = False) -> str:
        """The check's rule string: `annual.` + id + `.detail...`."""
        parts = [self.id, *(d for d in detail if d)]
        return ("annual." if annual else "") + ".".join(parts)


FIGURES = "total, children, women"

CIVILIANS_SUM = Rule(
    "civilians_sum",
    "report",
    FIGURES,
    "main parties + the stated other-parties total = the civilian toll",
)
OTHER_PARTIES_SUM = Rule(
    "other_parties_sum",
    "report",
    FIGURES,
    "the other-party categories = the stated other-parties total",
)
TORTURE_SUM = Rule("torture_sum", "report", FIGURES, "the split by party = the torture total")
MEDICAL_SUM = Rule(
    "medical_sum", "report", FIGURES, "the split by party = the medical personnel total"
)
MEDIA_SUM = Rule("media_sum", "report", FIGURES, "the split by party = the media workers total")
CIVIL_DEFENSE_SUM = Rule(
    "civil_defense_sum", "report", FIGURES, "the split by party = the Civil Defense total"
)
MASSACRES_SUM = Rule("massacres_sum", "report", "count", "the split by party = the massacre count")
MASSACRES_OTHER_SUM = Rule(
    "massacres_other_sum",
    "report",
    "count",
    "the other-party categories = the stated other-parties massacre count",
)
MASSACRES_WITHIN_CIVILIANS = Rule(
    "massacres_within_civilians",
    "report",
    "",
    "massacre deaths do not exceed the civilian toll",
)
CHILDREN_WOMEN_WITHIN_TOTAL = Rule(
    "children_women_within_total",
    "report",
    "",
    "children + women never exceed a toll's total",
)
TITLE_AGREES = Rule(
    "title_agrees", "report", "figure path", "the cover's figures = the toll sections'"
)
SUMMARY_AGREES = Rule(
    "summary_agrees",
    "report",
    "figure path",
    'the summary section ("Brief on the most notable incidents") = the toll sections',
)
UNIT_CONSISTENT = Rule(
    "unit_consistent",
    "report",
    "",
    'a list item counts the section\'s unit (not "media workers" under massacres)',
)
PARTY_RECOGNISED = Rule(
    "party_recognised",
    "report",
    "",
    "every party label matches an alias in patterns/parties.toml",
)
SECTION_FOUND = Rule(
    "section_found", "report", "", "each death-toll section the report announces was found"
)
FIGURE_READ = Rule(
    "figure_read", "report", "figure", "a figure the section must state could be read"
)
FIGURE_AMBIGUOUS = Rule(
    "figure_ambiguous",
    "report",
    "figure path",
    "two sentences could give the same figure and the structure does not decide: null",
)
ITEM_UNREAD = Rule(
    "item_unread",
    "report",
    "",
    "every line of a figure list was read completely (nothing dropped silently)",
)
FIGURE_PARTY = Rule(
    "figure_party",
    "report",
    "",
    "a figure in a party-by-party passage has a party heading it (era layouts)",
)
AGGREGATE_SUM = Rule(
    "aggregate_sum",
    "report",
    "<aggregate id>.total, children, women",
    'a group figure ("Extremist Islamic groups: N") = its members\' own figures, where both '
    "are given (docs/eras.md)",
)
RESTATED_AGREES = Rule(
    "restated_agrees",
    "report",
    "figure path",
    "a figure stated twice in one report or announcement is the same both times; the record "
    "keeps the first, the check quotes both",
)
AGAINST = Rule(
    "against",
    "report",
    "figure path",
    "`snhr check REPORT --against ANNOUNCEMENT`: every figure the web announcement states = "
    "the report's figure at the same path",
)
INCIDENTS_READ = Rule(
    "incidents_read", "report", "", "every massacre the report describes was read"
)
MASSACRE_DEATHS_PARTY = Rule(
    "massacre_deaths_party",
    "report",
    "",
    "a party's massacre deaths are read with that party, not another's",
)
PAGES_READABLE = Rule(
    "pages_readable", "report", "", "every page's text could be read (loader warnings)"
)
ENGINES_AGREE = Rule(
    "engines_agree",
    "engines",
    "",
    "every registered PDF engine reads every figure alike (`--engine both`)",
)
SERIES_CIVILIANS_YTD = Rule(
    "series.civilians_ytd_chains",
    "archive",
    "",
    "this month's civilian year-to-date = last month's + this month (January: its own)",
)
SERIES_TORTURE_YTD = Rule(
    "series.torture_ytd_chains",
    "archive",
    "",
    "the same chain for deaths due to torture",
)
SERIES_MASSACRES_YTD = Rule(
    "series.massacres_ytd_chains",
    "archive",
    "",
    "the same chain for massacres",
)
SERIES_ANNUAL = Rule(
    "series.annual_equals_months",
    "archive",
    "",
    "a December report's annual toll = the sum of the year's twelve monthly reports "
    "(only when all twelve are in the archive)",
)
SERIES_REPUBLISHED = Rule(
    "series.republished_differently",
    "archive",
    "",
    "a month published twice with different tolls",
)
SERIES_RANGE = Rule(
    "series.within_range",
    "archive",
    "",
    "a month above 8 times the series' median is flagged for a person to confirm",
)

RULES: tuple[Rule, ...] = tuple(v for v in list(globals().values()) if isinstance(v, Rule))
BY_ID: dict[str, Rule] = {r.id: r for r in RULES}


def rule_of(check_rule: str) -> Rule | None:
    """The registered rule a check's rule string names, or None."""
    name = check_rule.removeprefix("annual.")
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        found = BY_ID.get(".".join(parts[:n]))
        if found is not None:
            return found
    return None


START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def markdown_table() -> str:
    rows = ["| rule | applies to | detail | what it compares |", "|---|---|---|---|"]
    for r in RULES:
        detail = f"`.{r.details}`" if r.details else ""
        rows.append(f"| `{r.id}` | {r.applies} | {detail} | {r.compares} |")
    return "\n".join(rows)


def with_table(doc: str) -> str:
    """`doc` with the text between the rules markers replaced by the current table."""
    head, _, rest = doc.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{markdown_table()}\n{END}{tail}"


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    target = Path(sys.argv[1])
    target.write_text(with_table(target.read_text(encoding="utf-8")), encoding="utf-8")
