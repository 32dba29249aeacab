"""Deaths due to torture and among medical, media and Civil Defense personnel."""

from __future__ import annotations

from typing import TypeVar

from ..document import Paragraph
from ..language.matching import search
from ..language.normalise import parse_number
from ..language.patterns import pattern, pattern_list
from ..models import Breakdown, Toll
from .common import Hit, first_match, read_toll, split_sentences, toll_clause, walk
from .context import Context
from .items import ListOf, add_toll_entry, party_entry, step_entries
from .scope import Scope, about

B = TypeVar("B", bound=Breakdown)


def read_breakdown(paragraphs: list[Paragraph], kind: str, scope: Scope, ctx: Context, out: B) -> B:
    """Fill `out` from a torture/medical/media/civil_defense section's paragraphs."""
    is_torture = kind == "torture"
    totals = pattern_list("torture.total") if is_torture else pattern_list("personnel.total", kind)
    zeros = pattern_list("torture.zero") if is_torture else pattern_list("personnel.zero", kind)
    taken: set[str] = set()
    candidates: list[tuple[Toll, Hit]] = []
    ytds: list[tuple[int, Hit]] = []
    of = ListOf(kind, (kind,), scope.path(f"{kind}.parties"), scope.path(f"{kind}.other_parties"))
    for step in walk(paragraphs, scope):
        para, text = step.para, step.para.text
        entries = step_entries(step, of, ctx)
        if entries is not None:
            for entry in entries:
                add_toll_entry(out, entry, scope.path(f"{kind}."), taken, ctx)
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
                        ctx.evidence.add_toll(scope.path(kind), toll, hit)
                    candidates.append((toll, hit))
            elif first_match(zeros, sentence) is not None and about(sentence, scope) == "own":
                if not candidates:
                    ctx.evidence.add(scope.path(f"{kind}.total"), hit)
                candidates.append((Toll(total=0), hit))
            if is_torture:
                ytd = first_match(pattern_list("torture.ytd"), sentence)
                if ytd is not None:
                    if not ytds:
                        ctx.evidence.add(scope.path(f"{kind}.ytd"), hit)
                    ytds.append((parse_number(ytd.group("ytd")), hit))
    chosen = ctx.choose(scope.path(f"{kind}.total"), candidates, scope.path(kind))
    total_hit: Hit | None = None
    if chosen is not None:
        toll, total_hit = chosen
        out.total, out.children, out.women = toll.total, toll.children, toll.women
        if is_torture:
            picked = ctx.choose(scope.path(f"{kind}.ytd"), ytds)
            out.ytd = picked[0] if picked is not None else None
    if out.ytd is None:
        ctx.evidence.drop(scope.path(f"{kind}.ytd"))
    if total_hit is not None and out.total and not out.parties and out.other_parties is None:
        _single_party(out, kind, scope, total_hit, ctx)
    return out


def _single_party(out: Breakdown, kind: str, scope: Scope, hit: Hit, ctx: Context) -> None:
    """ "... four medical personnel, including one woman, at the hands of Syrian regime forces"."""
    if not out.total:
        return
    if search(pattern("personnel.shared"), hit.sentence) is not None:
        return  # "two ..., one at the hands of X and one at the hands of Y": not one party's
    toll = Toll(total=out.total, children=out.children, women=out.women)
    if search(pattern("civilians.other_parties"), hit.sentence) is not None:
        out.other_parties = toll
        ctx.evidence.add_toll(scope.path(f"{kind}.other_parties"), toll, hit)
        return
    hands = search(pattern("civilians.at_hands"), hit.sentence)
    if hands is None:
        return
    label = hands.group("label").strip()
    entry = party_entry(label, toll, kind, None, hit, ctx)
    if entry.match is None or entry.match.method == "none":
        return  # "at the hands of the parties to the conflict": no single party named
    party = entry.party_toll()
    out.parties.append(party)
    ctx.evidence.add_toll(scope.path(f"{kind}.parties.{party.party}"), toll, hit)
