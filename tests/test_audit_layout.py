"""`snhr audit --layout`: the reader's decisions drawn where they happened.

Checked by rendering the output with PyMuPDF and measuring its colours at places found in
the original report by their wording (a running header, a footnote, a paragraph), never by
asking the code where it drew.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner

from extractor.cli import main

from .conftest import CORPUS
from .typeset import LAYOUTS, typeset_file

ZOOM = 2.0

Rect = tuple[float, float, float, float]


def _shares(pdf: Path, page_index: int, rect: Rect) -> dict[str, float]:
    """The share of the rectangle's pixels in each colour family of the layout view."""
    with pymupdf.open(pdf) as doc:
        pix = doc[page_index].get_pixmap(
            matrix=pymupdf.Matrix(ZOOM, ZOOM), clip=pymupdf.Rect(rect), alpha=False
        )
    counts = dict.fromkeys(("red", "green", "orange", "blue"), 0)
    samples = pix.samples
    total = pix.width * pix.height
    for i in range(0, len(samples), 3):
        r, g, b = samples[i], samples[i + 1], samples[i + 2]
        if r >= 200 and r - g >= 50 and abs(g - b) <= 40:
            counts["red"] += 1  # red fill over white, or the red strike
        elif g - r >= 30:
            counts["green"] += 1  # a paragraph's green or teal fill
        if r >= 230 and 110 <= g <= 170 and b <= 40:
            counts["orange"] += 1
        if b >= 200 and r <= 60 and g <= 120:
            counts["blue"] += 1
    return {k: v / total for k, v in counts.items()}


def _audit_layout(pdf: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["audit", str(pdf), "-o", str(out), "--layout", *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def audited_2020_07(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("audit") / "2020-07-layout.pdf"
    output = _audit_layout(CORPUS / "2020-07.pdf", out)
    assert "legend on the last page" in output
    return out


def _top_header(page: pymupdf.Page) -> Rect:
    # The running header at the top of 2020-07.pdf's pages (the same words end a paragraph
    # lower down, so take the one in the top margin).
    hits = [r for r in page.search_for("Syrian Network for Human Rights (SNHR)") if r.y1 < 60]
    assert len(hits) == 1
    return tuple(hits[0])


def _line(page: pymupdf.Page, opening: str) -> tuple[Rect, Rect]:
    """The bounding boxes of the line that starts with `opening` and of the next line."""
    for block in page.get_text("dict")["blocks"]:
        lines = block.get("lines", [])
        for i, line in enumerate(lines[:-1]):
            if "".join(s["text"] for s in line["spans"]).startswith(opening):
                return tuple(line["bbox"]), tuple(lines[i + 1]["bbox"])
    raise AssertionError(f"no line starts with {opening!r}")


def test_the_running_header_is_drawn_dropped(audited_2020_07: Path) -> None:
    with pymupdf.open(CORPUS / "2020-07.pdf") as original:
        header = _top_header(original[2])
    drawn = _shares(audited_2020_07, 2, header)
    assert drawn["red"] > 0.5
    assert drawn["green"] < 0.02
    # The colour is the audit's: the report does not print its header in red.
    assert _shares(CORPUS / "2020-07.pdf", 2, header)["red"] < 0.02


def test_a_paragraph_is_drawn_kept_with_its_break(audited_2020_07: Path) -> None:
    # Page 3's second paragraph: "SNHR has analyzed videos and photographs that our team
    # documented, which ..." (its first paragraph runs on from page 2).
    with pymupdf.open(CORPUS / "2020-07.pdf") as original:
        first, second = _line(original[2], "SNHR has analyzed videos and photographs")
    for line in (first, second):
        drawn = _shares(audited_2020_07, 2, line)
        assert drawn["green"] > 0.5
        assert drawn["red"] < 0.02
        assert _shares(CORPUS / "2020-07.pdf", 2, line)["green"] < 0.02
    # A paragraph break before the first line (the orange bar left of it), none before the
    # second: the two lines were joined into one paragraph.
    x0, y0, _, y1 = first
    assert _shares(audited_2020_07, 2, (x0 - 6.5, y0 + 2, x0 - 3.5, y1 - 2))["orange"] > 0.8
    x0, y0, _, y1 = second
    assert _shares(audited_2020_07, 2, (x0 - 6.5, y0 + 2, x0 - 3.5, y1 - 2))["orange"] < 0.05


def test_a_footnote_is_drawn_dropped(tmp_path: Path) -> None:
    out = tmp_path / "2021-02-layout.pdf"
    _audit_layout(CORPUS / "2021-02.pdf", out)
    with pymupdf.open(CORPUS / "2021-02.pdf") as original:
        # Footnote 1 on page 2: "1. We generally use the term 'the Syrian regime' ..."
        (footnote,) = original[1].search_for("We generally use the term")
        assert len(original) + 1 == len(pymupdf.open(out))  # the legend page is added last
    drawn = _shares(out, 1, tuple(footnote))
    assert drawn["red"] > 0.4
    assert drawn["green"] < 0.02


def test_columns_are_numbered_in_reading_order(tmp_path: Path) -> None:
    two_columns = typeset_file(CORPUS / "2021-02.txt", LAYOUTS[1], tmp_path / "two.pdf")
    assert LAYOUTS[1].columns == 2
    out = tmp_path / "two-layout.pdf"
    _audit_layout(two_columns, out, "--engine", "pdfplumber")
    with pymupdf.open(two_columns) as original, pymupdf.open(out) as drawn:
        before = {(round(w[0]), round(w[1]), w[4]) for w in original[1].get_text("words")}
        labels = [
            w
            for w in drawn[1].get_text("words")
            if (round(w[0]), round(w[1]), w[4]) not in before and w[4].isdigit()
        ]
    # Page 2 starts in two columns: run 1 is the left column, run 2 the right one, side by
    # side at the top of the page.
    one, two = labels[0], labels[1]
    assert (one[4], two[4]) == ("1", "2")
    assert abs(one[1] - two[1]) < 2
    assert two[0] - one[0] > 200
    for label in (one, two):
        assert _shares(out, 1, tuple(label[:4]))["blue"] > 0.3


def test_layout_view_of_a_text_edition_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["audit", str(CORPUS / "2021-02.txt"), "-o", str(tmp_path / "x.pdf"), "--layout"]
    )
    assert result.exit_code == 5
    assert "needs a PDF" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_figures_audit_reads_with_any_engine(tmp_path: Path) -> None:
    counts = {}
    for engine in ("pymupdf", "pdfplumber"):
        out = tmp_path / f"{engine}.pdf"
        result = CliRunner().invoke(
            main, ["audit", str(CORPUS / "2021-02.pdf"), "-o", str(out), "--engine", engine]
        )
        assert result.exit_code == 0, result.output
        counts[engine] = result.output
        with pymupdf.open(out) as doc:
            assert sum(1 for page in doc for _ in page.annots()) > 20
    # The engines read the same figures from this report, so the same ones are highlighted.
    assert counts["pymupdf"].split(":", 1)[1] == counts["pdfplumber"].split(":", 1)[1]
