"""The nesting-depth guard agrees with a reference scanner on arbitrary JSON, however it is chunked."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.readers.jsonguard import DepthGuard, JSONTooDeep, _scan, _State, max_depth


def reference(text: str) -> tuple[int, int, bool]:
    depth = peak = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            peak = max(peak, depth)
        elif ch in "]}":
            depth -= 1
    return peak, depth, in_string


tricky = st.text(alphabet='ab[]{}"\\', max_size=8)
values = st.recursive(st.none() | st.integers() | tricky,
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky, inner, max_size=3),
                      max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(values, st.lists(st.integers(min_value=0, max_value=400), max_size=4))
def test_depth_matches_reference_across_chunk_boundaries(value: object, cuts: list[int]) -> None:
    text = json.dumps(value)
    data = text.encode()
    state = _State()
    peak, prev = 0, 0
    for cut in [*sorted(c % (len(data) + 1) for c in cuts), len(data)]:
        peak = max(peak, _scan(data[prev:cut], state))
        prev = max(prev, cut)
    ref_peak, ref_depth, ref_in = reference(text)
    assert (max(peak, 0), state.depth, state.in_string) == (ref_peak, ref_depth, ref_in)


def test_guard_stops_hostile_nesting_quickly() -> None:
    guard = DepthGuard(io.BytesIO(b"[" * 100_000), limit=256)
    with pytest.raises(JSONTooDeep):
        while guard.read(65536):
            pass
    assert max_depth(b'{"a": "[[[[[[", "b": [1, [2]]}') == 3
