"""Rules across reports, run over the archive: year-to-date chains, December's annual
figures against the year's months, months published twice, the series' range, and each
month's report against SNHR's web announcement of it (issue 10)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from ..archive.db import Database
from ..models import Check, Record, period_of
from .against import compare_records
from .rules import (
    SERIES_ANNUAL,
    SERIES_CIVILIANS_YTD,
    SERIES_MASSACRES_YTD,
    SERIES_RANGE,
    SERIES_REPUBLISHED,
    SERIES_TORTURE_YTD,
    Rule,
)

# A month more than this many times the series' median is flagged for a human to confirm.
RANGE_FACTOR = 8


@dataclass(frozen=True)
class Stored:
    report_id: int
    period: str
    record: Record
    current: bool

    @property
    def announcement(self) -> bool:
        """SNHR's web announcement of the month's report (kind `press_release`)."""
        return self.record.report.kind == "press_release"

    @property
    def source(self) -> str:
        """`report` or `announcement`, as the series' `source` column says."""
        return "announcement" if self.announcement else "report"


def series_pick(stored: list[Stored]) -> list[Stored]:
    """The record each month's series figure comes from: the current report, or the current
    announcement where the archive holds no report of that month (store.SERIES_VIEW makes
    the same choice, also passing over a report that states no headline figure)."""
    picked: dict[str, Stored] = {}
    for s in stored:
        if not s.current:
            continue
        held = picked.get(s.period)
        if held is None or (held.announcement and not s.announcement):
            picked[s.period] = s
    return [picked[p] for p in sorted(picked)]


def against_checks(stored: list[Stored]) -> list[tuple[str, Check]]:
    """Each month holding both a current report and a current announcement: every figure
    the announcement states against the report (compare.compare_records, rules
    `against.*`); a difference fails and its message quotes both sentences."""
    reports = {s.period: s for s in stored if s.current and not s.announcement}
    checks: list[tuple[str, Check]] = []
    for s in stored:
        if not (s.current and s.announcement) or s.period not in reports:
            continue
        report = reports[s.period]
        for c in compare_records(report.record, s.record):
            message = (
                f"{s.period} report {report.report_id} against announcement {s.report_id}: "
                f"{c.message}"
            )
            checks.append((s.period, c.model_copy(update={"message": message})))
    return checks


def load_records(db: Database) -> list[Stored]:
    rows = db.conn.execute(
        "SELECT id, period, record_json, superseded_by IS NULL FROM reports ORDER BY period, id"
    ).fetchall()
    return [Stored(int(i), str(p), Record.model_validate_json(j), bool(c)) for i, p, j, c in rows]


def _label(s: Stored) -> str:
    return f"{s.period} (report {s.report_id}, {s.record.report.source.file})"


def _ytd_rule(
    rule: Rule,
    month_value: Callable[[Record], int | None],
    ytd_value: Callable[[Record], int | None],
    path: str,
    ytd_path: str,
    current: list[Stored],
) -> list[tuple[str, Check]]:
    by_period = {s.period: s for s in current}
    checks: list[tuple[str, Check]] = []
    for s in current:
        r = s.record.report
        ytd, this_month = ytd_value(s.record), month_value(s.record)
        if ytd is None or this_month is None:
            continue
        # A sum like the others: `expected` is the year-to-date the report states, `found`
        # what the previous month's year-to-date and this month add up to.
        if r.month == 1:
            found: int | None = this_month
            basis = "January's own figure"
        else:
            prev = by_period.get(period_of(r.year, r.month - 1))
            prev_ytd = ytd_value(prev.record) if prev is not None else None
            if prev is None or prev_ytd is None:
                continue
            found = prev_ytd + this_month
            basis = f"the previous month's {prev_ytd:,} (report {prev.report_id}) + {this_month:,}"
        ok = found == ytd
        checks.append(
            (
                s.period,
                Check(
                    rule=rule.qualify(),
                    status="pass" if ok else "fail",
                    expected=ytd,
                    found=found,
                    message=f"{_label(s)}: the report states a year-to-date of {ytd:,}; "
                    f"{basis} = {found:,}",
                    paths=[ytd_path, path],
                ),
            )
        )
    return checks


def _annual_rule(current: list[Stored]) -> list[tuple[str, Check]]:
    checks: list[tuple[str, Check]] = []
    for s in current:
        annual = s.record.annual
        if annual is None or annual.civilians is None or annual.civilians.total is None:
            continue
        months = [
            m
            for m in current
            if m.record.report.year == annual.year
            and m.record.civilians is not None
            and m.record.civilians.total is not None
        ]
        if len({m.record.report.month for m in months}) < 12:
            continue  # the archive lacks some of the year's months: nothing to compare
        found = sum(m.record.civilians.total or 0 for m in months if m.record.civilians)
        ok = found == annual.civilians.total
        checks.append(
            (
                s.period,
                Check(
                    rule=SERIES_ANNUAL.qualify(),
                    status="pass" if ok else "fail",
                    expected=annual.civilians.total,
                    found=found,
                    message=f"{_label(s)}: the {annual.year} annual toll is "
                    f"{annual.civilians.total:,}; the year's twelve monthly reports add up to "
                    f"{found:,}",
                    paths=["annual.civilians.total"],
                ),
            )
        )
    return checks


def _republished_rule(stored: list[Stored]) -> list[tuple[str, Check]]:
    checks: list[tuple[str, Check]] = []
    by_period: dict[str, list[Stored]] = {}
    for s in stored:
        # Within a kind: an announcement restating its report is compared by `against.*`.
        by_period.setdefault(f"{s.period} {s.source}", []).append(s)
    for key, versions in sorted(by_period.items()):
        period = key.split(" ")[0]
        totals = {
            s.report_id: (s.record.civilians.total if s.record.civilians else None)
            for s in versions
        }
        if len(set(totals.values())) <= 1:
            continue
        listed = ", ".join(f"report {i}: {t}" for i, t in totals.items())
        checks.append(
            (
                period,
                Check(
                    rule=SERIES_REPUBLISHED.qualify(),
                    status="fail",
                    expected=None,
                    found=None,
                    message=f"{period} was published more than once with different civilian tolls "
                    f"({listed}); the current one is the latest publication",
                    paths=["civilians.total"],
                ),
            )
        )
    return checks


def _range_rule(current: list[Stored]) -> list[tuple[str, Check]]:
    totals = [
        s.record.civilians.total
        for s in current
        if s.record.civilians is not None and s.record.civilians.total is not None
    ]
    if len(totals) < 3:
        return []
    median = statistics.median(totals)
    checks: list[tuple[str, Check]] = []
    for s in current:
        total = s.record.civilians.total if s.record.civilians else None
        if total is None or median <= 0:
            continue
        ok = total <= RANGE_FACTOR * median
        checks.append(
            (
                s.period,
                Check(
                    rule=SERIES_RANGE.qualify(),
                    status="pass" if ok else "fail",
                    expected=int(RANGE_FACTOR * median),
                    found=total,
                    message=f"{_label(s)}: {total:,} civilians against a series median of "
                    f"{median:g}"
                    + ("" if ok else f"; more than {RANGE_FACTOR} times the median — confirm it"),
                    paths=["civilians.total"],
                ),
            )
        )
    return checks


def series_checks(stored: list[Stored]) -> list[Check]:
    return [check for _, check in series_checks_by_period(stored)]


def series_checks_by_period(stored: list[Stored]) -> list[tuple[str, Check]]:
    """Each rule's checks with the period (YYYY-MM) of the report they are about, so
    `snhr check --db --month` filters by period rather than by searching message text."""
    current = series_pick(stored)
    checks = _ytd_rule(
        SERIES_CIVILIANS_YTD,
        lambda r: r.civilians.total if r.civilians else None,
        lambda r: r.civilians_ytd,
        "civilians.total",
        "civilians_ytd",
        current,
    )
    checks += _ytd_rule(
        SERIES_TORTURE_YTD,
        lambda r: r.torture.total,
        lambda r: r.torture.ytd,
        "torture.total",
        "torture.ytd",
        current,
    )
    checks += _ytd_rule(
        SERIES_MASSACRES_YTD,
        lambda r: r.massacres.count,
        lambda r: r.massacres.ytd,
        "massacres.count",
        "massacres.ytd",
        current,
    )
    checks += _annual_rule(current)
    checks += _republished_rule(stored)
    checks += _range_rule(current)
    checks += against_checks(stored)
    return checks
