"""Readable text for people: the summary `snhr extract` prints without --json."""

from __future__ import annotations

import calendar
import re

from ..models import Breakdown, Check, Massacres, PartyToll, Record, Toll


def _n(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _split(children: int | None, women: int | None) -> str:
    parts = []
    if children is not None:
        parts.append(f"{children:,} {'child' if children == 1 else 'children'}")
    if women is not None:
        parts.append(f"{women:,} {'woman' if women == 1 else 'women'}")
    return f" ({', '.join(parts)})" if parts else ""


def _toll(toll: Toll | None) -> str:
    return (
        "not read"
        if toll is None or toll.total is None
        else f"{toll.total:,}" + _split(toll.children, toll.women)
    )


def _page(record: Record, path: str) -> str:
    ev = record.evidence.get(path)
    return f"  [p. {ev.page}]" if ev is not None and ev.page is not None else ""


def _label(text: str) -> str:
    short = re.sub(r"\s*\([^)]*\)", "", text).strip() if len(text) > 40 else text
    return short if len(short) <= 40 else short[:39] + "…"


def _row(indent: str, label: str, total: int | None, split: str) -> str:
    number = "-" if total is None else f"{total:,}"
    return f"{indent + label:<44} {number:>6}{split}"


def _parties(parties: list[PartyToll], other: Toll | None, indent: str) -> list[str]:
    lines = [
        _row(indent, _label(p.label), p.total, _split(p.children, p.women))
        for p in parties
        if p.group == "main"
    ]
    cats = [p for p in parties if p.group == "other"]
    if other is not None or cats:
        split = _split(other.children, other.women) if other is not None else ""
        lines.append(_row(indent, "Other parties", other.total if other else None, split))
        lines += [
            _row(indent + "  ", _label(p.label)[:40], p.total, _split(p.children, p.women))
            for p in cats
        ]
    return lines


def _breakdown(name: str, b: Breakdown) -> str:
    if b.total is None:
        return f"{name}: not covered"
    text = f"{name}: {b.total:,}{_split(b.children, b.women)}"
    if b.ytd is not None:
        text += f", {b.ytd:,} this year"
    split = [f"{p.party} {p.total}" for p in b.parties]
    if b.other_parties is not None and b.other_parties.total is not None:
        split.append(f"other parties {b.other_parties.total}")
    return text + (f" [{', '.join(split)}]" if split else "")


def _massacres(m: Massacres) -> str:
    if m.count is None:
        return "Massacres: not read"
    text = f"Massacres: {m.count:,}"
    if m.ytd is not None:
        text += f" ({m.ytd:,} this year)"
    if m.deaths is not None:
        text += f", killing {_toll(m.deaths)}"
    if m.incidents:
        text += f"; {len(m.incidents)} described"
    return text


def render_record(record: Record) -> str:
    r = record.report
    src = r.source
    pages = f", {src.pages} pages" if src.pages else ""
    head = (
        f"{src.file}: {calendar.month_name[r.month]} {r.year} ({r.kind})"
        f"{', published ' + r.published if r.published else ''}{pages}, read with {src.engine}"
    )
    lines = [
        head,
        "",
        f"Civilians killed: {_toll(record.civilians)}{_page(record, 'civilians.total')}",
    ]
    if record.civilians_ytd is not None:
        lines.append(f"  since the start of the year: {record.civilians_ytd:,}")
    # v2: reports of 2012-2015 count everyone killed, fighters included (docs/eras.md).
    if record.people is not None:
        lines.insert(2, f"People killed (fighters included): {_toll(record.people)}")
    lines += _parties(record.parties, record.other_parties, "  ")
    for agg in record.aggregates:
        split = _split(agg.children, agg.women)
        lines.append(_row("  ", f"{agg.label} (together)", agg.total, split))
    lines.append("")
    lines.append(_breakdown("Deaths due to torture", record.torture))
    for name, key in (
        ("Medical personnel", "medical"),
        ("Media workers", "media"),
        ("Civil Defense", "civil_defense"),
    ):
        lines.append(_breakdown(name, getattr(record, key)))
    lines.append(_massacres(record.massacres))
    if record.governorates:
        lines.append(
            "Governorates: "
            + ", ".join(f"{g.governorate} {g.percent:g}%" for g in record.governorates)
        )
    if record.annual is not None:
        a = record.annual
        lines += ["", f"Whole year {a.year}: civilians {_toll(a.civilians)}"]
        lines += _parties(a.parties, a.other_parties, "  ")
        lines.append("  " + _breakdown("Deaths due to torture", a.torture))
        lines.append("  " + _massacres(a.massacres))
    lines += ["", render_checks(record.checks, record)]
    return "\n".join(lines)


def render_check_table(checks: list[Check], records: dict[str, Record]) -> str:
    """A table of rules for `snhr check`, then every failure with its quotes and pages.

    `records` maps a label (a file, or a month of the archive) to its record, for quotes."""
    width = max((len(c.rule) for c in checks), default=10)
    lines = [f"{'rule':<{width}}  status  {'stated':>8}  {'found':>8}"]
    for c in checks:
        stated = "" if c.expected is None else f"{c.expected:,}"
        found = "" if c.found is None else f"{c.found:,}"
        lines.append(f"{c.rule:<{width}}  {c.status:<6}  {stated:>8}  {found:>8}")
    failed = [c for c in checks if c.status == "fail"]
    passed = len(checks) - len(failed)
    lines += ["", f"{passed} pass, {len(failed)} fail"]
    for c in failed:
        lines += ["", f"FAIL {c.rule}", f"  {c.message}"]
        for label, record in records.items():
            for path in c.paths:
                ev = record.evidence.get(path)
                if ev is None:
                    continue
                where = f"p. {ev.page}" if ev.page is not None else "text edition"
                prefix = f"{label}: " if len(records) > 1 else ""
                lines.append(f'  - {prefix}{path} ({where}): "{_clip(ev.quote, 200)}"')
    return "\n".join(lines)


def render_checks(checks: list[Check], record: Record | None = None) -> str:
    passed = sum(1 for c in checks if c.status == "pass")
    failed = [c for c in checks if c.status == "fail"]
    lines = [f"Checks: {passed} pass, {len(failed)} fail"]
    for check in failed:
        lines.append(f"  FAIL {check.rule}: {check.message}")
        if record is not None:
            for path in check.paths[:8]:
                ev = record.evidence.get(path)
                if ev is not None:
                    where = f"p. {ev.page}" if ev.page is not None else "text"
                    lines.append(f'       {path} ({where}): "{_clip(ev.quote)}"')
    return "\n".join(lines)


def _clip(text: str, limit: int = 150) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
