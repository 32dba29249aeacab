"""Massacres: the count, year-to-date, deaths, the split by party and each described incident."""

from __future__ import annotations

import datetime as dt
from functools import cache

import regex

from ..checks.rules import INCIDENTS_READ, MASSACRE_DEATHS_PARTY
from ..document import Paragraph
from ..language.matching import search
from ..language.normalise import (
    canonical_governorate,
    find_parties_in,
    parse_number,
    party_group,
)
from ..language.patterns import MONTHS, governorate_regex, party_aliases, pattern, pattern_list
from ..models import Group, Incident, MassacreParty, Massacres
from .common import Hit, first_match, read_toll, split_sentences, toll_clause, walk
from .context import Context
from .items import Entry, ListOf, step_entries
from .scope import Scope, about


def read_massacres(paragraphs: list[Paragraph], scope: Scope, year: int, ctx: Context) -> Massacres:
    out = Massacres()
    all_by: tuple[str, Hit] | None = None
    unread = 0
    counts: list[tuple[tuple[int, int | None], Hit]] = []
    ytds: list[tuple[int, Hit]] = []
    of = ListOf(
        "massacres",
        ("massacres", "massacre_deaths"),
        scope.path("massacres.parties"),
        scope.path("massacres.other_parties_count"),
        other_units=("massacres",),
    )
    for step in walk(paragraphs, scope):
        para, text = step.para, step.para.text
        if step.other_rest is None and _looks_like_incident(text):
            incident = read_incident(para, year, ctx)
            if incident is not None:
                path = scope.path(f"massacres.incidents.{len(out.incidents)}")
                ctx.evidence.add(path, Hit(incident.quote, para))
                out.incidents.append(incident)
            elif len(text) >= 100 and search(pattern("incident.death_word"), text) is not None:
                unread += 1
            continue
        entries = step_entries(step, of, ctx)
        if entries is not None:
            for entry in entries:
                _place(out, entry, scope, ctx)
            continue
        for sentence in split_sentences(text):
            hit = Hit(sentence, para)
            _count_candidate(ctx, sentence, hit, scope, step.in_list and not step.lead, counts)
            all_by = _read_sentence(out, hit, scope, ytds, ctx) or all_by
    chosen = ctx.choose(scope.path("massacres.count"), counts)
    if chosen is not None:
        (out.count, out.ytd), _ = chosen
    if out.count is not None and out.ytd is None:
        picked = ctx.choose(scope.path("massacres.ytd"), ytds)
        if picked is not None:
            out.ytd = picked[0]
            ctx.evidence.add(scope.path("massacres.ytd"), picked[1])
    if out.ytd is None:
        ctx.evidence.drop(scope.path("massacres.ytd"))
    if not out.count:
        all_by, unread = None, 0
    if all_by is not None and not out.parties and out.count:
        label, hit = all_by
        match = ctx.match_party(label)
        its_group: Group = "main" if match.group == "main" else "other"
        out.parties.append(MassacreParty(party=match.party, group=its_group, count=out.count))
        ctx.evidence.add(scope.path(f"massacres.parties.{match.party}.count"), hit)
        ctx.party_recognised(None, match, scope.path(f"massacres.parties.{match.party}.count"), hit)
    if unread:
        ctx.problem(
            INCIDENTS_READ.qualify(),
            f"{unread} paragraph(s) describing a dated incident gave no death toll that "
            "the incident patterns can read; they are left out of incidents",
            [scope.path("massacres.incidents")],
        )
    return out


def _count_candidate(
    ctx: Context,
    sentence: str,
    hit: Hit,
    scope: Scope,
    in_list: bool,
    counts: list[tuple[tuple[int, int | None], Hit]],
) -> None:
    """The month's count of massacres: outside the party lists, about the section's own
    period. "N massacres since the beginning of 2020, including four massacre in July"
    (2020-07) states both the year to date and the month's count, by its own pattern."""
    if in_list:
        return
    found = first_match(pattern_list("massacres.count"), sentence)
    if found is not None:
        has_ytd = "ytd" in found.re.groupindex and found.group("ytd")
        if has_ytd or about(toll_clause(sentence, found, "count"), scope) == "own":
            ytd = parse_number(found.group("ytd")) if has_ytd else None
            counts.append(((parse_number(found.group("count")), ytd), hit))
            if len(counts) == 1:
                ctx.evidence.add(scope.path("massacres.count"), hit)
                if ytd is not None:
                    ctx.evidence.add(scope.path("massacres.ytd"), hit)
    elif (
        first_match(pattern_list("massacres.zero"), sentence) is not None
        and about(sentence, scope) == "own"
    ):
        counts.append(((0, None), hit))
        if len(counts) == 1:
            ctx.evidence.add(scope.path("massacres.count"), hit)


def _read_sentence(
    out: Massacres, hit: Hit, scope: Scope, ytds: list[tuple[int, Hit]], ctx: Context
) -> tuple[str, Hit] | None:
    sentence = hit.sentence
    ytd = first_match(pattern_list("massacres.ytd"), sentence)
    if ytd is not None:
        ytds.append((parse_number(ytd.group("ytd")), hit))
    if out.deaths is None:
        deaths = first_match(pattern_list("massacres.deaths"), sentence)
        if deaths is not None:
            out.deaths = read_toll(sentence, deaths)
            ctx.evidence.add_toll(scope.path("massacres.deaths"), out.deaths, hit)
    everything = first_match(pattern_list("massacres.all_by"), sentence)
    if everything is not None:
        return everything.group("label").strip(), hit
    return None


def _place(out: Massacres, entry: Entry, scope: Scope, ctx: Context) -> None:
    """A list entry of the massacre section: the other parties' count, a party's count, or
    the deaths in a party's massacres (given after its count)."""
    assert entry.toll.total is not None
    if entry.match is None:
        out.other_parties_count = entry.toll.total
        ctx.evidence.add(scope.path("massacres.other_parties_count"), entry.hit)
        return
    path = scope.path(f"massacres.parties.{entry.match.party}")
    if entry.unit == "massacres":
        out.parties.append(
            MassacreParty(party=entry.match.party, group=entry.group, count=entry.toll.total)
        )
        ctx.evidence.add(f"{path}.count", entry.hit)
        ctx.party_recognised(None, entry.match, f"{path}.count", entry.hit)
        return
    party = entry.match.party
    owner = next((p for p in out.parties if p.party == party and p.deaths is None), None)
    if owner is None:
        ctx.problem(
            MASSACRE_DEATHS_PARTY.qualify(),
            f"deaths given for {entry.label!r}, which has no massacre count; not read",
            [f"{path}.deaths"],
            entry.hit,
        )
        return
    owner.deaths = entry.toll
    ctx.evidence.add_toll(f"{path}.deaths", entry.toll, entry.hit)


def _looks_like_incident(text: str) -> bool:
    if text[:1] in "\"“'‘":
        return False  # an eyewitness's account, quoted, not the report's description
    return search(pattern("incident.date"), text[:160]) is not None


def read_incident(para: Paragraph, year: int, ctx: Context) -> Incident | None:
    text = para.text
    date = search(pattern("incident.date"), text[:160])
    deaths = first_match(pattern_list("incident.deaths"), text)
    if deaths is None or date is None:
        return None
    toll = read_toll(text, deaths)
    when: str | None = None
    try:
        month = MONTHS.index(date.group("month").lower()) + 1
        when = dt.date(int(date.group("year") or year), month, int(date.group("day"))).isoformat()
    except ValueError:
        when = None
    sentences = split_sentences(text)
    own = [s for s in sentences if search(pattern("incident.control"), s) is None]
    prose = " ".join(own)
    # The perpetrator is looked for only where the attack itself is told: the opening
    # sentence and the one with the deaths. Later sentences name other actors (the
    # victims' units, who controlled the area, who was suspected).
    told = [s for s in own if s == sentences[0] or deaths.group(0) in s]
    parties = _perpetrators(" ".join(told), ctx.period)
    where = pattern("incident.origin").sub(" ", prose)
    gov = search(governorate_regex(), where)
    place = search(pattern("incident.place"), where)
    quote = next((s for s in split_sentences(text) if deaths.group("total") in s), text)
    return Incident(
        date=when,
        deaths=toll,
        party=parties[0] if len(parties) == 1 else None,
        place=place.group("place") if place is not None else None,
        governorate=canonical_governorate(gov.group("governorate")) if gov is not None else None,
        quote=quote,
    )


def _perpetrators(prose: str, period: tuple[int, int] | None) -> list[str]:
    """Parties named as doing the killing. An unknown-source category ("a car bomb of
    unknown origin") names itself; a main party must be the agent of the sentence ("by
    Syrian regime forces", "Syrian regime artillery forces ... fired"), never merely
    mentioned ("the Syrian regime's Military Academy")."""
    found: list[str] = []
    for party in find_parties_in(prose, period):
        group = party_group(party)
        for alias in _alias_spans(prose, party):
            before, after = prose[: alias[0]], prose[alias[1] :]
            by = search(pattern("incident.agent_before"), before) is not None
            if group == "other" or by or search(pattern("incident.agent_verb"), after) is not None:
                found.append(party)
                break
    return found


def _alias_spans(prose: str, party: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for alias in party_aliases():
        if alias.party != party:
            continue
        spans.extend(m.span() for m in _alias_regex(alias.alias).finditer(prose))
    return spans


@cache
def _alias_regex(alias: str) -> regex.Pattern[str]:
    """An alias as a whole phrase, any spacing, either apostrophe (compiled once)."""
    form = regex.escape(alias).replace(r"\ ", r"\s+").replace("'", "['’]")
    return regex.compile(rf"(?<![\w-]){form}(?![\w-])", regex.I)
