"""The text edition and the PDF edition of a report give the same figures, with both engines;
and every figure carries evidence."""

from __future__ import annotations

import pytest

from extractor import extract
from extractor.figure_paths import figure_paths
from extractor.pdf.compare import differences, figures

from .conftest import CORPUS, REPORT_STEMS


@pytest.mark.parametrize("stem", REPORT_STEMS)
@pytest.mark.parametrize("engine", ["pymupdf", "pdfplumber"])
def test_pdf_and_text_agree(stem: str, engine: str) -> None:
    text = extract(CORPUS / f"{stem}.txt")
    pdf = extract(CORPUS / f"{stem}.pdf", engine=engine)
    assert list(differences(figures(text), figures(pdf))) == []
    # Evidence quotes agree too; only the pages differ (text editions have none).
    assert {k: v.quote for k, v in text.evidence.items()} == {
        k: v.quote for k, v in pdf.evidence.items()
    }
    assert all(v.page is None for v in text.evidence.values())
    assert all(
        v.page is not None and 1 <= v.page <= (pdf.report.source.pages or 0)
        for v in pdf.evidence.values()
    )


@pytest.mark.parametrize(
    "path", sorted(p for p in CORPUS.glob("*") if p.is_file()), ids=lambda p: p.name
)
def test_every_figure_has_evidence(path: object) -> None:
    record = extract(path)  # type: ignore[arg-type]
    missing = [p for p in figure_paths(record) if p not in record.evidence]
    assert missing == []
    for path_, ev in record.evidence.items():
        assert ev.quote.strip(), path_
