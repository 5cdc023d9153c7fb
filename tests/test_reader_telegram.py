"""The Telegram Desktop export reader: chat, channel and full-account exports, streamed."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.message import Message, Reject
from vigil.readers import READERS, detect_format, telegram
from vigil.readers.base import ReadContext
from vigil.readers.detect import summarise

FIXTURES = Path(__file__).parent / "fixtures" / "telegram"


def read_bytes(data: bytes, name: str = "result.json", source: str | None = None,
               ) -> tuple[list[Message], list[Reject]]:
    items = list(telegram.read(io.BytesIO(data), ReadContext(path=name, source=source, format="telegram")))
    return [m for m in items if isinstance(m, Message)], [r for r in items if isinstance(r, Reject)]


def read_fixture(name: str) -> tuple[list[Message], list[Reject]]:
    return read_bytes((FIXTURES / name).read_bytes(), name)


def export(messages: list[Any], **top: Any) -> bytes:
    doc = {"name": "Sample chat", "type": "private_group", "id": 42, **top, "messages": messages}
    return orjson.dumps(doc)


def msg(mid: int, text: Any = "hello", **extra: Any) -> dict[str, Any]:
    return {"id": mid, "type": "message", "date": "2024-03-02T07:00:00", "date_unixtime": "1709362800",
            "from": "Sample Person", "from_id": "user1", "text": text, **extra}


# --- channel export -------------------------------------------------------------------------------------


def test_channel_export_reads_every_post_and_skips_service_entries() -> None:
    messages, rejects = read_fixture("channel_result.json")
    assert rejects == []
    assert [m.native_id for m in messages] == [f"1700000001/{i}" for i in range(2, 9)]
    first = messages[0]
    assert first.id == "telegram:1700000001/2"
    assert first.source == "telegram"
    assert first.format == "telegram"
    assert first.author == "channel1700000001"
    assert first.author_name == "Riverside Relief Updates"
    assert first.text == "Water distribution at the north bridge starts at 10:00."
    assert first.created_at == datetime(2024, 3, 2, 8, 15, tzinfo=UTC)
    assert first.url is None  # exports carry no public username
    assert orjson.loads(first.raw)["id"] == 2


def test_entity_list_text_is_joined_keeping_visible_text_only() -> None:
    messages, _ = read_fixture("channel_result.json")
    by_id = {m.native_id: m for m in messages}
    assert by_id["1700000001/3"].text == (
        "Shelter open at the old school. Map: here, details https://example.org/shelter #Riverside cc @relief_desk")
    assert "example.org/map" not in by_id["1700000001/3"].text  # a text_link's href is not visible text
    assert "edited" in orjson.loads(by_id["1700000001/3"].raw)  # edits are kept for audit only


def test_forwarded_message_keeps_its_origin_as_free_text() -> None:
    messages, _ = read_fixture("channel_result.json")
    forwarded = next(m for m in messages if m.native_id == "1700000001/4")
    assert forwarded.forward_of == "Valley Weather Desk"
    assert all(m.forward_of is None for m in messages if m is not forwarded)


def test_reply_points_at_the_message_in_the_same_chat() -> None:
    messages, _ = read_fixture("channel_result.json")
    reply = next(m for m in messages if m.native_id == "1700000001/7")
    assert reply.reply_to == "telegram:1700000001/2"


def test_media_become_placeholders_with_their_caption() -> None:
    messages, _ = read_fixture("channel_result.json")
    by_id = {m.native_id: m.text for m in messages}
    assert by_id["1700000001/5"] == "[photo] Queue at the bridge this morning"
    assert by_id["1700000001/6"] == "[video]"
    assert by_id["1700000001/8"] == "[file]"


def test_arabic_and_emoji_survive_intact() -> None:
    messages, _ = read_fixture("channel_result.json")
    arabic = next(m for m in messages if m.native_id == "1700000001/7")
    assert arabic.text == "عاجل: توزيع المياه في الجسر الشمالي الساعة العاشرة 💧🙏"


def test_channel_post_without_from_id_is_authored_by_the_channel() -> None:
    data = export([{"id": 9, "type": "message", "date_unixtime": "1709362800", "text": "Road open"}],
                  type="public_channel", name="Sample Channel", id=777)
    messages, rejects = read_bytes(data)
    assert rejects == []
    assert messages[0].author == "channel777"
    assert messages[0].author_name == "Sample Channel"


def test_public_username_gives_a_link() -> None:
    messages, _ = read_bytes(export([msg(5)], username="sample_channel", type="public_channel"))
    assert messages[0].url == "https://t.me/sample_channel/5"


def test_source_override_is_used_for_ids_and_replies() -> None:
    messages, _ = read_bytes(export([msg(1), msg(2, reply_to_message_id=1)]), source="tg-field")
    assert [m.id for m in messages] == ["tg-field:42/1", "tg-field:42/2"]
    assert messages[1].reply_to == "tg-field:42/1"


# --- group chat export ----------------------------------------------------------------------------------


def test_chat_export_users_replies_entities_and_voice() -> None:
    messages, rejects = read_fixture("chat_result.json")
    by_id = {m.native_id: m for m in messages}
    assert sorted(by_id) == ["1800000002/101", "1800000002/102", "1800000002/103", "1800000002/105"]
    assert by_id["1800000002/101"].author == "user5000001"
    assert by_id["1800000002/101"].author_name == "Sample Person A"
    # no ``text`` key at all: text_entities are used
    assert by_id["1800000002/102"].text == "Yes, since 6am. Sample Person A do you have a torch?"
    assert by_id["1800000002/102"].reply_to == "telegram:1800000002/101"
    assert by_id["1800000002/103"].text == "[voice message]"
    # deleted account: ``from`` is null; no date_unixtime: local ``date`` taken as UTC
    assert by_id["1800000002/105"].author_name == ""
    assert by_id["1800000002/105"].author == "user5000004"
    assert by_id["1800000002/105"].forward_of == "Sample Person D"
    assert by_id["1800000002/105"].created_at == datetime(2024, 3, 2, 7, 10, tzinfo=UTC)
    assert len(rejects) == 1
    assert "missing text" in rejects[0].reason
    assert rejects[0].line == 6  # the 6th entry of ``messages``
    assert rejects[0].file == "chat_result.json"


# --- full account export --------------------------------------------------------------------------------


def test_full_export_streams_every_chat_with_its_own_chat_id() -> None:
    messages, rejects = read_fixture("full_export.json")
    assert rejects == []
    assert [m.native_id for m in messages] == ["5000001/11", "5000001/12", "1700000001/12", "1900000003/1"]
    assert messages[1].reply_to == "telegram:5000001/11"
    assert messages[2].author == "channel1700000001"
    assert messages[3].text == "Street party cancelled."


def test_full_export_truncated_keeps_messages_before_the_cut() -> None:
    data = (FIXTURES / "full_export.json").read_bytes()
    cut = data.index(b"Bridge closed")
    messages, rejects = read_bytes(data[:cut])
    assert [m.native_id for m in messages] == ["5000001/11", "5000001/12"]
    assert len(rejects) == 1
    assert "stops being readable after record 2" in rejects[0].reason
    assert "1700000001" in rejects[0].reason


# --- broken input ---------------------------------------------------------------------------------------


def test_truncated_export_keeps_messages_before_the_cut_and_rejects_the_rest() -> None:
    data = (FIXTURES / "channel_result.json").read_bytes()
    cut = data.index(b"Queue at the bridge")
    messages, rejects = read_bytes(data[:cut])
    assert [m.native_id for m in messages] == ["1700000001/2", "1700000001/3", "1700000001/4"]
    assert len(rejects) == 1
    assert "stops being readable" in rejects[0].reason
    assert rejects[0].line == 5  # the 5th entry (the service entry counts as a record)


def test_wrong_types_are_rejected_one_by_one() -> None:
    data = export([
        42,
        msg(1, text=5),
        {"id": "abc", "type": "message", "date_unixtime": "1709362800", "text": "x"},
        msg(3, text=["ok", 7]),
        msg(4, date_unixtime="soon", date="tomorrow"),
        {"type": "message", "date_unixtime": "1709362800", "text": "no id"},
        {"id": 6, "type": "message", "text": "no date"},
        msg(7, text=[{"type": "bold", "text": ["nested"]}]),
        msg(8, text="fine"),
    ])
    messages, rejects = read_bytes(data)
    assert [m.native_id for m in messages] == ["42/8"]
    reasons = [r.reason for r in rejects]
    assert [r.line for r in rejects] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert "expected a message object, got int" in reasons[0]
    assert "'text' must be a string or a list, got int" in reasons[1]
    assert "'id' must be an integer, got str" in reasons[2]
    assert "'text' list holds a int" in reasons[3]
    assert "unparsable date" in reasons[4]
    assert "missing message 'id'" in reasons[5]
    assert "missing 'date_unixtime' and 'date'" in reasons[6]
    assert "entity 'text' must be a string" in reasons[7]
    assert all(r.raw for r in rejects)


def test_bad_unixtime_falls_back_to_date() -> None:
    messages, _ = read_bytes(export([msg(1, date_unixtime="", date="2024-01-05T10:00:00")]))
    assert messages[0].created_at == datetime(2024, 1, 5, 10, tzinfo=UTC)


def test_missing_chat_metadata_falls_back_to_the_file_stem() -> None:
    data = orjson.dumps({"messages": [msg(3)]})
    messages, _ = read_bytes(data, name="exports/flood_chat.json")
    assert messages[0].native_id == "flood_chat/3"


def test_json_that_is_not_an_export_gives_one_reject() -> None:
    messages, rejects = read_bytes(orjson.dumps({"data": [{"id": "1", "text": "x"}]}))
    assert messages == []
    assert len(rejects) == 1
    assert "no Telegram messages found" in rejects[0].reason


def test_empty_chat_is_not_an_error() -> None:
    assert read_bytes(export([])) == ([], [])


@pytest.mark.parametrize("data", [b"", b"not json at all", b"\xff\xfe\x00garbage", b"{", b'{"messages": [',
                                  b'{"messages": [{"id": 1, "text": "\xc3\x28"}]}', b"[" * 100_000])
def test_garbage_never_raises(data: bytes) -> None:
    messages, rejects = read_bytes(data)
    assert messages == []
    assert rejects  # every such input says why nothing was read


def test_deeply_nested_text_is_a_reject_not_a_crash() -> None:
    deep = b"[" * 5000 + b"]" * 5000
    data = b'{"id": 1, "messages": [{"id": 1, "date_unixtime": "1709362800", "text": ' + deep + b"}, " + \
        orjson.dumps(msg(2)) + b"]}"
    messages, rejects = read_bytes(data)
    assert len(rejects) >= 1
    assert all(m.native_id == "1/2" for m in messages)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    read_bytes(b'{"name": "x", "id": 1, "messages": [' + data)
    read_bytes(data)


# --- streams, sniffing and the registry -----------------------------------------------------------------


class _NonSeekable(io.RawIOBase):
    """A pipe-like stream: readable, not seekable."""

    def __init__(self, data: bytes) -> None:
        self._buf = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        chunk = self._buf.read(len(b))
        b[: len(chunk)] = chunk
        return len(chunk)


def test_peekable_stdin_like_stream_keeps_the_chat_id() -> None:
    data = (FIXTURES / "channel_result.json").read_bytes()
    fp = io.BufferedReader(_NonSeekable(data), buffer_size=128 * 1024)
    items = list(telegram.read(fp, ReadContext(path="-")))
    assert next(m.native_id for m in items if isinstance(m, Message)) == "1700000001/2"


@pytest.mark.parametrize("name", ["channel_result.json", "chat_result.json", "full_export.json"])
def test_sniff_recognises_exports(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    assert telegram.sniff(summarise(name, data)) >= 80
    assert detect_format(io.BytesIO(data), name).name == "telegram"


@pytest.mark.parametrize("data", [
    b'{"data": [{"id": "1", "text": "hi", "created_at": "2024-01-01T00:00:00Z"}], "meta": {}}',
    b'[{"id": "1", "content": "<p>hi</p>", "account": {"acct": "a"}}]',
    b'{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n',
    b"tweet_id,tweet_text\n1,hello\n",
    b'{"messages": [{"role": "user", "content": "hi"}]}',
])
def test_sniff_is_zero_for_other_formats(data: bytes) -> None:
    assert telegram.sniff(summarise("x", data)) == 0


def test_registered_in_readers() -> None:
    spec = READERS["telegram"]
    assert spec.read is telegram.read
    assert spec.default_source == "telegram"
    assert spec.description


def test_full_export_without_chats_says_so() -> None:
    data = orjson.dumps({"about": "x", "personal_information": {"user_id": 1}, "contacts": {"list": []}})
    messages, rejects = read_bytes(data)
    assert messages == []
    assert len(rejects) == 1
    assert "without a 'chats.list'" in rejects[0].reason
