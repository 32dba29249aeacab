"""The civilian toll section: total, year-to-date, the main parties and the other parties."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Paragraph
from ..models import Group, PartyToll, Toll
from ..normalise import parse_number
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
    walk,
)
from .context import Context, unique_path


@dataclass
class CivilianToll:
    total: Toll | None = None
    ytd: int | None = None
    parties: list[PartyToll] = field(default_factory=list)
    other_parties: Toll | None = None


def read_civilians(paragraphs: list[Paragraph], prefix: str, ctx: Context) -> CivilianToll:
    out = CivilianToll()
    taken: set[str] = set()
    for step in walk(paragraphs):
        if step.other_rest is not None:
            figure = leading_figure(step.other_rest)
            if figure is not None and out.other_parties is None:
                out.other_parties = figure.toll
                ctx.evidence.add_toll(
                    f"{prefix}other_parties", figure.toll, Hit(step.para.text, step.para)
                )
            continue
        if step.item is not None:
            figure = leading_figure(step.item.rest)
            if figure is not None and figure.fits("civilians"):
                hit = step.first_sentence
                if is_other_parties(step.item.label):
                    out.other_parties = out.other_parties or figure.toll
                    ctx.evidence.add_toll(f"{prefix}other_parties", figure.toll, hit)
                else:
                    _add_party(
                        out, step.item.label, figure.toll, step.group, prefix, taken, hit, ctx
                    )
                continue
        for sentence in split_sentences(step.para.text):
            _read_sentence(
                out, Hit(sentence, step.para), step.group, step.label, prefix, taken, ctx
            )
    return out


def _read_sentence(
    out: CivilianToll,
    hit: Hit,
    group: Group | None,
    label: str | None,
    prefix: str,
    taken: set[str],
    ctx: Context,
) -> None:
    sentence = hit.sentence
    if group is None:
        if out.total is None:
            found = first_match(pattern_list("civilians.total"), sentence)
            if found is not None:
                out.total = read_toll(sentence, found)
                ctx.evidence.add_toll(f"{prefix}civilians", out.total, hit)
        if out.ytd is None and out.total is not None:
            ytd = first_match(pattern_list("civilians.ytd"), sentence)
            if ytd is not None:
                out.ytd = parse_number(ytd.group("ytd"))
                ctx.evidence.add(f"{prefix}civilians_ytd", hit)
        return
    found = first_match(pattern_list("civilians.party_toll"), sentence)
    if found is None:
        return
    toll = read_toll(sentence, found)
    says_other = search(pattern("civilians.other_parties"), sentence) is not None
    if group == "other" and says_other:
        if out.other_parties is None:
            out.other_parties = toll
            ctx.evidence.add_toll(f"{prefix}other_parties", toll, hit)
        return
    if group == "main":
        if label is None:
            hands = search(pattern("civilians.at_hands"), sentence, found.end())
            label = hands.group("label").strip() if hands is not None else None
        if label is not None:
            _add_party(out, label, toll, group, prefix, taken, hit, ctx)


def _add_party(
    out: CivilianToll,
    label: str,
    toll: Toll,
    group: Group | None,
    prefix: str,
    taken: set[str],
    hit: Hit,
    ctx: Context,
) -> None:
    entry, match = party_toll(label, toll, group, ctx.settings)
    path = unique_path(f"{prefix}parties", entry.party, taken)
    out.parties.append(entry)
    ctx.evidence.add_toll(path, toll, hit)
    ctx.party_recognised(entry, match, f"{path}.total", hit)
