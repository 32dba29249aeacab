"""Stage 5, validate: the arithmetic a report implies, checked and reported, never "fixed".

Every check records the figure the report states (`expected`), the figure its parts add
up to (`found`) and the paths involved, so that a reader can go to the evidence of each.
A part the report leaves unstated (no "including ... children") counts as zero in a sum.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .extract.eras import aggregate_checks, sums_parties
from .models import Annual, Breakdown, Check, Massacres, PartyToll, Record, Toll
from .paths import party_path

FIELDS = ("total", "children", "women")


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
    prefix: str,
    label: str,
    stated: Toll | None,
    parties: list[PartyToll],
    other: Toll | None,
    rule: str,
) -> list[Check]:
    """Main parties + other parties = total; other-party categories = other-parties total."""
    checks: list[Check] = []
    main = [(p, t) for p, t in _party_paths(f"{prefix}parties", parties) if t.group == "main"]
    cats = [(p, t) for p, t in _party_paths(f"{prefix}parties", parties) if t.group == "other"]
    for field in FIELDS:
        parts = [Part(f"{p}.{field}", getattr(t, field)) for p, t in main]
        if other is not None:
            parts.append(Part(f"{prefix}other_parties.{field}", getattr(other, field)))
        else:
            parts += [Part(f"{p}.{field}", getattr(t, field)) for p, t in cats]
        made = _check(
            f"{rule}.{field}",
            getattr(stated, field) if stated else None,
            parts,
            f"{label}.{field}",
            f"{label} {field}: parties and other parties",
        )
        if made:
            checks.append(made)
        if other is not None and cats:
            made = _check(
                f"{prefix}other_parties_sum.{field}",
                getattr(other, field),
                [Part(f"{p}.{field}", getattr(t, field)) for p, t in cats],
                f"{prefix}other_parties.{field}",
                f"{prefix}other parties {field}: the categories",
            )
            if made:
                checks.append(made)
    return checks


def breakdown_checks(prefix: str, kind: str, b: Breakdown) -> list[Check]:
    if not b.parties and b.other_parties is None:
        return []
    checks: list[Check] = []
    for field in FIELDS:
        stated = getattr(b, field)
        parts = [
            Part(f"{p}.{field}", getattr(t, field))
            for p, t in _party_paths(f"{prefix}{kind}.parties", b.parties)
        ]
        if b.other_parties is not None:
            parts.append(
                Part(f"{prefix}{kind}.other_parties.{field}", getattr(b.other_parties, field))
            )
        if field != "total" and stated is None:
            continue
        made = _check(
            f"{prefix}{kind}_sum.{field}",
            stated,
            parts,
            f"{prefix}{kind}.{field}",
            f"{prefix}{kind} {field}: the split by party",
        )
        if made:
            checks.append(made)
    return checks


def massacre_checks(prefix: str, m: Massacres, civilians: Toll | None) -> list[Check]:
    checks: list[Check] = []
    main = [p for p in m.parties if p.group == "main"]
    cats = [p for p in m.parties if p.group == "other"]
    path = f"{prefix}massacres.parties"
    parts = [Part(f"{path}.{p.party}.count", p.count) for p in main]
    if cats:
        parts += [Part(f"{path}.{p.party}.count", p.count) for p in cats]
    elif m.other_parties_count is not None:
        parts.append(Part(f"{prefix}massacres.other_parties_count", m.other_parties_count))
    made = _check(
        f"{prefix}massacres_sum.count",
        m.count,
        parts,
        f"{prefix}massacres.count",
        f"{prefix}massacres: the split by party",
    )
    if made and m.parties:
        checks.append(made)
    if cats and m.other_parties_count is not None:
        made = _check(
            f"{prefix}massacres_other_sum.count",
            m.other_parties_count,
            [Part(f"{path}.{p.party}.count", p.count) for p in cats],
            f"{prefix}massacres.other_parties_count",
            f"{prefix}massacres by other parties: the categories",
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
                rule=f"{prefix}massacres_within_civilians",
                status="pass" if ok else "fail",
                expected=civilians.total,
                found=m.deaths.total,
                message=f"massacre deaths ({m.deaths.total}) "
                f"{'do not exceed' if ok else 'exceed'} the civilian toll ({civilians.total})",
                paths=[f"{prefix}massacres.deaths.total", f"{prefix}civilians.total"],
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
                    rule="children_women_within_total",
                    status="fail",
                    expected=toll.total,
                    found=both,
                    message=f"{path}: children ({toll.children}) and women ({toll.women}) "
                    f"add up to more than the total ({toll.total})",
                    paths=[f"{path}.total", f"{path}.children", f"{path}.women"],
                )
            )
    return checks


def _tolls(record: Record) -> Iterator[tuple[str, Toll]]:
    scopes: list[tuple[str, Record | Annual]] = [("", record)]
    if record.annual is not None:
        scopes.append(("annual.", record.annual))
    for prefix, scope in scopes:
        if scope.civilians is not None:
            yield f"{prefix}civilians", scope.civilians
        for path, party in _party_paths(f"{prefix}parties", scope.parties):
            yield path, Toll(total=party.total, children=party.children, women=party.women)
        if scope.other_parties is not None:
            yield f"{prefix}other_parties", scope.other_parties


def agreement_checks(record: Record) -> list[Check]:
    """The title and the summary section against the toll sections."""
    checks: list[Check] = []
    pairs: list[tuple[str, str, Toll | None, Toll | None]] = [
        (
            "title_agrees",
            "title_figures.civilians",
            record.title_figures.civilians,
            record.civilians,
        ),
        ("summary_agrees", "summary.civilians", record.summary.civilians, record.civilians),
        (
            "summary_agrees",
            "summary.other_parties",
            record.summary.other_parties,
            record.other_parties,
        ),
    ]
    if record.annual is not None:
        pairs.append(
            (
                "title_agrees",
                "title_figures.annual_civilians",
                record.title_figures.annual_civilians,
                record.annual.civilians,
            )
        )
    toll_parties = {p.party: p for p in record.parties}
    for party in record.summary.parties:
        if party.party in toll_parties:
            theirs = toll_parties[party.party]
            pairs.append(
                (
                    "summary_agrees",
                    f"summary.parties.{party.party}",
                    Toll(total=party.total, children=party.children, women=party.women),
                    Toll(total=theirs.total, children=theirs.children, women=theirs.women),
                )
            )
    for rule, path, said, toll in pairs:
        checks.extend(_agree(rule, path, said, toll))
    torture_pairs = [
        ("title_figures.torture", record.title_figures.torture, record.torture.total, "torture")
    ]
    if record.annual is not None:
        torture_pairs.append(
            (
                "title_figures.annual_torture",
                record.title_figures.annual_torture,
                record.annual.torture.total,
                "annual.torture",
            )
        )
    for title_path, stated, read, target in torture_pairs:
        if stated is not None and read is not None:
            ok = stated == read
            checks.append(
                Check(
                    rule=f"title_agrees.{target}",
                    status="pass" if ok else "fail",
                    expected=read,
                    found=stated,
                    message=f"the title gives {stated} deaths due to torture, the torture "
                    f"section {read}",
                    paths=[f"{target}.total", title_path],
                )
            )
    return checks


def _agree(rule: str, path: str, said: Toll | None, toll: Toll | None) -> Iterable[Check]:
    if said is None or toll is None:
        return
    target = (
        path.split(".", 1)[1]
        if path.startswith("summary.")
        else path.replace("title_figures.annual_", "annual.").replace("title_figures.", "")
    )
    for field in FIELDS:
        a, b = getattr(said, field), getattr(toll, field)
        if a is None or b is None:
            continue
        ok = a == b
        where = "the title" if rule == "title_agrees" else "the summary section"
        yield Check(
            rule=f"{rule}.{target}.{field}",
            status="pass" if ok else "fail",
            expected=b,
            found=a,
            message=f"{where} gives {target} {field} = {a}, the toll section {b}",
            paths=[f"{target}.{field}", f"{path}.{field}"],
        )


def explain_gaps(record: Record, checks: list[Check]) -> None:
    """Where other-party categories fall short of their total, say which summary figures
    would close the gap: the report often describes the missing deaths there."""
    toll_parties = {p.party: p for p in record.parties}
    for check in checks:
        if check.status != "fail" or not check.rule.startswith("other_parties_sum."):
            continue
        field = check.rule.rsplit(".", 1)[1]
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


READING_RULES = ("item_unread", "figure_ambiguous")


def _doubles(record: Record) -> dict[str, str]:
    """Path prefix of each party listed twice in one list -> the reason to say so."""
    lists: list[tuple[str, list[PartyToll]]] = [("parties", record.parties)]
    for kind in ("torture", "medical", "media", "civil_defense"):
        lists.append((f"{kind}.parties", getattr(record, kind).parties))
    if record.annual is not None:
        lists.append(("annual.parties", record.annual.parties))
        for kind in ("torture", "medical", "media", "civil_defense"):
            lists.append((f"annual.{kind}.parties", getattr(record.annual, kind).parties))
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
        if check.status == "fail" and check.rule in READING_RULES:
            for path in check.paths:
                suspects.setdefault(path, f"see the failing {check.rule} check on {path}")
    if not suspects:
        return
    for check in checks:
        if check.status != "fail" or check.rule.split(".")[0] in READING_RULES:
            continue
        if not ("_sum" in check.rule or "_agrees" in check.rule or "within" in check.rule):
            continue
        reasons = sorted(
            {why for prefix, why in suspects.items() for p in check.paths if _under(p, prefix)}
        )
        if reasons:
            check.message += "; the reading, not the report, may be at fault: " + "; ".join(reasons)


def run_checks(record: Record) -> list[Check]:
    """All checks for one record, after the extraction problems already recorded."""
    checks: list[Check] = list(record.checks)
    # An announcement names a few parties in prose, not a complete breakdown: summing
    # them against its toll would blame it for what it never claims.
    if sums_parties(record):
        checks += toll_checks(
            "",
            "civilians",
            record.civilians,
            record.parties,
            record.other_parties,
            "civilians_sum",
        )
    checks += aggregate_checks(record)
    for kind in ("torture", "medical", "media", "civil_defense"):
        checks += breakdown_checks("", kind, getattr(record, kind))
    checks += massacre_checks("", record.massacres, record.civilians)
    if record.annual is not None:
        a = record.annual
        checks += toll_checks(
            "annual.",
            "annual.civilians",
            a.civilians,
            a.parties,
            a.other_parties,
            "annual.civilians_sum",
        )
        for kind in ("torture", "medical", "media", "civil_defense"):
            checks += breakdown_checks("annual.", kind, getattr(a, kind))
        checks += massacre_checks("annual.", a.massacres, a.civilians)
    checks += plausibility_checks(record)
    checks += agreement_checks(record)
    if record.civilians is None and record.people is None:
        checks.append(
            Check(
                rule="figure_read.civilians",
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
