"""Sending the outbox through the Cloud API, with the 24-hour window and back-offs respected.

Each pass claims the due head-of-line message of each contact (so one contact's replies keep
their order), checks it once more against WhatsApp's limits and the 24-hour window, and sends
it. The client already retried briefly inside the call; what still fails with a retryable error
is rescheduled durably in the outbox (pair-rate limits 131056 with Meta's 4^n seconds, for that
recipient only), and permanent errors are recorded as failed with Meta's explanation.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot import messages
from bot.client import Sender
from bot.config import mask
from bot.errors import (
    GraphError,
    LimitError,
    PairRateLimitError,
    ReEngagementError,
    WindowClosedError,
)
from storage import outbox
from storage.db import transaction
from storage.models import Contact, OutboxMessage, utcnow

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)
# Message types Meta accepts outside the customer service window.
_OUTSIDE_WINDOW_TYPES = frozenset({"template"})


@dataclass(frozen=True)
class SendReport:
    """What one pass of the sender did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        """Messages taken in this pass."""
        return self.sent + self.retried + self.failed

    def __add__(self, other: SendReport) -> SendReport:
        return SendReport(
            self.sent + other.sent, self.retried + other.retried, self.failed + other.failed
        )


@dataclass(frozen=True)
class _Job:
    id: int
    wa_id: str
    payload: dict[str, Any]
    attempts: int
    last_inbound_at: datetime | None


@dataclass
class OutboxSender:
    """Sends due outbox messages.

    Args:
        engine: The database engine.
        client: A :class:`~bot.client.CloudClient` or :class:`~bot.client.SandboxClient`.
        clock: Returns the current aware UTC time.
        max_attempts: Attempts (each already retried inside the client) before giving up.
        concurrency: Contacts sent to in parallel in one pass.
        rand: Jitter source.
    """

    engine: Engine
    client: Sender
    clock: Callable[[], datetime] = utcnow
    max_attempts: int = 8
    concurrency: int = 1
    rand: Callable[[], float] = random.random
    lease: timedelta = timedelta(seconds=60)

    def send_due(self, wa_ids: Sequence[str] | None = None, *, limit: int = 100) -> SendReport:
        """Send the due head-of-line message of up to ``limit`` contacts, once.

        Args:
            wa_ids: Only these contacts; all when ``None``.
            limit: At most this many messages in this pass.

        Returns:
            Counts of what happened.
        """
        jobs = self._claim(wa_ids, limit)
        if not jobs:
            return SendReport()
        if self.concurrency > 1 and len(jobs) > 1:
            with ThreadPoolExecutor(max_workers=min(self.concurrency, len(jobs))) as pool:
                reports = list(pool.map(self._send_one, jobs))
        else:
            reports = [self._send_one(job) for job in jobs]
        total = SendReport()
        for report in reports:
            total = total + report
        return total

    def drain(self, wa_ids: Sequence[str] | None = None, *, max_passes: int = 1000) -> SendReport:
        """Repeat :meth:`send_due` until nothing is due right now (inline mode, CLI)."""
        total = SendReport()
        for _ in range(max_passes):
            report = self.send_due(wa_ids)
            total = total + report
            if report.sent == 0 and report.claimed == 0:
                break
            if report.sent == 0 and report.failed == 0:
                break  # only back-offs left: they are due later
        return total

    def next_due_in(self) -> float | None:
        """Seconds until the next pending message is due (``None``: nothing pending)."""
        with Session(self.engine) as session:
            due = outbox.next_due_at(session)
        if due is None:
            return None
        due = due if due.tzinfo else due.replace(tzinfo=UTC)
        return max(0.0, (due - self.clock()).total_seconds())

    # -- internals ----------------------------------------------------------------------------

    def _claim(self, wa_ids: Sequence[str] | None, limit: int) -> list[_Job]:
        now = self.clock()
        with transaction(self.engine) as session:
            rows = outbox.claim_due(session, now, limit=limit, lease=self.lease, wa_ids=wa_ids)
            if not rows:
                return []
            wanted = {row.wa_id for row in rows}
            seen = {
                c.wa_id: c.last_inbound_at
                for c in session.exec(select(Contact).where(col(Contact.wa_id).in_(wanted)))
            }
            return [
                _Job(
                    int(row.id or 0),
                    row.wa_id,
                    dict(row.payload),
                    row.attempts,
                    seen.get(row.wa_id),
                )
                for row in rows
            ]

    def _send_one(self, job: _Job) -> SendReport:
        now = self.clock()
        try:
            _check_window(job, now)
            messages.check(job.payload)
            result = self.client.send(job.payload)
        except (WindowClosedError, LimitError, ReEngagementError) as exc:
            return self._fail(job, exc)
        except GraphError as exc:
            if not exc.retryable or job.attempts + 1 >= self.max_attempts:
                return self._fail(job, exc)
            delay = self._delay(job.attempts + 1, exc)
            log.warning(
                "send to %s failed (%s); retry %d in %.0f s",
                mask(job.wa_id),
                exc,
                job.attempts + 1,
                delay,
            )
            with transaction(self.engine) as session:
                outbox.mark_retry(session, job.id, str(exc), now + timedelta(seconds=delay))
            return SendReport(retried=1)
        except Exception as exc:  # a bug in a client: keep the message, try later
            log.exception("unexpected error sending outbox message %s", job.id)
            if job.attempts + 1 >= self.max_attempts:
                return self._fail(job, exc)  # else it would hold up the contact's queue forever
            with transaction(self.engine) as session:
                outbox.mark_retry(session, job.id, repr(exc), now + timedelta(seconds=60))
            return SendReport(retried=1)
        with transaction(self.engine) as session:
            outbox.mark_sent(session, job.id, result.wamid, self.clock())
        return SendReport(sent=1)

    def _fail(self, job: _Job, exc: Exception) -> SendReport:
        log.warning("message %s to %s failed for good: %s", job.id, mask(job.wa_id), exc)
        with transaction(self.engine) as session:
            outbox.mark_failed(session, job.id, f"{type(exc).__name__}: {exc}")
        return SendReport(failed=1)

    def _delay(self, attempt: int, exc: GraphError) -> float:
        if isinstance(exc, PairRateLimitError):
            base = 4.0 ** min(attempt, 5)  # 4, 16, 64, 256, 1024 s: Meta's 4^n advice
        else:
            base = min(2.0**attempt, 300.0)
        return base * (1.0 + 0.25 * self.rand())


def _check_window(job: _Job, now: datetime) -> None:
    if job.payload.get("type") in _OUTSIDE_WINDOW_TYPES:
        return
    last = job.last_inbound_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    if last is None or now - last > WINDOW:
        raise WindowClosedError(
            f"the 24-hour customer service window with {mask(job.wa_id)} is closed "
            f"(last message {'never' if last is None else last.isoformat()}); "
            "only approved templates may be sent"
        )


def outbox_rows(engine: Engine, wa_id: str | None = None) -> list[OutboxMessage]:
    """Outbox rows in creation order (diagnostics and tests)."""
    with Session(engine) as session:
        query = select(OutboxMessage)
        if wa_id is not None:
            query = query.where(OutboxMessage.wa_id == wa_id)
        return list(session.exec(query.order_by(col(OutboxMessage.id))))


__all__ = ["WINDOW", "OutboxSender", "SendReport", "outbox_rows"]
