"""Layout variants over every corpus report (text editions): the same report, with its lists
laid out differently or one extra sentence that is not about the month and the whole
country. Each variant must give exactly the original figures, or null with a failing check,
never a different figure; and no sum or agreement rule that passes on the original may fail
on the variant unless its message says the reading, not the report, may be at fault.

The expectation is the original's own record (a metamorphic relation), never a figure
computed by the code under test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from extractor import extract_text
from extractor.models import Record
from extractor.pdf.compare import figures

from .conftest import CORPUS, REPORT_STEMS

MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
]  # fmt: skip
WORDS = {
    "One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5, "Six": 6, "Seven": 7,
    "Eight": 8, "Nine": 9, "Ten": 10, "Eleven": 11, "Twelve": 12, "Thirteen": 13,
}  # fmt: skip
# "- Gunfire of unidentified source: 16 civilians, including one child and two women."
ITEM = re.compile(
    r"^(?P<bullet>[-•] ?)(?P<label>[A-Z][A-Za-z ’'/()]+): (?P<figure>[A-Za-z0-9,]+) "
    r"(?P<rest>civilians?\b.*\.)[ ]*$",
    re.M,
)
READING = ("item_unread", "figure_ambiguous")


def _text(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")


def _items(text: str) -> list[re.Match[str]]:
    return list(ITEM.finditer(text))


def _block(text: str) -> list[re.Match[str]]:
    """The first run of adjacent list items (lines one after the other)."""
    items = _items(text)
    run: list[re.Match[str]] = []
    for item in items:
        if run and text[run[-1].end() : item.start()].strip():
            if len(run) >= 2:
                return run
            run = []
        run.append(item)
    return run if len(run) >= 2 else []


# ---- the variants: text -> text (None where the report has nothing to vary) ----


def join_lines(text: str) -> str | None:
    block = _block(text)
    if not block:
        return None
    a, b = block[0], block[1]
    joined = a.group(0).rstrip(". ") + ", " + b.group(0)[len(b.group("bullet")) :]
    return text[: a.start()] + joined + text[b.end() :]


def split_lines(text: str) -> str | None:
    block = _block(text)
    if not block:
        return None
    out = text
    for item in reversed(block):
        split = (
            f"{item.group('bullet')}{item.group('label')}:\n\n"
            f"{item.group('figure')} {item.group('rest')}"
        )
        out = out[: item.start()] + split + out[item.end() :]
    return out


def reorder(text: str) -> str | None:
    block = _block(text)
    if not block:
        return None
    lines = [m.group(0) for m in block]
    return text[: block[0].start()] + "\n".join(reversed(lines)) + text[block[-1].end() :]


def _rebullet(text: str, make: Callable[[int], str]) -> str | None:
    block = _block(text)
    if not block:
        return None
    out = text
    for i, item in reversed(list(enumerate(block))):
        line = make(i) + item.group(0)[len(item.group("bullet")) :]
        out = out[: item.start()] + line + out[item.end() :]
    return out


def bullets(text: str) -> str | None:
    return _rebullet(text, lambda i: "• ")


def no_bullets(text: str) -> str | None:
    return _rebullet(text, lambda i: "")


def numbers(text: str) -> str | None:
    return _rebullet(text, lambda i: f"{i + 1}. ")


def words_to_digits(text: str) -> str | None:
    out, changed = text, False
    for item in reversed(_items(text)):
        word = item.group("figure")
        if word in WORDS:
            start = item.start("figure")
            out = out[:start] + str(WORDS[word]) + out[item.end("figure") :]
            changed = True
    return out if changed else None


def digits_to_words(text: str) -> str | None:
    back = {v: k for k, v in WORDS.items()}
    out, changed = text, False
    for item in reversed(_items(text)):
        figure = item.group("figure")
        if figure.isdigit() and int(figure) in back:
            start = item.start("figure")
            out = out[:start] + back[int(figure)] + out[item.end("figure") :]
            changed = True
    return out if changed else None


def note_in_list(text: str) -> str | None:
    block = _block(text)
    if not block:
        return None
    at = block[0].end()
    return text[:at] + "\nNote: the figures below are those documented so far." + text[at:]


def _ytd_list(year: str) -> str:
    return (
        f"Civilian deaths documented since the beginning of {year} are distributed by party "
        "as follows:\n\n"
        "- Syrian regime forces: 120 civilians, including 30 children.\n"
        "- Russian forces: 20 civilians, including six children.\n"
        "- Landmines of unidentified source: 40 civilians, including 12 children.\n\n"
    )


def _position(text: str, quote: str | None) -> int | None:
    if quote is None:
        return None
    words = quote.split()[:8]
    found = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return found.start() if found is not None else None


def _summary_party_quote(base: Record) -> str | None:
    """The sentence that gives the first summary party's toll, without its bullet."""
    for party in base.summary.parties:
        found = base.evidence.get(f"summary.parties.{party.party}.total")
        if found is not None:
            return found.quote.lstrip("-•■* ")
    return None


def _month_lead(text: str, after: int) -> int | None:
    """Where the lead-in of the month's party list starts: the last "... as follows:"
    paragraph before the first "A. ... main parties" after the month's toll."""
    marker = re.compile(r"^\s*A\. (?:The )?[Mm]ain parties:", re.M).search(text, after)
    if marker is None:
        return None
    leads = [
        m.start() for m in re.finditer(r"^[^\n]*\n?[^\n]*as follows:", text[: marker.start()], re.M)
    ]
    return leads[-1] if leads and leads[-1] > after else None


def ytd_list_before(text: str, year: str, toll: str | None) -> str | None:
    after = _position(text, toll)
    at = _month_lead(text, after) if after is not None else None
    if at is None:
        return None
    return text[:at] + _ytd_list(year) + text[at:]


def ytd_list_after(text: str, year: str, toll: str | None) -> str | None:
    """After the whole category list that follows the month's toll."""
    after = _position(text, toll)
    block = [m for m in _items(text) if after is not None and m.start() > after]
    if not block:
        return None
    at = block[0].end()
    for line in re.finditer(r"[^\n]*\n?", text[at:]):
        stripped = line.group(0).strip()
        if stripped and stripped[0] not in "-•" and not stripped[0].islower():
            break
        at += len(line.group(0))
    return text[:at] + "\n\n" + _ytd_list(year) + text[at:]


def _before_quote(text: str, quote: str | None, sentence: str) -> str | None:
    at = _position(text, quote)
    if at is None:
        return None
    return text[:at] + sentence + " " + text[at:]


def _distractors(month: int) -> dict[str, str]:
    previous = MONTH_NAMES[(month - 2) % 12]
    this = MONTH_NAMES[month - 1]
    return {
        "last_month": f"In {previous}, we documented the deaths of 250 civilians.",
        "sub_place": f"In {this}, we documented the deaths of seven civilians in the camps "
        "of the northeast.",
        "refugees": f"In {this}, SNHR documented the killing of at least 12 Syrian refugees, "
        "including three children, in Lebanon.",
    }


# ---- the oracle ----


def _flat(data: Any, path: str = "") -> dict[str, Any]:
    """Leaves by path; list entries that name a party are keyed by (group, party, n)."""
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(_flat(value, f"{path}.{key}" if path else key))
    elif isinstance(data, list):
        seen: dict[str, int] = {}
        for i, value in enumerate(data):
            key = str(i)
            if isinstance(value, dict) and "party" in value:
                name = f"{value.get('group')}:{value['party']}"
                seen[name] = seen.get(name, 0) + 1
                key = f"{name}#{seen[name]}"
            out.update(_flat(value, f"{path}[{key}]"))
    else:
        out[path] = data
    return out


def _assert_same_or_flagged(base: Record, variant: Record, name: str) -> None:
    before, after = _flat(figures(base)), _flat(figures(variant))
    new_failing = {
        c.rule.split(".")[0]
        for c in variant.checks
        if c.status == "fail"
        and (c.rule, c.message) not in {(b.rule, b.message) for b in base.checks}
    }
    for path, value in after.items():
        if path.endswith(".label") or value is None:
            continue
        assert before.get(path) == value, f"{name}: {path} reads {value}, not {before.get(path)}"
    lost = [p for p, v in before.items() if v is not None and after.get(p) is None]
    if lost:
        assert new_failing & set(READING) or "section_found" in new_failing, (
            f"{name}: {lost[:5]} became null without a failing check"
        )
    passed = {c.rule for c in base.checks if c.status == "pass"}
    for check in variant.checks:
        if check.status == "fail" and check.rule in passed:
            assert "reading, not the report" in check.message, (
                f"{name}: {check.rule} now fails and blames the report: {check.message}"
            )


def _variants(text: str, base: Record) -> dict[str, str | None]:
    year, month = str(base.report.year), base.report.month
    out: dict[str, str | None] = {
        "join_lines": join_lines(text),
        "split_lines": split_lines(text),
        "reorder": reorder(text),
        "bullets": bullets(text),
        "no_bullets": no_bullets(text),
        "numbers": numbers(text),
        "words_to_digits": words_to_digits(text),
        "digits_to_words": digits_to_words(text),
        "note_in_list": note_in_list(text),
    }
    toll = base.evidence.get("civilians.total")
    summary = base.evidence.get("summary.civilians.total")
    out["ytd_list_before"] = ytd_list_before(text, year, toll.quote if toll else None)
    out["ytd_list_after"] = ytd_list_after(text, year, toll.quote if toll else None)
    for key, sentence in _distractors(month).items():
        out[f"{key}_near_toll"] = _before_quote(text, toll.quote if toll else None, sentence)
        out[f"{key}_in_summary"] = _before_quote(text, summary.quote if summary else None, sentence)
        # Under a party's sub-heading of the summary, before the party's own sentence: a
        # figure about another month, a sub-place or refugees abroad is not the party's.
        out[f"{key}_in_summary_party"] = _before_quote(text, _summary_party_quote(base), sentence)
    return out


@pytest.mark.parametrize("stem", REPORT_STEMS)
def test_layout_variants_give_the_original_figures_or_null_with_a_check(stem: str) -> None:
    text = _text(stem)
    base = extract_text(text)
    variants = _variants(text, base)
    applied = {name: v for name, v in variants.items() if v is not None and v != text}
    # Every report has a category list and a toll sentence to vary.
    assert {
        "join_lines",
        "split_lines",
        "reorder",
        "numbers",
        "words_to_digits",
        "note_in_list",
        "ytd_list_before",
        "ytd_list_after",
        "last_month_near_toll",
        "sub_place_near_toll",
        "refugees_near_toll",
    } <= set(applied)
    if base.summary.parties:
        assert {f"{key}_in_summary_party" for key in _distractors(1)} <= set(applied)
    for name, variant in applied.items():
        _assert_same_or_flagged(base, extract_text(variant), f"{stem}/{name}")
