"""Number words and percentages, table-driven."""

from __future__ import annotations

import pytest

from extractor.language.normalise import NotANumber, parse_number, parse_percent

NUMBERS: list[tuple[str, int | type[Exception]]] = [
    ("1,032", 1032),
    ("107", 107),
    ("Seven", 7),
    ("one", 1),
    ("two", 2),
    ("nineteen", 19),
    ("twenty-three", 23),
    ("Twenty three", 23),
    ("ninety-nine", 99),
    ("one hundred and five", 105),
    ("two hundred", 200),
    ("a", 1),
    ("an", 1),
    ("zero", 0),
    ("seventy", 70),
    ("many", NotANumber),
    ("", NotANumber),
    ("twenty-many", NotANumber),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_parse_number(text: str, expected: int | type[Exception]) -> None:
    if isinstance(expected, int):
        assert parse_number(text) == expected
    else:
        with pytest.raises(expected):
            parse_number(text)


@pytest.mark.parametrize(("text", "expected"), [("43.48", 43.48), ("53", 53.0), ("four", 4.0)])
def test_parse_percent(text: str, expected: float) -> None:
    assert parse_percent(text) == expected
