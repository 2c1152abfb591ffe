"""Prometheus metrics: what each process counts, and what the database says is waiting.

Built on ``prometheus_client``. Two kinds of numbers:

- **Counted by the process that did the work**: turn latency (:data:`TURN_SECONDS`), Cloud API
  call latency (:data:`SEND_SECONDS`), send errors by Graph code (:data:`SEND_ERRORS`), what
  became of each claimed message (:data:`SENDS`: sent, retried, failed, deferred, held) and
  webhook answers by status (:data:`WEBHOOK_RESPONSES`). They live in ``prometheus_client``'s
  default registry. Under a server with several worker processes (gunicorn ``-w``), set
  ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory before the server starts: every process
  then writes its values to files there and any worker's ``/metrics`` answers the sum
  (``prometheus_client``'s multiprocess mode). Without it each worker answers its own counts,
  whichever the scrape reaches.
- **Read from the database at scrape time** (:class:`BacklogCollector`): the inbox's and
  outbox's backlog and how late the oldest item is, one read query per table that never takes
  the write lock, so every worker answers the same.

The calls on the hot path (:func:`turns_done`, :class:`timed_send`, :func:`sends_done`) only
update label children resolved here once; their cost is measured in ``bench/metrics_overhead.py``.
No label ever carries a phone number: labels are outcomes, states, HTTP statuses and Graph codes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import GraphError, TransportError
from storage.backlog import Backlog, read_backlog
from storage.db import read_connection
from storage.models import utcnow

if TYPE_CHECKING:
    from bot.processing import Processed
    from bot.sending import SendReport

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
"""The environment variable that switches ``prometheus_client`` to multiprocess mode."""

if _multiproc_dir := os.environ.get(MULTIPROC_VARIABLE, "").strip():
    # prometheus_client writes its files there from the first metric below on: a directory
    # that does not exist yet would stop every waflow process at import.
    os.makedirs(_multiproc_dir, exist_ok=True)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

TURN_SECONDS = Histogram(
    "waflow_turn_seconds",
    "Seconds from the start of a turn's transaction to its commit, by outcome (done: the "
    "update was handled; failed: the handler raised and the customer got the apology). Turns "
    "sharing one transaction (group commit) each observe the shared duration.",
    ["outcome"],
    buckets=_LATENCY_BUCKETS,
)
SEND_SECONDS = Histogram(
    "waflow_send_seconds",
    "Seconds one Cloud API send call took (the client's in-call retries included), by result.",
    ["result"],
    buckets=_LATENCY_BUCKETS,
)
SEND_ERRORS = Counter(
    "waflow_send_errors",
    "Cloud API send calls that failed, by Graph error code ('transport': no usable answer; "
    "'http': an error without a Graph code; 'unexpected': a bug in a client).",
    ["code"],
)
SENDS = Counter(
    "waflow_sends",
    "Outbox messages claimed by a sender, by what became of them: sent; retried (rescheduled "
    "after a passing error); failed (given up); held (window closed, kept until the customer "
    "writes); deferred (not attempted: lease ran out, or sending paused).",
    ["outcome"],
)
WEBHOOK_RESPONSES = Counter(
    "waflow_webhook_responses",
    "Answers of the webhook endpoint (GET: Meta's handshake; POST: deliveries), by HTTP status.",
    ["method", "status"],
)

_TURN_DONE = TURN_SECONDS.labels("done")
_TURN_FAILED = TURN_SECONDS.labels("failed")
_SEND_OK = SEND_SECONDS.labels("ok")
_SEND_ERROR = SEND_SECONDS.labels("error")
_OUTCOMES = ("sent", "retried", "failed", "deferred", "held")
_SENDS = {outcome: SENDS.labels(outcome) for outcome in _OUTCOMES}


def turns_done(results: Iterable[Processed | None], started: float) -> None:
    """Observe the turns that one transaction committed (``None``: nothing was due).

    Args:
        results: The turns' outcomes.
        started: :func:`time.perf_counter` when the transaction began.
    """
    elapsed = time.perf_counter() - started
    for result in results:
        if result is not None:
            (_TURN_DONE if result.ok else _TURN_FAILED).observe(elapsed)


class timed_send:
    """Time one Cloud API send call; count its error by Graph code if it raises.

    The exception is never swallowed.
    """

    __slots__ = ("_started",)

    def __enter__(self) -> None:
        self._started = time.perf_counter()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        elapsed = time.perf_counter() - self._started
        if exc is None:
            _SEND_OK.observe(elapsed)
            return
        _SEND_ERROR.observe(elapsed)
        SEND_ERRORS.labels(error_code(exc)).inc()


def error_code(exc: BaseException) -> str:
    """The ``code`` label of a failed send: the Graph code, or what kind of failure it was."""
    if isinstance(exc, GraphError):
        if exc.code is not None:
            return str(exc.code)
        return "transport" if isinstance(exc, TransportError) else "http"
    return "unexpected"


def sends_done(report: SendReport) -> None:
    """Count what became of the messages of one sender pass."""
    for outcome in _OUTCOMES:
        count = getattr(report, outcome)
        if count:
            _SENDS[outcome].inc(count)


def webhook_answered(method: str, status: int) -> None:
    """Count one answer of the webhook endpoint."""
    WEBHOOK_RESPONSES.labels(method, str(status)).inc()


class BacklogCollector(Collector):
    """Gauges of the inbox's and outbox's backlog, read from the database at every scrape.

    Every process reads the same rows, so any worker answers the same numbers. If the read
    fails, ``waflow_database_up`` is 0 and the backlog gauges are left out (a scrape never
    fails because of the database).

    Args:
        engine: The database engine.
        clock: Returns the current aware UTC time (tests pass a fake one).
    """

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        """Read the backlog and yield it as gauges."""
        up = GaugeMetricFamily(
            "waflow_database_up", "1 when the database answered the backlog read, else 0."
        )
        try:
            with read_connection(self.engine) as conn:
                backlog = read_backlog(conn, self.clock())
        except SQLAlchemyError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from _backlog_gauges(backlog)


def _backlog_gauges(backlog: Backlog) -> Iterator[Metric]:
    inbox = GaugeMetricFamily(
        "waflow_inbox_updates",
        "Inbound updates waiting to be processed (pending) or given up (failed).",
        labels=["state"],
    )
    for state, count in backlog.inbox.items():
        inbox.add_metric([state], count)
    yield inbox
    yield GaugeMetricFamily(
        "waflow_inbox_oldest_pending_seconds",
        "Seconds since the oldest pending inbound update arrived (0 when none is pending).",
        value=backlog.inbox_age,
    )
    outbox = GaugeMetricFamily(
        "waflow_outbox_messages",
        "Outbound messages by state: pending (to send), held (until the customer writes "
        "again), failed (given up), suppressed (marketing to a customer who opted out).",
        labels=["state"],
    )
    for state, count in backlog.outbox.items():
        outbox.add_metric([state], count)
    yield outbox
    yield GaugeMetricFamily(
        "waflow_outbox_oldest_due_seconds",
        "Seconds since the earliest pending outbound message became due (0 when none is late): "
        "how far the sender is behind.",
        value=backlog.outbox_overdue,
    )


def multiprocess() -> bool:
    """Whether ``prometheus_client`` runs in multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``)."""
    return bool(os.environ.get(MULTIPROC_VARIABLE))


def exposition(engine: Engine, clock: Callable[[], datetime] = utcnow) -> tuple[bytes, str]:
    """Render every metric in Prometheus' text format, with the database's backlog.

    In multiprocess mode the per-process metrics are summed over every process's files;
    otherwise they are this process's (with the default registry's process and platform
    collectors, and any metric an application registered there).

    Returns:
        The body and its content type.
    """
    registry = CollectorRegistry(auto_describe=True)
    if multiprocess():
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Default())
    registry.register(BacklogCollector(engine, clock))
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _Default(Collector):
    """The default registry's metrics, re-collected into a per-scrape registry."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


__all__ = [
    "MULTIPROC_VARIABLE",
    "SENDS",
    "SEND_ERRORS",
    "SEND_SECONDS",
    "TURN_SECONDS",
    "WEBHOOK_RESPONSES",
    "BacklogCollector",
    "error_code",
    "exposition",
    "multiprocess",
    "sends_done",
    "timed_send",
    "turns_done",
    "webhook_answered",
]
