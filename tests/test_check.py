"""`snhr check` and `snhr audit`: the journalist's questions, answered with pages and quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner

from extractor.archive.ingest import ingest
from extractor.cli import main

from .conftest import CORPUS


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("edition", ["pdf", "txt"])
def test_2023_12_discrepancies_are_reported_with_quotes(edition: str) -> None:
    code, out = _check(str(CORPUS / f"2023-12.{edition}"))
    assert code == 1

    def page(n: int) -> str:
        return f"p. {n}" if edition == "pdf" else "text edition"

    # December's other-party categories (35) fall short of their total (47); the summary
    # section describes the missing bombing deaths (15, not 3).
    assert "FAIL other_parties_sum.total" in out
    assert "the report states 47 but its parts add up to 35" in out
    assert (
        f'summary.parties.bombings.total ({page(9)}): "In December, 15 civilians, including five '
        "children and a woman, were killed in bombings"
    ) in out
    assert (
        f'parties.bombings.total ({page(14)}): "- Bombings by unidentified parties: Three civilians."'
        in out
    )
    # The annual women do not add up.
    assert "FAIL annual.civilians_sum.women" in out
    assert "the report states 150 but its parts add up to 119" in out
    # The summary's children and women disagree with the toll section.
    assert "FAIL summary_agrees.civilians.children" in out
    assert "FAIL summary_agrees.civilians.women" in out
    assert (
        f'summary.civilians.children ({page(6)}): "In December, we documented the killing of 91 '
        'civilians, including 15 children and 14 women."'
    ) in out
    assert (
        f'civilians.children ({page(13)}): "In December, SNHR documented the killing of 91 '
        "civilians, including 14 children and 13 women"
    ) in out


@pytest.mark.parametrize("stem", ["2020-07", "2021-02", "2024-11"])
def test_the_other_samples_pass_every_rule(stem: str) -> None:
    for edition in ("pdf", "txt"):
        code, out = _check(str(CORPUS / f"{stem}.{edition}"))
        assert code == 0, out
        assert ", 0 fail" in out


def test_json_output() -> None:
    code, out = _check(str(CORPUS / "2021-02.pdf"), "--json")
    checks = json.loads(out)
    assert code == 0
    assert {c["rule"] for c in checks} >= {
        "civilians_sum.total",
        "other_parties_sum.total",
        "torture_sum.total",
        "massacres_sum.count",
    }
    assert all(c["status"] == "pass" for c in checks)


def _variant(text: str, month: str, ytd: int, torture_ytd: int, total: int | None = None) -> str:
    out = text.replace("November", month).replace("to 761.", f"to {ytd:,}.")
    out = out.replace(
        "up until the end of " + month + ", to 82.",
        f"up until the end of {month}, to {torture_ytd}.",
    )
    if total is not None:
        out = out.replace(
            "documented the killing of 71 civilians, including 20 children and six "
            "women (adult female)",
            f"documented the killing of {total} civilians, "
            "including 20 children and six women (adult female)",
        )
    return out


def test_cross_report_rules_on_an_archive(tmp_path: Path) -> None:
    base = (CORPUS / "2024-11.txt").read_text(encoding="utf-8")
    files = {
        "oct.txt": _variant(base, "October", ytd=690, torture_ytd=79),  # chains into November
        "nov.txt": base,  # 761 = 690 + 71: chains
        "dec.txt": _variant(base, "December", ytd=840, torture_ytd=85),  # 761 + 71 = 832, not 840
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "snhr.db"
    ingest([tmp_path / n for n in files], db, workers=1)
    code, out = _check("--db", str(db), "--json")
    assert code == 1
    series = {
        (c["rule"], c["message"][:7]): c for c in json.loads(out) if c["rule"].startswith("series.")
    }
    assert series[("series.civilians_ytd_chains", "2024-11")]["status"] == "pass"
    dec = series[("series.civilians_ytd_chains", "2024-12")]
    assert (dec["status"], dec["expected"], dec["found"]) == ("fail", 840, 832)
    assert series[("series.torture_ytd_chains", "2024-12")]["status"] == "pass"
    # A month published again with different figures is flagged.
    (tmp_path / "nov-again.txt").write_text(
        _variant(base, "November", ytd=762, torture_ytd=82, total=72), encoding="utf-8"
    )
    ingest([tmp_path / "nov-again.txt"], db, workers=1)
    code, out = _check("--db", str(db), "--month", "2024-11")
    assert code == 1
    assert "FAIL series.republished_differently" in out
    assert "2024-11 was published more than once with different civilian tolls" in out


def _share(pix: pymupdf.Pixmap, rect: pymupdf.Rect, zoom: float, colour: str) -> float:
    """Share of the rectangle's pixels tinted `colour` (the highlight over white paper)."""
    hits = total = 0
    for y in range(int(rect.y0 * zoom) + 1, int(rect.y1 * zoom) - 1):
        for x in range(int(rect.x0 * zoom) + 1, int(rect.x1 * zoom) - 1):
            r, g, b = pix.pixel(x, y)[:3]
            total += 1
            if colour == "red":
                hits += r > 200 and g < 140 and b < 140
            else:
                hits += r > 200 and g > 170 and b < 100
    return hits / max(1, total)


def test_audit_highlights_figures_where_they_stand(tmp_path: Path) -> None:
    out = tmp_path / "audited.pdf"
    result = CliRunner().invoke(main, ["audit", str(CORPUS / "2023-12.pdf"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "0 not located" in result.output
    zoom = 2.0
    with pymupdf.open(out) as doc:
        notes = {}
        for page in doc:
            for annot in page.annots():
                notes[annot.info["content"].split("\n")[0]] = (page.number, annot.rect)
        for label, colour in (
            ("other_parties.total = 47", "red"),
            ("civilians.total = 91", "yellow"),
        ):
            number, rect = notes[label]
            page = doc[number]
            word = [w for w in page.get_text("words") if pymupdf.Rect(w[:4]).intersects(rect)]
            assert [w[4] for w in word] == [label.rsplit(" ", 1)[1]]
            matrix = pymupdf.Matrix(zoom, zoom)
            assert _share(page.get_pixmap(matrix=matrix, annots=True), rect, zoom, colour) > 0.4
            assert _share(page.get_pixmap(matrix=matrix, annots=False), rect, zoom, colour) == 0
