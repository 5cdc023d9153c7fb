"""The JSON API, one module per resource; :data:`ENDPOINTS` is the whole table (routing, roles, schema)."""

from __future__ import annotations

from ._base import Endpoint
from .analysis import ENDPOINTS as _ANALYSIS
from .data import ENDPOINTS as _DATA
from .messages import ENDPOINTS as _MESSAGES
from .system import ENDPOINTS as _SYSTEM
from .watch import ENDPOINTS as _WATCH

__all__ = ["ENDPOINTS"]

ENDPOINTS: tuple[Endpoint, ...] = (*_SYSTEM, *_MESSAGES, *_WATCH, *_ANALYSIS, *_DATA)
