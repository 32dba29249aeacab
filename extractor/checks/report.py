"""Stage 5, validate: the arithmetic a report implies, checked and reported, never "fixed".

Every check records the figure the report states (`expected`), the figure its parts add
up to (`found`) and the paths involved, so that a reader can go to the evidence of each.
A part the report leaves unstated (no "including ... children") counts as zero in a sum.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..extract.eras import aggregate_checks, sums_parties
from ..extract.scope import Scope
from ..figure_paths import party_path
from ..models import Annual, Breakdown, Check, Massacres, PartyToll, Record, Toll
from .rules import (
    AGGREGATE_SUM,
    CHILDREN_WOMEN_WITHIN_TOTAL,
    CIVIL_DEFENSE_SUM,
    CIVILIANS_SUM,
    FIGURE_AMBIGUOUS,
    FIGURE_READ,
    ITEM_UNREAD,
    MASSACRES_OTHER_SUM,
    MASSACRES_SUM,
    MASSACRES_WITHIN_CIVILIANS,
    MEDIA_SUM,
    MEDICAL_SUM,
    OTHER_PARTIES_SUM,
    RESTATED_AGREES,
    SUMMARY_AGREES,
    TITLE_AGREES,
    TORTURE_SUM,
    Rule,
    rule_of,
)

FIELDS = ("total", "children", "women")
BREAKDOWNS: dict[str, Rule] = {
    "torture": TORTURE_SUM,
    "medical": MEDICAL_SUM,
    "media": MEDIA_SUM,
    "civil_defense": CIVIL_DEFENSE_SUM,
}


def _breakdowns(of: Record | Annual) -> list[tuple[str, Breakdown]]:
    return [
        ("torture", of.torture),
        ("medical", of.medical),
        ("media", of.media),
        ("civil_defense", of.civil_defense),
    ]


@dataclass(frozen=True)
class Part:
    path: str
    value: int | None


def _check(
    rule: str, expected: int | None, parts: list[Part], expected_path: str, what: str
) -> Check | None:
    if expected is None or not parts:
        return None
    found = sum(p.value or 0 for p in parts)
    ok = found == expected
    # A failing sum names every figure it used, so a reader can find each one's evidence.
    detail = " + ".join(
        f"{p.value or 0}" if ok else f"{_name(p.path)} {p.value or 0}" for p in parts
    )
    message = (
        f"{what}: the parts add up to {found} ({detail}), as stated"
        if ok
        else f"{what}: the report states {expected} but its parts add up to {found} "
        f"({detail}); a difference of {expected - found}"
    )
    return Check(
        rule=rule,
        status="pass" if ok else "fail",
        expected=expected,
        found=found,
        message=message,
        paths=[expected_path, *(p.path for p in parts)],
    )


def _name(path: str) -> str:
    """ "parties.drowning~2.total" -> "drowning~2"; "other_parties.total" -> "other_parties"."""
    parts = path.split(".")
    if "parties" in parts and parts.index("parties") + 1 < len(parts) - 1:
        return parts[parts.index("parties") + 1]
    return ".".join(parts[:-1]) or path


def _party_paths(prefix: str, parties: list[PartyToll]) -> Iterator[tuple[str, PartyToll]]:
    for i, party in enumerate(parties):
        yield party_path(prefix, parties, i), party


def toll_checks(
    scope: Scope, stated: Toll | None, parties: list[PartyToll], other: Toll | None
) -> list[Check]:
    """Main parties + other parties = total; other-party categories = other-parties total."""
    checks: list[Check] = []
    label = scope.path("civilians")
    listed = list(_party_paths(scope.path("parties"), parties))
    main = [(p, t) for p, t in listed if t.group == "main"]
    cats = [(p, t) for p, t in listed if t.group == "other"]
    for field in FIELDS:
        parts = [Part(f"{p}.{field}", getattr(t, field)) for p, t in main]
        if other is not None:
            parts.append(Part(scope.path(f"other_parties.{field}"), getattr(other, field)))
        else:
            parts += [Part(f"{p}.{field}", getattr(t, field)) for p, t in cats]
        made = _check(
            CIVILIANS_SUM.qualify(field, annual=scope.is_year),
            getattr(stated, field) if stated else None,
            parts,
            f"{label}.{field}",
            f"{label} {field}: parties and other parties",
        )
        if made:
            checks.append(made)
        if other is not None and cats:
            made = _check(
                OTHER_PARTIES_SUM.qualify(field, annual=scope.is_year),
                getattr(other, field),
                [Part(f"{p}.{field}", getattr(t, field)) for p, t in cats],
                scope.path(f"other_parties.{field}"),
                f"{scope.prefix}other parties {field}: the categories",
            )
            if made:
                checks.append(made)
    return checks


def breakdown_checks(scope: Scope, kind: str, b: Breakdown) -> list[Check]:
    if not b.parties and b.other_parties is None:
        return []
    checks: list[Check] = []
    where = scope.path(kind)
    for field in FIELDS:
        stated = getattr(b, field)
        parts = [
            Part(f"{p}.{field}", getattr(t, field))
            for p, t in _party_paths(f"{where}.parties", b.parties)
        ]
        if b.other_parties is not None:
            parts.append(Part(f"{where}.other_parties.{field}", getattr(b.other_parties, field)))
        if field != "total" and stated is None:
            continue
        made = _check(
            BREAKDOWNS[kind].qualify(field, annual=scope.is_year),
            stated,
            parts,
            f"{where}.{field}",
            f"{where} {field}: the split by party",
        )
        if made:
            checks.append(made)
    return checks


def massacre_checks(scope: Scope, m: Massacres, civilians: Toll | None) -> list[Check]:
    checks: list[Check] = []
    main = [p for p in m.parties if p.group == "main"]
    cats = [p for p in m.parties if p.group == "other"]
    path = scope.path("massacres.parties")
    parts = [Part(f"{path}.{p.party}.count", p.count) for p in main]
    if cats:
        parts += [Part(f"{path}.{p.party}.count", p.count) for p in cats]
    elif m.other_parties_count is not None:
        parts.append(Part(scope.path("massacres.other_parties_count"), m.other_parties_count))
    made = _check(
        MASSACRES_SUM.qualify("count", annual=scope.is_year),
        m.count,
        parts,
        scope.path("massacres.count"),
        f"{scope.path('massacres')}: the split by party",
    )
    if made and m.parties:
        checks.append(made)
    if cats and m.other_parties_count is not None:
        made = _check(
            MASSACRES_OTHER_SUM.qualify("count", annual=scope.is_year),
            m.other_parties_count,
            [Part(f"{path}.{p.party}.count", p.count) for p in cats],
            scope.path("massacres.other_parties_count"),
            f"{scope.path('massacres')} by other parties: the categories",
        )
        if made:
            checks.append(made)
    if (
        m.deaths is not None
        and civilians is not None
        and civilians.total is not None
        and m.deaths.total is not None
    ):
        ok = m.deaths.total <= civilians.total
        checks.append(
            Check(
                rule=MASSACRES_WITHIN_CIVILIANS.qualify(annual=scope.is_year),
                status="pass" if ok else "fail",
                expected=civilians.total,
                found=m.deaths.total,
                message=f"massacre deaths ({m.deaths.total}) "
                f"{'do not exceed' if ok else 'exceed'} the civilian toll ({civilians.total})",
                paths=[scope.path("massacres.deaths.total"), scope.path("civilians.total")],
            )
        )
    return checks


def plausibility_checks(record: Record) -> list[Check]:
    """Children plus women never exceed the total."""
    checks: list[Check] = []
    for path, toll in _tolls(record):
        if toll.total is None or (toll.children is None and toll.women is None):
            continue
        both = (toll.children or 0) + (toll.women or 0)
        if both > toll.total:
            checks.append(
                Check(
                    rule=CHILDREN_WOMEN_WITHIN_TOTAL.qualify(),
                    status="fail",
                    expected=toll.total,
                    found=both,
                    message=f"{path}: children ({toll.children}) and women ({toll.women}) "
                    f"add up to more than the total ({toll.total})",
                    paths=[f"{path}.total", f"{path}.children", f"{path}.women"],
                )
            )
    return checks


def _scopes(record: Record) -> list[tuple[Scope, Record | Annual]]:
    """The report's month and, in a December report, the whole year."""
    out: list[tuple[Scope, Record | Annual]] = [
        (Scope("month", record.report.year, record.report.month), record)
    ]
    if record.annual is not None:
        out.append((Scope("year", record.annual.year), record.annual))
    return out


def _tolls(record: Record) -> Iterator[tuple[str, Toll]]:
    for scope, of in _scopes(record):
        if of.civilians is not None:
            yield scope.path("civilians"), of.civilians
        for path, party in _party_paths(scope.path("parties"), of.parties):
            yield path, Toll(total=party.total, children=party.children, women=party.women)
        if of.other_parties is not None:
            yield scope.path("other_parties"), of.other_parties


@dataclass(frozen=True)
class Witness:
    """A second statement of a toll-section figure (the title's, the summary's) and the
    toll-section figure it must agree with."""

    rule: Rule
    path: str  # where the second statement is: "title_figures.annual_civilians"
    target: str  # the toll section's figure: "annual.civilians"
    said: Toll | None
    toll: Toll | None


def agreement_checks(record: Record) -> list[Check]:
    """The title and the summary section against the toll sections."""
    checks: list[Check] = []
    month, *year = _scopes(record)
    t, summary = record.title_figures, record.summary
    civ = month[0].path("civilians")
    witnesses = [
        Witness(TITLE_AGREES, "title_figures.civilians", civ, t.civilians, record.civilians),
        Witness(SUMMARY_AGREES, "summary.civilians", civ, summary.civilians, record.civilians),
        Witness(
            SUMMARY_AGREES,
            "summary.other_parties",
            month[0].path("other_parties"),
            summary.other_parties,
            record.other_parties,
        ),
    ]
    for scope, annual in year:
        witnesses.append(
            Witness(
                TITLE_AGREES,
                "title_figures.annual_civilians",
                scope.path("civilians"),
                t.annual_civilians,
                annual.civilians,
            )
        )
    toll_parties = {p.party: p for p in record.parties}
    for party in summary.parties:
        if party.party in toll_parties:
            theirs = toll_parties[party.party]
            witnesses.append(
                Witness(
                    SUMMARY_AGREES,
                    f"summary.parties.{party.party}",
                    month[0].path(f"parties.{party.party}"),
                    Toll(total=party.total, children=party.children, women=party.women),
                    Toll(total=theirs.total, children=theirs.children, women=theirs.women),
                )
            )
    for witness in witnesses:
        checks.extend(_agree(witness))
    torture_pairs = [
        ("title_figures.torture", t.torture, record.torture.total, month[0].path("torture"))
    ]
    for scope, annual in year:
        torture_pairs.append(
            (
                "title_figures.annual_torture",
                t.annual_torture,
                annual.torture.total,
                scope.path("torture"),
            )
        )
    for title_path, stated, read, target in torture_pairs:
        if stated is not None and read is not None:
            ok = stated == read
            checks.append(
                Check(
                    rule=TITLE_AGREES.qualify(target),
                    status="pass" if ok else "fail",
                    expected=read,
                    found=stated,
                    message=f"the title gives {stated} deaths due to torture, the torture "
                    f"section {read}",
                    paths=[f"{target}.total", title_path],
                )
            )
    return checks


def _agree(w: Witness) -> Iterable[Check]:
    """The toll section's figure is the first witness (`expected`), the title's or the
    summary's the second (`found`)."""
    if w.said is None or w.toll is None:
        return
    for field in FIELDS:
        a, b = getattr(w.said, field), getattr(w.toll, field)
        if a is None or b is None:
            continue
        ok = a == b
        where = "the title" if w.rule is TITLE_AGREES else "the summary section"
        yield Check(
            rule=w.rule.qualify(w.target, field),
            status="pass" if ok else "fail",
            expected=b,
            found=a,
            message=f"{where} gives {w.target} {field} = {a}, the toll section {b}",
            paths=[f"{w.target}.{field}", f"{w.path}.{field}"],
        )


def explain_gaps(record: Record, checks: list[Check]) -> None:
    """Where other-party categories fall short of their total, say which summary figures
    would close the gap: the report often describes the missing deaths there."""
    toll_parties = {p.party: p for p in record.parties}
    for check in checks:
        field = next((f for f in FIELDS if check.rule == OTHER_PARTIES_SUM.qualify(f)), None)
        if check.status != "fail" or field is None:
            continue
        gap = (check.expected or 0) - (check.found or 0)
        diffs = []
        for p in record.summary.parties:
            mine = toll_parties.get(p.party)
            if mine is None or p.group != "other":
                continue
            said, read = getattr(p, field) or 0, getattr(mine, field) or 0
            if said != read:
                diffs.append((p, read, said))
        if diffs and sum(said - read for _, read, said in diffs) == gap:
            named = ", ".join(f"{p.label} {read} -> {said}" for p, read, said in diffs)
            check.message += (
                f". The summary section gives {field} for {named}, which accounts "
                f"for the missing {gap}"
            )
            check.paths += [f"summary.parties.{p.party}.{field}" for p, _, _ in diffs]


# Rules that say the reading may be at fault, and the rules whose failure accuses the report.
READING_RULES = (ITEM_UNREAD, FIGURE_AMBIGUOUS)
ACCUSING_RULES = (
    CIVILIANS_SUM,
    OTHER_PARTIES_SUM,
    *BREAKDOWNS.values(),
    MASSACRES_SUM,
    MASSACRES_OTHER_SUM,
    AGGREGATE_SUM,
    TITLE_AGREES,
    SUMMARY_AGREES,
    RESTATED_AGREES,
    MASSACRES_WITHIN_CIVILIANS,
    CHILDREN_WOMEN_WITHIN_TOTAL,
)


def _doubles(record: Record) -> dict[str, str]:
    """Path prefix of each party listed twice in one list -> the reason to say so."""
    lists: list[tuple[str, list[PartyToll]]] = []
    for scope, of in _scopes(record):
        lists.append((scope.path("parties"), of.parties))
        lists += [(scope.path(f"{kind}.parties"), b.parties) for kind, b in _breakdowns(of)]
    out: dict[str, str] = {}
    for prefix, parties in lists:
        seen = [p.party for p in parties]
        for party in {p for p in seen if seen.count(p) > 1}:
            out[f"{prefix}.{party}"] = f"{party} is listed twice in {prefix}"
    return out


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "~"))


def qualify_blame(record: Record, checks: list[Check]) -> None:
    """A failing sum or agreement that used a figure from a list line the reader could not
    account for, from a contested sentence or from a party listed twice says that the
    reading, not the report, may be at fault (issue 9: no false accusation)."""
    suspects: dict[str, str] = _doubles(record)
    for check in checks:
        if check.status == "fail" and rule_of(check.rule) in READING_RULES:
            for path in check.paths:
                suspects.setdefault(path, f"see the failing {check.rule} check on {path}")
    if not suspects:
        return
    for check in checks:
        if check.status != "fail" or rule_of(check.rule) not in ACCUSING_RULES:
            continue
        reasons = sorted(
            {why for prefix, why in suspects.items() for p in check.paths if _under(p, prefix)}
        )
        if reasons:
            check.message += "; the reading, not the report, may be at fault: " + "; ".join(reasons)


def run_checks(record: Record) -> list[Check]:
    """All checks for one record, after the extraction problems already recorded."""
    checks: list[Check] = list(record.checks)
    for scope, of in _scopes(record):
        # An announcement names a few parties in prose, not a complete breakdown: summing
        # them against its toll would blame it for what it never claims.
        if scope.is_year or sums_parties(record):
            checks += toll_checks(scope, of.civilians, of.parties, of.other_parties)
        if not scope.is_year:
            checks += aggregate_checks(record)
        for kind, breakdown in _breakdowns(of):
            checks += breakdown_checks(scope, kind, breakdown)
        checks += massacre_checks(scope, of.massacres, of.civilians)
    checks += plausibility_checks(record)
    checks += agreement_checks(record)
    if record.civilians is None and record.people is None:
        checks.append(
            Check(
                rule=FIGURE_READ.qualify("civilians"),
                status="fail",
                expected=None,
                found=None,
                message="the month's civilian toll could not be read",
                paths=["civilians.total"],
            )
        )
    explain_gaps(record, checks)
    qualify_blame(record, checks)
    return checks
