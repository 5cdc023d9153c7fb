"""The CSV/TSV dataset reader: each labeled crisis dataset's shape, line endings, quoting and bad rows."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.message import Message, Reject
from vigil.readers import READERS, csvdata, detect_format
from vigil.readers.base import ReadContext
from vigil.readers.detect import summarise

FIXTURES = Path(__file__).parent / "fixtures" / "csv"


def read_bytes(data: bytes, name: str = "data.csv", source: str | None = None,
               ) -> tuple[list[Message], list[Reject]]:
    items = list(csvdata.read(io.BytesIO(data), ReadContext(path=name, source=source, format="csv")))
    return [m for m in items if isinstance(m, Message)], [r for r in items if isinstance(r, Reject)]


def read_fixture(name: str) -> tuple[list[Message], list[Reject]]:
    return read_bytes((FIXTURES / name).read_bytes(), name)


# --- the dataset shapes ---------------------------------------------------------------------------------


def test_humaid_tsv() -> None:
    messages, rejects = read_fixture("humaid_sample.tsv")
    assert rejects == []
    assert [m.id for m in messages] == [f"humaid:90000000000000000{i}" for i in (1, 2, 3)]
    first = messages[0]
    assert first.source == "humaid"
    assert first.format == "csv"
    assert first.text == "Roads to the east shelter are flooded, use route 9 #samplestorm"
    assert first.labels == {"class_label": "caution_and_advice", "event": "sample_storm_2020",
                            "time_unknown": "1"}
    assert first.created_at == datetime(1970, 1, 1, tzinfo=UTC) == csvdata.TIME_UNKNOWN
    # HumAID is not quoted: a tweet opening with a quote keeps it and does not swallow the next rows
    assert messages[1].text == '"Need water and blankets" says the camp organiser at Pine Hall'
    assert messages[1].labels["class_label"] == "requests_or_urgent_needs"
    assert messages[0].raw.split("\t")[0] == "900000000000000001"


def test_crisislex_leading_space_headers_and_quoted_ids() -> None:
    messages, rejects = read_fixture("crisislex_sample-tweets_labeled.csv")
    assert rejects == []
    assert [m.native_id for m in messages] == ["310000000000000001", "310000000000000002", "310000000000000003"]
    assert messages[0].source == "crisislex"
    assert messages[0].text == "Bridge on Mill Road collapsed, avoid the area"
    assert messages[0].labels == {
        "information_source": "Eyewitness",
        "information_type": "Infrastructure and utilities",
        "informativeness": "Related and informative",
        "event": "crisislex_sample",  # from the file name: one file per event, no event column
        "time_unknown": "1",
    }
    assert messages[2].text == "Volunteers needed at the sports hall, bring gloves, boots"


def test_kawarith_arabic_crlf_with_times_and_quoted_text() -> None:
    messages, rejects = read_fixture("kawarith_sample.tsv")
    assert rejects == []
    assert [m.source for m in messages] == ["kawarith"] * 3
    first, second, third = messages
    assert first.text == "تحذير: أمطار غزيرة متوقعة الليلة، تجنبوا الأودية ⛈️"
    assert first.created_at == datetime(2019, 11, 12, 6, 30, tzinfo=UTC)
    assert first.labels == {"event": "sample_floods_2019", "kawarith_split": "train",
                            "kawarith_labels": "caution_advice_and_crisis_updates",
                            "idrisi_info_class": "caution_advice", "idrisi_splits": "LMD:train"}
    assert second.text == 'اللهم احفظ أهلنا في المناطق المتضررة "يا رب"'
    assert second.labels["kawarith_labels"] == "affected_individuals_and_help|emotional_support_and_prayers"
    # an unparsable time is not a reason to lose a labeled row: placeholder + marker
    assert third.created_at == csvdata.TIME_UNKNOWN
    assert third.labels["time_unknown"] == "1"
    assert "\r" not in third.raw


def test_crisisnlp_crowdflower_tsv_single_quoted_ids() -> None:
    messages, rejects = read_fixture("sample_event_CF_labeled_data.tsv")
    assert rejects == []
    assert [m.native_id for m in messages] == ["440000000000000001", "440000000000000002", "440000000000000003"]
    assert messages[0].source == "crisisnlp"
    assert messages[0].labels == {"label": "infrastructure_and_utilities_damage", "event": "sample_event",
                                  "time_unknown": "1"}
    assert messages[2].text == '"Shelter at Elm school is full" per local radio'


def test_crisisnlp_volunteers_cr_only_line_endings() -> None:
    messages, rejects = read_fixture("sample_volunteers.csv")
    assert rejects == []
    assert len(messages) == 2
    first, second = messages
    assert first.source == "crisisnlp"
    assert first.native_id == "450000000000000001"
    assert first.created_at == datetime(2014, 8, 25, 11, 27, 52, tzinfo=UTC)
    assert first.author == "sample_reporter"
    assert first.lang == "en"
    assert first.url == "https://twitter.com/sample_reporter/status/450000000000000001"
    assert first.text == "Aftershock felt downtown, no damage reported so far"
    assert first.labels == {"label": "Other relevant information", "event": "sample_volunteers"}
    assert second.lang == "es"
    assert second.labels["label"] == "Requests for Help/Needs"
    assert "time_unknown" not in second.labels


def test_disaster_response_categories_and_genre() -> None:
    messages, rejects = read_fixture("disaster_response_sample.csv")
    assert rejects == []
    assert [m.id for m in messages] == ["disaster_response:7", "disaster_response:8", "disaster_response:9"]
    first, second, third = messages
    assert first.text == "We need a doctor and clean water in the camp"
    assert first.labels == {"split": "training", "genre": "direct", "time_unknown": "1",
                            "categories": "related|request|aid_related|medical_help|water"}
    assert "Nou bezwen" not in first.text and "Nou bezwen" not in "".join(first.labels.values())
    assert second.labels["categories"] == ""
    assert third.labels["categories"] == "request|aid_related|food|shelter"  # related=2 ("unsure") is not 1


def test_generic_csv_with_a_text_column() -> None:
    messages, rejects = read_fixture("generic_sample.csv")
    assert rejects == []
    first, second = messages
    assert first.source == "csv"
    assert first.native_id == "generic_sample.csv:2"  # no id column: file and line
    assert second.native_id == "generic_sample.csv:3"
    assert first.created_at == datetime(2024, 3, 2, 10, tzinfo=UTC)
    assert second.created_at == datetime(2024, 3, 2, 10, 30, tzinfo=UTC)
    assert first.labels == {"category": "evacuation"}
    assert first.text == "Evacuation buses leave the stadium every hour"


def test_generic_csv_title_author_and_link_columns() -> None:
    data = (b"id,title,content,author,url,label,score\n"
            b"a1,Bridge report,The north bridge is closed.,@sample_desk,https://example.org/a1,1,0.5\n")
    messages, rejects = read_bytes(data)
    assert rejects == []
    assert messages[0].title == "Bridge report"
    assert messages[0].author == "sample_desk"
    assert messages[0].url == "https://example.org/a1"
    assert messages[0].labels == {"label": "1", "time_unknown": "1"}  # 'score' is not a label column


def test_source_override() -> None:
    messages, _ = read_bytes((FIXTURES / "humaid_sample.tsv").read_bytes(), source="humaid-dev")
    assert messages[0].id == "humaid-dev:900000000000000001"


# --- broken rows ----------------------------------------------------------------------------------------


def test_invalid_utf8_row_is_rejected_and_its_neighbours_kept() -> None:
    data = (b"tweet_id\ttweet_text\tclass_label\n"
            b"1\tfirst fine row\tnot_humanitarian\n"
            b"2\tbroken \x89\xdb\xaa row\tnot_humanitarian\n" +
            "3\tthird fine row ✓\tnot_humanitarian\n".encode())
    messages, rejects = read_bytes(data, "mixed.tsv")
    assert [m.native_id for m in messages] == ["1", "3"]
    assert messages[1].text == "third fine row ✓"
    assert len(rejects) == 1
    assert rejects[0].line == 3
    assert rejects[0].file == "mixed.tsv"
    assert "invalid UTF-8 in column 'tweet_text' (byte 0x89)" in rejects[0].reason
    assert b"\x89\xdb\xaa" in rejects[0].raw  # the original bytes, for audit


def test_three_broken_rows_among_fifty() -> None:
    lines = ["id,text,label"]
    for i in range(1, 51):
        if i == 10:
            lines.append(f"{i},too,many,columns,here")
        elif i == 20:
            lines.append(f"{i},,empty_text")
        elif i == 30:
            lines.append(f"{i}")
        else:
            lines.append(f"{i},message number {i},lbl")
    data = ("\n".join(lines) + "\n").encode()
    messages, rejects = read_bytes(data)
    assert len(messages) == 47
    assert len(rejects) == 3
    assert [r.line for r in rejects] == [11, 21, 31]  # physical lines: the header is line 1
    assert "expected 3 CSV columns as in the header, got 5" in rejects[0].reason
    assert "empty text in column 'text'" in rejects[1].reason
    assert "got 1" in rejects[2].reason
    assert messages[-1].native_id == "50"


def test_quoted_newlines_keep_physical_line_numbers() -> None:
    data = b'id,text\n1,"two\nlines"\n2,"three\r\nlines\nhere"\n3,"bad\xff"\n4,ok\n'
    messages, rejects = read_bytes(data)
    assert [m.text for m in messages] == ["two\nlines", "three\nlines\nhere", "ok"]
    assert rejects[0].line == 7  # row 3 starts on physical line 7


def test_trailing_delimiter_is_tolerated() -> None:
    messages, rejects = read_bytes(b"id,text,label,\n1,hello,x,\n2,world,y\n")
    assert [m.text for m in messages] == ["hello", "world"]
    assert rejects == []


def test_oversized_field_is_rejected_and_reading_goes_on() -> None:
    data = b"id,text\n1,before\n2,\"" + b"x" * 200_000 + b"\"\n3,after\n"
    messages, rejects = read_bytes(data)
    assert [m.text for m in messages] == ["before", "after"]
    assert messages[-1].text == "after"
    assert len(rejects) == 1
    assert "field larger than field limit" in rejects[0].reason
    assert rejects[0].line == 3


def test_unterminated_quote_at_end_of_file() -> None:
    messages, rejects = read_bytes(b'id,text\n1,fine\n2,"never closed\n3,more\n')
    assert [m.text for m in messages] == ["fine"]
    assert len(rejects) == 1
    assert rejects[0].line == 3


def test_no_text_column_gives_one_reject_naming_the_columns() -> None:
    data = b"id,location,score\n1,north,3\n2,south,4\n"
    assert csvdata.sniff(summarise("x.csv", data)) == 0
    messages, rejects = read_bytes(data)
    assert messages == []
    assert len(rejects) == 1
    assert "'id', 'location', 'score'" in rejects[0].reason
    assert "tweet_text" in rejects[0].reason


def test_empty_input_gives_one_reject() -> None:
    assert read_bytes(b"")[1][0].reason.startswith("no header row")
    assert read_bytes(b"\n\n")[1][0].reason.startswith("no header row")


def test_bom_and_blank_lines() -> None:
    data = "\ufefftweet_id,tweet_text,label\n\n1,with a BOM,x\n\n".encode()
    messages, rejects = read_bytes(data)
    assert rejects == []
    assert messages[0].native_id == "1"
    assert messages[0].text == "with a BOM"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    read_bytes(b"tweet_id\ttweet_text\tlabel\n" + data, "x.tsv")
    read_bytes(b"id,text\n" + data)
    read_bytes(data)


# --- sniffing and the registry --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "score"), [
    ("humaid_sample.tsv", 90), ("crisislex_sample-tweets_labeled.csv", 90), ("kawarith_sample.tsv", 90),
    ("sample_event_CF_labeled_data.tsv", 90), ("sample_volunteers.csv", 90),
    ("disaster_response_sample.csv", 90), ("generic_sample.csv", 80),
])
def test_sniff_scores_each_shape(name: str, score: int) -> None:
    data = (FIXTURES / name).read_bytes()
    assert csvdata.sniff(summarise(name, data)) == score
    assert detect_format(io.BytesIO(data), name).name == "csv"


@pytest.mark.parametrize("data", [
    b'{"text": "hello", "id": 1}\n{"text": "again", "id": 2}\n',
    b'[{"text": "a"}]',
    b"<rss><channel><item><title>x</title></item></channel></rss>",
    b"just a line of prose, with a comma\n",
    b"",
])
def test_sniff_is_zero_for_other_formats(data: bytes) -> None:
    assert csvdata.sniff(summarise("x", data)) == 0


def test_registered_in_readers() -> None:
    spec = READERS["csv"]
    assert spec.read is csvdata.read
    assert spec.default_source == "csv"


def test_overlong_line_is_skipped_without_holding_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvdata, "MAX_RECORD_BYTES", 1000)
    data = b"id,text\n1,before\n2," + b"y" * 5000 + b"\n3,after\n"
    messages, rejects = read_bytes(data)
    assert [m.text for m in messages] == ["before", "after"]
    assert len(rejects) == 1
    assert "line longer than 1000 characters" in rejects[0].reason
    assert rejects[0].line == 3
