"""The civilian toll section: total, year-to-date, the main parties and the other parties."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..document import Paragraph
from ..models import Group, PartyToll, Toll
from ..normalise import match_party, parse_number
from ..patterns import pattern, pattern_list
from .common import (
    Hit,
    Item,
    Step,
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
    for step in walk(paragraphs, scope):
        own_list = step.about == "own"
        if step.other_rest is not None:
            figure = leading_figure(step.other_rest)
            if own_list and figure is not None and out.other_parties is None:
                out.other_parties = figure.toll
                ctx.evidence.add_toll(
                    scope.path("other_parties"), figure.toll, Hit(step.para.text, step.para)
                )
            continue
        if step.item is not None and _read_items(out, step, scope, taken, ctx):
            continue
        if step.label is not None and step.item is None:
            figure = leading_figure(step.para.text)
            if figure is not None and figure.fits("civilians"):
                # "- Landmines of unknown origin:" then "10 civilians, including ..."
                if step.about == "own":
                    hit = step.first_sentence
                    if is_other_parties(step.label):
                        out.other_parties = out.other_parties or figure.toll
                        ctx.evidence.add_toll(scope.path("other_parties"), figure.toll, hit)
                    else:
                        _add_party(out, step.label, figure.toll, step.group, scope, taken, hit, ctx)
                continue
        for sentence in split_sentences(step.para.text):
            hit = Hit(sentence, step.para)
            if not step.in_list:
                _total_candidates(hit, scope, totals, ytds, ctx)
            elif own_list:
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


def _read_items(out: CivilianToll, step: Step, scope: Scope, taken: set[str], ctx: Context) -> bool:
    """The line's items ("Label: N civilians, including ..."); False if it is not one."""
    assert step.item is not None
    items: list[Item] = [step.item, *step.more]
    figure = leading_figure(step.item.rest)
    if figure is None or not figure.fits("civilians"):
        return False
    if step.about != "own":
        return True  # the year to date, another month, a place: not the month's parties
    hit = step.first_sentence
    for item in items:
        figure = leading_figure(item.rest)
        if figure is None or not figure.fits("civilians"):
            ctx.item_unread(scope.path("parties"), hit, f"the item {item.label!r}")
            continue
        if is_other_parties(item.label):
            out.other_parties = out.other_parties or figure.toll
            ctx.evidence.add_toll(scope.path("other_parties"), figure.toll, hit)
        else:
            _add_party(out, item.label, figure.toll, step.group, scope, taken, hit, ctx)
    return True


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
    return match_party(hands.group("label").strip(), ctx.settings).method != "none"


def _only_children_or_women(sentence: str, found: regex.Match[str]) -> bool:
    """ "the deaths of 20 children": a sub-group, not the toll."""
    after = sentence[found.end("total") :].lstrip().lower()
    return after.startswith(("child", "women", "woman"))


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
            _add_party(out, label, toll, group, scope, taken, hit, ctx)


def _add_party(
    out: CivilianToll,
    label: str,
    toll: Toll,
    group: Group | None,
    scope: Scope,
    taken: set[str],
    hit: Hit,
    ctx: Context,
) -> None:
    entry, match = party_toll(label, toll, group, ctx.settings)
    path = unique_path(scope.path("parties"), entry.party, taken)
    out.parties.append(entry)
    ctx.evidence.add_toll(path, toll, hit)
    ctx.party_recognised(entry, match, f"{path}.total", hit)
