"""Claims of one message: quotes and speakers, statuses, attribution chains and hedges, in English and Arabic."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigil.message import Message
from vigil.sitrep import CLAIM_KEYS, Claim, extract_claims, messages_from_paths, names_match

FIXTURES = Path(__file__).parent / "fixtures" / "sitrep"


def article(text: str, *, source: str = "example-times", lang: str = "en") -> Message:
    return Message(f"{source}:1", source, "article", "1", datetime(2024, 3, 12, 9, tzinfo=UTC), text,
                   title="Headline", lang=lang, raw=f"Headline\nSource: Example Times\n\n{text}")


def kinds(claims: list[Claim], kind: str) -> list[Claim]:
    return [c for c in claims if c.kind == kind]


def only(text: str, kind: str) -> Claim:
    (claim,) = kinds(extract_claims(article(text)), kind)
    return claim


# --- attribution ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "chain"), [
    ("Some 5,000 fighters remain inside, the BBC reported.", ["BBC"]),
    ("Some 5,000 fighters remain inside, according to Reuters.", ["Reuters"]),
    ("A spokesman for the Syria Civil Defence told Al Jazeera that 45 people were killed.",
     ["Syria Civil Defence", "Al Jazeera"]),
    ("UN envoy Staffan de Mistura said 100 people had died.", ["Staffan de Mistura"]),
    ("Residents said 12 people were killed.", ["Residents"]),
    ("Local activists said 30 people died.", ["Local activists"]),
    ("State news agency SANA quoted a military source as saying 20 militants were killed.",
     ["military source", "SANA"]),
    ("The death toll reached at least 112 people the Syrian Observatory for Human Rights monitoring group said.",
     ["Syrian Observatory for Human Rights"]),
    ("Activists in the city put the toll at 80.", ["Activists"]),
    ("A military spokesman for the besieging forces, speaking on condition of anonymity, put the number of "
     "fighters at 8,000.", ["besieging forces"]),
    ("More than 100 civilians have been killed in Aleppo local authorities told reporters.", ["local authorities"]),
    ("Twelve people were killed on Monday.", ["Example Times"]),
    ("وقال المرصد السوري لحقوق الإنسان إن 12 شخصا قتلوا.", ["المرصد السوري لحقوق الإنسان"]),
    ("وقال متحدث باسم الدفاع المدني لقناة الجزيرة إن 45 شخصا قتلوا.", ["الدفاع المدني", "قناة الجزيرة"]),
    ("بحسب ناشطين محليين، قتل عشرات المدنيين.", ["ناشطين محليين"]),
])
def test_count_attribution(text: str, chain: list[str]) -> None:
    claim = only(text, "count")
    assert list(claim.attributed_to) == chain


def test_wire_credit_is_the_default_before_the_outlet() -> None:
    msg = Message("nna:1", "nna", "fakes", "1", datetime(2017, 4, 16, tzinfo=UTC),
                  "At least 5000 people were on the convoy. --Reuters", title="t")
    (claim,) = extract_claims(msg)
    assert claim.attributed_to == ("Reuters", "NNA")


@pytest.mark.parametrize(("text", "hedged"), [
    ("Dozens of families reportedly spent the night outside.", True),
    ("It is claimed that 20 fighters were killed.", True),
    ("يُزعم أن 20 مسلحا قتلوا.", True),
    ("Twenty fighters were killed, the army said.", False),
])
def test_hedges(text: str, hedged: bool) -> None:
    assert only(text, "count").hedged is hedged


# --- quotes ------------------------------------------------------------------------------------------------------


def quotes(text: str) -> list[tuple[str | None, str | None, str]]:
    return [(c.speaker, c.role, (c.quote or "")[:20]) for c in kinds(extract_claims(article(text)), "quote")]


@pytest.mark.parametrize(("text", "expected"), [
    ('UN envoy Staffan de Mistura said, "We are watching this with concern."',
     [("Staffan de Mistura", "UN envoy", "We are watching this")]),
    ('"We are watching this with concern," Staffan de Mistura said.',
     [("Staffan de Mistura", None, "We are watching this")]),
    ('"We have nothing left at all," said Umm Khaled, a mother of four.',
     [("Umm Khaled", None, "We have nothing left")]),
    ('"These weapons are banned by law" Peter Salama Executive Director of the WHO said in a statement.',
     [("Peter Salama", "Executive Director of the WHO", "These weapons are ba")]),
    ('Abu Karim, a teacher in the district, told the Guardian: "We have not eaten in a week."',
     [("Abu Karim", "teacher in the district", "We have not eaten in")]),
    ('وقال المبعوث الأممي ستيفان دي ميستورا: "نتابع عملية الإجلاء بقلق بالغ".',
     [("ستيفان دي ميستورا", "المبعوث الأممي", "نتابع عملية الإجلاء ")]),
])
def test_quote_patterns(text: str, expected: list[tuple[str, str | None, str]]) -> None:
    assert quotes(text) == expected


def test_told_the_guardian_is_a_chain() -> None:
    claim = only('Abu Karim told the Guardian: "We have not eaten in a week."', "quote")
    assert claim.attributed_to == ("Abu Karim", "Guardian")


def test_pronoun_follow_up_and_multi_paragraph_quotes() -> None:
    text = ('UN envoy Staffan de Mistura said on Monday that the talks were hard.\n\n'
            '"The convoy has reached the crossing safely," he said. "But thousands remain.\n\n'
            '"We need the road open tonight."')
    got = quotes(text)
    assert got == [("Staffan de Mistura", "UN envoy", "The convoy has reache"[:20]),
                   ("Staffan de Mistura", "UN envoy", "But thousands remain")]
    long = kinds(extract_claims(article(text)), "quote")[1]
    assert long.quote == "But thousands remain. We need the road open tonight."
    # a count inside the quote belongs to the speaker
    (count,) = kinds(extract_claims(article(text)), "count")
    assert count.attributed_to == ("Staffan de Mistura",)


def test_paragraph_opening_quote_after_saying() -> None:
    text = ('The Health Directorate issued a statement on Tuesday, saying:\n\n'
            '"The hospital has run out of fuel and cannot take more patients."')
    assert quotes(text) == [("Health Directorate", None, "The hospital has run")]


def test_scare_quotes_are_not_quotations() -> None:
    assert quotes('The command said it had targeted "militant positions" in the district.') == []


# --- statuses ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("The truce took effect on Tuesday night.", [("ceasefire", "took effect")]),
    ("The convoy reached the Westgate crossing on Sunday.", [("convoy", "reached")]),
    ("The convoy was halted at the Silo checkpoint.", [("convoy", "halted")]),
    ("Government forces were accused of firing on the buses.", [("convoy", "under fire")]),
    ("The evacuation was suspended after gunfire.", [("evacuation", "suspended")]),
    ("The ceasefire collapsed on Wednesday.", [("ceasefire", "collapsed")]),
    ("Shelling hit the al-Quds hospital overnight.", [("hospital", "shelled")]),
    ("The main road to the city was cut.", [("road", "cut")]),
    ("Water points reopen in three districts.", [("water point", "reopened")]),
    ("The convoy has not reached the city.", [("convoy", "not reached")]),
    ('Al-Nahr General Hospital was "out of service" on Thursday.', [("hospital", "out of service")]),
    ("وصلت القافلة إلى معبر البوابة الغربية.", [("convoy", "reached")]),
    ("انهارت الهدنة بعد ساعات.", [("ceasefire", "collapsed")]),
    ("توقفت الحافلات عند حاجز الصوامع.", [("convoy", "halted")]),
    ("أُغلق المعبر الشمالي صباح اليوم.", [("crossing", "closed")]),
])
def test_statuses(text: str, expected: list[tuple[str, str]]) -> None:
    got = [(c.subject, c.status) for c in kinds(extract_claims(article(text)), "status")]
    assert got == expected


def test_status_clock_time_is_kept() -> None:
    claim = only("The truce took effect on Sunday night at 10pm, according to Reuters.", "status")
    assert claim.to_dict()["hour"] == 22


# --- blame -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "subject", "blamed"), [
    ("Government forces were accused of firing on the buses.", "blame: convoy", "Government forces"),
    ("The opposition blamed the army for the collapse of the ceasefire.", "blame: ceasefire", "army"),
    ("Each side blames the other for the shelling.", "blame: shelling", "each other"),
    ("ويتبادل الطرفان الاتهامات بخرق الهدنة.", "blame: ceasefire", "each other"),
])
def test_blame(text: str, subject: str, blamed: str) -> None:
    claim = only(text, "statement")
    assert (claim.subject, claim.blamed) == (subject, blamed)


# --- contract and fixtures ----------------------------------------------------------------------------------------


def test_every_claim_dict_has_the_contract_keys() -> None:
    for path in sorted(FIXTURES.glob("*.txt")):
        for msg in messages_from_paths([str(path)]):
            for claim in extract_claims(msg):
                d = claim.to_dict()
                assert set(CLAIM_KEYS) <= set(d), path
                assert d["kind"] in ("count", "status", "quote", "statement")
                assert isinstance(d["attributed_to"], list) and d["attributed_to"], d
                assert d["document"] == msg.id and d["published_at"].endswith("Z")
                if d["kind"] == "count":
                    assert d["value_low"] is not None or d["value_high"] is not None


def test_fixture_article_in_arabic() -> None:
    (msg,) = messages_from_paths([str(FIXTURES / "ar_tune_convoy.txt")])
    claims = extract_claims(msg)
    counts = {(c.subject, c.value_low, c.value_high) for c in kinds(claims, "count")}
    assert ("deaths", 12, 12) in counts and ("people trapped", 20000, 99999) in counts
    assert {(c.subject, c.status) for c in kinds(claims, "status")} >= {("convoy", "halted"), ("convoy", "under fire")}


def test_extraction_is_deterministic() -> None:
    (msg,) = messages_from_paths([str(FIXTURES / "en_tune_convoy.txt")])
    assert [c.to_dict() for c in extract_claims(msg)] == [c.to_dict() for c in extract_claims(msg)]


@pytest.mark.parametrize(("a", "b", "same"), [
    ("WHO", "World Health Organization", True), ("Lavrov", "Sergei Lavrov", True),
    ("Syrian Observatory", "Syrian Observatory for Human Rights", True), ("the Guardian", "Guardian", True),
    ("المرصد السوري", "SOHR", True), ("Reuters", "AFP", False), ("UN", "Syrian Observatory", False),
])
def test_names_match(a: str, b: str, same: bool) -> None:
    assert names_match(a, b) is same
