"""Load the pattern data in patterns/ once, expand its macros and compile it.

The patterns are data (TOML, with a comment naming a report for each); this module only
knows how to read them. Every regex is compiled once per process.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex

from .schema import (
    AggregatesFile,
    Dated,
    EraFile,
    ErasCommon,
    HeadingsFile,
    PlainSentences,
    validate_parties,
)

FLAGS = regex.IGNORECASE
# Guard against catastrophic backtracking on hostile input: no single match may run longer.
MATCH_TIMEOUT_S = 2.0

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def patterns_dir() -> Path:
    """The patterns/ folder: inside the installed package, or beside it in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_patterns", here.parent.parent / "patterns"):
        if (candidate / "sentences.toml").is_file():
            return candidate
    raise FileNotFoundError("patterns/ not found beside the extractor package")


def _load(name: str) -> dict[str, Any]:
    with (patterns_dir() / name).open("rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class NumberWords:
    units: dict[str, int]
    tens: dict[str, int]
    one_words: frozenset[str]

    def regex_source(self) -> str:
        unit = "|".join(sorted((k for k in self.units if k != "zero"), key=len, reverse=True))
        ten = "|".join(sorted(self.tens, key=len, reverse=True))
        below_100 = rf"(?:(?:{ten})(?:[-\s](?:{unit}))?|{unit}|zero)"
        return rf"(?:{below_100}(?:\s+hundred(?:\s+(?:and\s+)?{below_100})?)?)"


@cache
def number_words() -> NumberWords:
    data = _load("numbers.toml")
    return NumberWords(
        {k.lower(): int(v) for k, v in data["units"].items()},
        {k.lower(): int(v) for k, v in data["tens"].items()},
        frozenset(w.lower() for w in data["one_words"]["words"]),
    )


@cache
def macros() -> dict[str, str]:
    words = number_words().regex_source()
    digits = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d]|[.,]\d)"
    num = rf"(?:{digits}|\b{words}\b)"
    ones = "|".join(sorted(number_words().one_words))
    return {
        "NUMWORD": words,
        "NUM": num,
        "NUM1": rf"(?:{num}|\b(?:{ones})\b)",
        "MONTH": "|".join(MONTHS),
    }


def expand(source: str, extra: dict[str, str] | None = None) -> str:
    table = {**macros(), **(extra or {})}
    for name, value in table.items():
        source = source.replace("{" + name + "}", value)
    return source


def compile_one(source: str, extra: dict[str, str] | None = None) -> regex.Pattern[str]:
    return regex.compile(expand(source, extra), FLAGS)


def compile_list(
    sources: list[str], extra: dict[str, str] | None = None
) -> list[regex.Pattern[str]]:
    return [compile_one(s, extra) for s in sources]


@cache
def sentences() -> dict[str, Any]:
    data = _load("sentences.toml")
    PlainSentences.check(data)
    return data


@cache
def pattern(key: str, unit: str | None = None) -> regex.Pattern[str]:
    """One compiled pattern by dotted key, e.g. 'toll.children'."""
    return compile_one(_lookup(key), _unit(unit))


@cache
def pattern_list(key: str, unit: str | None = None) -> list[regex.Pattern[str]]:
    """A compiled list of patterns by dotted key, e.g. 'civilians.total'."""
    value = _lookup(key)
    return compile_list(value if isinstance(value, list) else [value], _unit(unit))


def _unit(unit: str | None) -> dict[str, str] | None:
    return None if unit is None else {"UNIT": sentences()["units"][unit]}


def _lookup(key: str) -> Any:
    node: Any = sentences()
    for part in key.split("."):
        node = node[part]
    return node


@dataclass(frozen=True)
class HeadingRule:
    kind: str
    regex: regex.Pattern[str]


@dataclass(frozen=True)
class HeadingPatterns:
    rules: tuple[HeadingRule, ...]
    scope: regex.Pattern[str]
    numbered: regex.Pattern[str]
    top_level: regex.Pattern[str]
    max_title_chars: int
    max_unnumbered_chars: int


@cache
def headings() -> HeadingPatterns:
    spec = HeadingsFile.model_validate(_load("headings.toml"))
    numbered = spec.numbered
    return HeadingPatterns(
        tuple(HeadingRule(h.kind, compile_one(h.pattern)) for h in spec.heading),
        compile_one(spec.scope.pattern),
        regex.compile(numbered.pattern),  # case matters: "I." is roman, "i." is a sub-item
        regex.compile(numbered.top_level),
        numbered.max_title_chars,
        numbered.max_unnumbered_chars,
    )


@dataclass(frozen=True)
class PartyAlias:
    party: str
    group: str
    alias: str
    # "YYYY-MM" bounds of the report months the alias applies to (patterns/parties.toml).
    since: str | None = None
    until: str | None = None

    def applies(self, period: tuple[int, int] | None) -> bool:
        return Dated(since=self.since, until=self.until).applies(period)


@cache
def party_aliases() -> tuple[PartyAlias, ...]:
    specs = validate_parties(_load("parties.toml"))
    out: list[PartyAlias] = []
    for party, spec in specs.items():
        for alias in spec.aliases:
            if isinstance(alias, str):
                out.append(PartyAlias(party, spec.group, alias))
            else:
                out.append(PartyAlias(party, spec.group, alias.alias, alias.since, alias.until))
    return tuple(out)


@cache
def aggregates() -> AggregatesFile:
    return AggregatesFile.model_validate(_load("aggregates.toml"))


@cache
def eras_common() -> ErasCommon:
    return ErasCommon.model_validate(_load("eras/common.toml"))


@cache
def eras() -> tuple[EraFile, ...]:
    """Every era file in patterns/eras/ (common.toml aside), in file-name order."""
    folder = patterns_dir() / "eras"
    return tuple(
        EraFile.model_validate(_load(f"eras/{path.name}"))
        for path in sorted(folder.glob("*.toml"))
        if path.name != "common.toml"
    )


@cache
def governorate_names() -> tuple[tuple[str, str], ...]:
    """(spelling, canonical name), longest spelling first."""
    data = _load("governorates.toml")["governorates"]
    pairs = [(spelling, name) for name, spellings in data.items() for spelling in spellings]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@cache
def governorate_regex() -> regex.Pattern[str]:
    alternatives = "|".join(
        regex.escape(s).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+")
        for s, _ in governorate_names()
    )
    return regex.compile(rf"\b(?P<governorate>{alternatives})\b", FLAGS)


def warm(units: Iterable[str] | None = None) -> None:
    """Compile every pattern now. A process that forks workers calls this first, so that
    no child compiles anything per file (compiling costs far more than matching).

    `units` are the [units] a `{UNIT}` pattern is used with (all of them by default); a
    pattern left cold is compiled by the child that first needs it, so this only affects
    speed, never a result.
    """
    units = list(sentences()["units"]) if units is None else list(units)

    def walk(node: Any, key: str) -> None:
        if isinstance(node, dict):
            for name, child in node.items():
                walk(child, f"{key}.{name}" if key else name)
            return
        sources = node if isinstance(node, list) else [node]
        if not all(isinstance(s, str) for s in sources):
            return
        uses_unit = any("{UNIT}" in s for s in sources)
        for unit in units if uses_unit else [None]:
            if isinstance(node, str):
                pattern(key, unit)
            else:
                pattern_list(key, unit)

    walk(sentences(), "")
    headings()
    governorate_regex()
    party_aliases()
