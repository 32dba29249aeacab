"""Property tests on the text pipeline: for any text, `extract_text` either refuses it as an
unknown layout or returns a valid record in which every figure carries its evidence — never
another error (a pattern timing out is a defect, not an outcome), and never hangs.

The number of examples is fixed so CI time is bounded; raise it with SNHR_HYPOTHESIS_EXAMPLES.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import extract_text
from extractor.errors import UnknownLayout
from extractor.figure_paths import figure_paths
from extractor.models import Record

from ..conftest import CORPUS

EXAMPLES = int(os.environ.get("SNHR_HYPOTHESIS_EXAMPLES", "40"))
BASE = (CORPUS / "2021-02.txt").read_text(encoding="utf-8")
CONFUSABLES = {"a": "а", "e": "е", "o": "о", "i": "і", "c": "с", "1": "l", "0": "O", "-": "‐"}

fragments = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "99999999999999999999999",
            "1,0,0,0",
            "twenty-twenty-twenty",
            ":",
            "- ",
            "B. Other parties:",
            "IV. Death Toll of Civilian Victims",
            "including",
            "\u00ad",
            "\x00",
            "\u202e",
            "0" * 5000,
            "civilians " * 200,
        ]
    ),
)


def _outcome(text: str) -> None:
    try:
        record = extract_text(text)
    except UnknownLayout:
        return  # not recognisably a report any more: refused, which is a correct outcome
    assert isinstance(record, Record)
    Record.model_validate_json(record.model_dump_json())  # it serialises to the contract
    # Every figure the record states was read from a sentence, and says which.
    unquoted = [p for p in figure_paths(record) if not record.evidence.get(p, None)]
    assert not unquoted, f"figures without evidence: {unquoted}"
    assert all(e.quote.strip() for e in record.evidence.values())


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_arbitrary_text(text: str) -> None:
    _outcome(text)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(BASE)), st.integers(0, 400), fragments), max_size=12))
def test_report_text_with_random_edits(edits: list[tuple[int, int, str]]) -> None:
    text = BASE
    for position, deleted, inserted in edits:
        position = min(position, len(text))
        text = text[:position] + inserted + text[position + deleted :]
    _outcome(text)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, len(BASE) - 1), max_size=60))
def test_report_text_with_confusables(positions: list[int]) -> None:
    chars = list(BASE)
    for position in positions:
        chars[position] = CONFUSABLES.get(chars[position], chars[position])
    _outcome("".join(chars))
