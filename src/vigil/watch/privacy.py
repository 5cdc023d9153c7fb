"""Marking outputs about watched persons as sensitive, and keeping precise places out of them.

The watch-list and the silence report name people at risk. Functions and records that return them carry
``SENSITIVE = True`` so that the API layer can refuse them to anonymous callers, log them less, or blur them.
Alerts about watched persons name an *area* only: :func:`strip_locations` removes coordinates and addresses
from anything a watcher puts in an alert's evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["SENSITIVE_ATTR", "is_sensitive", "sensitive", "strip_locations"]

SENSITIVE_ATTR = "SENSITIVE"

F = TypeVar("F", bound=Callable[..., Any])

# keys that describe a precise place; an alert about a person may say the area and nothing finer
_PRECISE_KEYS = frozenset({"lat", "lon", "lng", "latitude", "longitude", "coordinates", "coords", "geo", "location",
                           "address", "street", "place", "place_id", "bbox", "point", "position"})
_COORDS = re.compile(r"-?\d{1,3}\.\d{3,}\s*[,;/ ]\s*-?\d{1,3}\.\d{3,}")


def sensitive(fn: F) -> F:
    """Mark a function whose result names watched persons (sets ``fn.SENSITIVE = True``).

    >>> @sensitive
    ... def people(): return []
    >>> is_sensitive(people)
    True
    """
    setattr(fn, SENSITIVE_ATTR, True)
    return fn


def is_sensitive(obj: object) -> bool:
    """True when ``obj`` (a function, class or record) is marked sensitive."""
    return bool(getattr(obj, SENSITIVE_ATTR, False))


def strip_locations(value: Any) -> Any:
    """A copy of ``value`` (JSON-like) without precise locations: place keys dropped, coordinates in text masked.

    >>> strip_locations({"area": "Al-Bustan", "lat": 36.2, "note": "seen at 36.2012, 37.1345"})
    {'area': 'Al-Bustan', 'note': 'seen at [location removed]'}
    """
    if isinstance(value, Mapping):
        return {k: strip_locations(v) for k, v in value.items() if str(k).lower() not in _PRECISE_KEYS}
    if isinstance(value, list | tuple):
        return [strip_locations(v) for v in value]
    if isinstance(value, str):
        return _COORDS.sub("[location removed]", value)
    return value
