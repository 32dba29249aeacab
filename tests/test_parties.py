"""Party labels to PartyIds, table-driven: every wording in the samples, spelling noise,
and labels that must stay unrecognised rather than be guessed."""

from __future__ import annotations

import pytest

from extractor.language.normalise import find_parties_in, match_party

LABELS = [
    (
        "Syrian Regime forces (army, security, local militias, and Shiite foreign militias)",
        "syrian_regime",
    ),
    ("**Syrian regime forces and pro-regime militias:**", "syrian_regime"),
    ("Russian forces", "russia"),
    ("ISIS", "isis"),
    ("Hay’at Tahrir al Sham", "hts"),
    ("Hay'at Tahrir al-Sham (HTS)", "hts"),
    ("Hay'at Tahrir at Sham", "hts"),  # spelling noise, via rapidfuzz
    ("HTS", "hts"),
    ("Extremist Islamist groups", "hts"),
    ("The Armed Opposition/ The Syrian National Army", "sna"),
    ("All armed opposition factions/SNA", "sna"),
    ("All armed opposition factions/Syrian National Army (SNA)", "sna"),
    ("Kurdish-led Syrian Democratic Forces (the Democratic Union Party)", "sdf"),
    ("(SDF)", "sdf"),
    ("Kurdish Self-Management forces", "sdf"),
    ("US-led International Coalition forces", "us_coalition"),
    ("Landmines of unknown origin", "landmines"),
    ("Landmines of unidentified sources", "landmines"),
    ("Fires of unknown source", "gunfire"),
    ("Gunfire of unidentified source", "gunfire"),
    ("Bombings whose perpetrators have not yet been identified", "bombings"),
    ("Killings by unknown persons", "killings"),
    ("Shelling from unknown source", "shelling"),
    ("Drowning", "drowning"),
    ("Turkish Border Guard", "turkish_border_guards"),
    ("Turkish forces", "turkish_forces"),
    ("Lebanese forces", "lebanese_forces"),
    ("Jordanian forces", "jordanian_forces"),
    ("Israeli forces", "israeli_forces"),
    ("Iraqi forces", "iraqi_forces"),
    ("Syrian government forces", "syrian_government"),
    ("Assad regime remnants", "assad_remnants"),
    ("Hezbollah", "hezbollah"),
    ("local armed groups", "local_armed_groups"),
    ("B. Other parties", "unrecognized:other_parties"),
    ("Martian forces", "unrecognized:martian_forces"),
    ("Below are the most notable cases", "unrecognized:below_are_the_most_notable_cases"),
]


@pytest.mark.parametrize(("label", "party"), LABELS)
def test_match_party(label: str, party: str) -> None:
    assert match_party(label).party == party


def test_near_tie_is_not_guessed() -> None:
    # Equally far from two parties' aliases: must not pick one.
    assert match_party("Turkissian forces").party.startswith("unrecognized:")


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("a car bomb of unknown origin exploded in the center of Tal Abyad city", ["bombings"]),
        ("killed by pro-Syrian regime Iranian-backed militias", ["iran"]),
        ("in an airstrike by fixed-wing Israeli warplanes", ["israeli_forces"]),
        ("nothing to see here", []),
    ],
)
def test_find_parties_in(text: str, parties: list[str]) -> None:
    assert find_parties_in(text) == parties


# ---- dated aliases in the 2020-2024 readers (issue 9 leftovers) ----
# 2024-11 names the Assad regime's forces in its party list (p. 5: "- Syrian regime forces
# (army, security, local militias, Shiite foreign militias):" then "We documented the killing
# of 11 civilians, including five children and one woman, by Syrian regime forces."), in its
# torture list ("Syrian regime forces: Three deaths due to torture") and in its summary
# ("i. Syrian regime forces"). Until 2024-11 "Government forces" is that same party
# (parties.toml), so a report of that month worded so must read the same figures.
GOVERNMENT_WORDING = [
    (
        "- Syrian regime forces (army, security, local militias, Shiite foreign militias):\n"
        " We documented the killing of 11 civilians, including five children and one woman, "
        "by Syrian regime forces.",
        "- Government forces:\n We documented the killing of 11 civilians, including five "
        "children and one woman, by government forces.",
    ),
    (
        "Syrian regime forces: Three deaths due to torture",
        "Government forces: Three deaths due to torture",
    ),
    ("i. Syrian regime forces\n", "i. Government forces\n"),
]


def test_government_forces_in_a_2020_2024_report_is_the_regime_before_december_2024() -> None:
    from extractor import extract_text

    from .conftest import CORPUS

    text = (CORPUS / "2024-11.txt").read_text(encoding="utf-8")
    for old, new in GOVERNMENT_WORDING:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    record = extract_text(text)
    regime = [p for p in record.parties if p.party == "syrian_regime"]
    assert [(p.label, p.total, p.children, p.women) for p in regime] == [
        ("Government forces", 11, 5, 1)
    ]
    assert [(p.party, p.total) for p in record.torture.parties] == [("syrian_regime", 3)]
    summary = [p for p in record.summary.parties if p.party == "syrian_regime"]
    assert [(p.total, p.children, p.women) for p in summary] == [(11, 5, 1)]
    assert not [c for c in record.checks if c.rule.startswith("party_recognised")]
    assert not any(p.party.startswith("unrecognized") for p in record.parties)


def test_find_parties_in_knows_dated_aliases_only_with_a_period() -> None:
    text = "killed by government forces who fired a shell"
    assert find_parties_in(text) == []
    assert find_parties_in(text, (2024, 11)) == ["syrian_regime"]
    assert find_parties_in(text, (2025, 3)) == ["syrian_government"]
