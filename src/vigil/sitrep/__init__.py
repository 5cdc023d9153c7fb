"""Situation reports: claims with attribution, numbers, quotes, statuses, and conflicts side by side.

Extraction is rule-based (English and Arabic) and runs offline on any CPU: :func:`extract_claims` turns one
message into :class:`Claim` records (counts, statuses, quotes, blame), each attributed to who said it, origin
first. :func:`build_sitrep` gathers the claims of a period and :func:`find_conflicts` sets disagreeing claims
side by side; :func:`render` writes Markdown, HTML or the JSON contract of ``vigil sitrep``.

    >>> from vigil.sitrep import sitrep_from_paths, render
    >>> report = sitrep_from_paths(["examples/siege/data/articles"])  # doctest: +SKIP
    >>> print(render(report, "md"))  # doctest: +SKIP
"""

from __future__ import annotations

from .build import Sitrep, UrgentMessage, build_sitrep, messages_from_paths, sitrep_from_paths, sitrep_from_store
from .extract import EXTRACTOR_VERSION, default_chain, extract_claims
from .model import CLAIM_KEYS, KINDS, Claim, Conflict, claim_from_dict
from .names import names_match
from .reconcile import find_conflicts
from .report import render, render_html, render_json, render_markdown

__all__ = [
    "CLAIM_KEYS",
    "EXTRACTOR_VERSION",
    "KINDS",
    "Claim",
    "Conflict",
    "Sitrep",
    "UrgentMessage",
    "build_sitrep",
    "claim_from_dict",
    "default_chain",
    "extract_claims",
    "find_conflicts",
    "messages_from_paths",
    "names_match",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "sitrep_from_paths",
    "sitrep_from_store",
]
