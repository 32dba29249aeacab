"""Each text edition, typeset afresh in several layouts (one and two columns, other fonts,
other hyphen characters, other running headers, US Letter), gives the same figures as the
text edition itself — with both PDF engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import extract
from extractor.pdf.compare import differences, figures

from .conftest import CORPUS, REPORT_STEMS
from .typeset import LAYOUTS, Layout, typeset_file


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("layouts")


@pytest.mark.parametrize("engine", ["pymupdf", "pdfplumber"])
@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
@pytest.mark.parametrize("stem", REPORT_STEMS)
def test_layout_variant_gives_the_text_editions_figures(
    stem: str, layout: Layout, engine: str, variants: Path
) -> None:
    pdf = variants / f"{stem}-{layout.name}.pdf"
    if not pdf.exists():
        typeset_file(CORPUS / f"{stem}.txt", layout, pdf)
    text = extract(CORPUS / f"{stem}.txt")
    record = extract(pdf, engine=engine)
    assert list(differences(figures(text), figures(record))) == []
