"""Party labels to PartyIds, table-driven: every wording in the samples, spelling noise,
and labels that must stay unrecognised rather than be guessed."""

from __future__ import annotations

import pytest

from extractor.normalise import find_parties_in, match_party

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
