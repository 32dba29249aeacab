"""Every era sample (corpus/eras/, text and typeset PDF with both engines) against the key
figures typed by hand in golden/eras/<stem>.key.toml and its golden record; announcements'
disagreements flagged; parties named by date; announcements as saved HTML pages; a report
checked against its announcement."""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from extractor import errors
from extractor.api import extract, extract_text
from extractor.cli import main
from extractor.language.normalise import match_party
from extractor.models import Record

from .conftest import ROOT
from .keys import json_at

ERAS = ROOT / "corpus" / "eras"
GOLDEN_ERAS = ROOT / "golden" / "eras"
KEY_FILES = sorted(GOLDEN_ERAS.glob("*.key.toml"))
ENGINES = {".txt": ["text"], ".pdf": ["pymupdf", "pdfplumber"]}


@cache
def _record(name: str, engine: str) -> Record:
    path = ERAS / name
    return extract(path) if engine == "text" else extract(path, engine=engine)


def _cases() -> list[Any]:
    cases = []
    for key in KEY_FILES:
        spec = tomllib.loads(key.read_text(encoding="utf-8"))
        for name in spec["files"]:
            for engine in ENGINES[Path(name).suffix]:
                cases.append(pytest.param(key, name, engine, id=f"{name}-{engine}"))
    return cases


def test_every_sample_has_key_figures() -> None:
    samples = {p.name.split(".")[0] + "." + p.name.split(".")[1] for p in ERAS.glob("*.txt")}
    keyed = {k.name.removesuffix(".key.toml") for k in KEY_FILES}
    assert samples == keyed
    assert len(samples) == 9


@pytest.mark.parametrize(("key", "name", "engine"), _cases())
def test_key_figures(key: Path, name: str, engine: str) -> None:
    spec = tomllib.loads(key.read_text(encoding="utf-8"))
    record = _record(name, engine)
    data = record.model_dump(mode="json")
    wrong = []
    for figure in spec["figure"]:
        value = json_at(data, figure["path"])
        if value != figure["value"]:
            wrong.append(f"{figure['path']}: typed {figure['value']}, read {value}")
            continue
        evidence = record.evidence.get(figure["path"])
        assert evidence is not None, f"{figure['path']} has no evidence"
        if engine != "text" and "page" in figure:
            assert evidence.page == figure["page"], figure["path"]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(p.name for p in ERAS.glob("*.txt")))
def test_pdf_engines_read_what_the_text_says(name: str) -> None:
    """The typeset PDF, with either engine, gives the figures of the text edition."""

    def figures(record: Record) -> dict[str, Any]:
        data = record.model_dump(mode="json")
        for key in ("report", "evidence", "checks"):
            data.pop(key)
        return data

    text = figures(_record(name, "text"))
    pdf = name.replace(".txt", ".pdf")
    assert figures(_record(pdf, "pymupdf")) == text
    assert figures(_record(pdf, "pdfplumber")) == text


@pytest.mark.parametrize(
    "name", sorted(p.name for p in ERAS.glob("*") if p.suffix in {".txt", ".pdf"})
)
def test_matches_golden(name: str, update_golden: bool) -> None:
    engine = "text" if name.endswith(".txt") else "pymupdf"
    data = _record(name, engine).model_dump(mode="json")
    data["report"]["source"]["file"] = f"corpus/eras/{name}"
    golden = GOLDEN_ERAS / f"{name}.json"
    if update_golden:
        golden.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden for {name}; run pytest --update-golden and review it"
    assert data == json.loads(golden.read_text(encoding="utf-8"))


def test_kinds_and_eras() -> None:
    assert _record("2014-04.monthly.txt", "text").report.era == "2014"
    assert _record("2014-04.monthly.txt", "text").civilians is None  # not stated: never derived
    assert _record("2022-03.press_release.txt", "text").report.kind == "press_release"
    assert _record("2025-05.monthly.pdf", "pymupdf").report.kind == "monthly"


def test_lead_and_later_paragraph_disagree_2022_03() -> None:
    record = _record("2022-03.press_release.txt", "text")
    failed = {c.rule: c for c in record.checks if c.status == "fail"}
    check = failed["restated_agrees.civilians.children"]
    assert (check.expected, check.found) == (20, 19)
    assert "the dead included 20 children" in check.message
    assert "19 children and three women among them" in check.message


def test_title_and_text_disagree_2024_11() -> None:
    record = _record("2024-11.press_release.pdf", "pymupdf")
    failed = {c.rule: c for c in record.checks if c.status == "fail"}
    check = failed["title_agrees.civilians.women"]
    assert (check.expected, check.found) == (3, 6)


def test_announcement_names_no_complete_breakdown() -> None:
    """67 civilians, parties named 7 + 5 + 53: no sum check blames the announcement."""
    record = _record("2022-03.press_release.txt", "text")
    assert not [c for c in record.checks if c.rule.startswith("civilians_sum")]


def test_aggregate_against_its_members_2019_03() -> None:
    record = _record("2019-03.monthly.txt", "text")
    sums = {c.rule: c for c in record.checks if c.rule.startswith("aggregate_sum.")}
    assert sums["aggregate_sum.extremist_groups.total"].status == "pass"
    assert sums["aggregate_sum.extremist_groups.total"].found == 33
    # never copied into a member
    assert [p.total for p in record.parties if p.party in ("isis", "hts")] == [28, 5]


@pytest.mark.parametrize(
    ("label", "period", "party"),
    [
        ("Government forces", (2016, 11), "syrian_regime"),
        ("Government forces", (2024, 11), "syrian_regime"),
        ("Government forces", (2024, 12), "syrian_government"),
        ("government forces", (2025, 5), "syrian_government"),
        ("Assad regime forces", (2025, 5), "assad_remnants"),
        ("Fateh al-Sham Front", (2016, 11), "hts"),
        ("An-Nusra Front", (2015, 3), "hts"),
        ("Self-Management forces", (2016, 11), "sdf"),
        ("PYD Kurdish Forces", (2015, 3), "sdf"),
        ("Free Syrian Army", (2013, 2), "sna"),
    ],
)
def test_party_by_date(label: str, period: tuple[int, int], party: str) -> None:
    assert match_party(label, period=period).party == party


def test_dated_alias_needs_a_month() -> None:
    assert match_party("Government forces").party.startswith("unrecognized:")


def test_label_kept_as_written() -> None:
    record = _record("2016-11.monthly.txt", "text")
    assert [(p.party, p.label) for p in record.parties] == [
        ("syrian_regime", "government forces"),
        ("russia", "forces we believe are Russian"),
    ]


def _wordpress_page(text: str) -> str:
    """A WordPress-style page around an announcement: menus, sharing, scripts, footer."""
    title, *body = [p for p in text.split("\n\n") if p.strip()]
    paragraphs = "\n".join(f"<p>{p.strip()}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8"><title>{title} - SNHR</title>
<script>var wpData = {{"ajax": "/wp-admin/admin-ajax.php", "n": "2024"}};</script>
<style>.entry-title {{ font-size: 2em; }}</style></head>
<body class="post-template-default single">
<header id="masthead"><nav><ul><li><a href="/">Home</a></li><li><a href="/reports">Reports</a></li>
<li><a href="/about">About: 13 years of documentation</a></li></ul></nav></header>
<main id="primary"><article class="post type-post">
<h1 class="entry-title">{title}</h1>
<div class="entry-meta"><span class="posted-on">December 1, 2024</span></div>
<div class="entry-content">
{paragraphs}
<ul class="share"><li><a href="#">Share on X</a></li></ul>
</div></article></main>
<aside id="secondary"><h2>Latest</h2><p>SNHR documented the deaths of 999 civilians in 2099.</p></aside>
<footer><p>&copy; 2024 SNHR. 112 reports.</p></footer>
<script>console.log("5 civilians");</script></body></html>"""


def test_saved_html_announcement(tmp_path: Path) -> None:
    text = (ERAS / "2024-11.press_release.txt").read_text(encoding="utf-8")
    page = tmp_path / "syria-71-civilians-killed-in-november-2024.html"
    page.write_text(_wordpress_page(text), encoding="utf-8")
    record = extract(page)
    assert record.report.source.format == "html"
    assert record.report.kind == "press_release"
    assert (record.report.year, record.report.month) == (2024, 11)
    assert record.civilians is not None
    assert (record.civilians.total, record.civilians.children, record.civilians.women) == (
        71,
        20,
        3,
    )
    assert record.title_figures.civilians is not None
    assert record.title_figures.civilians.women == 6
    assert "title_agrees.civilians.women" in {c.rule for c in record.failed_checks}


def test_html_renamed_pdf_is_still_refused(tmp_path: Path) -> None:
    page = tmp_path / "report.pdf"
    page.write_text(_wordpress_page("T\n\nBody"), encoding="utf-8")
    with pytest.raises(errors.NotAPDF):
        extract(page)


def test_check_against_announcement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        main,
        [
            "check",
            "corpus/2024-11.txt",
            "--against",
            "corpus/eras/2024-11.press_release.txt",
            "--json",
        ],
    )
    assert result.exit_code == 1, result.output
    checks = {c["rule"]: c for c in json.loads(result.output)}
    women = checks["against.civilians.women"]
    assert (women["status"], women["expected"], women["found"]) == ("fail", 6, 3)
    assert "among them 20 children and three women" in women["message"]
    assert checks["against.civilians.total"]["status"] == "pass"
    assert checks["against.torture.total"]["status"] == "pass"


def test_check_against_needs_a_file() -> None:
    result = CliRunner().invoke(main, ["check", "--db", "x.db", "--against", "y.txt"])
    assert result.exit_code == 2


def test_unknown_wording_of_a_known_era_gives_null_and_a_failing_check() -> None:
    text = (
        "Death Toll for May 2014\n\nFirst: Government Forces\n\n"
        "The toll of the month was heavy across the governorates.\n"
    )
    record = extract_text(text)
    assert record.report.era == "2014"
    assert record.people is None
    assert record.civilians is None
    assert "figure_read.people" in {c.rule for c in record.failed_checks}


def test_no_era_marker_is_unknown_layout() -> None:
    with pytest.raises(errors.UnknownLayout):
        extract_text("Death Toll for May 2014\n\nSNHR recorded 3000 people killed.\n")
