"""Where alerts go: stdout (JSON Lines), a file, or a webhook. A dead sink never blocks the pipeline.

Each sink has one method, ``send(alert_dict)``. :func:`deliver` sends every alert to every sink and
catches their failures (logged and returned), so a webhook that is down costs at most its bounded retries.
The webhook POSTs the alert as JSON through an injected :class:`httpx.Client`, signed with HMAC-SHA256 in
the ``X-Vigil-Signature: sha256=<hex>`` header (over the exact body bytes), and retries with exponential
backoff on network errors and 5xx/429 answers.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TextIO

import httpx
import orjson

__all__ = ["FileSink", "Sink", "StdoutSink", "WebhookSink", "deliver", "parse_sink", "sign"]

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Vigil-Signature"


class Sink(Protocol):
    """Delivers one alert (a JSON-ready dict). Raise on failure; :func:`deliver` isolates it."""

    def send(self, alert: Mapping[str, Any]) -> None: ...


def _line(alert: Mapping[str, Any]) -> bytes:
    return orjson.dumps(alert, option=orjson.OPT_SORT_KEYS)


class StdoutSink:
    """One JSON object per line on a stream (stdout by default)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, alert: Mapping[str, Any]) -> None:
        stream = self.stream or sys.stdout
        stream.write(_line(alert).decode() + "\n")
        stream.flush()


class FileSink:
    """Appends one JSON object per line to a file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def send(self, alert: Mapping[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as fh:
            fh.write(_line(alert) + b"\n")


def sign(body: bytes, secret: str) -> str:
    """The signature header value for ``body``: ``sha256=`` + hex HMAC-SHA256 with ``secret``.

    >>> sign(b"{}", "s3cret")[:15]
    'sha256=adbde1ce'
    """
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookSink:
    """POST each alert as JSON to ``url``, signed, with bounded retries and exponential backoff."""

    def __init__(self, url: str, *, secret: str | None = None, client: httpx.Client | None = None,
                 retries: int = 3, backoff_s: float = 0.5, sleep: Callable[[float], None] = time.sleep) -> None:
        self.url = url
        self.secret = secret
        self.client = client or httpx.Client(timeout=5.0)
        self.retries = retries
        self.backoff_s = backoff_s
        self.sleep = sleep

    def send(self, alert: Mapping[str, Any]) -> None:
        body = _line(alert)
        headers = {"Content-Type": "application/json", "User-Agent": "vigil-alerts"}
        if self.secret:
            headers[SIGNATURE_HEADER] = sign(body, self.secret)
        error: str = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff_s * 2 ** (attempt - 1))
            try:
                response = self.client.post(self.url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code < 400:
                return
            error = f"HTTP {response.status_code}"
            if response.status_code != 429 and response.status_code < 500:
                break  # the receiver refuses this alert; retrying will not help
        raise RuntimeError(f"webhook {self.url}: {error} after {attempt + 1} attempt(s)")


def deliver(alerts: Iterable[Mapping[str, Any]], sinks: Sequence[Sink]) -> list[str]:
    """Send every alert to every sink; return the failures (a failing sink is skipped, never fatal)."""
    failures = []
    for alert in alerts:
        for sink in sinks:
            try:
                sink.send(alert)
            except Exception as exc:  # any sink failure is isolated: alerts must keep flowing to the others
                msg = f"{type(sink).__name__}: {exc}"
                log.warning("alert %s not delivered: %s", alert.get("id"), msg)
                failures.append(msg)
    return failures


def parse_sink(spec: str, *, secret: str | None = None, client: httpx.Client | None = None) -> Sink:
    """``stdout``, ``file:PATH`` or ``webhook:URL`` (``secret`` signs webhook bodies)."""
    if spec in ("stdout", "-"):
        return StdoutSink()
    kind, _, rest = spec.partition(":")
    if kind == "file" and rest:
        return FileSink(rest)
    if kind == "webhook" and rest:
        return WebhookSink(rest, secret=secret, client=client)
    from ..errors import UsageError

    raise UsageError(f"unknown sink {spec!r}; use stdout, file:PATH or webhook:URL")
