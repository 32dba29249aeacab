"""The civilian toll section: total, year-to-date, the main parties and the other parties."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..document import Paragraph
from ..language.matching import search
from ..language.normalise import parse_number
from ..language.patterns import pattern, pattern_list
from ..models import Group, PartyToll, Toll
from .common import ONLY, Hit, first_match, read_toll, split_sentences, toll_clause, walk
from .context import Context
from .items import ListOf, add_toll_entry, party_entry, step_entries
from .scope import Scope, about


@dataclass
class CivilianToll:
    total: Toll | None = None
    ytd: int | None = None
    parties: list[PartyToll] = field(default_factory=list)
    other_parties: Toll | None = None


def read_civilians(paragraphs: list[Paragraph], scope: Scope, ctx: Context) -> CivilianToll:
    out = CivilianToll()
    taken: set[str] = set()
    totals: list[tuple[Toll, Hit]] = []
    ytds: list[tuple[int, Hit]] = []
    of = ListOf("civilians", ("civilians",), scope.path("parties"), scope.path("other_parties"))
    for step in walk(paragraphs, scope):
        entries = step_entries(step, of, ctx)
        if entries is not None:
            for entry in entries:
                add_toll_entry(out, entry, scope.prefix, taken, ctx)
            continue
        for sentence in split_sentences(step.para.text):
            hit = Hit(sentence, step.para)
            if not step.in_list:
                _total_candidates(hit, scope, totals, ytds, ctx)
            elif step.about == "own":
                _read_party_sentence(out, hit, step.group, step.label, scope, taken, ctx)
    chosen = ctx.choose(scope.path("civilians.total"), totals, scope.path("civilians"))
    if chosen is not None:
        out.total = chosen[0]
        picked = ctx.choose(scope.path("civilians_ytd"), ytds)
        out.ytd = picked[0] if picked is not None else None
    else:
        ctx.evidence.drop(scope.path("civilians_ytd"))
    if out.ytd is None:
        ctx.evidence.drop(scope.path("civilians_ytd"))
    return out


def _total_candidates(
    hit: Hit,
    scope: Scope,
    totals: list[tuple[Toll, Hit]],
    ytds: list[tuple[int, Hit]],
    ctx: Context,
) -> None:
    """A sentence outside the party lists that gives a toll for the section's own period
    and the whole country is a candidate for the total; one that names a party, another
    period, a place or a sub-group ("seven civilians in the camps of the northeast") is not."""
    sentence = hit.sentence
    found = first_match(pattern_list("civilians.total"), sentence)
    if found is not None:
        clause = toll_clause(sentence, found)
        if about(clause, scope) == "own" and not _names_a_party(clause, ctx):
            toll = read_toll(sentence, found)
            if not _only_children_or_women(sentence, found):
                if not totals:
                    ctx.evidence.add_toll(scope.path("civilians"), toll, hit)
                totals.append((toll, hit))
    ytd = first_match(pattern_list("civilians.ytd"), sentence)
    if ytd is not None:
        if not ytds:
            ctx.evidence.add(scope.path("civilians_ytd"), hit)
        ytds.append((parse_number(ytd.group("ytd")), hit))


def _names_a_party(clause: str, ctx: Context) -> bool:
    if search(pattern("civilians.other_parties"), clause) is not None:
        return True
    hands = search(pattern("civilians.at_hands"), clause)
    if hands is None:
        return False
    return ctx.match_party(hands.group("label").strip()).method != "none"


def _only_children_or_women(sentence: str, found: regex.Match[str]) -> bool:
    """ "the deaths of 20 children": a sub-group, not the toll."""
    after = sentence[found.end("total") :]
    return any(search(pattern(f"toll.{who}"), after) is not None for who in ONLY)


def _read_party_sentence(
    out: CivilianToll,
    hit: Hit,
    group: Group | None,
    label: str | None,
    scope: Scope,
    taken: set[str],
    ctx: Context,
) -> None:
    sentence = hit.sentence
    found = first_match(pattern_list("civilians.party_toll"), sentence)
    if found is None:
        return
    toll = read_toll(sentence, found)
    says_other = search(pattern("civilians.other_parties"), sentence) is not None
    if group == "other" and says_other:
        if out.other_parties is None:
            out.other_parties = toll
            ctx.evidence.add_toll(scope.path("other_parties"), toll, hit)
        return
    if group == "main" or (group is None and label is not None):
        if label is None:
            hands = search(pattern("civilians.at_hands"), sentence, found.end())
            label = hands.group("label").strip() if hands is not None else None
        if label is not None:
            add_toll_entry(
                out,
                party_entry(label, toll, "civilians", group, hit, ctx),
                scope.prefix,
                taken,
                ctx,
            )
