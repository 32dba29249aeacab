"""What every section extractor shares: settings, the evidence log and the problems found."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Check, PartyToll
from ..normalise import PartyMatch
from ..settings import Settings
from .common import EvidenceLog, Hit


@dataclass
class Context:
    settings: Settings
    evidence: EvidenceLog = field(default_factory=EvidenceLog)
    problems: list[Check] = field(default_factory=list)

    def problem(self, rule: str, message: str, paths: list[str], hit: Hit | None = None) -> None:
        """Record something that could not be read as a failing check (never a guess)."""
        if hit is not None:
            for path in paths:
                self.evidence.add(path, hit)
        self.problems.append(
            Check(rule=rule, status="fail", expected=None, found=None, message=message, paths=paths)
        )

    def party_recognised(
        self, entry: PartyToll | None, match: PartyMatch, path: str, hit: Hit
    ) -> None:
        if match.method == "none":
            label = entry.label if entry is not None else path
            self.problem(
                "party_recognised",
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
