"""Reporting patterns added in the fourth round of rules: source names the earlier rules cut short or took from the
wrong word, intermediaries, and a few more ways of writing a number. Every sentence here is written for these
tests (places and people are invented)."""

from __future__ import annotations

import pytest

from sitrep_helpers import counts


@pytest.mark.parametrize(("text", "chain"), [
    ("Kafr Nour state TV says 12 people were killed in the shelling.", ["state TV"]),
    ("Ruritanias state TV said 12 people were killed in the shelling.", ["state TV"]),
    ("There were 12 attacks on clinics in Kafr Nour in May a MEDAID statement said.", ["MEDAID"]),
    ("At least 12 people were killed according to a local civil defense source.", ["civil defense"]),
    ("12 fighters were killed according to a statement by the Ruritanian General Staff.",
     ["Ruritanian General Staff"]),
    ("Omar Haddad who runs the Kafr Nour Monitoring Centre said 12 shells fell on the town.", ["Omar Haddad"]),
    ("Omar Haddad spokesman for the Kafr Nour Council said 12 people were wounded.", ["Omar Haddad"]),
    ("The US military is investigating reports that at least 12 civilians were killed.", ["reports"]),
])
def test_source_names(text: str, chain: list[str]) -> None:
    found = counts(text)
    assert len(found) == 1
    assert found[0][2][:len(chain)] == chain


@pytest.mark.parametrize(("text", "chain"), [
    ("Local sources in the town said in a phone call with Orient Radio that 12 people were wounded.",
     ["Local sources", "Orient Radio"]),
    ("On Wednesday media reported citing a military source that the army had killed 12 militants.",
     ["military source", "media"]),
    ("A source at Hama province told KNAs correspondent that shells killed 12 people.",
     ["Hama province", "KNA"]),
])
def test_intermediaries(text: str, chain: list[str]) -> None:
    found = counts(text)
    assert len(found) == 1
    assert found[0][2] == chain


def test_the_source_pointed_out_refers_back() -> None:
    text = ("A source at the Kafr Nour Police Command told Orient Radio that 7 people were killed. The source pointed "
            "out that 3 other persons were injured.")
    assert counts(text)[1] == (3, 3, ["Kafr Nour Police Command", "Orient Radio"])


@pytest.mark.parametrize(("text", "low", "high"), [
    ("More than a quarter of a million people have been killed, the council said.", 250_001, None),
    ("The death toll may be as high as 400000, the council said.", None, 400_000),
    ("Tens of shells fell on the town overnight, the council said.", 24, 99),
])
def test_values(text: str, low: int | None, high: int | None) -> None:
    assert [(lo, hi) for lo, hi, _ in counts(text)] == [(low, high)]


@pytest.mark.parametrize("text", [
    "Syrian Jets Pound Positions Fri Sep 30 2016 102138 Warplanes struck the area.",
    "Get short URL 0 55 Militants attacked the town.",
])
def test_page_furniture(text: str) -> None:
    assert counts(text) == []



# Round 8: source span boundaries and chains (sentences invented; scraped copy without commas)
@pytest.mark.parametrize(("text", "chain"), [
    ("Earlier on Monday a source at Hama province told KNAs correspondent that shells killed 12 people.",
     ["Hama province", "KNA"]),
    ("Shells killed 12 people in the nearby village of Tell Nour the Observatory said.",
     ["Observatory"]),
    ("Rockets killed 12 civilians in Deir Ezzor SANA news agency reported on Monday.", ["SANA"]),
    ("Rockets killed 12 civilians in the Old Quarter SANA reporter said.", ["SANA reporter"]),
    ("KNA reporter in Aleppo said that 12 civilians were wounded by shells.", ["KNA reporter"]),
    ("Air raids killed 12 people on Friday the Britain-based Kafr Nour Monitoring Centre (KNMC) said.",
     ["Kafr Nour Monitoring Centre"]),
    ("A strike killed 12 civilians SANA news agency reported on Monday citing a local source.",
     ["local source", "SANA"]),
    ("Shells wounded 12 people in Bab Nour according to a source at the Kafr Nour Police Command.",
     ["Kafr Nour Police Command"]),
    ("Shells wounded 12 people KNA reported citing a source at the Kafr Nour Police Command.",
     ["Kafr Nour Police Command", "KNA"]),
])
def test_round8_spans_and_chains(text: str, chain: list[str]) -> None:
    found = counts(text)
    assert len(found) == 1
    assert found[0][2] == chain


def test_reporter_as_intermediary_is_the_outlet() -> None:
    text = "A source at the Kafr Nour Police Command told KNA reporter that shells killed 12 people."
    assert counts(text)[0][2] == ["Kafr Nour Police Command", "KNA"]


# Round 8: references back by the type of source they describe
@pytest.mark.parametrize(("text", "chain"), [
    # "the monitor" is the monitor named before, not the last statement or ministry
    ("The Kafr Nour Observatory said shelling hit the market. A Ruritanian defence ministry statement denied it. "
     "The monitor said 12 people were killed.", ["Kafr Nour Observatory"]),
    # "it" is the last named organisation, not a description of sources
    ("The Tell Nour Council said shelling hit the market, citing local sources. It said 12 people were killed.",
     ["Tell Nour Council"]),
    # a number inside a name: the group's own name, and "it" refers to it
    ("The Nour 24 monitoring group said a missile hit the market. It said 12 people were killed.", ["Nour 24"]),
    # a relative clause after the source does not become the source
    ("The Syrian Observatory for Human Rights reported raids. The UK-based group which advocates the Ruritanian "
     "opposition said 12 more people died.", ["Syrian Observatory for Human Rights"]),
    # the source after the verb, the comma lost
    ("A raid killed 12 people including five children said the Kafr Nour Council.", ["Kafr Nour Council"]),
])
def test_round8_references_back(text: str, chain: list[str]) -> None:
    assert counts(text)[-1][2] == chain


# Round 8: sources named in a report sentence, and headlines that credit their source
@pytest.mark.parametrize(("text", "chain"), [
    ("A recent report issued by the Kafr Nour Network for Human Rights showed that raids had killed over 1200 "
     "civilians.", ["Kafr Nour Network for Human Rights"]),
    ("The Kafr Nour Center for Policy Research an NGO however has put the death toll at as high as 470000.",
     ["Kafr Nour Center for Policy Research"]),
    ("Ruritania air raid on a camp kills 12 NGO AFP Wednesday 18 Jun 2014", ["NGO", "AFP"]),
    ("Rebels killed 12 in a gas field battle: activists.", ["activists"]),
])
def test_round8_report_and_headline_sources(text: str, chain: list[str]) -> None:
    found = counts(text)
    assert len(found) == 1
    assert found[0][2] == chain
