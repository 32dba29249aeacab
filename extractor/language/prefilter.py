"""A cheap proof that a pattern cannot match a text: the literals every match contains.

Most searches of the readers find nothing: a sentence of the civilian section is tried
with the percentage, the lead-in, the marker and the scope patterns, and holds none of
their words. `regex` does not see that cheaply: a pattern that opens with an alternation
or a number ({NUM}, 800 characters of number words) is tried at every position, at 1-40
microseconds a sentence. What every match must contain can be read off the pattern:
`(?P<percent>{NUM})\\s*(?:%|per\\s*cent\\b)` never matches a text without "%" or "cent".
`requirement` derives such clauses (each a set of strings, one of which is in every
match) from the pattern's syntax tree, once per pattern; `may_match` tests them with `in`
on the folded text (case folded, each run of white space one space). A pattern is still
matched by `regex` whenever the test passes, so the test can only ever skip a search that
would have found nothing.

Why the test never skips a match:
- A clause is built only from literal characters, small sets of them and small
  alternations of those, concatenated only where they are adjacent in every match
  (anchors and lookarounds match no text, so the characters around them are adjacent).
  A repeat that may match nothing, a class, a category or a back reference adds nothing.
  Lookaround contents are not used: they need not be in the match.
- Case: `regex`'s IGNORECASE matches a text character to a pattern character when they
  are case variants; `fold` maps both to the same string. Checked for every code point
  against every character of every clause in tests/test_prefilter.py; U+0130 (I with dot
  above) is the one character `str.casefold` folds to two and `regex` matches to "i".
- White space: `fold` makes each run of white space in the text one space, and so does
  every clause string; `\\s` and `\\s+` stand for one space. `regex`'s `\\s` matches the
  Unicode White_Space characters, every one of which `str.split` splits on.
- The syntax tree is Python's `re` parser's. Where `regex` reads a construct `re` reads
  differently (POSIX classes, fuzzy constraints, named lists) or `re` cannot read the
  pattern, no clause is derived and the pattern is always searched.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import regex

from .patterns import macros

# Python's own regular expression parser (re._parser since 3.11; sre_parse, its old name,
# warns when imported).
_sre_parse: Any = importlib.import_module("re._parser")
_sre: Any = importlib.import_module("re._constants")

Clause = tuple[str, ...]
Requirement = tuple[Clause, ...]

# Exact strings are multiplied out ("as" then "follows" or "below") up to this many.
MAX_PRODUCT = 16
# A clause with more alternatives than this is not kept: testing it would cost more than
# most searches it could save. (An `in` test per string, 0.1 microsecond on a sentence,
# is faster than one `re` alternation of them even for 30 strings.)
MAX_ALTERNATIVES = 64
# The clauses kept per pattern (the most selective); the first that fails decides.
MAX_CLAUSES = 3

# Syntax `regex` reads and `re`'s parser reads as something else (POSIX classes, fuzzy
# constraints such as {e<=1}, named lists \L<name>, version 1 with its nested sets and
# set operations): no clause.
_FOREIGN = re.compile(r"\[\[|\[:\^?[A-Za-z]+:\]|\{(?![\d,])|\\L<|\(\?[a-zA-Z]*V1")

_LITERAL, _NOT_LITERAL, _IN, _AT = _sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.AT
_ASSERTS = (_sre.ASSERT, _sre.ASSERT_NOT)
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None))
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)


# The ASCII white space characters but the space (`str.split` splits on all of them).
_ASCII_SPACES = ("\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f")


def fold(text: str) -> str:
    """`text` as every clause is written: case folded, each run of white space one space
    (see the module docstring)."""
    # Most texts have single spaces only: splitting them into words would rebuild the same
    # string, so the split is made only where other white space is found.
    if text.isascii():
        # The common case, tested with C-speed scans: for ASCII `lower` is `casefold`,
        # and the white space to look for is a handful of characters.
        lowered = text.lower()
        single = "  " not in lowered and lowered[:1] != " " != lowered[-1:]
        if single:
            for space in _ASCII_SPACES:  # `in` on ASCII text is a memchr
                if space in lowered:
                    single = False
                    break
    else:
        if "\u0130" in text:
            text = text.replace("\u0130", "i")
        lowered = text.casefold()
        # `isprintable` is False for every white space character but the space.
        single = (
            lowered.isprintable() and "  " not in lowered and lowered[:1] != " " != lowered[-1:]
        )
    return lowered if single else " ".join(lowered.split())


# Summary of a node: (exact, clauses). `exact`: every string the node can match (folded),
# when there are few; None otherwise. `clauses`: each a tuple of strings, one of which is
# in every match of the node.
_Summary = tuple[Clause | None, list[Clause]]
_EMPTY: _Summary = (("",), [])
_ANY: _Summary = (None, [])
# \s: `regex` matches the Unicode White_Space characters, all of which `str.split` splits
# on, so a run of them is one space in the folded text.
_SPACE = [(_sre.CATEGORY, _sre.CATEGORY_SPACE)]
_ONE_SPACE: _Summary = ((" ",), [])


def _score(clause: Clause) -> tuple[int, int]:
    """Longer strings are rarer; fewer alternatives are cheaper to test."""
    return min(len(s) for s in clause), -len(clause)


def _usable(clause: Clause | None) -> bool:
    return clause is not None and "" not in clause and len(clause) <= MAX_ALTERNATIVES


def _sequence(items: Any) -> _Summary:
    clauses: list[Clause] = []
    run: Clause = ("",)  # the exact strings of the adjacent items just read
    whole = True  # every item so far had exact strings, all within `run`
    chars: list[str] = []  # literal characters read after `run` (most items are these)
    for op, av in items:
        if op is _LITERAL:
            chars.append(_fold_char(av))
            continue
        if chars:
            tail = "".join(chars)
            run = tuple(a + tail for a in run)
            chars = []
        exact, inner = _node(op, av)
        clauses += inner
        if exact is None:
            if _usable(run):
                clauses.append(run)
            run, whole = ("",), False
        elif len(run) * len(exact) > MAX_PRODUCT:
            if _usable(run):
                clauses.append(run)
            run, whole = exact, False
        elif exact != ("",):
            run = tuple(dict.fromkeys(a + b for a in run for b in exact))
    if chars:
        tail = "".join(chars)
        run = tuple(a + tail for a in run)
    if whole:
        return run, clauses
    if _usable(run):
        clauses.append(run)
    return None, clauses


_FOLDED_CHARS: dict[int, str] = {}


def _fold_char(code: int) -> str:
    """One pattern character as the folded text has it (white space: a space, which the
    clause's folding then merges with its neighbours)."""
    found = _FOLDED_CHARS.get(code)
    if found is None:
        char = chr(code)
        found = _FOLDED_CHARS[code] = " " if char.isspace() else fold(char)
    return found


def _node(op: Any, av: Any) -> _Summary:
    if op is _LITERAL:
        return (_fold_char(av),), []
    if op is _AT or op in _ASSERTS:
        return _EMPTY  # matches no text: its neighbours are adjacent
    if op is _sre.SUBPATTERN:
        return _sequence(av[-1])
    if _ATOMIC is not None and op is _ATOMIC:
        return _sequence(av)
    if op is _IN:
        if av == _SPACE:
            return _ONE_SPACE
        chars: dict[str, None] = {}
        for item_op, item in av:
            if item_op is not _LITERAL:
                return _ANY  # a range, a category or a negated set
            chars[_fold_char(item)] = None
        return tuple(chars), []
    if op is _sre.BRANCH:
        return _branch([_sequence(b) for b in av[1]])
    if op in _REPEATS:
        low, high, item = av
        if low == 0:
            return _ANY
        exact, clauses = _sequence(item)
        if low == high == 1 or exact == (" ",):
            return exact, clauses  # a run of white space folds to one space
        return None, clauses + ([exact] if exact is not None and _usable(exact) else [])
    return _ANY  # any character, a class, a back reference, a conditional


def _branch(branches: list[_Summary]) -> _Summary:
    exacts = [exact for exact, _ in branches]
    if all(exact is not None for exact in exacts):
        union = tuple(dict.fromkeys(s for exact in exacts if exact is not None for s in exact))
        if len(union) <= MAX_PRODUCT:
            return union, []
    picked: dict[str, None] = {}
    for exact, clauses in branches:
        options: list[Clause] = [c for c in clauses if _usable(c)]
        if exact is not None and _usable(exact):
            options.append(exact)
        if not options:
            return _ANY  # a branch that requires nothing: neither does the alternation
        best: Clause = max(options, key=_score)
        picked.update(dict.fromkeys(best))
    union = tuple(picked)
    return (None, [union]) if _usable(union) else _ANY


def _stand_ins() -> list[tuple[re.Pattern[str], str]]:
    """The long number macros, each one group (an atom), as one any-character atom: they
    require nothing (a number may be digits) and are most of the text to parse."""
    out = []
    for name in ("NUM1", "NUM", "NUMWORD", "AT_LEAST"):
        value = macros()[name]
        if value.startswith("(?:") and len(_sre_parse.parse(value, 0)) == 1:
            # Not after a backslash, where the text would not be the macro's group.
            out.append((re.compile(r"(?<!\\)" + re.escape(value)), r"(?:\\d)"))
    return out


_STAND_INS: list[tuple[re.Pattern[str], str]] | None = None


def derive(source: str, flags: int = 0) -> Requirement:
    """The clauses every match of `source` (a `regex` pattern) satisfies; () if none."""
    global _STAND_INS
    # Version 1 (nested sets), full case folding and Unicode word boundaries change what
    # `re`'s reading of the syntax would say; such a pattern is always searched.
    if flags & (regex.V1 | regex.FULLCASE | regex.WORD) or _FOREIGN.search(source):
        return ()
    if _STAND_INS is None:
        _STAND_INS = _stand_ins()
    for macro, stand_in in _STAND_INS:
        source = macro.sub(stand_in, source)
    try:
        tree = _sre_parse.parse(source, re.VERBOSE if flags & regex.VERBOSE else 0)
    except Exception:  # a pattern `re` cannot read: always searched
        return ()
    exact, clauses = _sequence(tree)
    if exact is not None:
        clauses.append(exact)
    # As the text is folded: runs of white space one space, none at the ends (a clause
    # string is then only ever shortened, so it still is in every folded match).
    spaced = (_minimal({" ".join(s.split()) for s in c}) for c in clauses if _usable(c))
    usable = dict.fromkeys(c for c in spaced if _usable(c))
    # The most selective clauses, tested cheapest (fewest strings) first.
    return tuple(sorted(sorted(usable, key=_score, reverse=True)[:MAX_CLAUSES], key=len))


def _minimal(strings: set[str]) -> Clause:
    """The strings of a clause without those that contain another of them (a text holding
    "central rural" holds "rural"), sorted."""
    return tuple(sorted(s for s in strings if not any(o != s and o in s for o in strings)))


# Each pattern's clauses, once per pattern object (a `regex` pattern hashes by identity).
# The readers' patterns are compiled once per process; the bound only matters to a caller
# that compiles patterns afresh (tests).
_REQUIREMENTS: dict[regex.Pattern[str], Requirement] = {}
MAX_PATTERNS = 4096


def requirement(pat: regex.Pattern[str]) -> Requirement:
    """`derive` of a compiled pattern, once per pattern object."""
    known = _REQUIREMENTS.get(pat)
    if known is None:
        if len(_REQUIREMENTS) >= MAX_PATTERNS:
            _REQUIREMENTS.clear()
        known = _REQUIREMENTS[pat] = derive(pat.pattern, pat.flags)
    return known


# Folded texts: the readers try several patterns on each sentence in turn. Bounded and
# emptied whole, since a sandbox child serves file after file.
_FOLDED: dict[str, str] = {}
MAX_FOLDED = 2048


def folded(text: str) -> str:
    found = _FOLDED.get(text)
    if found is None:
        if len(_FOLDED) >= MAX_FOLDED:
            _FOLDED.clear()
        found = _FOLDED[text] = fold(text)
    return found


def may_match(pat: regex.Pattern[str], text: str) -> bool:
    """False only when no match of `pat` can be in `text`, nor in any part of it."""
    # Called before every search: the look-ups are written out rather than delegated.
    clauses = _REQUIREMENTS.get(pat)
    if clauses is None:
        clauses = requirement(pat)
    if not clauses:
        return True
    lowered = _FOLDED.get(text)
    if lowered is None:
        lowered = folded(text)
    for clause in clauses:
        for literal in clause:
            if literal in lowered:
                break
        else:
            return False
    return True


def forget_texts() -> None:
    """Empty the folded-text cache (benchmarks: each pass as the first)."""
    _FOLDED.clear()
