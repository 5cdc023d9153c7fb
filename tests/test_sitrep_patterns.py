"""Reporting patterns added in the third round of rules: sources that refer back, monitor descriptions,
appositions and relative clauses, quotes left open by scrapers, headline and page-furniture numbers, status
lists. Every sentence here is written for these tests (places and people are invented)."""

from __future__ import annotations

import pytest

from sitrep_helpers import claims, counts

SOHR = "Syrian Observatory for Human Rights"


# --- sources that refer back ------------------------------------------------------------------------------


def test_the_source_added_takes_the_whole_chain_of_the_source_it_refers_to() -> None:
    text = ("A source in the Kafr Nour Brigade told Orient Radio that 7 fighters were killed. The source added that "
            "20 others were wounded. Later the source said that 3 more had died.")
    assert counts(text) == [(7, 7, ["Kafr Nour Brigade", "Orient Radio"]),
                            (20, 20, ["Kafr Nour Brigade", "Orient Radio"]),
                            (3, 3, ["Kafr Nour Brigade", "Orient Radio"])]


def test_the_group_and_the_statement_refer_to_the_last_organisation() -> None:
    text = ("The Tal Hamra Health Directorate said 15 people were killed. Doctor Lina Saeed said 4 were children. "
            "The group said 30 more were wounded.")
    assert counts(text)[-1] == (30, 30, ["Tal Hamra Health Directorate"])


def test_a_description_with_nothing_to_refer_to_is_kept_as_written() -> None:
    assert counts("Ten targets were hit in the strikes, the agency said.") == [(10, 10, ["agency"])]


def test_a_named_agency_is_not_a_reference_back() -> None:
    text = "The Karam council said 5 died. Some 4,000 people fled, according to the UN refugee agency."
    assert counts(text)[-1] == (4000, 4000, ["UN refugee agency"])


def test_it_added_is_an_organisation_not_the_last_person() -> None:
    text = ('The Western coalition said it had struck 12 targets. "We hit every target we planned," spokesman '
            'Major Tom Reyes said. The raids "have cut the supply lines of the militants" it added.')
    (first, second) = claims(text, "quote")
    assert first.speaker == "Tom Reyes"
    assert second.speaker == "Western coalition"


def test_arabic_the_source_added() -> None:
    text = "وقال مصدر في قيادة الشرطة لوكالة سانا إن 3 أشخاص قتلوا. وأضاف المصدر أن 9 آخرين أصيبوا بجروح."
    assert counts(text) == [(3, 3, ["قيادة الشرطة", "وكالة سانا"]), (9, 9, ["قيادة الشرطة", "وكالة سانا"])]


# --- monitors, appositions, relative clauses ------------------------------------------------------------------


def test_the_britain_based_monitor_is_the_observatory() -> None:
    assert counts("Nine people were killed in the shelling, the Britain-based monitor said.") == [(9, 9, [SOHR])]


def test_a_monitor_is_the_observatory_only_when_the_article_names_it() -> None:
    named = ("At least 14 fighters were killed, a monitor said. The Syrian Observatory for Human Rights said the "
             "clashes went on overnight.")
    assert counts(named) == [(14, None, [SOHR])]
    assert counts("At least 14 fighters were killed, a monitor said.") == [(14, None, ["monitor"])]


def test_a_group_monitoring_the_conflict_is_the_observatory_when_named() -> None:
    text = ("At least 32 militants were killed in the province of Karam a group monitoring the conflict said. "
            "The Syrian Observatory for Human Rights reported heavy fighting.")
    assert counts(text)[0] == (32, None, [SOHR])


def test_an_apposition_without_commas_keeps_the_name() -> None:
    text = "The Syrian Observatory for Human Rights a Britain-based monitoring group said eight civilians died."
    assert counts(text) == [(8, 8, [SOHR])]


def test_a_place_before_a_described_source_is_not_the_source() -> None:
    assert counts("At least 70 regime and rebel fighters were killed in northern Syria a monitor said.") == \
        [(70, None, ["monitor"])]


def test_a_medical_source_in_a_city_is_the_medical_source() -> None:
    assert counts("A medical source in Aleppo said 20 civilians suffered from suffocation.") == \
        [(20, 20, ["medical source"])]


def test_a_relative_clause_between_the_speaker_and_the_verb() -> None:
    text = "The Western coalition which began air strikes in the region last September said 40 targets were hit."
    assert counts(text) == [(40, 40, ["Western coalition"])]


def test_a_time_before_the_speaker_and_lower_case_bodies() -> None:
    assert counts("A car bomb killed 45 people on Tuesday the provincial governor said.") == \
        [(45, 45, ["provincial governor"])]
    assert counts("Shelling killed 31 people including 10 when their bus was hit the civil defence said.") == \
        [(31, 31, ["civil defence"]), (10, 10, ["civil defence"])]


def test_passive_reported_by_and_sentence_initial_activists() -> None:
    assert counts("A toll of 30 dead was reported by the Karam Health Directorate.") == \
        [(30, 30, ["Karam Health Directorate"])]
    assert counts("Activists said that at least 19 civilians were killed.") == [(19, None, ["Activists"])]
    assert counts("But activists say 200 people have died.") == [(200, 200, ["activists"])]


def test_the_outlet_a_source_told_stops_before_the_reported_clause() -> None:
    text = "Governor Sami Haddad told AFP the blast killed 36 people and that rocket fire killed nine others."
    assert counts(text) == [(36, 36, ["Sami Haddad", "AFP"]), (9, 9, ["Sami Haddad", "AFP"])]


# --- numbers in scraped copy ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [
    ("Air strikes kill 8 IS group militants near Karam", (8, 8)),
    ("At least 70 regime and rebel fighters have been killed in two days.", (70, None)),
    ("They mourned five of the finest volunteer rescue workers of the town.", (5, 5)),
    ("One civilian was killed in the shelling.", (1, 1)),
    ("Karam SANA-One soldier was killed at the checkpoint.", (1, 1)),
    ("The number of civilians killed by the air strike on the market town of Karam in the north has risen to 20.",
     (20, 20)),
    ('"As well as the 10 civilians killed on the bus, 21 others died," the rescuers said.', (10, 10)),
])
def test_counts_in_scraped_copy(text: str, value: tuple[int, int | None]) -> None:
    assert (claims(text, "count")[0].value_low, claims(text, "count")[0].value_high) == value


@pytest.mark.parametrize("text", [
    "Print Tweet Views 371 Related refugees arrive in a new camp",
    "Middle East 1730 28.04.2017Get short URL",
    "The rebels took the two villages.",
])
def test_page_furniture_and_references_back_are_not_counts(text: str) -> None:
    assert claims(text, "count") == []


def test_a_city_dateline_starts_a_new_sentence() -> None:
    text = "Blast Near Bus Convoy Kills Over 20 MOSCOW (Sputnik) The shelling killed 3 people, local media reported."
    assert counts(text) == [(21, None, ["Example Times"]), (3, 3, ["local media"])]


# --- quotes ---------------------------------------------------------------------------------------------------


def test_a_quote_the_scraper_left_open_ends_at_its_speaker() -> None:
    text = ('"At least 40 people were killed when the depot blew up after rocket fire the Britain-based Syrian '
            'Observatory for Human Rights claimed on Thursday. The group added that the depot was run by militias.')
    (quote,) = claims(text, "quote")
    assert quote.speaker == SOHR
    assert quote.quote == ("At least 40 people were killed when the depot blew up after rocket fire")
    assert counts(text) == [(40, None, [SOHR])]


def test_a_witness_named_in_narration_is_who_he_refers_to() -> None:
    text = ('A witness named Omar who lost his brother in the blast described the scene. "The shells fell on the '
            'market and the stalls burned" he said. "I ran with my son to the mosque." Neighbours said later that '
            'the market had been empty for weeks.')
    assert [(q.speaker, (q.quote or "")[:9]) for q in claims(text, "quote")] == [("Omar", "The shell"),
                                                                                  ("Omar", "I ran wit")]


# --- statuses -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "statuses"), [
    ("Residents said fighters were blocking the road near the mill.", [("road", "closed")]),
    ("The shelling damaged hospitals, clinics and the town's power and water networks.",
     [("hospital", "shelled"), ("power", "shelled"), ("water point", "shelled")]),
    ("Gunmen breached the truce on Monday although it came into effect only on Friday.",
     [("ceasefire", "collapsed"), ("ceasefire", "took effect")]),
    ("The road to the southern crossing was reopened on Friday afternoon.", [("road", "reopened")]),
    ("أفاد ناشطون بأن قصف الطيران استهدف مخبزاً في الحي.", [("bakery", "shelled")]),
])
def test_statuses(text: str, statuses: list[tuple[str, str]]) -> None:
    assert sorted((c.subject or "", c.status or "") for c in claims(text, "status")) == sorted(statuses)
