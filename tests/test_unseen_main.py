"""Months of the 2020-2024 sectioned layout the reader was not built on, written
independently of the corpus samples (tests/data/unseen/main/, see each key file's header):
every figure typed in the key is read, no other figure is read, and nothing fails, since
each of these reports adds up."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from extractor import extract
from extractor.figure_paths import figure_paths, value_at

DATA = Path(__file__).parent / "data" / "unseen" / "main"
KEYS = sorted(DATA.glob("*.key.toml"))
# Paths every record carries that are not figures of the report's text.
ALWAYS = {"report.period", "report.published", "report.title"}


def _key(path: Path) -> tuple[dict[str, object], set[str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    figures = {f["path"]: f["value"] for f in data["figure"]}
    return figures, set(data.get("allowed_unkeyed", []))


@pytest.fixture(scope="module", params=KEYS, ids=[k.name.removesuffix(".key.toml") for k in KEYS])
def case(request: pytest.FixtureRequest) -> tuple[object, dict[str, object], set[str]]:
    key: Path = request.param
    record = extract(DATA / key.name.replace(".key.toml", ".txt"), sandbox=False)
    figures, allowed = _key(key)
    return record, figures, allowed


def test_there_are_four_unseen_months() -> None:
    assert [k.name for k in KEYS] == [
        "2021-09.key.toml",
        "2022-05.key.toml",
        "2022-12.key.toml",
        "2024-03.key.toml",
    ]


def test_every_keyed_figure_is_read(case: tuple[object, dict[str, object], set[str]]) -> None:
    record, figures, _ = case
    wrong = {p: (value_at(record, p), v) for p, v in figures.items() if value_at(record, p) != v}  # type: ignore[arg-type]
    assert not wrong, f"path: (read, keyed) {wrong}"


def test_no_figure_outside_the_key(case: tuple[object, dict[str, object], set[str]]) -> None:
    record, figures, allowed = case
    extra = [p for p in figure_paths(record) if p not in figures and p not in allowed | ALWAYS]  # type: ignore[arg-type]
    assert not extra


def test_each_party_quotes_its_own_sentence(
    case: tuple[object, dict[str, object], set[str]],
) -> None:
    """Two parties of one list never share a quote: an item printed on its own line without
    a bullet keeps its own sentence, not the list's first item's."""
    record, figures, _ = case
    seen: dict[tuple[str, str], str] = {}
    for path in figures:
        head, sep, rest = path.partition("parties.")
        if not sep or not rest.endswith(".total"):
            continue
        quote = record.evidence[path].quote  # type: ignore[attr-defined]
        assert quote, path
        party = rest.removesuffix(".total")
        other = seen.setdefault((head, quote), party)
        assert other == party, (path, other, quote)


def test_no_check_fails(case: tuple[object, dict[str, object], set[str]]) -> None:
    record, _, _ = case
    failing = [(c.rule, c.message) for c in record.checks if c.status != "pass"]  # type: ignore[attr-defined]
    assert not failing
