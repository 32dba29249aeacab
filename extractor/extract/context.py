"""What every section extractor shares: settings, the evidence log and the problems found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from ..checks.rules import FIGURE_AMBIGUOUS, ITEM_UNREAD, PAGES_READABLE, PARTY_RECOGNISED
from ..document import Document
from ..language.normalise import PartyMatch, match_party
from ..models import Check, PartyToll, Source
from ..settings import Settings
from .common import EvidenceLog, Hit

T = TypeVar("T")


@dataclass
class Context:
    settings: Settings
    evidence: EvidenceLog = field(default_factory=EvidenceLog)
    problems: list[Check] = field(default_factory=list)
    # The report's (year, month), once read: dated aliases ("Government forces" is the
    # Syrian regime until 2024-11, the transitional government after) need it.
    period: tuple[int, int] | None = None

    def match_party(self, label: str) -> PartyMatch:
        """The party a label names, as of the report's month."""
        return match_party(label, self.settings, self.period)

    def problem(self, rule: str, message: str, paths: list[str], hit: Hit | None = None) -> None:
        """Record something that could not be read as a failing check (never a guess)."""
        if hit is not None:
            for path in paths:
                self.evidence.add(path, hit)
        self.problems.append(
            Check(rule=rule, status="fail", expected=None, found=None, message=message, paths=paths)
        )

    def choose(
        self, path: str, candidates: list[tuple[T, Hit]], toll: str | None = None
    ) -> tuple[T, Hit] | None:
        """The one figure several sentences agree on. Where two sentences give different
        figures and nothing in the structure decides, abstain: None and a failing
        `figure_ambiguous` check quoting both (first-match-wins would be a guess).
        `toll`: the figure is a toll at that prefix (total, children, women)."""
        if not candidates:
            return None
        first = candidates[0]
        rival = next((c for c in candidates[1:] if c[0] != first[0]), None)
        if rival is None:
            return first
        self.problem(
            FIGURE_AMBIGUOUS.qualify(),
            f"two sentences could give {path} and disagree: {first[1].sentence!r} "
            f"(page {first[1].page}) and {rival[1].sentence!r} (page {rival[1].page}); "
            "the figure is left null rather than guessed",
            [path],
        )
        # The first candidate's evidence was logged as it was read (keeping the log in
        # reading order); a figure left null has none.
        if toll is not None:
            self.evidence.drop_toll(toll)
        self.evidence.drop(path)
        return None

    def item_unread(self, path: str, hit: Hit, what: str) -> None:
        """A list line the reader could not account for completely: never dropped silently."""
        self.problem(
            ITEM_UNREAD.qualify(),
            f"{what} in the list line {hit.sentence!r} could not be read; the list's sums "
            "may be short because of the reading, not the report",
            [path],
            hit,
        )

    def party_recognised(
        self, entry: PartyToll | None, match: PartyMatch, path: str, hit: Hit
    ) -> None:
        if match.method == "none":
            label = entry.label if entry is not None else path
            self.problem(
                PARTY_RECOGNISED.qualify(),
                f"party label {label!r} matches no alias in patterns/parties.toml; "
                "its figures are kept under an unrecognized id",
                [path],
                hit,
            )


def unique_path(prefix: str, party: str, taken: set[str]) -> str:
    """`parties.russia`, or `parties.russia~2` when a report lists a party twice."""
    path, n = f"{prefix}.{party}", 1
    while path in taken:
        n += 1
        path = f"{prefix}.{party}~{n}"
    taken.add(path)
    return path


def source_of(doc: Document) -> Source:
    """The record's `report.source`: which file, in which format, read by which engine."""
    return Source(
        file=doc.path, sha256=doc.sha256, format=doc.format, pages=doc.pages, engine=doc.engine
    )


def loader_warnings(doc: Document) -> list[Check]:
    """What the loader noticed but did not refuse (an unreadable page), as failing checks."""
    return [
        Check(
            rule=PAGES_READABLE.qualify(),
            status="fail",
            expected=None,
            found=None,
            message=warning,
            paths=[],
        )
        for warning in doc.warnings
    ]
