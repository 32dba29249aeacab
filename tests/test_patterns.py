"""Sentence patterns, table-driven: (pattern list, sentence, expected toll / value / None).

Rows are sentences from the four samples and variants the series uses; `None` means the
sentence must *not* be read by that pattern.
"""

from __future__ import annotations

import pytest

from extractor.extract.common import first_match, leading_figure, list_item, read_toll
from extractor.language.normalise import parse_number
from extractor.language.patterns import pattern_list
from extractor.models import Toll
from extractor.text.segment import classify_heading

T = Toll

TOLLS: list[tuple[str, str, Toll | None]] = [
    (
        "civilians.total",
        "in July, SNHR documented the deaths of 107 civilians, including 26 children "
        "and 11 women (adult female), killed at the hands of the parties",
        T(total=107, children=26, women=11),
    ),
    (
        "civilians.total",
        "In 2023, SNHR documented the killing of 1,032 civilians, including 181 children "
        "and 150 women (adult female) at the hands of",
        T(total=1032, children=181, women=150),
    ),
    (
        "civilians.total",
        "In November 2024, SNHR documented the killing of 71 civilians, including 20 "
        "children and six women (adult female) at the hands of the parties",
        T(total=71, children=20, women=6),
    ),
    (
        "civilians.total",
        "We documented the death of one child at the hands of Hay’at Tahrir al Sham.",
        T(total=1, children=1),
    ),
    (
        "civilians.total",
        "SNHR documented the deaths of 16 victims, including six children, bringing "
        "the civilian death toll caused by landmines since the beginning of 2021 to 34, including 22 "
        "children",
        None,
    ),
    (
        "civilians.party_toll",
        "We documented the deaths of 21 civilians at the hands of Syrian Regime "
        "forces, including four children.",
        T(total=21, children=4),
    ),
    (
        "civilians.party_toll",
        "We documented the killing of 11 civilians, including two children, by the SDF.",
        T(total=11, children=2),
    ),
    (
        "torture.total",
        "SNHR documented in July 2020 the deaths of 13 individuals due to torture, "
        "bringing the death toll",
        T(total=13),
    ),
    (
        "torture.total",
        "SNHR documented in February 2021 the deaths of 14 victims due to torture, "
        "including one child, at the hands of the parties",
        T(total=14, children=1),
    ),
    (
        "torture.total",
        "In 2023, SNHR documented that 57 individuals, including one child and two "
        "women, died due to torture by the parties",
        T(total=57, children=1, women=2),
    ),
    (
        "torture.total",
        "In November 2024, SNHR documented three deaths due to torture at the hands",
        T(total=3),
    ),
    (
        "torture.total",
        "We documented in July the deaths of 13 individuals, including 10 at the hands "
        "of Syrian Regime forces",
        None,
    ),
    (
        "massacres.deaths",
        "the massacres documented in July 2020 resulted in the deaths of 29 "
        "civilians, including four children and two women (adult female), distributed as follows:",
        T(total=29, children=4, women=2),
    ),
    (
        "massacres.deaths",
        "In the massacres documented in November 2024, a total of 15 civilians were "
        "killed, including four children and one woman.",
        T(total=15, children=4, women=1),
    ),
    (
        "incident.deaths",
        "On Sunday, July 9, 2023, five civilians, including a child, were killed, and "
        "three others, also including a child, were injured",
        T(total=5, children=1),
    ),
    (
        "incident.deaths",
        "On Tuesday, October 24, 2023, six civilians - two children, three women, and "
        "an unborn child - were killed, while five others",
        T(total=6, children=2, women=3),
    ),
    (
        "incident.deaths",
        "pro-regime sources reported that 26 dead bodies (12 fighters and 14 "
        "civilians), including one child and one woman, had arrived",
        T(total=14, children=1, women=1),
    ),
]


@pytest.mark.parametrize(("key", "sentence", "expected"), TOLLS)
def test_toll_patterns(key: str, sentence: str, expected: Toll | None) -> None:
    found = first_match(pattern_list(key), sentence)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert read_toll(sentence, found) == expected


VALUES: list[tuple[str, str, str, int | None]] = [
    (
        "civilians.ytd",
        "bringing the documented death toll of civilian victims since the beginning "
        "of 2020 up to August 2020 to 1,113.",
        "ytd",
        1113,
    ),
    (
        "civilians.ytd",
        "bringing the total number of civilian deaths since the start of the year, up "
        "until the end of November, to 761.",
        "ytd",
        761,
    ),
    (
        "torture.ytd",
        "This brings the total number of victims documented as dying due to torture "
        "since the beginning of 2024, up until the end of November, to 82.",
        "ytd",
        82,
    ),
    (
        "massacres.count",
        "SNHR documented at least 34 massacres since the beginning of 2020, including "
        "four massacre in July at the hands of other parties",
        "count",
        4,
    ),
    (
        "massacres.count",
        "SNHR documented at least 34 massacres since the beginning of 2020, including "
        "four massacre in July at the hands of other parties",
        "ytd",
        34,
    ),
    (
        "massacres.count",
        "In 2023, SNHR documented 20 massacres, distributed as follows:",
        "count",
        20,
    ),
    (
        "massacres.ytd",
        "SNHR documented three massacres, bringing the total number of massacres "
        "perpetrated since the start of the year to 18, as of December 1, 2024",
        "ytd",
        18,
    ),
    (
        "torture.counted_in",
        "91 civilians, including 14 children, and including 11 individuals who died due to torture",
        "total",
        11,
    ),
    (
        "torture.added_to",
        "killed 150 civilians, in addition to 14 who died due to torture",
        "total",
        14,
    ),
]


@pytest.mark.parametrize(("key", "sentence", "group", "expected"), VALUES)
def test_value_patterns(key: str, sentence: str, group: str, expected: int | None) -> None:
    found = first_match(pattern_list(key), sentence)
    assert found is not None
    assert parse_number(found.group(group)) == expected


ZEROS = [
    ("torture.zero", "SNHR didn’t document any deaths due to torture in May 2021."),
    ("massacres.zero", "SNHR documented no massacres in December."),
]


@pytest.mark.parametrize(("key", "sentence"), ZEROS)
def test_zero_patterns(key: str, sentence: str) -> None:
    assert first_match(pattern_list(key), sentence) is not None


@pytest.mark.parametrize(
    ("unit", "sentence"),
    [
        ("medical", "SNHR didn’t document any deaths among medical personnel in July 2020."),
        ("media", "We documented no deaths among media workers in December."),
        (
            "civil_defense",
            "We documented no deaths among Civil Defense personnel in December 2023.",
        ),
    ],
)
def test_personnel_zero(unit: str, sentence: str) -> None:
    assert first_match(pattern_list("personnel.zero", unit), sentence) is not None


ITEMS: list[tuple[str, tuple[str, Toll, str] | None]] = [
    (
        "- Landmines of unknown origin: 10 civilians, including five children and one woman.",
        ("Landmines of unknown origin", T(total=10, children=5, women=1), "civilians"),
    ),
    (
        "- Israeli forces: Nine civilians: Six children and three women.",
        ("Israeli forces", T(total=9, children=6, women=3), "civilians"),
    ),
    ("- Syrian Regime forces: 10.", ("Syrian Regime forces", T(total=10), "")),
    (
        "Syrian regime forces: Three deaths due to torture",
        ("Syrian regime forces", T(total=3), "deaths"),
    ),
    ("B. Other parties: Two media workers", ("B. Other parties", T(total=2), "media workers")),
    ("At around 10:35 a.m. local time on Saturday", None),
    ("He told us: “I was in the observatory", None),
]


@pytest.mark.parametrize(("text", "expected"), ITEMS)
def test_list_items(text: str, expected: tuple[str, Toll, str] | None) -> None:
    item = list_item(text)
    figure = leading_figure(item.rest) if item is not None else None
    if expected is None:
        assert figure is None
        return
    assert item is not None
    assert figure is not None
    assert (item.label, figure.toll, figure.unit) == expected


HEADINGS: list[tuple[str, str | None]] = [
    ("IV. Death Toll of Civilian Victims", "civilians"),
    ("III. CIVILIAN DEATH TOLL", "civilians"),
    (
        "V. Death Toll of Victims Who Died Due to Torture, and Victims Amongst Media, Medical and "
        "Civil Defense Personnel",
        "container",
    ),
    ("A. Death toll of victims who died due to torture", "torture"),
    ("IV. DEATHS DUE TO TORTURE", "torture"),
    ("B. Death toll among medical personnel", "medical"),
    ("C. Deaths among media workers", "media"),
    ("D. Death Toll of Civil Defense personnel", "civil_defense"),
    ("VI. Record of Most Notable Massacres Documented in July:", "massacres"),
    ("VI. MASSACRES", "massacres"),
    ("Massacres from the History of the Popular Uprising for Democracy in Syria", "history"),
    ("II. Brief on the Most Notable Incidents of Killing in December", "summary"),
    ("2. In Lebanon", "abroad"),
    ("B. in December 2023", "scope"),
    ("1. In 2023", "scope"),
    ("VII. Conclusions and Recommendations", "other"),
    ("VI. The Syrian Regime Bears Primary Responsibility for the Deaths", None),
    (
        "Deaths due to torture by the parties to the conflict and controlling forces in Syria that we "
        "documented in 2023 are documented as follows:",
        "body",
    ),
    ("Most notable deaths due to torture in 2023", "body"),
    ("B. Other parties: Two individuals.", "body"),
]


@pytest.mark.parametrize(("text", "kind"), HEADINGS)
def test_headings(text: str, kind: str | None) -> None:
    head = classify_heading(text)
    if kind == "body":
        assert head is None
    else:
        assert head is not None
        assert head.kind == kind
