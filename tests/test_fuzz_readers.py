"""Property-based: arbitrary bytes and JSON thrown at every reader never raise out of it."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.errors import UnknownFormatError
from vigil.message import Message, Reject
from vigil.readers import READERS, read_stream
from vigil.readers.base import ReadContext

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "text", "data", "includes", "users", "messages", "created_at", "date", "from_id",
                         "account", "content", "uri", "user", "full_text", "id_str", "caller", "transcript",
                         "type", "name", "retweeted_status", "reblog", "note_tweet", "author_id", "tweet_text"]),
        inner, max_size=6),
    max_leaves=25)

payloads = st.one_of(
    st.binary(max_size=400),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(json_values, max_size=5).map(lambda vs: b"\n".join(json.dumps(v).encode() for v in vs)),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


def consume(records: object) -> None:
    for item in records:  # type: ignore[attr-defined]
        assert isinstance(item, Message | Reject)


@pytest.mark.parametrize("name", sorted(READERS))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=payloads)
def test_no_exception_escapes_a_reader(name: str, data: bytes) -> None:
    spec = READERS[name]
    ctx = ReadContext(path="fuzz.bin", format=name)
    consume(spec.read(io.BufferedReader(io.BytesIO(data)), ctx))  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(data=payloads)
def test_auto_detection_only_refuses_with_unknown_format(data: bytes) -> None:
    try:
        _, records = read_stream(io.BufferedReader(io.BytesIO(data)), "fuzz.bin")  # type: ignore[arg-type]
    except UnknownFormatError:
        return
    consume(records)
