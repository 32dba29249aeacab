"""Run both PDF engines on one file and report every figure on which they disagree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .api import extract
from .models import Check, Record
from .settings import DEFAULT_SETTINGS, Settings

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
    """The pymupdf record, with a failing `engines_agree` check for every figure pdfplumber
    reads differently (and a passing one when they agree throughout)."""
    main = extract(path, engine="pymupdf", password=password, settings=settings)
    second = extract(path, engine="pdfplumber", password=password, settings=settings)
    diffs = list(differences(figures(main), figures(second)))
    for where, a, b in diffs:
        main.checks.append(
            Check(
                rule="engines_agree",
                status="fail",
                expected=a if isinstance(a, int) else None,
                found=b if isinstance(b, int) else None,
                message=f"{where}: pymupdf reads {_short(a)}, pdfplumber reads {_short(b)}",
                paths=[where],
            )
        )
    if not diffs:
        main.checks.append(
            Check(
                rule="engines_agree",
                status="pass",
                expected=None,
                found=None,
                message="pymupdf and pdfplumber read every figure alike",
                paths=[],
            )
        )
    main.report.source.engine = "pymupdf+pdfplumber"
    return main


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."
