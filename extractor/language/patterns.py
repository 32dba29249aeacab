"""Load the pattern data in patterns/ once, expand its macros and compile it.

The patterns are data (TOML, each file validated by its model in schema.py, each pattern
with the report that made it necessary and the examples it must match); this module only
knows how to read them. Every regex is compiled once per process, and what the `regex`
compiler made of it is kept on disk (see `CompileCache`), so that a cold process does not
parse them all again.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.resources
import marshal
import os
import sys
import tempfile
import threading
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

import regex
from pydantic import BaseModel

from .schema import (
    AggregatesFile,
    CleanFile,
    Dated,
    EraFile,
    ErasCommon,
    GovernoratesFile,
    HeadingsFile,
    NumbersFile,
    PatternSpec,
    SentencesFile,
    load,
    validate_parties,
)

FLAGS = regex.IGNORECASE
# Guard against catastrophic backtracking on hostile input: no single match may run longer.
MATCH_TIMEOUT_S = 2.0

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def patterns_dir() -> Path:
    """The pattern data (TOML): package data of `extractor.language`, found through
    importlib.resources in a checkout, an editable install and a wheel alike. The
    checkout's top-level `patterns/` is a link to the same folder."""
    folder = Path(str(importlib.resources.files("extractor.language") / "data"))
    if not (folder / "sentences.toml").is_file():
        raise FileNotFoundError(f"the pattern data is missing from {folder}")
    return folder


def _load(name: str) -> dict[str, Any]:
    with (patterns_dir() / name).open("rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class NumberWords:
    units: dict[str, int]
    tens: dict[str, int]
    one_words: frozenset[str]

    def regex_source(self) -> str:
        unit = "|".join(sorted((k for k in self.units if k != "zero"), key=len, reverse=True))
        ten = "|".join(sorted(self.tens, key=len, reverse=True))
        below_100 = rf"(?:(?:{ten})(?:[-\s](?:{unit}))?|{unit}|zero)"
        return rf"(?:{below_100}(?:\s+hundred(?:\s+(?:and\s+)?{below_100})?)?)"


@cache
def number_words() -> NumberWords:
    data = load(NumbersFile, "numbers.toml", _load("numbers.toml"))
    return NumberWords(dict(data.units), dict(data.tens), frozenset(data.one_words.words))


@cache
def macros() -> dict[str, str]:
    words = number_words().regex_source()
    digits = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d]|[.,]\d)"
    num = rf"(?:{digits}|\b{words}\b)"
    ones = "|".join(sorted(number_words().one_words))
    phrases = load(NumbersFile, "numbers.toml", _load("numbers.toml")).at_least.phrases
    at_least = "|".join(r"\s+".join(p.split()) for p in sorted(phrases, key=len, reverse=True))
    return {
        "AT_LEAST": rf"(?:(?:{at_least})\s+)?",
        "NUMWORD": words,
        "NUM": num,
        "NUM1": rf"(?:{num}|\b(?:{ones})\b)",
        "MONTH": "|".join(MONTHS),
    }


def expand(source: str, extra: dict[str, str] | None = None) -> str:
    table = {**macros(), **(extra or {})}
    for name, value in table.items():
        source = source.replace("{" + name + "}", value)
    return source


def compile_one(source: str, extra: dict[str, str] | None = None) -> regex.Pattern[str]:
    return compiled(expand(source, extra))


@cache
def compiled(source: str, flags: int = FLAGS) -> regex.Pattern[str]:
    """An expanded source compiled: from the disk cache when it holds it, else by `regex`.
    Cached in the process too, so that children forked after `warm()` compile nothing."""
    return _compile_cache().compile(source, flags)


# --- the compile cache ------------------------------------------------------------------
#
# The `regex` module parses a pattern in pure Python, character by character, and the
# number-word macros make most patterns 800-4,000 characters long: compiling the ~200
# patterns costs 0.25-0.45 s of CPU on a quiet machine (more than reading a whole report),
# and a cold `snhr extract` paid it on every run. Measured alternatives that do not help:
# pickling a compiled pattern stores only its source (unpickling compiles it again); named
# lists (\L<units>) are expanded back into an alternation under IGNORECASE and compiled
# 13% slower. What does help is keeping the compiler's *output*: the C engine's
# `_regex.compile` takes the source, the flags, the opcode list and the group tables, all
# plain data. They are recorded the first time a pattern is compiled and kept in
# `$SNHR_CACHE_DIR` (default `$XDG_CACHE_HOME/snhr` or `~/.cache/snhr`), one file per
# `regex` version and Python, keyed by the exact source and flags: a changed pattern is a
# new key, a new `regex` a new file, so an entry is only ever reused for the very input the
# same compiler turned into it (the same pattern object, not merely an equivalent one).
# Anything unexpected (no cache folder, an unreadable or foreign file, a `regex` whose
# internals differ) falls back to compiling; the cache only ever affects speed.
# SNHR_CACHE_DIR=off disables it.

CACHE_ENV = "SNHR_CACHE_DIR"
# About five times the patterns there are (each {UNIT} pattern counts once per unit).
MAX_CACHE_ENTRIES = 1000
# `regex`'s private modules: _main calls _regex.compile(...) with the compiler's output.
_regex_main: Any = importlib.import_module("regex._main")
_regex_c: Any = importlib.import_module("regex._regex")


class _Recorder:
    """Stands in for the C module while one pattern compiles, to keep what it is given."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.args: tuple[Any, ...] | None = None

    def compile(self, *args: Any) -> Any:
        self.args = args
        return self.real.compile(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


class CompileCache:
    """Compiled patterns as the `regex` compiler's output, loaded from and saved to `path`."""

    _lock = threading.Lock()

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, tuple[Any, ...]] = self._read() if path is not None else {}
        self.new: dict[str, tuple[Any, ...]] = {}
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def _read(self) -> dict[str, tuple[Any, ...]]:
        assert self.path is not None
        try:
            data = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, tuple)}

    def compile(self, source: str, flags: int) -> regex.Pattern[str]:
        key = f"{flags}:{source}"
        self.used.add(key)
        args = self.entries.get(key)
        if args is not None:
            try:
                pattern = cast(regex.Pattern[str], _regex_c.compile(source, *args))
            except Exception:  # a file from internals this `regex` does not share
                self.entries.pop(key, None)
            else:
                self.hits += 1
                return pattern
        self.misses += 1
        recorder = _Recorder(_regex_c)
        with self._lock:
            _regex_main._regex = recorder
            try:
                pattern = regex.compile(source, flags, cache_pattern=False)
            finally:
                _regex_main._regex = recorder.real
        if recorder.args is not None and recorder.args[0] == source:
            # The flags come as RegexFlag members; the C engine takes plain ints.
            args = tuple(int(a) if isinstance(a, int) else a for a in recorder.args[1:])
            self.entries[key] = self.new[key] = args
        return pattern

    def save(self) -> None:
        """Add what was compiled here to the file (written whole, then renamed into place,
        so a reader never sees half of it). Without a usable folder, nothing is kept."""
        if self.path is None or not self.new:
            return
        with contextlib.suppress(OSError, ValueError):
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            merged = {**self._read(), **self.new}  # keep what another process added
            if len(merged) > MAX_CACHE_ENTRIES:  # patterns edited many times: start afresh
                merged = {k: v for k, v in self.entries.items() if k in self.used}
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".regex-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(marshal.dumps(merged))
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            self.new = {}


def compile_cache_path() -> Path | None:
    folder = os.environ.get(CACHE_ENV)
    if folder is not None and folder.strip().lower() in ("", "off", "0", "none"):
        return None
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = str(Path(base) / "snhr")
    tag = sys.implementation.cache_tag
    return Path(folder) / f"regex-{regex.__version__}-v{int(regex.DEFAULT_VERSION)}-{tag}.marshal"


@cache
def _compile_cache() -> CompileCache:
    return CompileCache(compile_cache_path())


def compile_list(
    sources: list[str], extra: dict[str, str] | None = None
) -> list[regex.Pattern[str]]:
    return [compile_one(s, extra) for s in sources]


@cache
def sentence_specs() -> SentencesFile:
    """sentences.toml as validated: every pattern with its examples, rejects and source."""
    return load(SentencesFile, "sentences.toml", _load("sentences.toml"))


@cache
def sentences() -> dict[str, Any]:
    """The pattern sources of sentences.toml by table and key: a source string, or a list
    of them in the file's order (the first that matches wins)."""

    def sources(node: Any) -> Any:
        if isinstance(node, PatternSpec):
            return node.pattern
        if isinstance(node, list):
            return [sources(item) for item in node]
        return {name: sources(getattr(node, name)) for name in type(node).model_fields}

    return cast(dict[str, Any], sources(sentence_specs()))


@cache
def clean_patterns() -> CleanFile:
    """clean.toml: the marks and wordings the clean stage acts on (Python `re` syntax)."""
    return load(CleanFile, "clean.toml", _load("clean.toml"))


@cache
def pattern(key: str, unit: str | None = None) -> regex.Pattern[str]:
    """One compiled pattern by dotted key, e.g. 'toll.children'."""
    return compile_one(_lookup(key), _unit(unit))


@cache
def pattern_list(key: str, unit: str | None = None) -> list[regex.Pattern[str]]:
    """A compiled list of patterns by dotted key, e.g. 'civilians.total'."""
    value = _lookup(key)
    return compile_list(value if isinstance(value, list) else [value], _unit(unit))


def _unit(unit: str | None) -> dict[str, str] | None:
    return None if unit is None else {"UNIT": sentences()["units"][unit]}


def _lookup(key: str) -> Any:
    node: Any = sentences()
    for part in key.split("."):
        node = node[part]
    return node


@dataclass(frozen=True)
class HeadingRule:
    kind: str
    regex: regex.Pattern[str]


@dataclass(frozen=True)
class HeadingPatterns:
    rules: tuple[HeadingRule, ...]
    scope: regex.Pattern[str]
    numbered: regex.Pattern[str]
    top_level: regex.Pattern[str]
    max_title_chars: int
    max_unnumbered_chars: int


@cache
def headings() -> HeadingPatterns:
    spec = load(HeadingsFile, "headings.toml", _load("headings.toml"))
    numbered = spec.numbered
    return HeadingPatterns(
        tuple(HeadingRule(h.kind, compile_one(h.pattern)) for h in spec.heading),
        compile_one(spec.scope.pattern),
        compiled(numbered.pattern, 0),  # case matters: "I." is roman, "i." is a sub-item
        compiled(numbered.top_level, 0),
        numbered.max_title_chars,
        numbered.max_unnumbered_chars,
    )


@dataclass(frozen=True)
class PartyAlias:
    party: str
    group: str
    alias: str
    # "YYYY-MM" bounds of the report months the alias applies to (patterns/parties.toml).
    since: str | None = None
    until: str | None = None

    def applies(self, period: tuple[int, int] | None) -> bool:
        return Dated(since=self.since, until=self.until).applies(period)


@cache
def party_aliases() -> tuple[PartyAlias, ...]:
    specs = validate_parties(_load("parties.toml"))
    out: list[PartyAlias] = []
    for party, spec in specs.items():
        for alias in spec.aliases:
            if isinstance(alias, str):
                out.append(PartyAlias(party, spec.group, alias))
            else:
                out.append(PartyAlias(party, spec.group, alias.alias, alias.since, alias.until))
    return tuple(out)


@cache
def aggregates() -> AggregatesFile:
    return load(AggregatesFile, "aggregates.toml", _load("aggregates.toml"))


@cache
def eras_common() -> ErasCommon:
    return load(ErasCommon, "eras/common.toml", _load("eras/common.toml"))


@cache
def eras() -> tuple[EraFile, ...]:
    """Every era file in patterns/eras/ (common.toml aside), in file-name order."""
    folder = patterns_dir() / "eras"
    return tuple(
        load(EraFile, f"eras/{path.name}", _load(f"eras/{path.name}"))
        for path in sorted(folder.glob("*.toml"))
        if path.name != "common.toml"
    )


@cache
def governorate_names() -> tuple[tuple[str, str], ...]:
    """(spelling, canonical name), longest spelling first."""
    data = load(GovernoratesFile, "governorates.toml", _load("governorates.toml")).governorates
    pairs = [(spelling, name) for name, spellings in data.items() for spelling in spellings]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@cache
def governorate_regex() -> regex.Pattern[str]:
    alternatives = "|".join(
        regex.escape(s).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+")
        for s, _ in governorate_names()
    )
    return compiled(rf"\b(?P<governorate>{alternatives})\b")


def warm(units: Iterable[str] | None = None) -> None:
    """Compile every pattern now. A process that forks workers calls this first, so that
    no child compiles anything per file (compiling costs far more than matching).

    `units` are the [units] a `{UNIT}` pattern is used with (all of them by default); a
    pattern left cold is compiled by the child that first needs it, so this only affects
    speed, never a result.
    """
    units = list(sentences()["units"]) if units is None else list(units)

    def walk(node: Any, key: str) -> None:
        if isinstance(node, dict):
            for name, child in node.items():
                walk(child, f"{key}.{name}" if key else name)
            return
        sources = node if isinstance(node, list) else [node]
        if not all(isinstance(s, str) for s in sources):
            return
        uses_unit = any("{UNIT}" in s for s in sources)
        for unit in units if uses_unit else [None]:
            if isinstance(node, str):
                pattern(key, unit)
            else:
                pattern_list(key, unit)

    walk(sentences(), "")
    headings()
    governorate_regex()
    party_aliases()
    for spec in era_patterns():
        compile_one(spec.pattern)
    _compile_cache().save()


def era_patterns() -> list[PatternSpec]:
    """Every pattern of patterns/eras/*.toml (compiled with `compile_one` by the readers)."""
    return pattern_specs(eras_common(), eras())


def pattern_specs(*roots: Any) -> list[PatternSpec]:
    """Every PatternSpec within validated pattern data (models, lists, tuples, dicts)."""
    found: list[PatternSpec] = []

    def walk(node: Any) -> None:
        if isinstance(node, PatternSpec):
            found.append(node)
        if isinstance(node, BaseModel):
            for name in type(node).model_fields:
                walk(getattr(node, name))
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    for root in roots:
        walk(root)
    return found
