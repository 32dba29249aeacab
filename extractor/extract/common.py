"""Shared reading helpers for the section extractors: sentences, tolls, list items, evidence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from ..document import Paragraph
from ..language.matching import fullmatch, search
from ..language.normalise import parse_number
from ..language.patterns import pattern
from ..models import Evidence, Group, Toll
from .scope import About, Scope, is_lead_in, lead_in_about

# `regex`'s \s (the Unicode White_Space characters), written out for `re`, which splits a
# paragraph into sentences in 60% of `regex`'s time (tests/test_prefilter.py checks the
# class against `regex` for every code point).
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# A sentence ends at the white space (group 1) after ".", "!" or "?" and before what opens
# a sentence. The stop is matched rather than looked behind for: `re` then skips to the
# next stop instead of testing every character (2.3 times faster, the same pieces).
_SENTENCE_END = re.compile(rf"[.!?]([{WHITE_SPACE}]+)(?=[A-Z0-9“\"(\[])")


# The patterns (sentences.toml [toll]) of a unit that says who a whole toll was.
ONLY = ("only_children", "only_women")


def split_sentences(text: str) -> list[str]:
    # A fresh list each time, so that no caller can change what the cache holds.
    return list(_sentences(text))


# The readers of one report split the same paragraphs again and again (about 25 times each
# over the corpus); the split is kept per text. Bounded, because a sandbox child serves
# file after file.
@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    pieces, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        pieces.append(text[start : end.start(1)])
        start = end.end(1)
    pieces.append(text[start:])
    return tuple(s.strip() for s in pieces if s.strip())


def first_match(pats: list[regex.Pattern[str]], text: str) -> regex.Match[str] | None:
    for pat in pats:
        found = search(pat, text)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Hit:
    """A sentence inside a paragraph: the unit figures are read from and quoted."""

    sentence: str
    para: Paragraph

    @property
    def page(self) -> int | None:
        """The page the sentence begins on (a paragraph may run on across pages)."""
        return self.para.page_of(self.sentence)


@dataclass
class EvidenceLog:
    """Collects the page and sentence for every figure path."""

    entries: dict[str, Evidence] = field(default_factory=dict)

    def add(self, path: str, hit: Hit, figure: int | None = None) -> None:
        if path in self.entries:
            return  # the first sentence read for a figure is its evidence
        # The page the sentence (or its figure) stands on, not where its paragraph began.
        page = hit.para.page_of(hit.sentence, figure)
        self.entries[path] = Evidence(page=page, quote=hit.sentence)

    def drop(self, *paths: str) -> None:
        """Forget the evidence of figures left null (contested ones)."""
        for path in paths:
            self.entries.pop(path, None)

    def drop_toll(self, prefix: str) -> None:
        self.drop(*(f"{prefix}.{name}" for name in ("total", "children", "women")))

    def add_toll(self, prefix: str, toll: Toll, hit: Hit) -> None:
        for name in ("total", "children", "women"):
            if getattr(toll, name) is not None:
                self.add(f"{prefix}.{name}", hit, getattr(toll, name))


def read_toll(text: str, found: regex.Match[str], group: str = "total") -> Toll:
    """The total in `found`, and the children/women stated in the clause that follows it."""
    total = parse_number(found.group(group))
    names = found.re.groupindex
    children = _group_number(found, "children") if "children" in names else None
    women = _group_number(found, "women") if "women" in names else None
    after = text[found.end(group) :]
    clause = after[: clause_end(after)]
    start = search(pattern("toll.split_start"), clause)
    if start is not None:
        split = clause[start.start() :]
        if children is None:
            kid = search(pattern("toll.children"), split)
            children = parse_number(kid.group("children")) if kid else None
        if women is None:
            woman = search(pattern("toll.women"), split)
            women = parse_number(woman.group("women")) if woman else None
    # "the death of one child" / "two women": the unit itself says who they were.
    if children is None and women is None:
        if search(pattern("toll.only_children"), after) is not None:
            children = total
        elif search(pattern("toll.only_women"), after) is not None:
            women = total
    return Toll(total=total, children=children, women=women)


def toll_clause(text: str, found: regex.Match[str], group: str = "total") -> str:
    """The clause a toll's figure stands in: from the last ";" before it to the end of its
    children/women split ("..., bringing the total since the start of the year to N" is a
    different clause). What this clause names decides what the figure is about."""
    start = text.rfind(";", 0, found.start(group)) + 1
    return text[start : found.end(group) + clause_end(text[found.end(group) :])]


# A toll's clause is judged (`toll_clause`) and then read (`read_toll`): the same text after
# the figure is searched for its end twice in a row. Bounded; a pure function of the text.
@lru_cache(maxsize=64)
def clause_end(after: str) -> int:
    """Where the clause that `after` (the text after a figure) continues ends in it."""
    end = search(pattern("toll.clause_end"), after)
    return end.start() if end is not None else len(after)


def _group_number(found: regex.Match[str], name: str) -> int | None:
    value = found.group(name)
    return parse_number(value) if value else None


@dataclass(frozen=True)
class Item:
    """A list entry "Label: figure ..." or a label line "Label:" awaiting its figure."""

    label: str
    rest: str


def list_item(text: str) -> Item | None:
    found = fullmatch(pattern("lists.item"), text)
    if found is None:
        return None
    label, rest = found.group("label").strip(" -*"), found.group("rest").strip()
    if not rest and search(pattern("lists.bare"), label) is not None:
        return None  # "We documented the deaths of 110 civilians ... as follows:" is a sentence
    return Item(label, rest)


def is_main_marker(text: str) -> bool:
    return fullmatch(pattern("lists.main_marker"), text) is not None


def other_marker(text: str) -> regex.Match[str] | None:
    return fullmatch(pattern("lists.other_marker"), text)


@dataclass(frozen=True)
class Figure:
    """A figure at the start of a list item's text and the unit word after it ("" if bare)."""

    toll: Toll
    unit: str

    def fits(self, unit_key: str) -> bool:
        """Is the unit one this section counts? A bare number always fits."""
        return not self.unit or fullmatch(pattern(f"units.{unit_key}"), self.unit) is not None


def leading_figure(rest: str) -> Figure | None:
    """Read "10 civilians, including ..." / "Two." / "Three deaths due to torture"."""
    first = split_sentences(rest)[0] if rest else ""
    found = fullmatch(pattern("lists.bare"), first.strip())
    if found is None:
        return None
    tail = found.group("rest")
    unit = search(pattern("lists.unit_any"), tail)
    word = unit.group(0) if unit is not None and not tail[: unit.start()].strip() else ""
    if not word and tail.strip() and tail.strip()[0] not in ".,;:(-–—":
        return None  # "10:35 a.m." or "35 kilometers": a number, but not a count
    return Figure(read_toll(first.strip(), found), word)


OTHER_PARTIES = "Other parties"


@dataclass(frozen=True)
class Step:
    """A paragraph of a figure section, placed in the lists around it."""

    para: Paragraph
    group: Group | None  # the list it stands in: after "A. Main parties" / "B. Other parties"
    label: str | None  # a label line just above it ("- Syrian regime forces:") awaiting a figure
    item: Item | None  # the paragraph itself as "Label: rest", when it has that shape
    other_rest: str | None = None  # "B. Other parties: Two individuals." -> "Two individuals."
    # What the lead-in in force says the list is about; only "own" lists fill figures.
    about: About = "own"
    # A second "Label: N" item on the same line: "13 civilians, Bombings ...: Seven civilians"
    more: tuple[Item, ...] = ()
    lead: bool = False  # the paragraph is itself a lead-in ("... distributed as follows:")
    # Under a label line, the figure the paragraph opens with (read once, by `walk`).
    label_figure: Figure | None = None

    @property
    def first_sentence(self) -> Hit:
        return Hit(split_sentences(self.para.text)[0], self.para)

    @property
    def in_list(self) -> bool:
        """Under a group marker or a label line: a party's entry, never a section total."""
        return self.group is not None or self.label is not None


def split_items(item: Item) -> tuple[Item, tuple[Item, ...]]:
    """ "Gunfire ...: 13 civilians, Bombings ...: Seven civilians, including two children"
    is two items; each keeps only its own words, so no split leaks from one to the other."""
    found = search(pattern("about.another_item"), item.rest)
    if found is None:
        return item, ()
    first = Item(item.label, item.rest[: found.start()].rstrip(" ,;.") + ".")
    nxt, more = split_items(Item(found.group("label").strip(" -*•–"), found.group("rest")))
    return first, (nxt, *more)


def walk(paragraphs: list[Paragraph], scope: Scope) -> Iterator[Step]:
    """The list structure every figure section shares: lead-ins ("... distributed as
    follows:") that decide what the list after them is about, "A. Main parties:" and
    "B. Other parties:" markers, label lines awaiting their figure on the next paragraph,
    and items. The group resets with each lead-in."""
    group: Group | None = None
    pending: str | None = None
    lead: About = "own"
    # "B. Other parties: two medical workers" gives the group's figure inline: what follows
    # it is the group's categories (items), and the first paragraph that is no item ends
    # the list ("We documented no deaths among medical personnel in December.").
    inline_other = False
    for para in paragraphs:
        text = para.text
        label, pending = pending, None
        if is_main_marker(text):
            group, inline_other = "main", False
            continue
        marker = other_marker(text)
        if marker is not None:
            group = "other"
            inline_other = bool(marker.group("rest"))
            if marker.group("rest"):
                yield Step(para, group, None, None, marker.group("rest"), lead)
            else:
                pending = OTHER_PARTIES
            continue
        last = split_sentences(text)[-1] if text.strip() else ""
        if is_lead_in(last):
            sentences = split_sentences(text)
            head = list_item(text) if len(sentences) > 1 else None
            if head is not None and head.rest:
                # A PDF may run the list's last item and the next lead-in together: "-
                # Shelling from unknown source: Two civilians. The death toll ... as
                # follows:" (2020-07). The item belongs to the list it ends.
                head, extra = split_items(head)
                yield Step(para, group, label, head, None, lead, extra)
                label = None
            lead = lead_in_about(last, scope)
            says_other = search(pattern("civilians.other_parties"), last) is not None
            group = "other" if says_other else None
            inline_other = False
            figure = leading_figure(text) if label is not None else None
            yield Step(para, group, label, None, None, lead, lead=True, label_figure=figure)
            continue
        # Under a label line, a paragraph that opens with a figure is that label's figure,
        # even when it has a colon of its own ("Nine civilians: Six children and three women").
        figure = leading_figure(text) if label is not None else None
        item = None if figure is not None else list_item(text)
        if item is not None and not item.rest:
            pending = item.label
            continue
        if inline_other and item is None and label is None:
            group, inline_other = None, False
        more: tuple[Item, ...] = ()
        if item is not None:
            item, more = split_items(item)
        yield Step(para, group, label, item, None, lead, more, label_figure=figure)


def is_other_parties(label: str) -> bool:
    found = other_marker(label.strip())
    return found is not None and not found.group("rest")
