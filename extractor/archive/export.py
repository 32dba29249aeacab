"""Exports for analysis: a tidy month x party time series with explicit gaps, and a plot.

Each row says what its number is (issue 10): `measure` (`civilians`, or `people` where the
report counts everyone killed, fighters included, and states no civilian toll: 2012-2015),
`source` (`report`, or `announcement` where the archive holds only SNHR's web announcement
of that month) and `disputed` (a failing check of that record, or the report disagreeing
with its announcement, touches the row's figures; `disputed_by` names the rules).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from ..checks.against import compare_records
from ..errors import OutputRefused
from ..models import Record, period_of
from .db import Database
from .safe_write import atomic_write, check_output
from .store import open_readonly

ALL = "all"  # the `party` value of a month's total row
FIGURES = ("total", "children", "women")


@dataclass(frozen=True)
class Row:
    period: str
    party: str
    group: str | None
    total: int | None
    children: int | None
    women: int | None
    status: str  # "reported", or "missing" for a month absent from the archive
    measure: str | None = None  # "civilians" or "people"; null where nothing was read
    source: str | None = None  # "report" or "announcement"
    disputed: bool | None = None  # null for a missing month
    disputed_by: str | None = None  # the failing rules, ";"-separated


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    out = []
    while (year, month) <= end:
        out.append(period_of(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _failures(db: Database, report_ids: Iterable[int]) -> dict[int, list[tuple[str, set[str]]]]:
    """Each report's failing checks as (rule, paths), and for a report whose month also has
    a current announcement, the figures where the two disagree (`against.*`)."""
    out: dict[int, list[tuple[str, set[str]]]] = {}
    ids = list(report_ids)
    for report_id, rule, paths in db.conn.execute(
        "SELECT report_id, rule, paths FROM checks WHERE status = 'fail' AND report_id IN "
        f"({','.join('?' * len(ids))})",
        ids,
    ):
        out.setdefault(int(report_id), []).append((str(rule), set(json.loads(paths or "[]"))))
    current: dict[str, dict[str, tuple[int, str]]] = {}
    for report_id, period, kind, record_json in db.conn.execute(
        "SELECT id, period, kind, record_json FROM reports WHERE superseded_by IS NULL"
    ):
        side = "announcement" if kind == "press_release" else "report"
        current.setdefault(str(period), {})[side] = (int(report_id), str(record_json))
    for sides in current.values():
        if len(sides) < 2:
            continue
        (report_id, report_json) = sides["report"]
        (announcement_id, announcement_json) = sides["announcement"]
        if report_id not in ids and announcement_id not in ids:
            continue
        report = Record.model_validate_json(report_json)
        announcement = Record.model_validate_json(announcement_json)
        for c in compare_records(report, announcement):
            if c.status == "fail":
                for rid in (report_id, announcement_id):
                    out.setdefault(rid, []).append((c.rule, set(c.paths)))
    return out


def _disputed(failures: list[tuple[str, set[str]]], prefix: str) -> tuple[bool, str | None]:
    paths = {f"{prefix}.{f}" for f in FIGURES}
    rules = sorted({rule for rule, touched in failures if touched & paths})
    return bool(rules), ";".join(rules) or None


def timeseries(db: Database) -> list[Row]:
    """One row per month and party (plus an `all` row per month); months missing from the
    archive between the first and the last appear as `status: missing` with null figures."""
    months = {
        r[0]: r
        for r in db.conn.execute(
            "SELECT period, total, children, women, measure, source, report_id FROM monthly_series"
        )
    }
    parties: dict[str, list[tuple[str, str | None, int | None, int | None, int | None]]] = {}
    for period, party, group, total, children, women in db.conn.execute(
        'SELECT period, party, "group", total, children, women FROM monthly_by_party'
    ):
        parties.setdefault(period, []).append((party, group, total, children, women))
    if not months:
        return []
    failures = _failures(db, (m[6] for m in months.values()))
    rows: list[Row] = []
    for period in _months(min(months), max(months)):
        if period not in months:
            rows.append(Row(period, ALL, None, None, None, None, "missing"))
            continue
        _, total, children, women, measure, source, report_id = months[period]
        failed = failures.get(report_id, [])
        # A month whose headline figure could not be read is judged on the civilian toll,
        # the figure every era's checks name when nothing was read.
        disputed, by = _disputed(failed, measure or "civilians")
        rows.append(
            Row(
                period, ALL, None, total, children, women, "reported", measure, source, disputed, by
            )
        )
        for p, g, t, c, w in parties.get(period, []):
            prefix = "other_parties" if p == "other_parties" else f"parties.{p}"
            disputed, by = _disputed(failed, prefix)
            # A party's figure is its civilian toll in every era (fighters are `combatants`).
            rows.append(Row(period, p, g, t, c, w, "reported", "civilians", source, disputed, by))
    return rows


def write_timeseries(db_path: Path, fmt: str, out: Path | None) -> str | None:
    """Write the series as csv, json or parquet to `out` (or return csv/json text).

    The archive is opened read-only; `out` may not be the archive (or its -wal/-shm) and is
    written through a temporary file renamed into place, so a failed export leaves the old
    file whole."""
    if out is not None:
        check_output(out, archive=db_path)
    elif fmt == "parquet":
        raise OutputRefused("parquet", "needs an output file", "Use -o FILE.")
    db = open_readonly(db_path)
    try:
        rows = timeseries(db)
    finally:
        db.close()
    if fmt == "parquet":
        assert out is not None
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as exc:  # pragma: no cover - pyarrow is a declared dependency
            raise RuntimeError("parquet export needs pyarrow: pip install pyarrow") from exc
        with atomic_write(out) as tmp:
            pq.write_table(pa.Table.from_pylist([asdict(r) for r in rows]), tmp)
        return None
    if fmt == "json":
        text = json.dumps([asdict(r) for r in rows], indent=2)
    else:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(Row.__dataclass_fields__))
        writer.writeheader()
        writer.writerows(asdict(r) for r in rows)
        text = buf.getvalue()
    if out is None:
        return text
    with atomic_write(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return None
