"""Each corpus report's key figures, typed by hand from the report (golden/*.key.toml),
against the record of both editions: a golden file cannot bless a wrong value these name."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from extractor import extract
from extractor.figure_paths import value_at

from .conftest import CORPUS, GOLDEN

KEY_FILES = sorted(GOLDEN.glob("*.key.toml"))


@pytest.mark.parametrize("suffix", [".txt", ".pdf"])
@pytest.mark.parametrize("key_file", KEY_FILES, ids=[p.stem for p in KEY_FILES])
def test_record_gives_the_hand_typed_key_figures(key_file: Path, suffix: str) -> None:
    stem = key_file.name.removesuffix(".key.toml")
    record = extract(CORPUS / f"{stem}{suffix}", sandbox=False)
    figures = tomllib.loads(key_file.read_text(encoding="utf-8"))["figure"]
    assert figures
    for figure in figures:
        assert value_at(record, figure["path"]) == figure["value"], figure["path"]
        if suffix == ".pdf":
            assert record.evidence[figure["path"]].page == figure["page"], figure["path"]
