"""The compile cache (extractor/patterns.py CompileCache) must change speed only.

Every pattern the readers use is compiled from a cache file written by an earlier process
and compared with the same source compiled by `regex` directly: same source, flags and
groups, and the same matches (spans and every group) over every line of every corpus
text edition and every example and reject in patterns/. A damaged or foreign cache file
must fall back to compiling, never to a different pattern.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import regex

from extractor.language import patterns
from extractor.language.patterns import CompileCache, compile_cache_path, expand

ROOT = Path(__file__).resolve().parent.parent


def _sentence_sources() -> list[tuple[str, int]]:
    units: dict[str, str] = patterns.sentences()["units"]
    out: list[tuple[str, int]] = []

    def add(source: str) -> None:
        extras: list[dict[str, str] | None] = (
            [{"UNIT": u} for u in units.values()] if "{UNIT}" in source else [None]
        )
        out.extend((expand(source, extra), patterns.FLAGS) for extra in extras)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, str):
                    add(item)
        elif isinstance(node, str):
            add(node)

    walk(patterns.sentences())
    return out


def _all_sources() -> list[tuple[str, int]]:
    headings = patterns._load("headings.toml")
    sources = _sentence_sources()
    sources += [(expand(h["pattern"]), patterns.FLAGS) for h in headings["heading"]]
    sources += [(expand(headings["scope"]["pattern"]), patterns.FLAGS)]
    sources += [(headings["numbered"]["pattern"], 0), (headings["numbered"]["top_level"], 0)]
    sources += [(expand(spec.pattern), patterns.FLAGS) for spec in patterns.era_patterns()]
    sources += [(patterns.governorate_regex().pattern, patterns.FLAGS)]
    return sorted(set(sources))


def _texts() -> list[str]:
    lines: list[str] = []
    for path in sorted((ROOT / "corpus").rglob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for spec in patterns.era_patterns():
        lines += [e if isinstance(e, str) else e.text for e in spec.examples]
        lines += [r if isinstance(r, str) else r.text for r in spec.rejects]
    # Number words next to each other and across the hundreds, where an alternation's
    # order decides what matches.
    lines += [
        "Seventeen people, seventy-seven children, one hundred and nineteen women",
        "a woman and an unborn child; twenty three; Ninety-Nine; sixteen hundred",
        "eight eighteen eighty eighty-eight 1,234 12.5 000",
    ]
    return lines


def _matches(pattern: regex.Pattern[str], lines: list[str]) -> list[Any]:
    return [
        (m.span(), m.groups(), sorted(m.groupdict().items()))
        for line in lines
        for m in pattern.finditer(line, timeout=patterns.MATCH_TIMEOUT_S)
    ]


@pytest.fixture(scope="module")
def sources() -> list[tuple[str, int]]:
    return _all_sources()


def test_a_cached_pattern_is_the_pattern_regex_compiles(
    tmp_path: Path, sources: list[tuple[str, int]]
) -> None:
    path = tmp_path / "regex.marshal"
    first = CompileCache(path)
    for source, flags in sources:
        first.compile(source, flags)
    assert first.misses == len(sources)
    assert first.hits == 0
    first.save()
    assert path.is_file()

    second = CompileCache(path)  # as a later process would read it
    lines = _texts()
    assert len(sources) > 150
    assert len(lines) > 1000
    for source, flags in sources:
        cached = second.compile(source, flags)
        direct = regex.compile(source, flags, cache_pattern=False)
        assert (cached.pattern, cached.flags, cached.groups, cached.groupindex) == (
            direct.pattern,
            direct.flags,
            direct.groups,
            direct.groupindex,
        )
        assert _matches(cached, lines) == _matches(direct, lines), source[:80]
    assert second.hits == len(sources)
    assert second.misses == 0


def test_a_damaged_cache_file_falls_back_to_compiling(tmp_path: Path) -> None:
    source = expand(r"(?P<total>{NUM})\s+civilians")
    path = tmp_path / "regex.marshal"
    path.write_bytes(b"\x00not a marshal file")
    cache = CompileCache(path)
    found = cache.compile(source, patterns.FLAGS).search("killed Twenty-Three civilians")
    assert found is not None
    assert found.group("total") == "Twenty-Three"
    assert cache.misses == 1


def test_an_entry_from_other_internals_falls_back_to_compiling(tmp_path: Path) -> None:
    source = expand(r"(?P<total>{NUM})\s+civilians")
    cache = CompileCache(None)
    cache.entries[f"{patterns.FLAGS}:{source}"] = (1, "not", "the", "engine's", "arguments")
    found = cache.compile(source, patterns.FLAGS).search("killed 1,204 civilians")
    assert found is not None
    assert found.group("total") == "1,204"
    assert (cache.hits, cache.misses) == (0, 1)


def test_the_cache_can_be_turned_off_and_moved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(patterns.CACHE_ENV, "off")
    assert compile_cache_path() is None
    monkeypatch.setenv(patterns.CACHE_ENV, str(tmp_path))
    path = compile_cache_path()
    assert path is not None
    assert path.parent == tmp_path
    assert regex.__version__ in path.name  # a new `regex` never reads an old file
