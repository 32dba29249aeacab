"""Dotted paths of every figure in a record, as used by `evidence` and by checks."""

from __future__ import annotations

from collections.abc import Iterator

from .extract.scope import Scope
from .models import Annual, Breakdown, Massacres, PartyToll, Record, Toll

TOLL_FIELDS = ("total", "children", "women")


def _toll(prefix: str, toll: Toll | None) -> Iterator[str]:
    if toll is None:
        return
    for field in TOLL_FIELDS:
        if getattr(toll, field) is not None:
            yield f"{prefix}.{field}"


def party_path(prefix: str, parties: list[PartyToll], index: int) -> str:
    """`prefix.<party>`, or `prefix.<party>~N` for the Nth entry of a party listed twice."""
    party = parties[index].party
    n = sum(1 for p in parties[: index + 1] if p.party == party)
    return f"{prefix}.{party}" if n == 1 else f"{prefix}.{party}~{n}"


def _parties(prefix: str, parties: list[PartyToll]) -> Iterator[str]:
    for i, party in enumerate(parties):
        path = party_path(prefix, parties, i)
        yield from _toll(path, Toll(total=party.total, children=party.children, women=party.women))
        for extra in ("torture", "combatants"):  # v2: figures inside the party's paragraph
            if getattr(party, extra) is not None:
                yield f"{path}.{extra}"


def _breakdown(prefix: str, b: Breakdown) -> Iterator[str]:
    yield from _toll(prefix, Toll(total=b.total, children=b.children, women=b.women))
    if b.ytd is not None:
        yield f"{prefix}.ytd"
    yield from _parties(f"{prefix}.parties", b.parties)
    yield from _toll(f"{prefix}.other_parties", b.other_parties)


def _massacres(prefix: str, m: Massacres) -> Iterator[str]:
    for name in ("count", "ytd", "other_parties_count"):
        if getattr(m, name) is not None:
            yield f"{prefix}.{name}"
    yield from _toll(f"{prefix}.deaths", m.deaths)
    for party in m.parties:
        yield f"{prefix}.parties.{party.party}.count"
        yield from _toll(f"{prefix}.parties.{party.party}.deaths", party.deaths)
    for i in range(len(m.incidents)):
        yield f"{prefix}.incidents.{i}"


def _scope(scope: Scope, of: Record | Annual) -> Iterator[str]:
    yield from _toll(scope.path("civilians"), of.civilians)
    yield from _parties(scope.path("parties"), of.parties)
    yield from _toll(scope.path("other_parties"), of.other_parties)
    yield from _breakdown(scope.path("torture"), of.torture)
    yield from _breakdown(scope.path("medical"), of.medical)
    yield from _breakdown(scope.path("media"), of.media)
    yield from _breakdown(scope.path("civil_defense"), of.civil_defense)
    yield from _massacres(scope.path("massacres"), of.massacres)
    for share in of.governorates:
        yield scope.path(f"governorates.{share.governorate}")


def figure_paths(record: Record) -> Iterator[str]:
    """Every non-null figure of the record: each must have an evidence entry."""
    yield "report.period"
    if record.report.published is not None:
        yield "report.published"
    if record.report.title is not None:
        yield "report.title"
    yield from _scope(Scope("month", record.report.year, record.report.month), record)
    yield from _toll("people", record.people)
    yield from _toll("combatants", record.combatants)
    for agg in record.aggregates:
        yield from _toll(
            f"aggregates.{agg.id}", Toll(total=agg.total, children=agg.children, women=agg.women)
        )
    if record.civilians_ytd is not None:
        yield "civilians_ytd"
    if record.torture.counted_in_civilians is not None:
        yield "torture.counted_in_civilians"
    if record.annual is not None:
        yield from _scope(Scope("year", record.annual.year), record.annual)
    yield from _toll("summary.civilians", record.summary.civilians)
    yield from _parties("summary.parties", record.summary.parties)
    yield from _toll("summary.other_parties", record.summary.other_parties)
    t = record.title_figures
    yield from _toll("title_figures.civilians", t.civilians)
    yield from _toll("title_figures.annual_civilians", t.annual_civilians)
    if t.torture is not None:
        yield "title_figures.torture"
    if t.annual_torture is not None:
        yield "title_figures.annual_torture"


def value_at(record: Record, path: str) -> object:
    """The value a dotted path names: `parties.russia.children`, `governorates.Aleppo`,
    `massacres.incidents.0`, `parties.turkish_forces~2.total`. None if absent."""
    node: object = record.model_dump(mode="json")
    for token in path.split("."):
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list):
            node = _pick(node, token)
        else:
            return None
        if node is None:
            return None
    return node


def _pick(items: list[object], token: str) -> object:
    if token.isdigit():
        index = int(token)
        return items[index] if index < len(items) else None
    name, _, nth = token.partition("~")
    wanted = int(nth) if nth else 1
    seen = 0
    for item in items:
        if isinstance(item, dict) and name in (
            item.get("party"),
            item.get("governorate"),
            item.get("id"),
        ):
            seen += 1
            if seen == wanted:
                return item.get("percent", item) if "governorate" in item else item
    return None
