"""Issue 9's four misreadings, each built from 2024-11's own text: a list or a sentence
that is not about the month and the whole country must not feed the month's figures, and
a failing rule must never blame the report for the reader's misreading.

The expected figures are typed from corpus/2024-11.txt (page 6-7 of the PDF), not computed.
"""

from __future__ import annotations

from extractor import extract_text
from extractor.models import Record

from .conftest import CORPUS

TEXT = (CORPUS / "2024-11.txt").read_text(encoding="utf-8")
GOVERNORATE_LEAD = "Civilian deaths documented in November 2024 at the hands of the parties"


def _insert_before(text: str, anchor: str, block: str) -> str:
    assert text.count(anchor) == 1, anchor
    return text.replace(anchor, block + anchor)


def _failing(record: Record) -> set[str]:
    return {c.rule for c in record.checks if c.status == "fail"}


def _parties(record: Record) -> dict[str, int]:
    return {p.party: p.total for p in record.parties}


# Typed from corpus/2024-11.txt, "III. CIVILIAN DEATH TOLL".
MONTH_PARTIES = {
    "syrian_regime": 11,
    "sna": 2,
    "sdf": 11,
    "landmines": 4,
    "gunfire": 13,
    "bombings": 7,
    "killings": 7,
    "israeli_forces": 9,
    "drowning": 7,
}


def test_the_original_reads_as_typed() -> None:
    record = extract_text(TEXT)
    assert record.civilians is not None
    assert (record.civilians.total, record.civilians.children, record.civilians.women) == (
        71,
        20,
        6,
    )
    assert _parties(record) == MONTH_PARTIES
    assert _failing(record) == set()


def test_a_year_to_date_list_after_the_months_lists_is_not_the_months() -> None:
    """Case 1: the ytd list must not add Syrian regime 120 and Russia 20 to the month."""
    block = (
        "Civilian deaths documented since the beginning of 2024 are distributed by party "
        "as follows:\n\n"
        "- Syrian regime forces: 120 civilians, including 30 children.\n"
        "- Russian forces: 20 civilians, including six children.\n\n"
    )
    record = extract_text(_insert_before(TEXT, GOVERNORATE_LEAD, block))
    assert _parties(record) == MONTH_PARTIES
    assert len(record.parties) == len(MONTH_PARTIES)
    assert _failing(record) == set()


def test_a_year_to_date_list_before_the_months_lists_is_not_the_months() -> None:
    block = (
        "Civilian deaths documented since the beginning of 2024 are distributed by party "
        "as follows:\n\n"
        "- Syrian regime forces: 120 civilians, including 30 children.\n"
        "- Russian forces: 20 civilians, including six children.\n\n"
    )
    anchor = "Civilian deaths documented in November 2024 are distributed according"
    record = extract_text(_insert_before(TEXT, anchor, block))
    assert _parties(record) == MONTH_PARTIES
    assert _failing(record) == set()


def test_two_items_on_one_line_are_both_read_or_flagged() -> None:
    """Case 2: Bombings must not vanish and gunfire must not get its two children."""
    joined = TEXT.replace(
        "- Gunfire of unidentified source: 13 civilians.\n"
        "- Bombings by unidentified parties: Seven civilians, including two children.\n",
        "- Gunfire of unidentified source: 13 civilians, Bombings by unidentified parties: "
        "Seven civilians, including two children.\n",
    )
    assert joined != TEXT
    record = extract_text(joined)
    gunfire = next((p for p in record.parties if p.party == "gunfire"), None)
    bombings = next((p for p in record.parties if p.party == "bombings"), None)
    if gunfire is not None:
        assert (gunfire.total, gunfire.children) == (13, None)
    if bombings is not None:
        assert (bombings.total, bombings.children) == (7, 2)
    if gunfire is None or bombings is None:
        unread = [c for c in record.checks if c.rule == "item_unread" and c.status == "fail"]
        assert unread
        assert "Bombings by unidentified parties" in unread[0].message
    # Nothing the report adds up to may be blamed on it.
    assert not {r for r in _failing(record) if r != "item_unread"} - {
        # a sum that is short because an item was not read says so (checked below)
        "other_parties_sum.total",
        "other_parties_sum.children",
    }
    for check in record.checks:
        if check.status == "fail" and check.rule.startswith("other_parties_sum"):
            assert "reading" in check.message


SUB_PLACE = (
    "In November, we documented the deaths of seven civilians in the camps of the northeast. "
)


def test_a_sentence_about_a_sub_place_before_the_toll_is_not_the_toll() -> None:
    """Case 3: civilians.total must stay 71, and no check may accuse title or summary."""
    anchor = "In November 2024, SNHR documented the killing of 71 civilians"
    record = extract_text(_insert_before(TEXT, anchor, SUB_PLACE))
    assert record.civilians is not None
    assert record.civilians.total == 71
    assert _failing(record) == set()


def test_the_same_sentence_at_the_top_of_the_summary_is_not_the_summarys_toll() -> None:
    """Case 4: summary_agrees must not fail saying the summary gives 7."""
    anchor = "In November 2024, we documented the killing of 71 civilians, including 20 children"
    record = extract_text(_insert_before(TEXT, anchor, SUB_PLACE))
    assert record.summary.civilians is not None
    assert record.summary.civilians.total == 71
    assert _failing(record) == set()


def test_a_party_listed_twice_is_not_collapsed() -> None:
    """A duplicated entry stays two entries, and the sum says the reading may be at fault."""
    doubled = TEXT.replace(
        "- Drowning: Seven civilians, including one woman.\n",
        "- Drowning: Seven civilians, including one woman.\n"
        "- Drowning: Seven civilians, including one woman.\n",
    )
    record = extract_text(doubled)
    assert [p.party for p in record.parties].count("drowning") == 2
    failing = [c for c in record.checks if c.status == "fail" and "sum" in c.rule]
    assert failing, "a sum counting a party twice must not pass"
    for check in failing:
        assert "drowning" in check.message
        assert "twice" in check.message
