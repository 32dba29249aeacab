"""Issue 10 in the archive: a month holds its report and SNHR's web announcement side by
side; the series takes the report and falls back to the announcement, saying which, what
each number counts (civilians, or people with fighters) and whether a failing check
touches it. Real SQLite files, real corpus/ and corpus/eras/ samples copied into tmp.

Expected figures are typed from the samples' text (quoted in the comments)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from extractor.archive.export import timeseries
from extractor.archive.ingest import ingest
from extractor.archive.store import open_readonly
from extractor.cli import main
from extractor.output.plot import figure

from .conftest import CORPUS

LEGACY = Path(__file__).parent / "data" / "archive-positional-migrations.db"


def snhr(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """corpus/ with its era samples and announcements (text and PDF), ingested as a folder."""
    folder = tmp_path_factory.mktemp("series")
    shutil.copytree(CORPUS, folder / "corpus")
    db = folder / "snhr.db"
    result = ingest([folder / "corpus"], db, workers=2)
    assert result.count("failed") == 0, [e.error for e in result.events if e.error]
    return db


def test_a_month_keeps_its_report_and_its_announcement_each_superseded_within_its_kind(
    archive: Path,
) -> None:
    current = rows(
        archive,
        "SELECT kind, format FROM reports WHERE period = '2024-11' AND superseded_by IS NULL "
        "ORDER BY kind",
    )
    # The PDF (published form) over the text edition, within each kind.
    assert current == [("monthly", "pdf"), ("press_release", "pdf")]
    superseded = rows(
        archive,
        "SELECT r.kind, s.kind FROM reports r JOIN reports s ON s.id = r.superseded_by "
        "WHERE r.period = '2024-11'",
    )
    assert sorted(superseded) == [("monthly", "monthly"), ("press_release", "press_release")]


def test_the_series_takes_the_report_and_falls_back_to_the_announcement(archive: Path) -> None:
    series = {
        r[0]: r[1:]
        for r in rows(
            archive, "SELECT period, measure, total, children, women, source FROM monthly_series"
        )
    }
    # "3774 Syrian citizens lost their lives" (2013-02): everyone, fighters included.
    assert series["2013-02"][:2] == ("people", 3774)
    # "SNHR recorded 3397 people killed across Syria" (2014-04).
    assert series["2014-04"][:2] == ("people", 3397)
    # "the killing of 1402 civilians" (2016-11).
    assert series["2016-11"] == ("civilians", 1402, None, None, "report")
    # 2023-02: only the announcement: "the deaths of 81 civilians, among them four women
    # (adult female) and eight children".
    assert series["2023-02"] == ("civilians", 81, 8, 4, "announcement")
    # 2024-11: both; the report's "71 civilians, including 20 children and six women" (p. 8).
    assert series["2024-11"] == ("civilians", 71, 20, 6, "report")
    civilians = {r[0]: r[1] for r in rows(archive, "SELECT period, source FROM monthly_civilians")}
    assert "2013-02" not in civilians
    assert civilians["2023-02"] == "announcement"
    by_party = rows(
        archive,
        "SELECT party, total, source FROM monthly_by_party WHERE period = '2024-11' "
        "AND party = 'israeli_forces'",
    )
    assert by_party == [("israeli_forces", 9, "report")]


def test_export_says_what_each_number_is_in_csv_json_and_parquet(
    archive: Path, tmp_path: Path
) -> None:
    code, text, err = snhr("export", "timeseries", "--db", str(archive))
    assert code == 0, err
    lines = text.splitlines()
    assert lines[0].endswith(",status,measure,source,disputed,disputed_by")
    assert "2013-02,all,,3774,421,231,reported,people,report,False," in lines
    assert "2013-03,all,,,,,missing,,,," in lines  # a month missing is never a zero
    # The report says six women, its announcement three: both sides disputed.
    assert "2024-11,all,,71,20,6,reported,civilians,report,True,against.civilians.women" in lines
    assert "2023-02,all,,81,8,4,reported,civilians,announcement,False," in lines
    code, text, err = snhr("export", "timeseries", "--db", str(archive), "--format", "json")
    data = json.loads(text)
    regime = [r for r in data if r["period"] == "2024-11" and r["party"] == "syrian_regime"]
    assert regime == [
        {
            "period": "2024-11",
            "party": "syrian_regime",
            "group": "main",
            "total": 11,
            "children": regime[0]["children"],
            "women": regime[0]["women"],
            "status": "reported",
            "measure": "civilians",
            "source": "report",
            "disputed": False,
            "disputed_by": None,
        }
    ]
    # 2025-05: "the report states 20 but its parts add up to 19" touches the children.
    may = next(r for r in data if r["period"] == "2025-05" and r["party"] == "all")
    assert may["disputed"] is True
    assert "civilians_sum.children" in may["disputed_by"]
    missing = [r for r in data if r["status"] == "missing"]
    assert missing
    assert all(
        r["total"] is None and r["measure"] is None and r["disputed"] is None for r in missing
    )
    out = tmp_path / "series.parquet"
    assert (
        snhr("export", "timeseries", "--db", str(archive), "--format", "parquet", "-o", str(out))[0]
        == 0
    )
    assert pq.read_table(out).to_pylist() == data


def test_check_db_compares_report_and_announcement_quoting_both(archive: Path) -> None:
    code, out, _ = snhr("check", "--db", str(archive), "--month", "2024-11")
    assert code == 1
    failing = [line for line in out.splitlines() if line.startswith("2024-11 against.")]
    assert any(line.split()[1:3] == ["against.civilians.women", "fail"] for line in failing)
    assert any(line.split()[1:3] == ["against.civilians.total", "pass"] for line in failing)
    assert "six women" in out
    assert "three women" in out
    code, out, _ = snhr("check", "--db", str(archive), "--month", "2023-02", "--json")
    assert not [c for c in json.loads(out) if "against." in c["rule"]]  # no report to compare
    # Report and announcement of one month are not "published twice".
    code, out, _ = snhr("check", "--db", str(archive), "--json")
    assert not [c for c in json.loads(out) if c["rule"].startswith("series.republished")]


def test_plot_marks_disputed_months_and_definition_changes(archive: Path, tmp_path: Path) -> None:
    db = open_readonly(archive)
    try:
        series = timeseries(db)
    finally:
        db.close()
    fig = figure(series)
    try:
        ax = fig.axes[0]
        periods = [t.get_text() for t in ax.get_xticklabels()]
        (disputed,) = [
            c for c in ax.collections if isinstance(c, PathCollection) and c.get_gid() == "disputed"
        ]
        offsets = np.asarray(disputed.get_offsets())
        marked = {periods[int(x)] for x in offsets[:, 0]}
        assert {"2024-11", "2025-05", "2015-03"} <= marked
        assert "2016-11" not in marked
        assert "2023-02" not in marked
        changes = [
            line
            for line in ax.lines
            if isinstance(line, Line2D) and line.get_gid() == "definition-change"
        ]
        # people (2013-02, 2014-04) to civilians (2016-11); 2015-03 states neither.
        xs = [float(np.asarray(line.get_xdata())[0]) for line in changes]
        assert xs == [periods.index("2016-11") - 0.5]
        heights = {
            round(p.get_height())
            for p in ax.patches
            if isinstance(p, Rectangle) and p.get_gid() == "unsplit-people"
        }
        assert 3774 in heights  # 2013-02's people, hatched, no split by party
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
    png = tmp_path / "p.png"
    assert snhr("plot", "--db", str(archive), "-o", str(png))[0] == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_archive_of_the_previous_version_upgrades_and_takes_announcements(
    tmp_path: Path,
) -> None:
    db = tmp_path / "old.db"
    shutil.copy(LEGACY, db)  # holds 2023-12 (91 civilians), written before issue 10
    result = ingest(
        [
            CORPUS / "2024-11.txt",
            CORPUS / "eras" / "2024-11.press_release.txt",
            CORPUS / "eras" / "2023-02.press_release.txt",
        ],
        db,
        workers=1,
    )
    assert result.count("ingested") == 3
    names = [r[0] for r in rows(db, "SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == ["initial", "views", "fetch_state", "series_by_kind"]
    assert rows(db, "SELECT period, total, source FROM monthly_civilians") == [
        ("2023-02", 81, "announcement"),
        ("2023-12", 91, "report"),
        ("2024-11", 71, "report"),
    ]
    assert rows(db, "SELECT COUNT(*) FROM reports WHERE superseded_by IS NULL") == [(4,)]


def test_the_upgrade_undoes_an_announcement_superseding_its_report(tmp_path: Path) -> None:
    """The previous version kept one current row per month whatever its kind, so an
    announcement could have superseded its report; the migration recomputes per kind."""
    db = tmp_path / "prev.db"
    ingest([CORPUS / "2024-11.txt", CORPUS / "eras" / "2024-11.press_release.txt"], db, workers=1)
    conn = sqlite3.connect(db)
    try:  # the previous version's state: one current row, no series_by_kind
        (report,), (announcement,) = conn.execute("SELECT id FROM reports ORDER BY kind").fetchall()
        conn.execute("UPDATE reports SET superseded_by = ? WHERE id = ?", (announcement, report))
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'series_by_kind'")
        conn.execute("DROP VIEW monthly_series")
        conn.commit()
    finally:
        conn.close()
    assert snhr("export", "timeseries", "--db", str(db))[0] == 13  # refused until upgraded
    ingest([CORPUS / "2023-12.txt"], db, workers=1)  # any write upgrades
    assert rows(db, "SELECT id FROM reports WHERE superseded_by IS NOT NULL") == []
    assert rows(db, "SELECT period, source FROM monthly_civilians") == [
        ("2023-12", "report"),
        ("2024-11", "report"),
    ]
