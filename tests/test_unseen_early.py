"""Reports of 2012-2015 the reader has never seen (tests/data/unseen/early/, written in
each era's style, independently of the samples), against figures typed by hand in
<stem>.key.toml: every keyed figure read with evidence quoting its sentence, every figure
the key calls unread null with its failing check, and no other figure non-null (a figure
from another month, the year to date or one governorate must not slip in)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from extractor.api import extract
from extractor.models import Record

from .conftest import ROOT
from .keys import json_at, load_key

DATA = ROOT / "tests" / "data" / "unseen" / "early"
KEYS = sorted(DATA.glob("*.key.toml"))
# Parts of the record that are not figures.
NOT_FIGURES = {"schema_version", "extractor_version", "report", "checks", "evidence"}


@cache
def _record(name: str) -> Record:
    return extract(DATA / name)


def _figures(node: Any, prefix: str = "") -> dict[str, int]:
    """Every non-null number in the record, by dotted path (parties by id)."""
    out: dict[str, int] = {}
    if isinstance(node, dict):
        for name, value in node.items():
            if not prefix and name in NOT_FIGURES:
                continue
            out.update(_figures(value, f"{prefix}{name}."))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            token = item.get("party") or item.get("id") if isinstance(item, dict) else None
            out.update(_figures(item, f"{prefix}{token or index}."))
    elif isinstance(node, int) and not isinstance(node, bool):
        out[prefix.rstrip(".")] = node
    return out


def test_there_are_unseen_reports_of_each_era() -> None:
    years = {load_key(k)["file"][:4] for k in KEYS}
    assert {"2012", "2013", "2014", "2015"} <= years
    assert len(KEYS) == 9


@pytest.mark.parametrize("key", KEYS, ids=[k.name.removesuffix(".key.toml") for k in KEYS])
def test_unseen_report(key: Path) -> None:
    spec = load_key(key)
    record = _record(spec["file"])
    data = record.model_dump(mode="json")
    assert record.report.era == spec["file"][:4] or record.report.era == "2012-2013"
    problems = []
    for figure in spec["figure"]:
        value = json_at(data, figure["path"])
        if value != figure["value"]:
            problems.append(f"{figure['path']}: typed {figure['value']}, read {value}")
            continue
        evidence = record.evidence.get(figure["path"])
        if evidence is None:
            problems.append(f"{figure['path']}: no evidence")
        elif "quote" in figure and figure["quote"] not in evidence.quote:
            problems.append(f"{figure['path']}: evidence {evidence.quote!r}")
    failing = {c.rule for c in record.checks if c.status == "fail"}
    for unread in spec.get("unread", []):
        if json_at(data, unread["path"]) is not None:
            problems.append(
                f"{unread['path']}: should be unread, read {json_at(data, unread['path'])}"
            )
        if unread["check"] not in failing:
            problems.append(f"{unread['path']}: no failing {unread['check']}")
    keyed = {f["path"] for f in spec["figure"]}
    for path, value in _figures(data).items():
        if path not in keyed:
            problems.append(f"{path}: {value} read, not in the key")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("key", KEYS, ids=[k.name.removesuffix(".key.toml") for k in KEYS])
def test_no_check_blames_the_report(key: Path) -> None:
    """These reports are consistent: the only failing checks are the key's unread ones."""
    spec = load_key(key)
    record = _record(spec["file"])
    allowed = {u["check"] for u in spec.get("unread", [])}
    blamed = [f"{c.rule}: {c.message}" for c in record.checks if c.status == "fail"]
    assert [b for b in blamed if b.split(":")[0] not in allowed] == []
