"""The search prefilter (extractor/language/prefilter.py) must change speed only.

`may_match` answering False skips a search; that is right only if the pattern could not
have matched. Checked three ways: the clauses derived for patterns written here by hand;
every pattern the readers use against every paragraph and line of every corpus, era and
unseen text edition and every pattern example (a match must never be screened out); and
case folding over every code point, since the screen compares folded text.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.language import patterns
from extractor.language.prefilter import derive, fold, may_match
from extractor.language.schema import PatternSpec

from .test_compile_cache import _all_sources

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("source", "clauses"),
    [
        # Each clause: one of its strings is in every match.
        (r"(?P<p>\d{1,3})\s*(?:%|per\s*cent\b)", (("%", "cent"),)),
        (r"main\s+parties", (("main parties",),)),  # white space: one space in folded text
        (r"as\s+follows\s*:", (("as follows",), (":",))),
        (r"x\n\ny", (("x y",),)),
        # " foo" loses its edge space; ",foo" holds "foo" and adds nothing
        (r"[ ,]foo", (("foo",),)),
        (r"in\s+(?:the\s+)?(?:city|rural)|northern\s+rural", (("city", "rural"),)),
        (r"\bwom[ae]n\b", (("woman", "women"),)),
        (r"a(?=x)b", (("ab",),)),  # a lookahead matches no text: "a" and "b" are adjacent
        (r"a(?<!y)b|cd", (("ab", "cd"),)),
        (
            r"(?:didn[’']t|failed\s+to)\s+document",
            (("didn't document", "didn’t document", "failed to document"),),
        ),
        (r"Civilians?\s*:", (("civilian",), (":",))),
        (r"(?-i:January)\s+(?P<year>20\d\d)", (("january",), ("20",))),
        (r"x+yz", (("yz",), ("x",))),
        (r"(?:x)(?<=abc)", (("x",),)),  # what a lookbehind sees need not be in the match
        (r"(a)\1", (("a",),)),  # the group's own "a"; the back reference adds nothing
    ],
)
def test_the_clauses_of_a_pattern(source: str, clauses: tuple[tuple[str, ...], ...]) -> None:
    assert derive(source, patterns.FLAGS) == clauses


@pytest.mark.parametrize(
    "source",
    [
        r"a?b*c{0,3}",  # everything optional
        r"\d+\s+\w+",  # classes and categories only
        r"civilians|\d+",  # one branch requires no literal
        r"[[:alpha:]]+",  # POSIX class: `regex` and `re` read it differently
        r"(?:civilians){e<=1}",  # fuzzy: a match need not contain "civilians"
        r"(?V1)[[a-z]--[q]]x",  # version 1 set operations
        r"(?<name>abc)",  # syntax `re` cannot read
    ],
)
def test_no_clause_where_a_match_need_hold_no_literal(source: str) -> None:
    assert derive(source, patterns.FLAGS) == ()


@pytest.mark.parametrize("flag", [regex.V1, regex.FULLCASE, regex.WORD])
def test_no_clause_under_a_flag_that_changes_what_matches(flag: int) -> None:
    assert derive(r"civilians", patterns.FLAGS | flag) == ()


def test_the_number_macros_require_nothing() -> None:
    # {NUM} may be digits: "documented 1,204 civilians" has no number word in it.
    source = patterns.expand(r"(?P<total>{NUM})\s+civilians")
    assert derive(source, patterns.FLAGS) == (("civilians",),)
    assert may_match(patterns.compiled(source), "killed 1,204 CIVILIANS")
    assert not may_match(patterns.compiled(source), "killed 1,204 people")


def _texts() -> list[str]:
    texts: list[str] = []
    folders = [ROOT / "corpus", ROOT / "corpus" / "eras", ROOT / "tests" / "data" / "unseen"]
    for folder in folders:
        for path in sorted(folder.rglob("*.txt")):
            text = path.read_text(encoding="utf-8")
            texts += [p for p in text.split("\n\n") if p.strip()]
            texts += [line for line in text.splitlines() if line.strip()]
    for spec in [*patterns.era_patterns(), *_sentence_specs()]:
        texts += [e if isinstance(e, str) else e.text for e in spec.examples]
        texts += [r if isinstance(r, str) else r.text for r in spec.rejects]
    return sorted(set(texts))


def _sentence_specs() -> list[PatternSpec]:
    return patterns.pattern_specs(patterns.sentence_specs())


def test_no_match_is_ever_screened_out() -> None:
    texts = _texts()
    sources = _all_sources()
    assert len(sources) > 150
    assert len(texts) > 2000
    screened = 0
    for source, flags in sources:
        pat = regex.compile(source, flags)
        for text in texts:
            if not may_match(pat, text):
                screened += 1
                assert pat.search(text, timeout=patterns.MATCH_TIMEOUT_S) is None, (
                    source[:80],
                    text[:80],
                )
    # The screen does its work: most pairs of a pattern and a paragraph cannot match.
    assert screened > len(sources) * len(texts) // 2


def test_case_folding_matches_regex_ignorecase_for_every_code_point() -> None:
    """Every character a clause is built from, against every code point `regex` matches
    to it under IGNORECASE: the folded forms must be equal, or a match could be missed."""
    chars: set[str] = set()
    for source, flags in _all_sources():
        for clause in derive(source, flags):
            chars.update("".join(clause))
    chars |= set("abcdefghijklmnopqrstuvwxyz")
    order = sorted(chars)
    alternation = "|".join(f"({regex.escape(c)})" for c in order)
    anyone = regex.compile(alternation, regex.IGNORECASE)
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        found = anyone.fullmatch(chr(code))
        if found is not None and found.lastindex is not None:
            assert fold(chr(code)) == fold(order[found.lastindex - 1]), hex(code)


_CASES = {"s": ["S", "ſ"], "k": ["K", "\u212a"], "i": ["I", "\u0130"], "e": ["E"]}
# White space `regex`'s \s matches, and one it does not (U+001C), for a space.
_SPACES = ["\t", "\n", "\u00a0", "\u2009", "\u3000", "  ", "\n\n", "\x1c"]


@settings(max_examples=300, deadline=None)
@given(
    base=st.sampled_from(
        [
            "We documented the deaths of 12 civilians, including 3 children and 2 women.",
            "B. Other parties: Two individuals.",
            "Aleppo governorate accounted for nearly 43.48% of the total",
            "A. Main parties to the conflict:",
            "Press release: SNHR documented 91 civilian deaths in Syria in December 2023",
        ]
    ),
    flips=st.lists(st.integers(min_value=0, max_value=200), max_size=12),
    pick=st.integers(min_value=0, max_value=7),
)
def test_case_and_space_variants_are_never_screened_out(
    base: str, flips: list[int], pick: int
) -> None:
    text = list(base)
    for at in flips:
        if at < len(text) and text[at].lower() in _CASES:
            variants = _CASES[text[at].lower()]
            text[at] = variants[pick % len(variants)]
        elif at < len(text) and text[at] == " ":
            text[at] = _SPACES[pick]
    varied = "".join(text)
    for source, flags in _all_sources():
        pat = patterns.compiled(source, flags)
        if pat.search(varied, timeout=patterns.MATCH_TIMEOUT_S) is not None:
            assert may_match(pat, varied), (source[:80], varied)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            [
                "a",
                "B",
                " ",
                "\t",
                "\n",
                "\r",
                "\x0b",
                "\x0c",
                "\x1c",
                "\x1f",
                "\u00a0",
                "\u2009",
                "İ",
                "ſ",
            ]
        )
    )
)
def test_fold_makes_each_run_of_white_space_one_space(text: str) -> None:
    # Written out independently of `fold`'s shortcut for texts with single spaces only.
    words = text.replace("İ", "i").casefold().split()
    assert fold(text) == " ".join(words)


def test_every_white_space_character_but_the_space_is_unprintable() -> None:
    """`fold`'s shortcut takes a printable text to hold no white space but spaces."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isspace() and char != " ":
            assert not char.isprintable(), hex(code)
