"""Exports of messages: CSV, JSON Lines, and HXL-tagged CSV for HDX users.

`HXL <https://hxlstandard.org>`_ puts a row of hashtags under the header so that humanitarian tools know what
each column is: ``#date+reported``, ``#loc+name``, ``#affected``, ``#meta+source`` and so on. ``#affected`` is
the largest number of people a message's own claims report (``claims.v1``: "62 killed", "20,000 trapped"),
with what was counted beside it, empty when the message reports none.

CSV cells that start with ``=``, ``+``, ``-``, ``@`` (or a tab/CR) are prefixed with ``'`` so that a message
written by an attacker cannot become a formula when an analyst opens the export in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

__all__ = ["EXPORT_FORMATS", "HXL_COLUMNS", "affected", "export_lines"]

EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
                  "hxl": "text/csv; charset=utf-8"}

# (column, HXL hashtag, how to get it from a message item)
HXL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "#meta+id"),
    ("created_at", "#date+reported"),
    ("source", "#meta+source"),
    ("author", "#contact+handle"),
    ("lang", "#meta+lang"),
    ("areas", "#loc+name"),
    ("type", "#indicator+type"),
    ("urgency", "#severity"),
    ("signals", "#indicator+signals"),
    ("affected", "#affected"),
    ("affected_what", "#affected+type"),
    ("title", "#meta+title"),
    ("text", "#description"),
    ("url", "#meta+url"),
)
_PEOPLE = ("civilian", "people", "person", "killed", "dead", "death", "wounded", "injured", "trapped", "children",
           "women", "families", "residents", "displaced", "casualt", "fighters", "missing", "evacuee")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def affected(enrichments: dict[str, Any]) -> tuple[int | None, str]:
    """The largest count of people the message's claims report, and what it counts.

    >>> affected({"claims.v1": {"claims": [{"kind": "count", "subject": "civilians trapped", "value_high": 35000}]}})
    (35000, 'civilians trapped')
    """
    best: tuple[int | None, str] = (None, "")
    for name, value in enrichments.items():
        if not name.startswith("claims") or not isinstance(value, dict):
            continue
        for claim in value.get("claims", []):
            if not isinstance(claim, dict) or claim.get("kind") != "count":
                continue
            subject = str(claim.get("subject") or "")
            high = claim.get("value_high") or claim.get("value_low")
            if isinstance(high, int | float) and any(w in subject.lower() for w in _PEOPLE) and (
                    best[0] is None or high > best[0]):
                best = (int(high), subject)
    return best


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _row(item: dict[str, Any]) -> list[str]:
    n, what = affected(item.get("enrichments") or {})
    values = {**item, "affected": n, "affected_what": what}
    return [_cell(values.get(col)) for col, _ in HXL_COLUMNS]


def export_lines(items: Iterable[dict[str, Any]], fmt: str) -> Iterator[bytes]:
    """Encode message items (from :func:`vigil.serve.queries.list_messages`) as ``csv``, ``jsonl`` or ``hxl``."""
    if fmt == "jsonl":
        for item in items:
            out = {k: v for k, v in item.items() if k != "truncated"}
            yield orjson.dumps(out) + b"\n"
        return
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([col for col, _ in HXL_COLUMNS])
    if fmt == "hxl":
        writer.writerow([tag for _, tag in HXL_COLUMNS])
    yield ("\ufeff" + buf.getvalue()).encode()  # BOM: spreadsheet programs then read the Arabic as UTF-8
    for item in items:
        buf.seek(0)
        buf.truncate()
        writer.writerow(_row(item))
        yield buf.getvalue().encode()
