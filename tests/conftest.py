"""Shared fixtures: the corpus, and the --update-golden switch."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLDEN = ROOT / "golden"

REPORT_FILES = sorted(p for p in CORPUS.glob("*") if p.suffix in {".pdf", ".txt", ".md"})
REPORT_STEMS = sorted({p.stem for p in REPORT_FILES})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden/ from the current extractor (review the diff!).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
