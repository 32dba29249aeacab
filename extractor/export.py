"""Exports for analysis: a tidy month x party time series with explicit gaps, and a plot."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlite_utils import Database

from .errors import OutputRefused
from .safe_write import atomic_write, check_output
from .store import open_readonly

ALL = "all"  # the `party` value of a month's total row


@dataclass(frozen=True)
class Row:
    period: str
    party: str
    group: str | None
    total: int | None
    children: int | None
    women: int | None
    status: str  # "reported", or "missing" for a month absent from the archive


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def timeseries(db: Database) -> list[Row]:
    """One row per month and party (plus an `all` row per month); months missing from the
    archive between the first and the last appear as `status: missing` with null figures."""
    totals = {
        r[0]: r
        for r in db.conn.execute("SELECT period, total, children, women FROM monthly_civilians")
    }
    parties: dict[str, list[tuple[str, str | None, int | None, int | None, int | None]]] = {}
    for period, party, group, total, children, women in db.conn.execute(
        'SELECT period, party, "group", total, children, women FROM monthly_by_party'
    ):
        parties.setdefault(period, []).append((party, group, total, children, women))
    if not totals:
        return []
    rows: list[Row] = []
    for period in _months(min(totals), max(totals)):
        if period not in totals:
            rows.append(Row(period, ALL, None, None, None, None, "missing"))
            continue
        _, total, children, women = totals[period]
        rows.append(Row(period, ALL, None, total, children, women, "reported"))
        rows += [
            Row(period, p, g, t, c, w, "reported") for p, g, t, c, w in parties.get(period, [])
        ]
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


def plot(db_path: Path, out: Path) -> Path:
    """A PNG of monthly civilian deaths, stacked by party; missing months are marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    check_output(out, archive=db_path)
    db = open_readonly(db_path)
    try:
        rows = timeseries(db)
    finally:
        db.close()
    periods = sorted({r.period for r in rows})
    parties = sorted({r.party for r in rows if r.party != ALL and r.group == "main"})
    fig, ax = plt.subplots(figsize=(min(14, max(6, len(periods) * 0.3)), 4.5), dpi=120)
    bottom = [0] * len(periods)
    for party in [*parties, "other_parties"]:
        values = []
        for period in periods:
            match = [r for r in rows if r.period == period and r.party == party]
            values.append(match[0].total or 0 if match else 0)
        ax.bar(periods, values, bottom=bottom, label=party.replace("_", " "))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    missing = [
        i
        for i, p in enumerate(periods)
        if any(r.period == p and r.status == "missing" for r in rows)
    ]
    if missing:
        ax.scatter(
            missing,
            [0] * len(missing),
            marker="x",
            color="grey",
            s=12,
            label="no report in the archive",
            zorder=3,
        )
    ax.set_ylabel("civilians killed")
    ax.set_title("Civilian deaths documented by SNHR, by perpetrator")
    ax.legend(fontsize=7, ncol=2)
    ax.tick_params(axis="x", rotation=90, labelsize=7)
    fig.tight_layout()
    try:
        with atomic_write(out) as tmp:
            fig.savefig(tmp, format="png")
    finally:
        plt.close(fig)
    return out
