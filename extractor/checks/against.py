"""A report against SNHR's web announcement of it: every figure both state must agree.

`snhr check REPORT --against ANNOUNCEMENT` prints these checks. The announcement's figures
are the ones compared (it states fewer); each check quotes both sentences with their
pages. The announcement's title figures are compared by its own `title_agrees` checks.
"""

from __future__ import annotations

from ..figure_paths import figure_paths, value_at
from ..models import Check, Evidence, Record

# Paths that are not figures of the month (or are the announcement's own cross-checks).
_SKIP = ("report.", "title_figures.", "summary.", "restated.", "governorates.")
_SKIP_EXACT = {"torture.counted_in_civilians"}


def _quote(evidence: Evidence | None) -> str:
    if evidence is None:
        return "no sentence"
    where = f"page {evidence.page}" if evidence.page is not None else "text"
    return f"{where}: {evidence.quote!r}"


def compare_records(report: Record, announcement: Record) -> list[Check]:
    """One check per figure the announcement states: pass when the report's record has
    the same value at the same path, fail otherwise (quoting both sides)."""
    checks: list[Check] = []
    if (report.report.year, report.report.month) != (
        announcement.report.year,
        announcement.report.month,
    ):
        checks.append(
            Check(
                rule="against.period",
                status="fail",
                expected=None,
                found=None,
                message=f"the report covers {report.report.period}, "
                f"the announcement {announcement.report.period}",
                paths=["report.period"],
            )
        )
        return checks
    for path in figure_paths(announcement):
        if path.startswith(_SKIP) or path in _SKIP_EXACT or ".incidents." in path:
            continue
        said = value_at(announcement, path)
        stated = value_at(report, path)
        if not isinstance(said, int) or isinstance(said, bool):
            continue
        number = stated if isinstance(stated, int) and not isinstance(stated, bool) else None
        ok = number == said
        theirs = _quote(announcement.evidence.get(path))
        ours = _quote(report.evidence.get(path))
        if ok:
            message = f"{path}: report and announcement both give {said}"
        elif number is None:
            message = (
                f"{path}: the announcement gives {said} ({theirs}); the report's record has "
                "no figure at this path (the report may not state it, or states it for a "
                "differently named party)"
            )
        else:
            message = (
                f"{path}: the report gives {number} ({ours}), the announcement {said} ({theirs})"
            )
        checks.append(
            Check(
                rule=f"against.{path}",
                status="pass" if ok else "fail",
                expected=number,
                found=said,
                message=message,
                paths=[path],
            )
        )
    return checks
