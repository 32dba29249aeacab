"""Every pattern in patterns/ that carries `examples` or `rejects` is tested here, one
table: an example must match (capturing the groups it lists), a reject must not.
Each pattern is tried the way its reader uses it: blocks and list lines whole
(extract/common.py fullmatches lists.*), titles from the start, clean.toml with Python
`re` from the start of the line, a {UNIT} pattern expanded with the unit its example
names, the rest anywhere in the sentence. Every era pattern, every sentence pattern and
every clean pattern must carry at least one example."""

from __future__ import annotations

import itertools
import re
import tomllib
from typing import Any

import pytest
import regex

from extractor.language.patterns import compile_one, patterns_dir
from extractor.language.schema import (
    AggregatesFile,
    BlockSpec,
    CleanFile,
    EraFile,
    ErasCommon,
    Example,
    GovernoratesFile,
    HeadingsFile,
    NumbersFile,
    PatternFileError,
    PatternSpec,
    SentencesFile,
    UnitsPatterns,
    load,
    validate_parties,
)

# How the readers apply a sentence pattern, where it is not `search` over a sentence.
SENTENCE_MODES = {
    "lists.item": "fullmatch",  # extract/common.py: a list line is an item only whole
    "lists.main_marker": "fullmatch",
    "lists.other_marker": "fullmatch",
    "lists.bare": "fullmatch",
    **{f"units.{unit}": "fullmatch" for unit in UnitsPatterns.model_fields},
}
# text/clean.py: every mark is matched at the start of the line; a wrapped heading's
# first line is searched for its ending.
CLEAN_MODES = {"heading_continues": "re-search"}


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads((patterns_dir() / name).read_text(encoding="utf-8"))


def _sentence_specs() -> list[tuple[str, PatternSpec, str]]:
    data = SentencesFile.model_validate(_load("sentences.toml"))
    named: list[tuple[str, PatternSpec, str]] = []
    for table, section in data:
        for key, node in section:
            mode = SENTENCE_MODES.get(f"{table}.{key}", "search")
            if isinstance(node, list):
                named += [(f"{table}.{key}[{i}]", spec, mode) for i, spec in enumerate(node)]
            else:
                named.append((f"{table}.{key}", node, mode))
    return named


def _clean_specs() -> list[tuple[str, PatternSpec, str]]:
    data = CleanFile.model_validate(_load("clean.toml"))
    return [(f"clean.{key}", spec, CLEAN_MODES.get(key, "re-match")) for key, spec in data]


def _specs() -> list[Any]:
    table: list[Any] = []
    common = ErasCommon.model_validate(_load("eras/common.toml"))
    named: list[tuple[str, PatternSpec, str]] = [
        (f"common.published[{i}]", s, "search") for i, s in enumerate(common.published)
    ]
    named.append(("common.unit_break", common.unit_break, "search"))
    for field in ("end", "aside", "children", "women"):
        named.append((f"common.clause.{field}", getattr(common.clause, field), "search"))
    for path in sorted((patterns_dir() / "eras").glob("*.toml")):
        if path.name == "common.toml":
            continue
        era = EraFile.model_validate(_load(f"eras/{path.name}"))
        for kind in ("period", "detect", "title", "title_ends", "blocks", "items", "figures"):
            for i, spec in enumerate(getattr(era, kind)):
                mode = (
                    "fullmatch"
                    if isinstance(spec, BlockSpec)
                    else "match"
                    if kind == "title"
                    else "search"
                )
                named.append((f"{path.stem}.{kind}[{i}]", spec, mode))
    headings = HeadingsFile.model_validate(_load("headings.toml"))
    for i, rule in enumerate(headings.heading):
        named.append((f"headings.{rule.kind}[{i}]", rule, "heading"))
    named.append(("headings.scope", headings.scope, "heading"))
    named.append(("headings.numbered", headings.numbered, "numbered"))
    named += _sentence_specs() + _clean_specs()
    for name, spec, mode in named:
        for example in spec.examples:
            ex = example if isinstance(example, Example) else Example(text=example)
            table.append(pytest.param(spec, mode, ex, True, id=f"{name} matches {ex.text[:40]!r}"))
        for reject in spec.rejects:
            ex = reject if isinstance(reject, Example) else Example(text=reject)
            table.append(pytest.param(spec, mode, ex, False, id=f"{name} rejects {ex.text[:40]!r}"))
    return table


SPECS = _specs()
SENTENCE_UNITS = {
    unit: spec.pattern for unit, spec in SentencesFile.model_validate(_load("sentences.toml")).units
}


@pytest.mark.parametrize(("spec", "mode", "example", "should_match"), SPECS)
def test_pattern_example(
    spec: PatternSpec, mode: str, example: Example, should_match: bool
) -> None:
    text = example.text.strip()
    units: dict[str, str] = SENTENCE_UNITS
    if mode.startswith("re-"):  # clean.toml: Python `re`, case-sensitive, as clean.py
        found: Any = getattr(re.compile(spec.pattern), mode[3:])(example.text)
    elif mode == "numbered":  # case-sensitive, as patterns.headings() compiles it
        found = regex.compile(spec.pattern).fullmatch(text)
    elif mode == "heading":  # a title matches whole, less a trailing colon (text/segment.py)
        found = compile_one(spec.pattern).fullmatch(text.rstrip(":").strip())
    else:
        extra = None if example.unit is None else {"UNIT": units[example.unit]}
        found = getattr(compile_one(spec.pattern, extra), mode)(text)
    if not should_match:
        assert found is None, f"{spec.pattern!r} must not match {example.text!r}"
        return
    assert found is not None, f"{spec.pattern!r} must match {example.text!r}"
    for group, value in example.groups.items():
        assert found.group(group) == value


def test_every_era_pattern_has_an_example() -> None:
    for path in sorted((patterns_dir() / "eras").glob("*.toml")):
        if path.name == "common.toml":
            continue
        era = EraFile.model_validate(_load(f"eras/{path.name}"))
        for kind in ("period", "detect", "title", "title_ends", "blocks", "items", "figures"):
            for spec in getattr(era, kind):
                assert spec.examples, f"{path.name} {kind}: {spec.pattern[:50]!r} has no example"


# Patterns whose wording no report in corpus/ shows (their comments quote it with "N" for
# the figure): an example must be a real sentence, so none is made up. Giving one an
# example removes it from here; no other pattern may go without.
NO_CORPUS_INSTANCE_YET: set[str] = set()  # every pattern has an example now


def test_every_sentence_and_clean_pattern_has_an_example() -> None:
    without = set()
    for name, spec, _ in _sentence_specs() + _clean_specs():
        if not spec.examples:
            without.add(name)
            continue
        assert spec.source, f"{name}: no report named as its source"
    assert without == NO_CORPUS_INSTANCE_YET


def test_every_pattern_file_fits_its_schema() -> None:
    validate_parties(_load("parties.toml"))
    AggregatesFile.model_validate(_load("aggregates.toml"))
    ErasCommon.model_validate(_load("eras/common.toml"))
    SentencesFile.model_validate(_load("sentences.toml"))
    CleanFile.model_validate(_load("clean.toml"))
    NumbersFile.model_validate(_load("numbers.toml"))
    GovernoratesFile.model_validate(_load("governorates.toml"))


@pytest.mark.parametrize(
    ("name", "model", "edit", "named"),
    [
        # A misspelt key is refused, not ignored (the reader would KeyError on the real one).
        (
            "sentences.toml",
            SentencesFile,
            lambda d: d["toll"].update(clause_ends=d["toll"]["clause_end"]),
            "toll.clause_ends",
        ),
        ("sentences.toml", SentencesFile, lambda d: d["toll"].pop("women"), "toll.women"),
        (
            "sentences.toml",
            SentencesFile,
            lambda d: d["civilians"].update(total=[]),
            "civilians.total",
        ),
        (
            "sentences.toml",
            SentencesFile,
            lambda d: d["about"]["lead_in"].update(example=["x"]),
            "about.lead_in.example",
        ),
        (
            "sentences.toml",
            SentencesFile,
            lambda d: d["personnel"]["total"][0].update(
                examples=["documented the killing of two doctors"]
            ),
            "personnel.total[0]",
        ),
        ("clean.toml", CleanFile, lambda d: d.update(bullets=d["bullet"]), "bullets"),
        ("clean.toml", CleanFile, lambda d: d["caption"].pop("pattern"), "caption.pattern"),
        ("numbers.toml", NumbersFile, lambda d: d["units"].update(twenty=20), "units.twenty"),
        ("numbers.toml", NumbersFile, lambda d: d["tens"].update(thirty="30"), "tens.thirty"),
        (
            "governorates.toml",
            GovernoratesFile,
            lambda d: d["governorates"].update(Homs=[]),
            "governorates.Homs",
        ),
        (
            "governorates.toml",
            GovernoratesFile,
            lambda d: d["governorates"]["Hama"].append("Homs"),
            "Homs",
        ),
    ],
)
def test_a_malformed_file_is_refused_naming_file_and_key(
    name: str, model: Any, edit: Any, named: str
) -> None:
    data = _load(name)
    edit(data)
    with pytest.raises(PatternFileError) as refused:
        load(model, name, data)
    message = str(refused.value)
    assert message.startswith(f"patterns/{name}: ")
    assert named in message


def test_a_file_that_does_not_fit_is_refused() -> None:
    bad = _load("eras/2014.toml")
    bad["figures"][0]["target"] = "civilian"  # a typo of a target
    with pytest.raises(ValueError, match="target"):
        EraFile.model_validate(bad)
    with pytest.raises(ValueError, match="since"):
        EraFile.model_validate({**_load("eras/2014.toml"), "since": "2014-13"})
    with pytest.raises(ValueError, match="from"):
        validate_parties({"isis": {"group": "main", "aliases": [{"alias": "X", "from": "2014"}]}})


def test_dated_aliases_of_one_label_do_not_overlap() -> None:
    """A label with several dated meanings must have disjoint periods (no month in which
    "government forces" is both the regime and the new government)."""
    spans: dict[str, list[tuple[str, str, str]]] = {}
    for party, spec in validate_parties(_load("parties.toml")).items():
        for alias in spec.aliases:
            if isinstance(alias, str):
                continue
            spans.setdefault(alias.alias.lower(), []).append(
                (alias.since or "0000-00", alias.until or "9999-99", party)
            )
    for label, ranges in spans.items():
        ranges.sort()
        for (_, end, a), (start, _, b) in itertools.pairwise(ranges):
            assert end < start, f"{label!r}: {a} and {b} overlap"
