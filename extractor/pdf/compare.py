"""`--engine both`: run every registered PDF engine on one file and report every figure on
which an engine disagrees with the default one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..api import extract
from ..models import Check, Record
from ..settings import DEFAULT_SETTINGS, Settings
from .engines import DEFAULT_ENGINE, engine_names

# What is allowed to differ between two readings of the same report.
_VOLATILE = {"evidence", "checks"}


def figures(record: Record) -> dict[str, Any]:
    """The record without its provenance: what two editions or engines must agree on."""
    data = record.model_dump(mode="json", exclude=_VOLATILE)
    data["report"].pop("source", None)
    return data


def differences(a: Any, b: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from differences(a.get(key), b.get(key), f"{path}.{key}" if path else key)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from differences(x, y, f"{path}[{i}]")
    elif a != b:
        yield path, a, b


def extract_both(
    path: Path | str, *, password: str | None = None, settings: Settings = DEFAULT_SETTINGS
) -> Record:
    """The default engine's record, with a failing `engines_agree` check for every figure
    another registered engine reads differently (and one passing check when all agree)."""
    names = engine_names()
    main = extract(path, engine=DEFAULT_ENGINE, password=password, settings=settings)
    reference = figures(main)
    disagreements = 0
    for other in names:
        if other == DEFAULT_ENGINE:
            continue
        second = extract(path, engine=other, password=password, settings=settings)
        for where, a, b in differences(reference, figures(second)):
            disagreements += 1
            main.checks.append(
                Check(
                    rule="engines_agree",
                    status="fail",
                    expected=a if isinstance(a, int) else None,
                    found=b if isinstance(b, int) else None,
                    message=(
                        f"{where}: {DEFAULT_ENGINE} reads {_short(a)}, {other} reads {_short(b)}"
                    ),
                    paths=[where],
                )
            )
    if not disagreements:
        main.checks.append(
            Check(
                rule="engines_agree",
                status="pass",
                expected=None,
                found=None,
                message=f"{_and(names)} read every figure alike",
                paths=[],
            )
        )
    main.report.source.engine = "+".join(names)
    return main


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."
