"""Pattern matching with a time limit, so that no input can make a pattern backtrack
forever: a match that runs past `MATCH_TIMEOUT_S` is an error naming the pattern.

A search is first screened by `prefilter.may_match`: a text without the literals every
match of the pattern contains is answered None without running `regex` (most searches
of the readers find nothing, and `regex` may try such a pattern at every position).
`concurrent=False`: the readers run one thread; a sentence is too short for releasing the
GIL around each search to be worth its cost.
"""

from __future__ import annotations

import regex

from ..errors import ExtractionError
from .patterns import MATCH_TIMEOUT_S
from .prefilter import may_match


def _timed_out(pat: regex.Pattern[str], exc: TimeoutError) -> ExtractionError:
    return ExtractionError(
        "<text>",
        f"pattern {pat.pattern[:60]!r} timed out on a sentence",
        remedy="Report this input; it defeats a pattern's guard.",
    )


def search(pat: regex.Pattern[str], text: str, pos: int = 0) -> regex.Match[str] | None:
    """`pat.search` under the time limit."""
    if not may_match(pat, text):
        return None
    try:
        return pat.search(text, pos, concurrent=False, timeout=MATCH_TIMEOUT_S)
    except TimeoutError as exc:
        raise _timed_out(pat, exc) from exc


def fullmatch(pat: regex.Pattern[str], text: str) -> regex.Match[str] | None:
    """`pat.fullmatch` under the time limit."""
    if not may_match(pat, text):
        return None
    try:
        return pat.fullmatch(text, concurrent=False, timeout=MATCH_TIMEOUT_S)
    except TimeoutError as exc:
        raise _timed_out(pat, exc) from exc


def finditer(pat: regex.Pattern[str], text: str) -> list[regex.Match[str]]:
    """Every match of `pat.finditer`, under the time limit."""
    if not may_match(pat, text):
        return []
    try:
        return list(pat.finditer(text, concurrent=False, timeout=MATCH_TIMEOUT_S))
    except TimeoutError as exc:
        raise _timed_out(pat, exc) from exc
