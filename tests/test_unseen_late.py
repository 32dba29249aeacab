"""Reports the reader has never seen, of the eras 2016-2017, 2018-2019, 2025 and the web
announcements: text editions written independently of the samples (other months, other
wordings, figures about other periods, places and the year near the toll). Each has a key
of its figures typed by hand (tests/data/unseen/late/*.key.toml): every keyed figure must be
read with evidence from the report, every figure the key lists as unread must stay null, and
no other figure may be non-null (a figure from the wrong sentence fails here)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from extractor import extract
from extractor.figure_paths import value_at

DATA = Path(__file__).parent / "data" / "unseen" / "late"
KEYS = sorted(DATA.glob("*.key.toml"))
ERA = {"2016": "2016-2017", "2017": "2016-2017", "2018": "2018-2019", "2019": "2018-2019"}


def _era(stem: str) -> str:
    if stem.endswith(".press_release"):
        return "press_release"
    return ERA.get(stem[:4], "2025")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("key_file", KEYS, ids=[p.name.removesuffix(".key.toml") for p in KEYS])
def test_unseen_report_gives_its_hand_typed_figures_and_no_others(key_file: Path) -> None:
    key = tomllib.loads(key_file.read_text(encoding="utf-8"))
    source = DATA / key["file"]
    record = extract(source, sandbox=False)
    stem = key["file"].removesuffix(".txt")
    assert record.report.era == _era(stem)
    assert (record.report.year, record.report.month) == (int(stem[:4]), int(stem[5:7]))
    text = _flat(source.read_text(encoding="utf-8"))

    keyed = {f["path"]: f["value"] for f in key["figure"]}
    for path, value in keyed.items():
        assert value_at(record, path) == value, path
        quote = record.evidence[path].quote
        assert quote, path
        assert _flat(quote) in text, (path, quote)

    for unread in key.get("unread", []):
        assert value_at(record, unread["path"]) is None, (unread["path"], unread["why"])

    extra = [
        p
        for p in record.evidence
        if not p.startswith("report.") and p not in keyed and value_at(record, p) is not None
    ]
    assert extra == [], f"figures the report's key does not hold: {extra}"
    # A restatement or an ambiguity would be the reader's own misreading here: each of
    # these reports states every figure once.
    failing = [c.rule for c in record.checks if c.status == "fail"]
    assert failing == [], failing
