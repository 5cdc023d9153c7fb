"""The voicemail/phone transcript reader: JSON, JSON Lines and text blocks, with rejects for bad records."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import orjson
import pytest

from vigil.message import Message, Reject
from vigil.readers import READERS, article, detect_format, transcript
from vigil.readers.base import ReadContext
from vigil.readers.detect import summarise

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


def read_stream(fp: BinaryIO, name: str = "calls", source: str | None = None) -> list[Message | Reject]:
    return list(transcript.read(fp, ReadContext(path=name, source=source, format="transcript")))


def read_bytes(data: bytes, name: str = "calls", source: str | None = None) -> list[Message | Reject]:
    return read_stream(io.BytesIO(data), name, source)


def read_fixture(name: str) -> list[Message | Reject]:
    return read_bytes((FIXTURES / name).read_bytes(), name)


def messages(items: list[Message | Reject]) -> list[Message]:
    return [m for m in items if isinstance(m, Message)]


def rejects(items: list[Message | Reject]) -> list[Reject]:
    return [r for r in items if isinstance(r, Reject)]


def test_registered_under_its_name() -> None:
    spec = READERS["transcript"]
    assert spec.default_source == "voicemail"
    assert spec.read is transcript.read


# --- text -------------------------------------------------------------------------------------------------


def test_text_transcripts_separated_by_dashes_and_equals() -> None:
    items = read_fixture("hotline.txt")
    assert rejects(items) == []
    first, arabic, third = messages(items)
    assert first.author == "+963 944 000 111"  # the caller exactly as given
    assert first.created_at == datetime(2016, 12, 13, 6, 15, tzinfo=UTC)
    assert first.text == ("Hello, this is a message for the tracing team. We are five people in the basement "
                          "of the school near the bakery. My mother needs insulin. Please call back.")
    assert first.lang == "en"
    assert first.source == "voicemail" and first.format == "transcript"
    assert first.title is None
    assert first.native_id.startswith("sha1-") and first.id == f"voicemail:{first.native_id}"
    assert "Line: Family tracing hotline" in first.raw and "Duration: 42s" in first.raw
    assert arabic.text.startswith("مرحبا، نحن عالقون في الطابق السفلي")
    assert arabic.lang == "ar"
    assert arabic.author == "Unknown"
    assert arabic.created_at == datetime(2016, 12, 13, 9, 2, 10, tzinfo=UTC)  # RFC 2822 time
    assert third.native_id == "vm-0003"  # an explicit ID: header wins over the hash
    assert third.created_at == datetime(2016, 12, 13, 10, 30, tzinfo=UTC)  # no offset: UTC


def test_text_hash_ids_are_stable_across_reads() -> None:
    once = [m.id for m in messages(read_fixture("hotline.txt"))]
    again = [m.id for m in messages(read_fixture("hotline.txt"))]
    assert once == again and len(set(once)) == 3


def test_text_rejects_and_blocks_without_separator() -> None:
    items = read_fixture("broken.txt")
    got = messages(items)
    assert [m.author for m in got] == ["+963 944 000 121", "+963 944 000 122", "+963 944 000 126"]
    # a new Caller: header after a blank line starts a new transcript even without a --- line
    assert got[1].text == "Second message in the same file without a separator line."
    # "Transcript:" on a header line starts the body there
    assert got[2].text == "Inline transcript on the header line."
    bad = rejects(items)
    assert [(r.line, r.reason.split(" ")[0]) for r in bad] == [(12, "unparsable"), (16, "missing"),
                                                              (21, "transcript")]
    assert "'the day before yesterday'" in bad[0].reason  # the value is quoted back
    assert "Time:" in bad[1].reason
    assert "no transcript text" in bad[2].reason
    assert bad[0].raw.startswith(b"Caller: +963 944 000 123")


def test_text_invalid_utf8_rejects_only_its_block() -> None:
    data = (b"Caller: 1\nTime: 2016-12-13T08:00:00Z\n\nfine\n---\n"
            b"Caller: 2\nTime: 2016-12-13T08:01:00Z\n\nbad \xff byte\n---\n"
            b"Caller: 3\nTime: 2016-12-13T08:02:00Z\n\nfine too\n")
    items = read_bytes(data)
    assert [m.author for m in messages(items)] == ["1", "3"]
    (bad,) = rejects(items)
    assert bad.line == 9 and "invalid UTF-8 at byte 4 of line 9" in bad.reason


def test_text_crlf_bom_and_arabic_headers() -> None:
    data = ("\ufeffالمتصل: +963 944 000 777\r\nالوقت: 2016-12-13T08:00:00Z\r\nاللغة: العربية\r\n\r\n"
            "نحن بخير\r\n").encode()
    (msg,) = read_bytes(data)
    assert isinstance(msg, Message)
    assert msg.author == "+963 944 000 777"
    assert msg.text == "نحن بخير"
    assert msg.lang == "ar"


def test_text_overlong_transcript_is_rejected_in_bounded_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transcript, "MAX_RECORD_BYTES", 1000)
    data = (b"Caller: 1\nTime: 2016-12-13T08:00:00Z\n\n" + (b"word " * 40 + b"\n") * 20 + b"---\n"
            + b"Caller: 2\nTime: 2016-12-13T08:00:00Z\n\n" + b"x" * 5000 + b"\n---\n"
            + b"Caller: 3\nTime: 2016-12-13T08:00:00Z\n\nshort\n")
    items = read_bytes(data)
    assert [m.author for m in messages(items)] == ["3"]
    assert [r.line for r in rejects(items)] == [1, 25]  # where each rejected block starts
    assert all("longer than 1000 bytes" in r.reason for r in rejects(items))


# --- JSON and JSON Lines ------------------------------------------------------------------------------------


def test_json_object_wrapping_an_array() -> None:
    items = read_fixture("voicemails.json")
    assert rejects(items) == []
    first, second = messages(items)
    assert first.native_id == "vm-1001" and first.id == "voicemail:vm-1001"
    assert first.author == "+963 944 000 222"
    assert first.text == "نحتاج إلى سيارة إسعاف في شارع المدرسة، هناك جرحى من القصف."
    assert first.lang == "ar"  # "ar-SY"
    assert first.created_at == datetime(2016, 12, 13, 7, 55, tzinfo=UTC)
    assert orjson.loads(first.raw)["duration_s"] == 31  # kept for audit
    assert second.author == "+963 944 000 333" and second.author_name == "Abu Karim"
    assert second.text == "We have no bread since Sunday. Twelve families here."  # segments joined
    assert second.created_at == datetime(2016, 12, 13, 7, 55, tzinfo=UTC)  # Unix seconds


def test_jsonl() -> None:
    first, second = read_fixture("voicemails.jsonl")
    assert isinstance(first, Message) and isinstance(second, Message)
    assert first.native_id == "501"  # numeric id as text
    assert first.created_at == datetime(2016, 12, 14, 4, 10, tzinfo=UTC)
    assert first.lang == "en"
    assert second.native_id.startswith("sha1-")
    assert second.text == "Please send blankets, it is very cold at night."


def test_jsonl_rejects_keep_line_numbers_and_good_records() -> None:
    items = read_fixture("broken.jsonl")
    assert [m.native_id for m in messages(items)] == ["ok-1", "ok-2"]
    assert messages(items)[1].author == "963944000123"  # a number given as a JSON integer
    reasons = {r.line: r.reason for r in rejects(items)}
    assert sorted(reasons) == [2, 3, 4, 5, 6]
    assert reasons[2].startswith("broken JSON")
    assert reasons[3].startswith("missing transcript")
    assert reasons[4] == "unparsable time 'yesterday evening' (expected ISO-8601, RFC 2822 or Unix seconds)"
    assert "expected a JSON object" in reasons[5]
    assert reasons[6].startswith("missing time")


def test_top_level_array_and_single_object() -> None:
    record = {"caller": "Mona", "time": "2016-12-13T08:00:00Z", "transcript": "We are safe.", "id": "a1"}
    (from_array,) = read_bytes(orjson.dumps([record]))
    (from_object,) = read_bytes(orjson.dumps(record, option=orjson.OPT_INDENT_2))
    assert isinstance(from_array, Message) and isinstance(from_object, Message)
    assert from_array.id == from_object.id == "voicemail:a1"
    assert from_array.author == "Mona"


def test_truncated_json_keeps_the_records_before_the_break() -> None:
    data = (FIXTURES / "voicemails.json").read_bytes()
    cut = data.index(b'"transcript": [')
    items = read_bytes(data[:cut])
    assert [m.native_id for m in messages(items)] == ["vm-1001"]
    (bad,) = rejects(items)
    assert "stops being readable after record 1" in bad.reason


def test_json_wrong_types_are_quarantined() -> None:
    rows = [
        {"caller": ["list"], "time": "2016-12-13T08:00:00Z", "transcript": "ok with a strange caller"},
        {"caller": "x", "time": True, "transcript": "boolean time"},
        {"caller": "x", "time": {"nested": 1}, "transcript": "object time"},
        {"caller": "x", "time": "2016-12-13T08:00:00Z", "transcript": 42},
        {"caller": "x", "time": 10**17, "transcript": "time out of range"},
    ]
    data = b"\n".join(orjson.dumps(r) for r in rows) + b"\n"
    items = read_bytes(data)
    (ok,) = messages(items)
    assert ok.author == ""  # an unusable caller is left empty, the transcript is kept
    assert [r.line for r in rejects(items)] == [2, 3, 4, 5]


def test_source_option() -> None:
    (msg,) = read_bytes(b'{"caller": "a", "time": "2016-12-13T08:00:00Z", "transcript": "hi"}', source="hotline")
    assert isinstance(msg, Message)
    assert msg.source == "hotline" and msg.id.startswith("hotline:")


def test_non_seekable_stream() -> None:
    class Pipe:
        """A stream that can only be read, like a socket."""

        def __init__(self, data: bytes) -> None:
            self._inner = io.BytesIO(data)

        def read(self, size: int = -1) -> bytes:
            return self._inner.read(size)

        def seekable(self) -> bool:
            return False

    for name in ("hotline.txt", "voicemails.json", "voicemails.jsonl"):
        fp = Pipe((FIXTURES / name).read_bytes())
        expected = [m.id for m in messages(read_fixture(name))]
        assert [m.id for m in messages(read_stream(fp, name))] == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("data", [
    b"", b"\x00\x01\x02\x03" * 50, b"[", b"{", b"[1, 2, 3]", b'{"caller": ', b"{}" * 1000,
    b"[" * 100_000, b'{"a":' * 100_000, b'{"voicemails": ' + b"[" * 100_000,
    b"---\n===\n---\n", b"Caller:\nTime:\n\n", "Caller: \ud800\n".encode("utf-8", "surrogatepass"),
    b"\xef\xbb\xbf", b"x" * 10_000,
])
def test_junk_never_raises(data: bytes) -> None:
    for item in read_bytes(data):
        assert isinstance(item, Message | Reject)


def test_truncated_files_never_raise() -> None:
    for name in ("hotline.txt", "voicemails.json", "voicemails.jsonl"):
        data = (FIXTURES / name).read_bytes()
        for cut in range(0, len(data), 53):
            for item in read_bytes(data[:cut]):
                assert isinstance(item, Message | Reject)


# --- detection ------------------------------------------------------------------------------------------------


def detect_bytes(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with path.open("rb") as fp:
        return detect_format(fp, name).name


@pytest.mark.parametrize("name", ["hotline.txt", "voicemails.json", "voicemails.jsonl", "broken.jsonl",
                                  "broken.txt"])
def test_detected_as_transcript(tmp_path: Path, name: str) -> None:
    assert detect_bytes(tmp_path, "calls.dat", (FIXTURES / name).read_bytes()) == "transcript"


def test_top_level_array_detected(tmp_path: Path) -> None:
    data = orjson.dumps([{"caller_id": "1", "received_at": "2016-12-13T08:00:00Z", "text": "hi"}])
    assert detect_bytes(tmp_path, "calls.json", data) == "transcript"


def test_article_reader_defers_to_transcripts() -> None:
    head = summarise("calls.txt", (FIXTURES / "hotline.txt").read_bytes())
    assert transcript.sniff(head) == 90
    assert article.sniff(head) < 90


@pytest.mark.parametrize("data", [
    b'{"name": "chat", "messages": [{"id": 1, "from": "Mona", "date": "2016-12-13T08:00:00", "text": "hi"}]}',
    b'[{"id": "1", "text": "a tweet", "created_at": "Tue Dec 13 08:00:00 +0000 2016"}]',
    b"From: someone@example.org\nDate: Tue, 13 Dec 2016 08:00:00 +0000\n\nAn e-mail, not a voicemail.\n",
    b"A headline\nPublished: 2016-12-13T08:00:00Z\n\nBody.\n", b"<html><body>x</body></html>",
    b"caller,time,transcript\n1,2016-12-13,hi\n",
])
def test_sniff_declines_other_formats(data: bytes) -> None:
    assert transcript.sniff(summarise("x", data)) == 0
