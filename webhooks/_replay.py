"""Replay recorded Meta webhook POST bodies against a receiver, signed the way Meta signs them.

This module owns ``waflow replay``: reading webhook files into bodies kept as their exact bytes
(never re-serialised, so ``X-Hub-Signature-256`` matches what a receiver hashes), POSTing them
in order (strictly with one worker, per customer with several), optionally paced, and
summarising the run as status counts, failures and latency percentiles. Neither bodies nor
phone numbers are logged.

Recorded bodies carry the time they were sent (``timestamp`` of each message and status), and a
bot answers a customer only inside the 24-hour window that time opens: :func:`restamp` moves
every timestamp of a run by one offset, so that the latest is now, keeping their spacing and
every other byte of each body.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from bot.errors import PayloadError
from bot.inbound import parse_payload
from webhooks.signature import SIGNATURE_HEADER, sign

logger = logging.getLogger(__name__)

USER_AGENT = "facebookexternalua"  # what Meta's webhook deliveries announce
_MAX_ERROR_TEXT = 200

# Tests replace the pacer's clock here.
_clock: Callable[[], float] = time.monotonic
_sleep: Callable[[float], None] = time.sleep


_JSON_WS = re.compile(r"[ \t\n\r]*")
_BOM = "\ufeff"


@dataclass(frozen=True)
class WebhookBody:
    """One webhook POST body: its ``source`` (the file, plus ``[index]`` in a list file), the
    exact ``body`` bytes to send, and the customers (``contacts``) it concerns."""

    source: str
    body: bytes
    contacts: tuple[str, ...] = ()


def load_webhooks(files: Sequence[Path]) -> list[WebhookBody]:
    """Read webhook bodies from files and directories (their ``*.json`` in name order).

    A file holds one JSON object (sent as the file's bytes, unchanged) or a JSON list of objects
    (each sent as the exact slice of the file that spells it).

    Raises:
        PayloadError: A path is missing, a file is not valid UTF-8 JSON, an element is not an
            object, or nothing was found at all.
    """
    bodies: list[WebhookBody] = []
    for path in files:
        if path.is_dir():
            bodies.extend(
                body
                for file in sorted(path.glob("*.json"), key=lambda p: p.name)
                for body in _load_file(file)
            )
        elif path.is_file():
            bodies.extend(_load_file(path))
        else:
            raise PayloadError(f"{path}: no such file or directory")
    if not bodies:
        raise PayloadError("no webhook bodies found in " + ", ".join(str(p) for p in files))
    return bodies


def _load_file(path: Path) -> list[WebhookBody]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8").removeprefix(_BOM)
        doc = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"{path}: not a UTF-8 JSON file ({exc})") from exc
    if isinstance(doc, dict):
        return [WebhookBody(str(path), raw, _contacts(doc))]
    if not isinstance(doc, list):
        raise PayloadError(f"{path}: expected a JSON object or a list of objects")
    bodies = []
    for index, (element, chunk) in enumerate(_list_elements(text)):
        if not isinstance(element, dict):
            raise PayloadError(f"{path}[{index}]: expected a JSON object")
        bodies.append(WebhookBody(f"{path}[{index}]", chunk.encode("utf-8"), _contacts(element)))
    return bodies


_TIMESTAMP = re.compile(
    rb'(?<!\\)("timestamp"[ \t\n\r]*:[ \t\n\r]*"?)([0-9]{1,12})(?=["}, \t\n\r])'
)
"""A ``"timestamp"`` member (Unix seconds, as a string or a number) in a body's JSON text; a
quoted key inside a string value is escaped (``\\"timestamp\\"``), so never matches."""


def restamp(bodies: Sequence[WebhookBody], now: float) -> list[WebhookBody]:
    """The bodies with every ``timestamp`` moved by one offset, so that the latest is ``now``.

    Only the digits of each timestamp change: the spacing between the recorded events, the rest
    of each body and the order stay as recorded. Bodies without a timestamp come back unchanged.

    Args:
        bodies: The bodies of one replay run, as :func:`load_webhooks` read them.
        now: The current time, in Unix seconds.
    """
    stamps = [int(m.group(2)) for b in bodies for m in _TIMESTAMP.finditer(b.body)]
    if not stamps:
        return list(bodies)
    offset = int(now) - max(stamps)

    def moved(match: re.Match[bytes]) -> bytes:
        return match.group(1) + str(int(match.group(2)) + offset).encode("ascii")

    return [replace(b, body=_TIMESTAMP.sub(moved, b.body)) for b in bodies]


def _list_elements(text: str) -> list[tuple[Any, str]]:
    """Split the text of a valid JSON array into (value, exact source text) pairs."""
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0) + 1  # past "["
    out: list[tuple[Any, str]] = []
    while True:
        pos = _skip_ws(text, pos)
        if text[pos] == "]":
            return out
        value, end = decoder.raw_decode(text, pos)
        out.append((value, text[pos:end]))
        pos = _skip_ws(text, end)
        if text[pos] == ",":
            pos += 1


def _skip_ws(text: str, pos: int) -> int:
    match = _JSON_WS.match(text, pos)
    return match.end() if match else pos


def _contacts(doc: dict[str, Any]) -> tuple[str, ...]:
    """The customers a webhook body concerns, read as the receiver reads it, in order, once each."""
    return tuple(dict.fromkeys(update.wa_id for update in parse_payload(doc) if update.wa_id))


def group_by_contact(bodies: Sequence[WebhookBody]) -> list[list[int]]:
    """Group the indexes of ``bodies`` so that bodies sharing any contact share a group.

    Groups keep the original order and come ordered by their first index; a body without a
    contact is a group of one.
    """
    parent = list(range(len(bodies)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, body in enumerate(bodies):
        for contact in body.contacts:
            if contact in owner:
                a, b = find(i), find(owner[contact])
                parent[max(a, b)] = min(a, b)
            else:
                owner[contact] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(bodies)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


@dataclass(frozen=True)
class ReplayResult:
    """The outcome of sending one body: HTTP ``status`` (``None`` when no answer came),
    ``latency`` in seconds, and the ``error`` (``None`` on a 2xx answer)."""

    source: str
    status: int | None
    latency: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the receiver answered with a 2xx status."""
        return self.error is None


@dataclass(frozen=True)
class ReplaySummary:
    """What a replay run did: counts by HTTP status (answered requests only), the failures
    and every result in completion order, and nearest-rank latency percentiles in seconds (0 when
    nothing was sent)."""

    total: int
    by_status: dict[int, int]
    failures: tuple[ReplayResult, ...]
    p50: float
    p95: float
    p99: float
    max: float
    results: tuple[ReplayResult, ...] = ()

    @classmethod
    def from_results(cls, results: Sequence[ReplayResult]) -> ReplaySummary:
        """Summarise the per-request outcomes."""
        latencies = sorted(r.latency for r in results)
        statuses = Counter(r.status for r in results if r.status is not None)
        return cls(
            total=len(results),
            by_status=dict(sorted(statuses.items())),
            failures=tuple(r for r in results if not r.ok),
            p50=_percentile(latencies, 50),
            p95=_percentile(latencies, 95),
            p99=_percentile(latencies, 99),
            max=latencies[-1] if latencies else 0.0,
            results=tuple(results),
        )

    @property
    def ok(self) -> bool:
        """True when every request got a 2xx answer."""
        return not self.failures

    def lines(self, max_failures: int = 20) -> list[str]:
        """Render the summary for a terminal, listing at most ``max_failures`` failures."""
        failed = len(self.failures)
        out = [f"Replayed {self.total} webhook(s): {self.total - failed} ok, {failed} failed"]
        codes = [f"{code} x{n}" for code, n in self.by_status.items()]
        no_answer = sum(1 for r in self.failures if r.status is None)
        if no_answer:
            codes.append(f"no answer x{no_answer}")
        out.append("Status: " + (", ".join(codes) or "-"))
        latency = {"p50": self.p50, "p95": self.p95, "p99": self.p99, "max": self.max}
        out.append("Latency ms: " + ", ".join(f"{k} {v * 1000:.1f}" for k, v in latency.items()))
        if failed:
            out.append("Failures:")
            out.extend(f"  {r.source}: {r.error}" for r in self.failures[:max_failures])
            if failed > max_failures:
                out.append(f"  ... and {failed - max_failures} more")
        return out


def _percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values; 0.0 for no values."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


class _Pacer:
    """Spaces request starts at least ``pace`` seconds apart, across all workers."""

    def __init__(self, pace: float) -> None:
        self._pace = pace
        self._lock = threading.Lock()
        self._next: float | None = None

    def wait_turn(self) -> None:
        if self._pace <= 0:
            return
        with self._lock:
            now = _clock()
            if self._next is not None and now < self._next:
                _sleep(self._next - now)
                now = self._next
            self._next = now + self._pace


def _send_one(
    session: requests.Session,
    url: str,
    item: WebhookBody,
    app_secret: str | None,
    timeout: float,
) -> ReplayResult:
    """POST one body; the only place this module touches the network."""
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if app_secret:
        headers[SIGNATURE_HEADER] = sign(item.body, app_secret)
    start = time.perf_counter()
    try:
        response = session.post(
            url, data=item.body, headers=headers, timeout=timeout, allow_redirects=False
        )
    except requests.RequestException as exc:
        latency = time.perf_counter() - start
        logger.debug("replay %s: %s", item.source, type(exc).__name__)
        return ReplayResult(item.source, None, latency, f"{type(exc).__name__}: {exc}")
    latency = time.perf_counter() - start
    status = response.status_code
    logger.debug("replay %s: HTTP %d in %.1f ms", item.source, status, latency * 1000)
    if 200 <= status < 300:
        return ReplayResult(item.source, status, latency)
    text = " ".join(response.text.split())[:_MAX_ERROR_TEXT]
    error = f"HTTP {status}: {text}" if text else f"HTTP {status}"
    return ReplayResult(item.source, status, latency, error)


def replay(
    sources: Sequence[Path] | Sequence[WebhookBody],
    url: str,
    *,
    app_secret: str | None,
    pace: float = 0.0,
    concurrency: int = 1,
    timeout: float = 10,
    progress: Callable[[ReplayResult], None] | None = None,
) -> ReplaySummary:
    """POST webhook files (see :func:`load_webhooks`), or bodies read from them, to ``url``.

    Bodies are signed over their exact bytes when ``app_secret`` is given. With ``concurrency``
    1 they go out strictly in order; with more workers, bodies sharing a contact still do.
    ``pace`` is the minimum time in seconds between two request starts across all workers,
    ``timeout`` the per-request timeout in seconds; ``progress`` is called after each request,
    never from two threads at once.

    Raises:
        PayloadError: A file cannot be read as webhook JSON (nothing is sent then).
        ValueError: ``concurrency`` below 1 or a negative ``pace``.
    """
    loaded = [s for s in sources if isinstance(s, WebhookBody)]
    bodies = loaded or load_webhooks([Path(s) for s in sources if not isinstance(s, WebhookBody)])
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if pace < 0:
        raise ValueError("pace must not be negative")
    http = _pooled_session(concurrency)
    pacer = _Pacer(pace)
    lock = threading.Lock()
    results: list[ReplayResult] = []

    def send_group(indexes: Sequence[int]) -> None:
        for i in indexes:
            pacer.wait_turn()
            result = _send_one(http, url, bodies[i], app_secret, timeout)
            with lock:
                results.append(result)
                if progress is not None:
                    progress(result)

    try:
        if concurrency == 1:
            send_group(range(len(bodies)))
        else:
            with ThreadPoolExecutor(concurrency, thread_name_prefix="replay") as pool:
                futures = [pool.submit(send_group, g) for g in group_by_contact(bodies)]
                for future in futures:
                    future.result()
    finally:
        http.close()
    summary = ReplaySummary.from_results(results)
    logger.info("replayed %d webhook(s), %d failed", summary.total, len(summary.failures))
    return summary


def _pooled_session(concurrency: int) -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max(10, concurrency))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
