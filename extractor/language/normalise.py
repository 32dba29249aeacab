"""Stage: normalise numbers ("twenty-three", "2,415") and party labels (aliases + rapidfuzz)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from ..settings import DEFAULT_SETTINGS, Settings
from .patterns import governorate_names, number_words, party_aliases


class NotANumber(ValueError):
    """The text is not a number the reports use."""


# Compiled once: `re`'s own cache is a look-up per call, and these run for every figure
# and label read.
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_WORD_BREAK = re.compile(r"[\s-]+")


def parse_number(text: str) -> int:
    """'2,415' -> 2415, 'Seven' -> 7, 'twenty-three' -> 23, 'a' -> 1 (breakdowns)."""
    cleaned = text.strip().lower()
    if _DIGITS.fullmatch(cleaned):
        return int(cleaned.replace(",", ""))
    words = number_words()
    if cleaned in words.one_words:
        return 1
    tokens = [t for t in _WORD_BREAK.split(cleaned) if t and t != "and"]
    if not tokens:
        raise NotANumber(text)
    total, current = 0, 0
    for token in tokens:
        if token in words.units:
            current += words.units[token]
        elif token in words.tens:
            current += words.tens[token]
        elif token == "hundred" and current:
            current *= 100
        else:
            raise NotANumber(text)
    total += current
    return total


_PERCENT = re.compile(r"\d{1,3}(?:\.\d+)?")


def parse_percent(text: str) -> float:
    cleaned = text.strip()
    if _PERCENT.fullmatch(cleaned):
        return float(cleaned)
    return float(parse_number(cleaned))


# --- parties -------------------------------------------------------------------------

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "“": '"', "”": '"'})


_MARKUP = re.compile(r"[*_]+")
_BULLET = re.compile(r"^[\s\-•■➤▪◦]+")
_NUMBERING = re.compile(r"^(?:[a-h1-9]|[ivx]{1,4})[.)]\s+")
_ARTICLE = re.compile(r"^(?:all\s+)?(?:the\s+)?")
_SLASH = re.compile(r"\s*/\s*")
_TRAILING = re.compile(r"[\s:.,;]+$")
_SPACES = re.compile(r"\s+")
_PARENS = re.compile(r"\s*\([^)]*\)\s*")
_PAREN_PART = re.compile(r"\(([^)]*)\)")


@lru_cache(maxsize=8192)
def _key(label: str) -> str:
    """Fold a label for comparison: case, quotes, markup, bullets, articles, spacing.
    Cached: every alias and every label is folded again for each comparison otherwise
    (a pure function of its text; bounded, since a sandbox child serves file after file)."""
    text = unicodedata.normalize("NFKC", label).translate(_QUOTES).lower()
    text = _MARKUP.sub("", text)
    text = _BULLET.sub("", text)
    text = _NUMBERING.sub("", text)
    text = _ARTICLE.sub("", text)
    text = _SLASH.sub("/", text)
    text = _TRAILING.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _without_parens(text: str) -> str:
    return _PARENS.sub(" ", text).strip()


def _paren_parts(text: str) -> list[str]:
    return [p.strip() for p in _PAREN_PART.findall(text) if p.strip()]


@dataclass(frozen=True)
class PartyMatch:
    party: str
    group: str
    method: str  # "alias", "fuzzy" or "none"
    score: float


def fold(label: str) -> str:
    """A label folded for comparison (case, accents, punctuation, spacing)."""
    return _key(label)


def label_forms(label: str) -> set[str]:
    """The folded forms a label may be known by: itself, without its parenthesis, and each
    parenthesised part ("Hay'at Tahrir al-Sham (HTS)")."""
    return {_key(label), _key(_without_parens(label)), *(_key(p) for p in _paren_parts(label))}


@cache
def _alias_table(period: tuple[int, int] | None = None) -> dict[str, tuple[str, str]]:
    """Folded alias -> (party, group), for the aliases that apply to a report about
    `period`. Dated aliases (parties.toml `since`/`until`) need a known period: without
    one, "government forces" matches nothing rather than a guessed government."""
    table: dict[str, tuple[str, str]] = {}
    for alias in party_aliases():
        if not alias.applies(period):
            continue
        for form in {_key(alias.alias), _key(_without_parens(alias.alias))}:
            if form:
                table.setdefault(form, (alias.party, alias.group))
    return table


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _NOT_SLUG.sub("_", _key(text)).strip("_")[:60] or "blank"


def match_party(
    label: str, settings: Settings = DEFAULT_SETTINGS, period: tuple[int, int] | None = None
) -> PartyMatch:
    """Map a label to a PartyId; never guesses between near-equal candidates. `period`
    (year, month of the report) selects the dated aliases that apply."""
    return _match_party(label, settings.fuzzy_threshold, settings.fuzzy_margin, period)


# A report names the same parties in its toll, breakdown, massacre and summary lists, and
# the fuzzy comparison against every alias is the costly part: a label's match is kept
# (a pure function of these arguments; bounded, since a child serves file after file).
@lru_cache(maxsize=4096)
def _match_party(
    label: str, threshold: float, margin: float, period: tuple[int, int] | None
) -> PartyMatch:
    table = _alias_table(period)
    key = _key(label)
    candidates = [key, _key(_without_parens(label)), *(_key(p) for p in _paren_parts(label))]
    for form in candidates:
        if form in table:
            party, group = table[form]
            return PartyMatch(party, group, "alias", 100.0)
    choices = list(table)
    best: tuple[str, str, float] | None = None
    for form in candidates[:2]:
        if not form:
            continue
        found = process.extract(form, choices, scorer=fuzz.ratio, limit=8)
        if not found:
            continue
        top_form, top_score, _ = found[0]
        rival = next((s for f, s, _ in found[1:] if table[f][0] != table[top_form][0]), 0.0)
        confident = top_score >= threshold and top_score - rival >= margin
        if confident and (best is None or top_score > best[2]):
            best = (table[top_form][0], table[top_form][1], top_score)
    if best is not None:
        return PartyMatch(best[0], best[1], "fuzzy", best[2])
    return PartyMatch(f"unrecognized:{slug(label)}", "other", "none", 0.0)


def party_group(party: str) -> str:
    """The list a party id usually stands in ("main" or "other")."""
    return next((a.group for a in party_aliases() if a.party == party), "other")


@cache
def _alias_regex(period: tuple[int, int] | None = None) -> re.Pattern[str]:
    """Every alias form (3+ characters) in one alternation, longest first."""
    forms = sorted((f for f in _alias_table(period) if len(f) >= 3), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])")


def find_parties_in(text: str, period: tuple[int, int] | None = None) -> list[str]:
    """Party ids whose aliases occur verbatim (folded) in free text, in order of appearance;
    where aliases overlap, the longest wins ("Syrian regime forces" over "regime forces").
    `period` (the report's year, month) adds the dated aliases that apply then."""
    table = _alias_table(period)
    seen: list[str] = []
    for match in _alias_regex(period).finditer(_key(text)):
        party = table[match.group(0)][0]
        if party not in seen:
            seen.append(party)
    return seen


def canonical_governorate(spelling: str) -> str:
    return _governorate_forms().get(_WORD_BREAK.sub(" ", spelling.lower()), spelling)


@cache
def _governorate_forms() -> dict[str, str]:
    """Folded spelling -> governorate; where two spellings fold alike, the first in
    `governorate_names` order (longest first) is kept, as a scan in that order finds."""
    forms: dict[str, str] = {}
    for form, name in governorate_names():
        forms.setdefault(_WORD_BREAK.sub(" ", form.lower()), name)
    return forms
