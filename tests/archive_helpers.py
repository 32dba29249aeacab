"""Helpers for archive tests: copies of the corpus under distinct hashes, and a
consistency check that every report is wholly in the archive or wholly out."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from extractor.models import Record

from .conftest import CORPUS

CHILD_TABLES = ("tolls", "massacres", "incidents", "governorate_shares", "checks", "evidence")

# The toll categories that always have a headline row (party empty), its total empty
# where the report does not state it (metadata.json: tolls.total, tolls.party).
BREAKDOWNS = ("torture", "medical", "media", "civil_defense")

TollRow = tuple[str, str, str | None, int | None, int | None, int | None, int | None]
MassacreRow = tuple[str, str | None, int | None, int | None]


def corpus_copies(folder: Path, copies: int, suffixes: tuple[str, ...] = (".txt",)) -> list[Path]:
    """`copies` versions of each corpus file, made distinct by a trailing comment line
    (text) or bytes after %%EOF (PDF), so each has its own sha256 but the same content."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for source in sorted(p for p in CORPUS.iterdir() if p.suffix in suffixes):
        data = source.read_bytes()
        for n in range(copies):
            target = folder / f"{source.stem}-copy{n}{source.suffix}"
            tail = f"\n%copy {n}\n" if source.suffix == ".pdf" else f"\n\ncopy {n}\n"
            target.write_bytes(data + tail.encode())
            out.append(target)
    return out


# --- what the archive must hold for one record, counted from the record's JSON -----------
# Written from the archive's documented schema (README "What the archive holds",
# metadata.json), not with the store's own helpers: a test that asks the store what the
# store should have written cannot catch the store writing the wrong rows.


def _toll(
    scope: str,
    category: str,
    party: str | None,
    toll: dict[str, Any] | None,
    ytd: int | None = None,
) -> TollRow:
    toll = toll or {}
    return (scope, category, party, toll.get("total"), toll.get("children"), toll.get("women"), ytd)


def _split(
    scope: str, category: str, parties: list[dict[str, Any]], other: dict[str, Any] | None
) -> list[TollRow]:
    """One row per party listed (a party listed twice is two rows), and one `other_parties`
    row where the report states the other-parties total."""
    rows = [_toll(scope, category, p["party"], p) for p in parties]
    if other is not None:
        rows.append(_toll(scope, category, "other_parties", other))
    return rows


def _scope_tolls(scope: str, s: dict[str, Any], civilians_ytd: int | None) -> list[TollRow]:
    rows = [_toll(scope, "civilians", None, s["civilians"], civilians_ytd)]
    rows += _split(scope, "civilians", s["parties"], s["other_parties"])
    for kind in BREAKDOWNS:
        b = s[kind]
        rows.append(_toll(scope, kind, None, b, b["ytd"]))
        rows += _split(scope, kind, b["parties"], b["other_parties"])
    m = s["massacres"]
    # Massacre deaths: a row only where the report states them (overall, or per party).
    if m["deaths"] is not None:
        rows.append(_toll(scope, "massacre_deaths", None, m["deaths"]))
    rows += [
        _toll(scope, "massacre_deaths", p["party"], p["deaths"])
        for p in m["parties"]
        if p["deaths"] is not None
    ]
    return rows


def _scope_massacres(scope: str, m: dict[str, Any]) -> list[MassacreRow]:
    """The count (party empty, always), one row per party, and `other_parties` where the
    report states the other parties' count."""
    rows: list[MassacreRow] = [(scope, None, m["count"], m["ytd"])]
    rows += [(scope, p["party"], p["count"], None) for p in m["parties"]]
    if m["other_parties_count"] is not None:
        rows.append((scope, "other_parties", m["other_parties_count"], None))
    return rows


def expected_rows(record: dict[str, Any]) -> dict[str, Counter[tuple[Any, ...]]]:
    """The rows each child table must hold for one record (its JSON as `snhr extract
    --json` prints it), as a multiset of each row's identifying columns and figures."""
    scopes: list[tuple[str, dict[str, Any], int | None]] = [
        ("month", record, record["civilians_ytd"])
    ]
    if record["annual"] is not None:
        scopes.append(("year", record["annual"], None))
    tolls: Counter[tuple[Any, ...]] = Counter()
    massacres: Counter[tuple[Any, ...]] = Counter()
    incidents: Counter[tuple[Any, ...]] = Counter()
    shares: Counter[tuple[Any, ...]] = Counter()
    for scope, s, ytd in scopes:
        tolls.update(_scope_tolls(scope, s, ytd))
        massacres.update(_scope_massacres(scope, s["massacres"]))
        incidents.update((scope, i["quote"]) for i in s["massacres"]["incidents"])
        shares.update((scope, g["governorate"], g["percent"]) for g in s["governorates"])
    return {
        "tolls": tolls,
        "massacres": massacres,
        "incidents": incidents,
        "governorate_shares": shares,
        "checks": Counter((c["rule"], c["status"]) for c in record["checks"]),
        "evidence": Counter((path,) for path in record["evidence"]),
    }


# The same columns, read back from the archive, in the order expected_rows builds them.
STORED_COLUMNS = {
    "tolls": "scope, category, party, total, children, women, ytd",
    "massacres": "scope, party, count, ytd",
    "incidents": "scope, quote",
    "governorate_shares": "scope, governorate, percent",
    "checks": "rule, status",
    "evidence": "path",
}


def assert_consistent(db_path: Path) -> int:
    """Every report row has exactly its child rows; no child row lacks its report.
    Returns the number of reports."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "reports" not in tables:
            # Killed before the first migration committed: an empty archive, and a valid one.
            assert not tables & set(CHILD_TABLES)
            return 0
        reports = conn.execute("SELECT id, record_json FROM reports").fetchall()
        for report_id, record_json in reports:
            Record.model_validate_json(record_json)  # the stored record is a whole record
            for table, rows in expected_rows(json.loads(record_json)).items():
                found = Counter(
                    tuple(row)
                    for row in conn.execute(
                        f"SELECT {STORED_COLUMNS[table]} FROM {table} WHERE report_id = ?",
                        (report_id,),
                    )
                )
                assert found == rows, (report_id, table, found - rows, rows - found)
        for table in CHILD_TABLES:
            orphans = conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE report_id NOT IN (SELECT id FROM reports)"
            ).fetchone()[0]
            assert orphans == 0, table
        dupes = conn.execute(
            "SELECT COUNT(*) FROM (SELECT sha256 FROM reports GROUP BY sha256, extractor_version "
            "HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        assert dupes == 0
        return len(reports)
    finally:
        conn.close()
