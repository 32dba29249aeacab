"""Metamorphic tests over every corpus report: reorder a list and the record is the same;
write a word number as digits and the record is the same; scale a category and the record
follows by exactly that much."""

from __future__ import annotations

import itertools
import re

import pytest

from extractor import extract_text
from extractor.models import Record
from extractor.pdf.compare import figures

from ..conftest import CORPUS, REPORT_STEMS

# A category line of an other-parties list: "- Gunfire of unidentified source: 16 civilians..."
# (whole lines only: a line broken by hyphenation ends in "-", not ".")
CATEGORY = re.compile(r"^(?:[-•] ?)?[A-Z][A-Za-z ’']+: [A-Za-z0-9,]+ civilians?.*\.[ ]*$", re.M)


def _text(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")


def _sorted_figures(record: Record) -> dict[str, object]:
    data = figures(record)
    for scope in (data, data.get("annual") or {}):
        if scope.get("parties"):
            scope["parties"] = sorted(scope["parties"], key=lambda p: (p["group"], p["party"]))
    return data


def _category_block(text: str) -> tuple[int, int] | None:
    """The first run of two or more adjacent category lines."""
    lines = list(CATEGORY.finditer(text))
    for first, second in itertools.pairwise(lines):
        if text[first.end() : second.start()].strip() == "":
            end = second
            for nxt in lines[lines.index(second) + 1 :]:
                if text[end.end() : nxt.start()].strip():
                    break
                end = nxt
            return first.start(), end.end()
    return None


@pytest.mark.parametrize("stem", REPORT_STEMS)
def test_reordering_a_category_list_changes_nothing(stem: str) -> None:
    text = _text(stem)
    block = _category_block(text)
    assert block is not None
    start, end = block
    lines = [line for line in text[start:end].split("\n") if line.strip()]
    reordered = text[:start] + "\n".join(reversed(lines)) + text[end:]
    assert reordered != text  # the list really moved
    assert _sorted_figures(extract_text(reordered)) == _sorted_figures(extract_text(text))


@pytest.mark.parametrize("stem", REPORT_STEMS)
def test_scaling_a_category_moves_exactly_that_figure(stem: str) -> None:
    text = _text(stem)
    block = _category_block(text)
    assert block is not None
    line = CATEGORY.search(text, block[0])
    assert line is not None
    head, _, tail = line.group(0).partition(": ")
    _figure, _, rest = tail.partition(" ")
    base = extract_text(text)
    label = head.lstrip("-• ")
    for scope_before, prefix in ((base, ""), (base.annual, "annual.")):
        if scope_before is None:
            continue
        entry = next((p for p in scope_before.parties if p.label == label), None)
        if entry is None:
            continue
        scaled = extract_text(
            text[: line.start()] + f"{head}: {entry.total * 10} {rest}" + text[line.end() :]
        )
        after = scaled if prefix == "" else scaled.annual
        assert after is not None
        moved = next(p for p in after.parties if p.label == label)
        assert moved.total == entry.total * 10
        assert [(p.party, p.total) for p in scope_before.parties if p is not entry] == [
            (p.party, p.total) for p in after.parties if p is not moved
        ]
        failing = {c.rule for c in scaled.checks if c.status == "fail"} - {
            c.rule for c in base.checks if c.status == "fail"
        }
        # The sum of the categories now fails; so does the summary's figure, where it has one.
        summary = f"summary_agrees.parties.{entry.party}.total"
        assert failing - {summary} == {f"{prefix}other_parties_sum.total"}
        return
    raise AssertionError(f"no party labelled {label!r}")


WORD_FIGURE = re.compile(
    r"^(?:[-•] ?)?[A-Z][A-Za-z ’']+: (One|Two|Three|Four|Five|Six|Seven|Eight|Nine) "
    r"civilians?\b.*$",
    re.M,
)
DIGITS = {
    "One": "1",
    "Two": "2",
    "Three": "3",
    "Four": "4",
    "Five": "5",
    "Six": "6",
    "Seven": "7",
    "Eight": "8",
    "Nine": "9",
}


@pytest.mark.parametrize("stem", REPORT_STEMS)
def test_a_word_number_written_in_digits_changes_nothing(stem: str) -> None:
    text = _text(stem)
    line = WORD_FIGURE.search(text)
    assert line is not None
    word = line.group(1)
    rewritten = line.group(0).replace(f": {word} ", f": {DIGITS[word]} ", 1)
    changed = text[: line.start()] + rewritten + text[line.end() :]
    assert figures(extract_text(changed)) == figures(extract_text(text))
