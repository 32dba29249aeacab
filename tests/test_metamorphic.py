"""Metamorphic tests: change a figure in a text edition and the record changes by exactly that."""

from __future__ import annotations

from typing import Any

import pytest

from extractor import extract_text
from extractor.models import Record
from extractor.pdf.compare import differences, figures

from .conftest import CORPUS


def _read(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def _checks(record: Record) -> dict[str, tuple[str, int | None, int | None]]:
    return {c.rule: (c.status, c.expected, c.found) for c in record.checks}


def _changed(a: Record, b: Record) -> dict[str, tuple[Any, Any]]:
    return {path: (x, y) for path, x, y in differences(figures(a), figures(b))}


def test_raising_a_party_and_the_total_moves_both_and_keeps_checks() -> None:
    """2021-02: the regime's 19 becomes 21 and the civilian total 138 becomes 140."""
    text = _read("2021-02")
    changed = _replace_once(
        text,
        "We documented the deaths of 19 civilians at the hands of Syrian Regime forces",
        "We documented the deaths of 21 civilians at the hands of Syrian Regime forces",
    )
    changed = _replace_once(
        changed, "documented the deaths of 138 civilians", "documented the deaths of 140 civilians"
    )
    base, moved = extract_text(text), extract_text(changed)
    diff = _changed(base, moved)
    assert diff == {"civilians.total": (138, 140), "parties[0].total": (19, 21)}
    assert _checks(base)["civilians_sum.total"] == ("pass", 138, 138)
    assert _checks(moved)["civilians_sum.total"] == ("pass", 140, 140)


def test_raising_one_category_breaks_exactly_the_sums_it_is_in() -> None:
    """2020-07: landmines 10 -> 12 alone: the other-parties and civilian sums now fail by 2."""
    text = _read("2020-07")
    changed = _replace_once(
        text,
        "Landmines of unknown origin: 10 civilians",
        "Landmines of unknown origin: 12 civilians",
    )
    base, moved = extract_text(text), extract_text(changed)
    assert _changed(base, moved) == {"parties[4].total": (10, 12)}
    before, after = _checks(base), _checks(moved)
    assert before["other_parties_sum.total"] == ("pass", 73, 73)
    assert after["other_parties_sum.total"] == ("fail", 73, 75)
    # The civilian sum uses the stated other-parties total, so it is unaffected.
    assert after["civilians_sum.total"] == before["civilians_sum.total"] == ("pass", 107, 107)
    changed_rules = {r for r in after if after[r] != before.get(r)}
    assert changed_rules == {"other_parties_sum.total"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Syrian Regime forces: 10 individuals.", "Syrian Regime forces: ten individuals."),
        (
            "We documented the deaths of six civilians, including one child, at the hands of the Kurdish-led",
            "We documented the deaths of 6 civilians, including 1 child, at the hands of the Kurdish-led",
        ),
    ],
)
def test_words_to_digits_changes_nothing(old: str, new: str) -> None:
    text = _read("2021-02")
    base, moved = extract_text(text), extract_text(_replace_once(text, old, new))
    assert _changed(base, moved) == {}


def test_torture_split_follows_a_changed_figure() -> None:
    text = _read("2021-02")
    changed = _replace_once(
        text, "B. Other parties: Two individuals.", "B. Other parties: Three individuals."
    )
    moved = extract_text(changed)
    assert moved.torture.other_parties is not None
    assert moved.torture.other_parties.total == 3
    assert _checks(moved)["torture_sum.total"] == ("fail", 14, 15)
