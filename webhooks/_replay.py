"""Replay recorded Meta webhook POST bodies against a receiver, signed the way Meta signs them.

This module owns the sending side of ``waflow replay``: bodies loaded by
:mod:`webhooks._webhook_files` (exact file bytes, never re-serialised) are POSTed with
``X-Hub-Signature-256`` computed over those bytes, in order (strictly with one worker, per
contact with several), optionally paced, and the run is summarised as status counts, failures and
latency percentiles. Neither bodies nor phone numbers are logged.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from webhooks._webhook_files import WebhookBody, group_by_contact, load_webhooks
from webhooks.signature import SIGNATURE_HEADER, sign

logger = logging.getLogger(__name__)

USER_AGENT = "facebookexternalua"  # what Meta's webhook deliveries announce
_MAX_ERROR_TEXT = 200

# Indirections so tests can replace the clock of the pacer without touching the time module.
_clock: Callable[[], float] = time.monotonic
_sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class ReplayResult:
    """The outcome of sending one body.

    Attributes:
        source: The body's :attr:`WebhookBody.source`.
        status: The HTTP status, ``None`` when no answer came (connection error, timeout).
        latency: Seconds from sending to the full answer (or to the failure).
        error: Why it failed; ``None`` on a 2xx answer.
    """

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
    """What a replay run did.

    Attributes:
        total: How many bodies were sent.
        by_status: HTTP status -> count (requests without an answer are not in it).
        failures: The non-2xx answers and connection errors, in completion order.
        p50: Median latency, seconds (nearest-rank percentiles; 0 when nothing was sent).
        p95: 95th percentile latency, seconds.
        p99: 99th percentile latency, seconds.
        max: Slowest request, seconds.
        results: Every result, in completion order.
    """

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
        """Summarise ``results``.

        Args:
            results: The per-request outcomes.

        Returns:
            The summary.
        """
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
        """Render the summary for a terminal.

        Args:
            max_failures: How many failures to list one by one.

        Returns:
            Lines of text without trailing newlines.
        """
        failed = len(self.failures)
        out = [f"Replayed {self.total} webhook(s): {self.total - failed} ok, {failed} failed"]
        codes = [f"{code} x{n}" for code, n in self.by_status.items()]
        no_answer = sum(1 for r in self.failures if r.status is None)
        if no_answer:
            codes.append(f"no answer x{no_answer}")
        out.append("Status: " + (", ".join(codes) or "-"))
        out.append(
            "Latency ms: "
            + ", ".join(
                f"{name} {value * 1000:.1f}"
                for name, value in (
                    ("p50", self.p50),
                    ("p95", self.p95),
                    ("p99", self.p99),
                    ("max", self.max),
                )
            )
        )
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


def replay_bodies(
    bodies: Sequence[WebhookBody],
    url: str,
    *,
    app_secret: str | None,
    pace: float = 0.0,
    concurrency: int = 1,
    timeout: float = 10,
    session: requests.Session | None = None,
    progress: Callable[[ReplayResult], None] | None = None,
) -> ReplaySummary:
    """Send already loaded bodies to ``url``; see :func:`replay`.

    Args:
        bodies: The bodies, from :func:`load_webhooks`.
        url: The webhook URL of the receiver.
        app_secret: Key of ``X-Hub-Signature-256``; ``None`` or empty sends unsigned.
        pace: Minimum seconds between the starts of two requests (across all workers).
        concurrency: Parallel workers; 1 keeps the exact file order, more keep order per contact.
        timeout: Per-request timeout, seconds.
        session: A ``requests.Session`` to use; a pooled one is made (and closed) otherwise.
        progress: Called after each request with its result, never from two threads at once.

    Returns:
        The summary of the run.

    Raises:
        ValueError: ``concurrency`` below 1 or a negative ``pace``.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if pace < 0:
        raise ValueError("pace must not be negative")
    own_session = session is None
    http = session if session is not None else _pooled_session(concurrency)
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
        if own_session:
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


def replay(
    files: Sequence[Path],
    url: str,
    *,
    app_secret: str | None,
    pace: float = 0.0,
    concurrency: int = 1,
    timeout: float = 10,
    session: requests.Session | None = None,
    progress: Callable[[ReplayResult], None] | None = None,
) -> ReplaySummary:
    """Replay Meta-shaped webhook files against a receiver.

    Every body is sent as the exact bytes found in its file, with ``X-Hub-Signature-256``
    computed over those bytes when ``app_secret`` is given. With ``concurrency`` 1 the bodies go
    out strictly in order; with more workers, bodies that share a contact (``messages[].from``
    or ``statuses[].recipient_id``) still go out in order, one after the other.

    Args:
        files: Files (one body, or a JSON list of bodies) and directories (their ``*.json``).
        url: The webhook URL of the receiver.
        app_secret: Key of the signature; ``None`` sends unsigned requests.
        pace: Minimum seconds between the starts of two requests.
        concurrency: Parallel workers.
        timeout: Per-request timeout, seconds.
        session: A ``requests.Session`` to use.
        progress: Called after each request with its :class:`ReplayResult`.

    Returns:
        The summary: total, counts by status, failures and latency percentiles.

    Raises:
        PayloadError: A file cannot be read as webhook JSON (nothing is sent then).
        ValueError: ``concurrency`` below 1 or a negative ``pace``.
    """
    return replay_bodies(
        load_webhooks(files),
        url,
        app_secret=app_secret,
        pace=pace,
        concurrency=concurrency,
        timeout=timeout,
        session=session,
        progress=progress,
    )


__all__ = [
    "ReplayResult",
    "ReplaySummary",
    "WebhookBody",
    "group_by_contact",
    "load_webhooks",
    "replay",
    "replay_bodies",
]
