"""Every pattern in patterns/ that carries `examples` or `rejects` is tested here, one
table: an example must match (capturing the groups it lists), a reject must not.
Blocks are matched whole, as the era reader does; titles from the start; the rest
anywhere in the sentence. Every era pattern must carry at least one example."""

from __future__ import annotations

import itertools
import tomllib
from typing import Any

import pytest
import regex

from extractor.language.patterns import compile_one, patterns_dir
from extractor.language.schema import (
    AggregatesFile,
    BlockSpec,
    EraFile,
    ErasCommon,
    Example,
    HeadingsFile,
    PatternSpec,
    validate_parties,
)


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads((patterns_dir() / name).read_text(encoding="utf-8"))


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
    for name, spec, mode in named:
        for example in spec.examples:
            ex = example if isinstance(example, Example) else Example(text=example)
            table.append(pytest.param(spec, mode, ex, True, id=f"{name} matches {ex.text[:40]!r}"))
        for text in spec.rejects:
            table.append(
                pytest.param(
                    spec, mode, Example(text=text), False, id=f"{name} rejects {text[:40]!r}"
                )
            )
    return table


SPECS = _specs()


@pytest.mark.parametrize(("spec", "mode", "example", "should_match"), SPECS)
def test_pattern_example(
    spec: PatternSpec, mode: str, example: Example, should_match: bool
) -> None:
    text = example.text.strip()
    if mode == "numbered":  # case-sensitive, as patterns.headings() compiles it
        found = regex.compile(spec.pattern).fullmatch(text)
    elif mode == "heading":  # a title matches whole, less a trailing colon (text/segment.py)
        found = compile_one(spec.pattern).fullmatch(text.rstrip(":").strip())
    else:
        found = getattr(compile_one(spec.pattern), mode)(text)
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


def test_every_pattern_file_fits_its_schema() -> None:
    validate_parties(_load("parties.toml"))
    AggregatesFile.model_validate(_load("aggregates.toml"))
    ErasCommon.model_validate(_load("eras/common.toml"))


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
