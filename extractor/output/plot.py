"""`snhr plot`: the monthly series as a picture, marking what a reader must not miss: months
counted as people rather than civilians, disputed months, changes of definition, gaps."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..archive.export import ALL, Row, timeseries
from ..archive.safe_write import atomic_write, check_output
from ..archive.store import open_readonly

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def definition_changes(rows: list[Row]) -> list[str]:
    """Months whose headline measure differs from the previous reported month's (people,
    fighters included, against civilians): the series' definition changes there."""
    changes: list[str] = []
    previous: str | None = None
    for r in rows:
        if r.party != ALL or r.measure is None:
            continue
        if previous is not None and r.measure != previous:
            changes.append(r.period)
        previous = r.measure
    return changes


def plot(db_path: Path, out: Path) -> Path:
    """A PNG of monthly deaths, stacked by party. Months counted as people (fighters
    included) are hatched, months whose figures are disputed get a red triangle above the
    bar, a dashed line marks each change of definition, and missing months a grey cross."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    check_output(out, archive=db_path)
    db = open_readonly(db_path)
    try:
        rows = timeseries(db)
    finally:
        db.close()
    fig = figure(rows)
    try:
        with atomic_write(out) as tmp:
            fig.savefig(tmp, format="png")
    finally:
        plt.close(fig)
    return out


def figure(rows: list[Row]) -> Figure:
    """The plot's matplotlib figure (the caller closes it). Markers carry a `gid`
    (`disputed`, `definition-change`, `missing`) so that tools and tests can find them."""
    import matplotlib.pyplot as plt

    periods = sorted({r.period for r in rows})
    totals = {r.period: r for r in rows if r.party == ALL}
    parties = sorted({r.party for r in rows if r.party != ALL and r.group == "main"})
    fig, ax = plt.subplots(figsize=(min(14, max(6, len(periods) * 0.3)), 4.5), dpi=120)
    bottom = [0] * len(periods)
    # tab20: one distinct colour for each of up to twenty series (the default cycle has ten,
    # and the series has more perpetrators than that).
    palette = plt.get_cmap("tab20").colors
    for n, party in enumerate([*parties, "other_parties"]):
        values = []
        for period in periods:
            match = [r for r in rows if r.period == period and r.party == party]
            values.append(match[0].total or 0 if match else 0)
        if any(values):
            ax.bar(
                periods,
                values,
                bottom=bottom,
                label=party.replace("_", " "),
                color=palette[n % len(palette)],
            )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    # The part of a month's total that no party accounts for (all of it where the report
    # gives no split): drawn apart, never spread over the parties. People are hatched.
    for measure, hatch, label in (
        ("civilians", None, "civilians, no split by party"),
        ("people", "//", "people (fighters included), no split by party"),
    ):
        rest = [
            max(0, (totals[p].total or 0) - b)
            if p in totals and totals[p].measure == measure
            else 0
            for p, b in zip(periods, bottom, strict=True)
        ]
        if any(rest):
            ax.bar(
                periods,
                rest,
                bottom=bottom,
                color="lightgrey",
                edgecolor="dimgrey",
                hatch=hatch,
                label=label,
                gid=f"unsplit-{measure}",
            )
            bottom = [b + v for b, v in zip(bottom, rest, strict=True)]
    top = max([*bottom, 1])
    missing = [i for i, p in enumerate(periods) if p in totals and totals[p].status == "missing"]
    if missing:
        ax.scatter(
            missing,
            [0] * len(missing),
            marker="x",
            color="grey",
            s=12,
            label="no report in the archive",
            zorder=3,
            gid="missing",
        )
    disputed = [i for i, p in enumerate(periods) if any(r.period == p and r.disputed for r in rows)]
    if disputed:
        ax.scatter(
            disputed,
            [bottom[i] + top * 0.03 for i in disputed],
            marker="v",
            color="red",
            s=24,
            label="figures disputed (a failing check)",
            zorder=4,
            gid="disputed",
        )
    for n, period in enumerate(definition_changes(rows)):
        ax.axvline(
            periods.index(period) - 0.5,
            color="black",
            linestyle="--",
            linewidth=0.8,
            label="definition changes (people / civilians)" if n == 0 else None,
            gid="definition-change",
        )
    ax.set_ylabel("deaths (civilians, or people where hatched)")
    ax.set_title("Deaths documented by SNHR, by perpetrator")
    ax.legend(fontsize=7, ncol=2)
    ax.tick_params(axis="x", rotation=90, labelsize=7)
    fig.tight_layout()
    return fig  # type: ignore[no-any-return]
