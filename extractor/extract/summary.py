"""The summary section ("Brief on the most notable incidents"): read only to be compared.

Its sub-headings name parties ("A. Syrian regime forces", "4. Bombings by unidentified
parties", "■ Drowning:") and the first sentence under each gives that party's toll. These
figures never replace the toll sections'; checks compare the two.
"""

from __future__ import annotations

import regex

from ..document import Paragraph
from ..language.matching import search
from ..language.patterns import pattern, pattern_list
from ..models import SummaryFigures, Toll
from .common import Hit, first_match, is_other_parties, read_toll, split_sentences, toll_clause
from .context import Context
from .items import party_entry
from .scope import Scope, about


def read_summary(paragraphs: list[Paragraph], scope: Scope, ctx: Context) -> SummaryFigures:
    out = SummaryFigures()
    totals: list[tuple[Toll, Hit]] = []
    label: str | None = None  # the party sub-heading we are under, "" for other parties
    done: set[str] = set()
    for para in paragraphs:
        # Only a short paragraph can be a sub-heading (the length is tested first: the
        # pattern is slow to fail on a long one).
        sub = search(pattern("summary.subheading"), para.text) if len(para.text) < 90 else None
        if sub is not None:
            candidate = sub.group("label").strip()
            if is_other_parties(candidate):
                label = ""
                continue
            match = ctx.match_party(candidate)
            label = candidate if match.method != "none" else None
            continue
        for sentence in split_sentences(para.text):
            hit = Hit(sentence, para)
            if label is None:
                # The summary's own toll: about the month and the whole country, as in
                # the toll section ("... seven civilians in the camps of the northeast" is not).
                found = first_match(pattern_list("civilians.total"), sentence)
                if found is not None and _own(sentence, found, scope):
                    toll = read_toll(sentence, found)
                    if not totals:
                        ctx.evidence.add_toll("summary.civilians", toll, hit)
                    totals.append((toll, hit))
                continue
            if label is None or label in done:
                continue
            found = search(pattern("summary.toll"), sentence)
            if found is None or not _own(sentence, found, scope):
                # "In October, ..." or "... in the camps of the northeast" under a party's
                # sub-heading is not the party's toll for the month and the whole country;
                # the party's own sentence may still follow.
                continue
            done.add(label)
            toll = read_toll(sentence, found)
            _record(out, label, toll, hit, ctx)
    chosen = ctx.choose("summary.civilians.total", totals, "summary.civilians")
    if chosen is not None:
        out.civilians = chosen[0]
    return out


def _own(sentence: str, found: regex.Match[str], scope: Scope) -> bool:
    """Is the figure `found` about the summary's own month and the whole country? Judged
    like a toll section's figure, on its clause; a repeated opener ("In October, In
    December, ...", 2023-12) counts only for its last month."""
    clause = toll_clause(sentence, found).lstrip()
    stacked = search(pattern("summary.stacked_opener"), clause)
    if stacked is not None:
        clause = clause[stacked.end() :]
    return about(clause, scope) == "own"


def _record(out: SummaryFigures, label: str, toll: Toll, hit: Hit, ctx: Context) -> None:
    """The figure under a sub-heading: "" is the other parties' total, else a party's; a
    party's second sub-heading in the summary adds nothing (its first figure stands)."""
    if label == "":
        out.other_parties = toll
        ctx.evidence.add_toll("summary.other_parties", toll, hit)
        return
    entry = party_entry(label, toll, "civilians", None, hit, ctx)
    if toll.total is None or any(p.party == entry.party_toll().party for p in out.parties):
        return
    party = entry.party_toll()
    out.parties.append(party)
    ctx.evidence.add_toll(f"summary.parties.{party.party}", toll, hit)
