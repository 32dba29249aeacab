"""Splitting a paragraph into sentences (extract/common.py), the unit figures are read from."""

from __future__ import annotations

import re
import sys

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.extract.common import WHITE_SPACE, split_sentences
from extractor.language import patterns


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two.", ["One.", "Two."]),
        (
            "Killed 12 civilians. 3 were children! Why? “Quoted” here.",
            [
                "Killed 12 civilians.",
                "3 were children!",
                "Why?",
                "“Quoted” here.",
            ],
        ),
        (
            "Syrian regime forces: 3 civilians. (a) note. [b] end",
            [
                "Syrian regime forces: 3 civilians.",
                "(a) note.",
                "[b] end",
            ],
        ),
        # No break: a small letter after the stop, no space, a decimal, an abbreviation.
        (
            "about 43.48% of the total. a.m. and p.m. so on",
            [
                "about 43.48% of the total. a.m. and p.m. so on",
            ],
        ),
        ("Two.\n\tThree.\u00a0Four .  Five", ["Two.", "Three.", "Four .", "Five"]),
        ("  . . B", [". .", "B"]),
        ("", []),
        ("   ", []),
    ],
)
def test_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_the_split_s_white_space_is_regex_s() -> None:
    """The split uses `re` with `regex`'s \\s written out: the same class, code point by code
    point."""
    ours = re.compile(f"[{WHITE_SPACE}]")
    theirs = regex.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert (ours.fullmatch(char) is None) == (theirs.fullmatch(char) is None), hex(code)


# The split as first written (`regex`, the stop looked behind for), kept as the reference.
_REFERENCE = regex.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(\[])")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('aB1.!? \t\n\u00a0\u2009“"([x)'))))
def test_the_split_is_the_reference_split(text: str) -> None:
    expected = [s.strip() for s in _REFERENCE.split(text) if s.strip()]
    assert split_sentences(text) == expected


# patterns/eras/common.toml [unit_break] as first written, one \s+ per marker: the data's
# pattern (the \s+ once) must cut every text at the same places.
_UNIT_BREAK_FIRST = regex.compile(
    r"(?-i:\s+(?=(?:[a-h]|[1-9])\s*[-–)]\s+[A-Z])|\s+(?=[-•]\s+[A-Z])|\s+(?=(?:First|Second"
    r"|Third|Fourth|Fifth|Sixth|Seventh|Eighth)\s*:)|\s+(?=(?:[IVX]{1,4}|[A-H])\.\s+[A-Z]))",
    regex.IGNORECASE,
)
_TOKENS = ["a", "b-", "3", "1)", "-", "•", "–", "First", "Second:", "IV.", "B.", "Gunmen", "x"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TOKENS), st.sampled_from([" ", "  ", "\n", ""]))))
def test_the_unit_break_cuts_as_first_written(parts: list[tuple[str, str]]) -> None:
    text = "".join(token + space for token, space in parts)
    cut = patterns.compile_one(patterns.eras_common().unit_break.pattern)
    assert cut.split(text) == _UNIT_BREAK_FIRST.split(text)
