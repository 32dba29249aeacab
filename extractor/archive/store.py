"""Stage 6, store: records into one SQLite file laid out for analysis (sqlite-utils).

The schema is versioned with sqlite-utils' own `Migrations`, tracked by name in
`_sqlite_migrations`; an archive from before (versions tracked by position in `_migrations`)
is upgraded in place on its first write. Writers hold `BEGIN IMMEDIATE` for one report at a
time (sqlite-utils' own writes nest inside as savepoints), so a report is in the archive
wholly or not at all. The file runs in WAL mode, so readers (Datasette, a notebook) keep
working during an ingest.

Two ways in: `open_db` for the commands that write (ingest, fetch), which creates and
migrates; `open_readonly` for the ones that only read (check, export, plot, backup), which
opens with SQLite's `mode=ro`, never creates or migrates, and refuses a missing, empty,
non-SQLite, corrupt or foreign file with `ArchiveError` (exit 13).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import ArchiveError, OutputRefused
from ..models import Annual, Breakdown, Record
from .db import Database, Migrations

__all__ = ["ArchiveError", "backup", "open_db", "open_readonly"]

BUSY_TIMEOUT_MS = 30_000
SQLITE_MAGIC = b"SQLite format 3\x00"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_archive_path(path: Path | str, *, must_exist: bool) -> Path:
    """Refuse what is not a path to an archive file: "", ":memory:" (SQLite would make a
    throw-away database and every write would vanish), a directory, a FIFO or device, and,
    for readers, a missing file."""
    text = str(path)
    if text.strip() == "" or text == ":memory:" or text.startswith("file:"):
        raise ArchiveError(
            repr(text), "is not a path to an archive file", "Give --db a file path, e.g. snhr.db."
        )
    p = Path(text)
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        if must_exist:
            raise ArchiveError(
                p,
                "no such archive",
                "Check the --db path; create an archive with 'snhr ingest FILES --db PATH'.",
            ) from None
        return p
    except OSError as exc:
        raise ArchiveError(p, f"cannot be opened ({exc.strerror})") from exc
    if stat.S_ISDIR(mode):
        raise ArchiveError(p, "is a directory, not an archive file", "Give --db a file path.")
    if not stat.S_ISREG(mode):
        raise ArchiveError(p, "is not a regular file (a FIFO, socket or device)")
    return p


def _refuse_non_sqlite(p: Path) -> None:
    with p.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head and head != SQLITE_MAGIC:
        raise ArchiveError(p, "is not an SQLite file")


def _database(conn: sqlite3.Connection) -> Database:
    # Without sqlite-utils' plugins: snhr uses none, and loading them scans the entry points
    # of every installed package (about 40 ms of each archive command's start-up).
    return Database(conn, execute_plugins=False)


def open_db(path: Path | str, max_mb: int | None = None) -> Database:
    """Open (creating if needed) and migrate the archive; `max_mb` caps its size, and a
    write past the cap fails like a full disk (SQLITE_FULL), all-or-nothing."""
    p = check_archive_path(path, must_exist=False)
    if p.exists():
        _refuse_non_sqlite(p)
    try:
        conn = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        db = _database(conn)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check found damage")
        if max_mb is not None:
            page = conn.execute("PRAGMA page_size").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count={max(1, max_mb * 1024 * 1024 // page)}")
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(p, f"the archive cannot be used ({exc})") from exc
    return db


def open_readonly(path: Path | str) -> Database:
    """Open an existing archive for reading only: never creates, never migrates, never
    writes (SQLite `mode=ro`). Refuses what is not a current snhr archive."""
    p = check_archive_path(path, must_exist=True)
    _refuse_non_sqlite(p)
    if p.stat().st_size == 0:
        raise ArchiveError(p, "is an empty file, not an archive")
    uri = f"file:{quote(str(p.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check found damage")
        db = _database(conn)
        pending = pending_migrations(db)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(p, f"the archive cannot be used ({exc})") from exc
    if pending:
        conn.close()
        if "initial" in pending:
            raise ArchiveError(p, "is an SQLite file but not an snhr archive")
        raise ArchiveError(
            p,
            f"the archive's schema is older than this snhr (missing: {', '.join(pending)})",
            "Run 'snhr ingest' on it once to upgrade it (after 'snhr backup').",
        )
    return db


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One all-or-nothing write. IMMEDIATE takes the write lock up front, so a concurrent
    writer waits here (busy timeout) instead of failing half-way with SQLITE_BUSY."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        # SQLITE_FULL and some I/O errors roll the transaction back themselves; a second
        # ROLLBACK would fail and hide the real error.
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


@contextmanager
def report_savepoint(db: Database) -> Iterator[None]:
    """One report's writes inside a batch transaction: they stand or fall together, and a
    failed report leaves the batch's other reports as they were."""
    db.conn.execute("SAVEPOINT snhr_report")
    try:
        yield
    except BaseException:
        # SQLITE_FULL may have rolled the whole transaction back already (savepoint gone).
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK TO snhr_report")
            db.conn.execute("RELEASE snhr_report")
        raise
    db.conn.execute("RELEASE snhr_report")


def is_full(exc: sqlite3.DatabaseError) -> bool:
    """SQLITE_FULL: the disk (or the --max-db-mb cap) is full."""
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "is full" in str(exc)


# --- migrations ------------------------------------------------------------------------
# Tracked by name with sqlite-utils' `Migrations`: a new migration is one function registered
# at the end of the list below; never rename or reorder the applied ones.

MIGRATIONS = Migrations("snhr")


def _m1_initial(db: Database) -> None:
    db["reports"].create(
        {
            "id": int,
            "period": str,
            "year": int,
            "month": int,
            "title": str,
            "published": str,
            "kind": str,
            "source_file": str,
            "sha256": str,
            "format": str,
            "engine": str,
            "pages": int,
            "extractor_version": str,
            "ingested_at": str,
            "superseded_by": int,
            "failed_checks": int,
            "record_json": str,
        },
        pk="id",
        foreign_keys=[("superseded_by", "reports", "id")],
    )
    db["reports"].create_index(["sha256", "extractor_version"], unique=True)
    db["reports"].create_index(["period"])
    db["tolls"].create(
        {
            "id": int,
            "report_id": int,
            "scope": str,
            "category": str,
            "party": str,
            "group": str,
            "label": str,
            "total": int,
            "children": int,
            "women": int,
            "ytd": int,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["tolls"].create_index(["report_id"])
    db["tolls"].create_index(["category", "scope", "party"])
    db["massacres"].create(
        {
            "id": int,
            "report_id": int,
            "scope": str,
            "party": str,
            "group": str,
            "count": int,
            "ytd": int,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["massacres"].create_index(["report_id"])
    db["incidents"].create(
        {
            "id": int,
            "report_id": int,
            "scope": str,
            "date": str,
            "party": str,
            "place": str,
            "governorate": str,
            "total": int,
            "children": int,
            "women": int,
            "quote": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["incidents"].create_index(["report_id"])
    db["governorate_shares"].create(
        {
            "id": int,
            "report_id": int,
            "scope": str,
            "governorate": str,
            "percent": float,
            "joint": int,
            "quote": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["governorate_shares"].create_index(["report_id"])
    db["checks"].create(
        {
            "id": int,
            "report_id": int,
            "rule": str,
            "status": str,
            "expected": int,
            "found": int,
            "message": str,
            "paths": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["checks"].create_index(["report_id", "status"])
    db["evidence"].create(
        {"id": int, "report_id": int, "path": str, "page": int, "quote": str},
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["evidence"].create_index(["report_id", "path"])
    db["evidence"].enable_fts(["quote"], create_triggers=True)
    db["ingest_errors"].create(
        {
            "id": int,
            "path": str,
            "sha256": str,
            "code": str,
            "exit_code": int,
            "message": str,
            "at": str,
        },
        pk="id",
    )
    db["files_seen"].create({"path": str, "size": int, "mtime_ns": int, "sha256": str}, pk="path")


def _m2_views(db: Database) -> None:
    current = "r.superseded_by IS NULL"
    db.create_view(
        "monthly_civilians",
        f"""SELECT r.period, r.year, r.month, t.total, t.children, t.women, t.ytd, r.id AS report_id
            FROM reports r JOIN tolls t ON t.report_id = r.id
            WHERE {current} AND t.scope = 'month' AND t.category = 'civilians' AND t.party IS NULL
            ORDER BY r.period""",
    )
    db.create_view(
        "monthly_by_party",
        f"""SELECT r.period, r.year, r.month, t.party, t."group", t.label, t.total, t.children,
                   t.women, r.id AS report_id
            FROM reports r JOIN tolls t ON t.report_id = r.id
            WHERE {current} AND t.scope = 'month' AND t.category = 'civilians'
              AND t.party IS NOT NULL
            ORDER BY r.period, t."group", t.party""",
    )


def _m3_fetch_state(db: Database) -> None:
    db["fetch_state"].create(
        {
            "url": str,
            "etag": str,
            "last_modified": str,
            "sha256": str,
            "path": str,
            "fetched_at": str,
        },
        pk="url",
    )


# The series (issue 10): a month may hold a report and SNHR's web announcement of it. Each
# month takes its current report and falls back to the current announcement (`source`);
# a report that states no headline figure at all (a wording not yet known) gives way to an
# announcement that does. `measure` says what the headline figure counts: `civilians`, or
# `people` (fighters included) for reports that state no civilian toll (2012-2015); one is
# never derived from the other. Read from `record_json` because `people` has no tolls row.
SERIES_VIEW = """
WITH cur AS (
  SELECT r.id, r.period, r.year, r.month,
         CASE WHEN r.kind = 'press_release' THEN 'announcement' ELSE 'report' END AS source,
         json_extract(r.record_json, '$.civilians.total') AS c_total,
         json_extract(r.record_json, '$.civilians.children') AS c_children,
         json_extract(r.record_json, '$.civilians.women') AS c_women,
         json_extract(r.record_json, '$.civilians_ytd') AS c_ytd,
         json_extract(r.record_json, '$.people.total') AS p_total,
         json_extract(r.record_json, '$.people.children') AS p_children,
         json_extract(r.record_json, '$.people.women') AS p_women
  FROM reports r WHERE r.superseded_by IS NULL
), ranked AS (
  SELECT cur.*, ROW_NUMBER() OVER (
           PARTITION BY period
           ORDER BY (c_total IS NOT NULL OR p_total IS NOT NULL) DESC,
                    (source = 'report') DESC, id DESC) AS pick
  FROM cur
)
SELECT period, year, month,
       CASE WHEN c_total IS NOT NULL THEN 'civilians'
            WHEN p_total IS NOT NULL THEN 'people' END AS measure,
       CASE WHEN c_total IS NULL AND p_total IS NOT NULL THEN p_total ELSE c_total END AS total,
       CASE WHEN c_total IS NULL AND p_total IS NOT NULL THEN p_children ELSE c_children END
         AS children,
       CASE WHEN c_total IS NULL AND p_total IS NOT NULL THEN p_women ELSE c_women END AS women,
       CASE WHEN c_total IS NULL AND p_total IS NOT NULL THEN NULL ELSE c_ytd END AS ytd,
       source, id AS report_id
FROM ranked WHERE pick = 1
ORDER BY period"""


def _m4_series_by_kind(db: Database) -> None:
    """Reports and announcements side by side: supersession within a kind, and the series
    views with their `source` and `measure`. An archive of the previous version may have let
    an announcement supersede its month's report; supersession is recomputed per month."""
    for view in ("monthly_by_party", "monthly_civilians"):
        db.conn.execute(f"DROP VIEW IF EXISTS {view}")
    db.create_view("monthly_series", SERIES_VIEW)
    db.create_view(
        "monthly_civilians",
        """SELECT period, year, month, total, children, women, ytd, report_id, source
           FROM monthly_series WHERE measure IS NOT 'people' ORDER BY period""",
    )
    db.create_view(
        "monthly_by_party",
        """SELECT s.period, s.year, s.month, t.party, t."group", t.label, t.total, t.children,
                  t.women, s.report_id, s.source
           FROM monthly_series s JOIN tolls t ON t.report_id = s.report_id
           WHERE t.scope = 'month' AND t.category = 'civilians' AND t.party IS NOT NULL
           ORDER BY s.period, t."group", t.party""",
    )
    for (period,) in db.conn.execute("SELECT DISTINCT period FROM reports").fetchall():
        for kind in ("monthly", "press_release"):
            _supersede(db, period, kind)


# In order; a new migration is appended here under a new name.
MIGRATIONS(name="initial")(_m1_initial)
MIGRATIONS(name="views")(_m2_views)
MIGRATIONS(name="fetch_state")(_m3_fetch_state)
MIGRATIONS(name="series_by_kind")(_m4_series_by_kind)
MIGRATION_NAMES = ["initial", "views", "fetch_state", "series_by_kind"]

# Archives written before the switch recorded migrations by position in `_migrations`.
LEGACY_TABLE = "_migrations"
LEGACY_NAMES = {1: "initial", 2: "views", 3: "fetch_state"}


def pending_migrations(db: Database) -> list[str]:
    """Names of the migrations this archive lacks (read-only)."""
    applied = {m.name for m in MIGRATIONS.applied(db)}
    if db[LEGACY_TABLE].exists():
        rows = db.conn.execute(f"SELECT version FROM {LEGACY_TABLE}").fetchall()
        applied |= {LEGACY_NAMES[v] for (v,) in rows if v in LEGACY_NAMES}
    return [m.name for m in MIGRATIONS.pending(db) if m.name not in applied]


def migrate(db: Database) -> list[str]:
    """Apply the migrations this file lacks, all in one `BEGIN IMMEDIATE` transaction (so two
    processes opening a new archive at once do not both create it); return their names."""
    if not pending_migrations(db) and not db[LEGACY_TABLE].exists():
        return []  # the common case takes no write lock
    with write_transaction(db):
        if db[LEGACY_TABLE].exists():
            _adopt_positional(db)
        names = [m.name for m in MIGRATIONS.pending(db)]
        MIGRATIONS.apply(db)  # each migration nests as a savepoint in this transaction
    return names


def _adopt_positional(db: Database) -> None:
    """Record an old archive's positional migrations under their names, then drop the old
    table; call inside a write transaction."""
    MIGRATIONS.ensure_migrations_table(db)
    for version, applied_at in db.conn.execute(
        f"SELECT version, applied_at FROM {LEGACY_TABLE} ORDER BY version"
    ).fetchall():
        if version not in LEGACY_NAMES:
            raise sqlite3.DatabaseError(f"unknown schema version {version} in {LEGACY_TABLE}")
        db.conn.execute(
            f"INSERT OR IGNORE INTO {MIGRATIONS.migrations_table} "
            "(migration_set, name, applied_at) VALUES (?, ?, ?)",
            (MIGRATIONS.name, LEGACY_NAMES[version], applied_at),
        )
    db.conn.execute(f"DROP TABLE {LEGACY_TABLE}")


# --- writing a record --------------------------------------------------------------------


def find_report(db: Database, sha256: str, version: str) -> int | None:
    row = db.conn.execute(
        "SELECT id FROM reports WHERE sha256 = ? AND extractor_version = ?", (sha256, version)
    ).fetchone()
    return int(row[0]) if row else None


def _toll_rows(scope: str, category: str, b: Breakdown | Record | Annual) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if isinstance(b, Breakdown):
        rows.append(
            {
                "scope": scope,
                "category": category,
                "party": None,
                "group": None,
                "total": b.total,
                "children": b.children,
                "women": b.women,
                "ytd": b.ytd,
            }
        )
        parties, other = b.parties, b.other_parties
    else:
        toll = b.civilians
        ytd = b.civilians_ytd if isinstance(b, Record) else None
        rows.append(
            {
                "scope": scope,
                "category": category,
                "party": None,
                "group": None,
                "total": toll.total if toll else None,
                "children": toll.children if toll else None,
                "women": toll.women if toll else None,
                "ytd": ytd,
            }
        )
        parties, other = b.parties, b.other_parties
    for p in parties:
        rows.append(
            {
                "scope": scope,
                "category": category,
                "party": p.party,
                "group": p.group,
                "label": p.label,
                "total": p.total,
                "children": p.children,
                "women": p.women,
            }
        )
    if other is not None:
        rows.append(
            {
                "scope": scope,
                "category": category,
                "party": "other_parties",
                "group": "other",
                "total": other.total,
                "children": other.children,
                "women": other.women,
            }
        )
    return rows


def _scope_rows(scope: str, s: Record | Annual) -> dict[str, list[dict[str, Any]]]:
    tolls = _toll_rows(scope, "civilians", s)
    for kind in ("torture", "medical", "media", "civil_defense"):
        tolls += _toll_rows(scope, kind, getattr(s, kind))
    m = s.massacres
    if m.deaths is not None:
        tolls.append(
            {
                "scope": scope,
                "category": "massacre_deaths",
                "party": None,
                "group": None,
                "total": m.deaths.total,
                "children": m.deaths.children,
                "women": m.deaths.women,
            }
        )
    for p in m.parties:
        if p.deaths is not None:
            tolls.append(
                {
                    "scope": scope,
                    "category": "massacre_deaths",
                    "party": p.party,
                    "group": p.group,
                    "total": p.deaths.total,
                    "children": p.deaths.children,
                    "women": p.deaths.women,
                }
            )
    massacres = [{"scope": scope, "party": None, "group": None, "count": m.count, "ytd": m.ytd}]
    massacres += [
        {"scope": scope, "party": p.party, "group": p.group, "count": p.count} for p in m.parties
    ]
    if m.other_parties_count is not None:
        massacres.append(
            {
                "scope": scope,
                "party": "other_parties",
                "group": "other",
                "count": m.other_parties_count,
            }
        )
    incidents = [
        {
            "scope": scope,
            "date": i.date,
            "party": i.party,
            "place": i.place,
            "governorate": i.governorate,
            "total": i.deaths.total,
            "children": i.deaths.children,
            "women": i.deaths.women,
            "quote": i.quote,
        }
        for i in m.incidents
    ]
    shares = [
        {
            "scope": scope,
            "governorate": g.governorate,
            "percent": g.percent,
            "joint": int(g.joint),
            "quote": g.quote,
        }
        for g in s.governorates
    ]
    return {
        "tolls": tolls,
        "massacres": massacres,
        "incidents": incidents,
        "governorate_shares": shares,
    }


@dataclass(frozen=True, slots=True)
class ReportRows:
    """A report as the rows it becomes in the archive.

    Built where the report was extracted (ingest's sandbox children, in parallel) so that
    the one writer only inserts: plain tuples pickle and unpickle in a fraction of the time
    a `Record`'s models take, and the writer needs none of the models.
    """

    sha256: str
    extractor_version: str
    period: str
    kind: str
    failed_checks: int
    # The `reports` row, but for its id, ingest time and supersession (set when written).
    report: dict[str, Any]
    # (table, columns, rows) of everything read from the report, without the report id.
    tables: tuple[tuple[str, tuple[str, ...], list[tuple[Any, ...]]], ...]


def report_rows(record: Record, source: str) -> ReportRows:
    """The archive rows of one extracted report (`source` is the file it came from)."""
    r = record.report
    failed = len(record.failed_checks)
    tables = _scope_rows("month", record)
    if record.annual is not None:
        for name, rows in _scope_rows("year", record.annual).items():
            tables[name] += rows
    tables["checks"] = [
        {
            "rule": c.rule,
            "status": c.status,
            "expected": c.expected,
            "found": c.found,
            "message": c.message,
            "paths": json.dumps(c.paths),
        }
        for c in record.checks
    ]
    tables["evidence"] = [
        {"path": path, "page": ev.page, "quote": ev.quote} for path, ev in record.evidence.items()
    ]
    report = {
        "period": r.period,
        "year": r.year,
        "month": r.month,
        "title": r.title,
        "published": r.published,
        "kind": r.kind,
        "source_file": source,
        "sha256": r.source.sha256,
        "format": r.source.format,
        "engine": r.source.engine,
        "pages": r.source.pages,
        "extractor_version": record.extractor_version,
        "failed_checks": failed,
        "record_json": record.model_dump_json(),
    }
    return ReportRows(
        r.source.sha256,
        record.extractor_version,
        r.period,
        r.kind,
        failed,
        report,
        tuple(_as_tuples(name, rows) for name, rows in tables.items() if rows),
    )


def _as_tuples(
    table: str, rows: list[dict[str, Any]]
) -> tuple[str, tuple[str, ...], list[tuple[Any, ...]]]:
    # Rows of one table may name different columns (a party row has a label, a total row
    # a year-to-date figure); a column a row lacks is NULL, as sqlite-utils' insert_all did.
    columns = tuple(dict.fromkeys(column for row in rows for column in row))
    return table, columns, [tuple(row.get(column) for column in columns) for row in rows]


@cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{column}"' for column in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'


def write_rows(db: Database, rows: ReportRows) -> int:
    """Insert one report and everything read from it; call inside write_transaction.

    The tables are created and migrated by sqlite-utils; the inserts go straight through its
    connection with `executemany`, because `insert_all`'s per-value Python (type checks and
    JSON conversion of values that are already plain) was most of the writer's time.
    Tables and columns are the archive's own names, never input, and a column the table
    lacks is an error, as with `insert_all(alter=False)`.
    """
    report = {**rows.report, "ingested_at": now(), "superseded_by": None}
    cursor = db.conn.execute(_insert_sql("reports", tuple(report)), tuple(report.values()))
    report_id: int | None = cursor.lastrowid
    if report_id is None:  # never for an INSERT that succeeded; a row id must not be guessed
        raise sqlite3.DatabaseError("the report's row was not inserted")
    for table, columns, values in rows.tables:
        db.conn.executemany(
            _insert_sql(table, ("report_id", *columns)), [(report_id, *row) for row in values]
        )
    _supersede(db, rows.period, rows.kind)
    return report_id


def is_announcement(kind: str) -> bool:
    return kind == "press_release"


def _supersede(db: Database, period: str, kind: str) -> None:
    """Keep one current report and one current announcement per month; the others stay as
    history with `superseded_by`. Supersession is within a kind: an announcement never
    replaces its month's report, nor the reverse (the series picks between them).

    The current one is the latest publication; between equal or unknown dates, the PDF (the
    published form) over a text edition, then the later ingest (a re-extraction included).
    """
    same_kind = "(kind = 'press_release') = ?"
    flag = int(is_announcement(kind))
    rows = db.conn.execute(
        f"SELECT id FROM reports WHERE period = ? AND {same_kind} ORDER BY "
        "COALESCE(published, '') DESC, (format = 'pdf') DESC, id DESC",
        (period, flag),
    ).fetchall()
    if not rows:
        return
    current = rows[0][0]
    db.conn.execute("UPDATE reports SET superseded_by = NULL WHERE id = ?", (current,))
    db.conn.execute(
        f"UPDATE reports SET superseded_by = ? WHERE period = ? AND id != ? AND {same_kind}",
        (current, period, current, flag),
    )


def record_error(
    db: Database, path: str, sha256: str | None, code: str, exit_code: int, message: str
) -> None:
    with write_transaction(db):
        db["ingest_errors"].insert(
            {
                "path": path,
                "sha256": sha256,
                "code": code,
                "exit_code": exit_code,
                "message": message,
                "at": now(),
            }
        )


def backup(db_path: Path | str, target: Path | str) -> Path:
    """A consistent copy, safe while an ingest is writing (VACUUM INTO), and atomic: it is
    written under a temporary name beside TARGET and appears under TARGET only when complete
    (a hard link, which also never replaces a file that appeared meanwhile). A killed backup
    leaves at most a `.TARGET.*.partial` file, never a half archive under TARGET."""
    from .safe_write import check_output, partial_name

    target = Path(target)
    db = open_readonly(db_path)
    try:
        check_output(target, archive=Path(db_path), overwrite=False)
        tmp = partial_name(target)
        try:
            db.conn.execute("VACUUM INTO ?", (str(tmp),))
            _fsync(tmp)
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise OutputRefused(target, "exists", "Choose a new file name.") from None
            _fsync(target.parent)
        finally:
            tmp.unlink(missing_ok=True)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(db_path, f"the backup failed ({exc}); nothing was written") from exc
    finally:
        db.close()
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
