"""Deaths due to torture and among medical, media and Civil Defense personnel."""

from __future__ import annotations

from typing import TypeVar

from ..document import Paragraph
from ..models import Breakdown, Group, Toll
from ..normalise import match_party, parse_number
from ..patterns import pattern, pattern_list
from .common import (
    Hit,
    first_match,
    is_other_parties,
    leading_figure,
    party_toll,
    read_toll,
    search,
    split_sentences,
    toll_clause,
    walk,
)
from .context import Context, unique_path
from .scope import Scope, about

B = TypeVar("B", bound=Breakdown)


def read_breakdown(paragraphs: list[Paragraph], kind: str, scope: Scope, ctx: Context, out: B) -> B:
    """Fill `out` from a torture/medical/media/civil_defense section's paragraphs."""
    prefix = scope.prefix
    is_torture = kind == "torture"
    totals = pattern_list("torture.total") if is_torture else pattern_list("personnel.total", kind)
    zeros = pattern_list("torture.zero") if is_torture else pattern_list("personnel.zero", kind)
    taken: set[str] = set()
    candidates: list[tuple[Toll, Hit]] = []
    ytds: list[tuple[int, Hit]] = []
    for step in walk(paragraphs, scope):
        para, text, group = step.para, step.para.text, step.group
        own_list = step.about == "own"
        if step.other_rest is not None:
            if own_list:
                _other(out, step.other_rest, kind, prefix, Hit(text, para), ctx)
            continue
        if step.item is not None and leading_figure(step.item.rest) is not None:
            if own_list:
                for item in (step.item, *step.more):
                    if not _item(
                        out,
                        item.label,
                        item.rest,
                        group,
                        kind,
                        prefix,
                        taken,
                        step.first_sentence,
                        ctx,
                    ):
                        ctx.item_unread(
                            f"{prefix}{kind}.parties",
                            step.first_sentence,
                            f"the item {item.label!r}",
                        )
            continue
        if step.label is not None and leading_figure(text) is not None:
            if own_list:
                _item(out, step.label, text, group, kind, prefix, taken, step.first_sentence, ctx)
            continue
        if step.in_list:
            continue
        for sentence in split_sentences(text):
            hit = Hit(sentence, para)
            found = first_match(totals, sentence)
            if found is not None:
                if about(toll_clause(sentence, found), scope) == "own":
                    toll = read_toll(sentence, found)
                    if not candidates:
                        ctx.evidence.add_toll(f"{prefix}{kind}", toll, hit)
                    candidates.append((toll, hit))
            elif first_match(zeros, sentence) is not None and about(sentence, scope) == "own":
                if not candidates:
                    ctx.evidence.add(f"{prefix}{kind}.total", hit)
                candidates.append((Toll(total=0), hit))
            if is_torture:
                ytd = first_match(pattern_list("torture.ytd"), sentence)
                if ytd is not None:
                    if not ytds:
                        ctx.evidence.add(f"{prefix}{kind}.ytd", hit)
                    ytds.append((parse_number(ytd.group("ytd")), hit))
    chosen = ctx.choose(f"{prefix}{kind}.total", candidates, f"{prefix}{kind}")
    total_hit: Hit | None = None
    if chosen is not None:
        toll, total_hit = chosen
        out.total, out.children, out.women = toll.total, toll.children, toll.women
        if is_torture:
            picked = ctx.choose(f"{prefix}{kind}.ytd", ytds)
            out.ytd = picked[0] if picked is not None else None
    if out.ytd is None:
        ctx.evidence.drop(f"{prefix}{kind}.ytd")
    if total_hit is not None and out.total and not out.parties and out.other_parties is None:
        _single_party(out, kind, prefix, total_hit, ctx)
    return out


def _item(
    out: Breakdown,
    label: str,
    rest: str,
    group: Group | None,
    kind: str,
    prefix: str,
    taken: set[str],
    hit: Hit,
    ctx: Context,
) -> bool:
    figure = leading_figure(rest)
    if figure is None:
        return False
    if not figure.fits(kind):
        ctx.problem(
            "unit_consistent",
            f"the item {hit.sentence!r} counts {figure.unit!r}, not this section's unit; "
            "it was not read",
            [f"{prefix}{kind}.parties"],
            hit,
        )
        return True
    if is_other_parties(label):
        if out.other_parties is None:
            out.other_parties = figure.toll
            ctx.evidence.add_toll(f"{prefix}{kind}.other_parties", figure.toll, hit)
        return True
    entry, match = party_toll(label, figure.toll, group, ctx.settings)
    path = unique_path(f"{prefix}{kind}.parties", entry.party, taken)
    out.parties.append(entry)
    ctx.evidence.add_toll(path, figure.toll, hit)
    ctx.party_recognised(entry, match, f"{path}.total", hit)
    return True


def _other(out: Breakdown, rest: str, kind: str, prefix: str, hit: Hit, ctx: Context) -> None:
    figure = leading_figure(rest)
    if figure is None:
        return
    if not figure.fits(kind):
        ctx.problem(
            "unit_consistent",
            f"'Other parties' here counts {figure.unit!r}, not this section's unit "
            "(a copy-paste slip in the report?); it was not read",
            [f"{prefix}{kind}.other_parties"],
            hit,
        )
        return
    if out.other_parties is None:
        out.other_parties = figure.toll
        ctx.evidence.add_toll(f"{prefix}{kind}.other_parties", figure.toll, hit)


def _single_party(out: Breakdown, kind: str, prefix: str, hit: Hit, ctx: Context) -> None:
    """ "... four medical personnel, including one woman, at the hands of Syrian regime forces"."""
    if not out.total:
        return
    toll = Toll(total=out.total, children=out.children, women=out.women)
    if search(pattern("civilians.other_parties"), hit.sentence) is not None:
        out.other_parties = toll
        ctx.evidence.add_toll(f"{prefix}{kind}.other_parties", toll, hit)
        return
    hands = search(pattern("civilians.at_hands"), hit.sentence)
    if hands is None:
        return
    label = hands.group("label").strip()
    match = match_party(label, ctx.settings)
    if match.method == "none":
        return  # "at the hands of the parties to the conflict": no single party named
    entry, _ = party_toll(label, toll, None, ctx.settings)
    out.parties.append(entry)
    ctx.evidence.add_toll(f"{prefix}{kind}.parties.{entry.party}", toll, hit)
