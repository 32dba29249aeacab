"""Governorate shares stated in the prose of the civilian toll section.

"Aleppo governorate ... accounting for nearly 43.48% of the total" (2021-02). A percentage
belongs to the governorate named last before it; "... Aleppo and Idlib with approximately
14 percent each" gives both; "Aleppo and Daraa governorates, which jointly account for 53
percent" (2020-07) is kept as one joint share. A percentage with no governorate named since
the previous one ("About 61 percent of all deaths in the two governorates") is not a share.
"""

from __future__ import annotations

from ..document import Paragraph
from ..language.matching import finditer, search
from ..language.normalise import canonical_governorate, parse_percent
from ..language.patterns import governorate_regex, pattern
from ..models import GovernorateShare
from .common import Hit, split_sentences
from .context import Context
from .scope import Scope


def read_governorates(
    paragraphs: list[Paragraph], scope: Scope, ctx: Context
) -> list[GovernorateShare]:
    shares: list[GovernorateShare] = []
    for para in paragraphs:
        for sentence in split_sentences(para.text):
            for share in _shares(sentence):
                if any(s.governorate == share.governorate for s in shares):
                    continue
                shares.append(share)
                path = scope.path(f"governorates.{share.governorate}")
                ctx.evidence.add(path, Hit(sentence, para))
    return shares


def _shares(sentence: str) -> list[GovernorateShare]:
    percents = [
        (m.start(), m.end(), m.group("percent"), "pct")
        for m in finditer(pattern("governorate.percent"), sentence)
    ]
    if not percents:
        return []
    governorates = [
        (m.start(), m.end(), m.group("governorate"), "gov")
        for m in finditer(governorate_regex(), sentence)
    ]
    out: list[GovernorateShare] = []
    pending: list[str] = []
    last_end = 0
    for start, end, text, kind in sorted(governorates + percents):
        if kind == "gov":
            name = canonical_governorate(text)
            if name not in pending:
                pending.append(name)
            continue
        between = sentence[last_end:start].lower()  # where "jointly" would be
        value = parse_percent(text)
        last_end = end
        after = sentence[end : end + 50]
        if not pending or search(pattern("governorate.party_share"), after) is not None:
            pending = []
            continue
        if search(pattern("governorate.each"), sentence[end : end + 12]) is not None:
            out += [GovernorateShare(governorate=g, percent=value, quote=sentence) for g in pending]
        elif len(pending) > 1 and search(pattern("governorate.joint"), between) is not None:
            out.append(
                GovernorateShare(
                    governorate=" + ".join(pending), percent=value, quote=sentence, joint=True
                )
            )
        else:
            out.append(GovernorateShare(governorate=pending[-1], percent=value, quote=sentence))
        pending = []
    return out
