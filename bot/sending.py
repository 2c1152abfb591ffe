"""Sending the outbox through the Cloud API, with the 24-hour window and back-offs respected.

Each pass claims the due head-of-line message of a few contacts, checks each against the 24-hour
window (limits were checked before storing, :mod:`bot._limits`), sends them, and records every
outcome in one transaction, each only while the claim's lease is still its own. What still fails
with a retryable error after the client's own retries is rescheduled durably (131056 with Meta's
4^n seconds) until the message is too old to send; permanent errors are recorded as failed.
Errors about the whole account (:func:`bot._graph_errors.stops_sending`) fail nothing: the sender
pauses and the messages wait.

A free-form message that finds the window closed (the sender's own check, or 131047 from Meta)
does what its sender declared (:func:`storage.outbox.enqueue`'s ``fallback``): its fallback
template is sent in its place, said so in ``last_error``; or it is stored ``held`` until the
customer next writes; without a fallback (a reply in a conversation) it fails.

The read receipts of customer messages (the outbox's read lane,
:func:`storage.outbox.take_receipts`) are taken in the same transaction as each claim and handed
to threads of their own, so a pass never waits for them: best effort, sent once, never retried,
a failure only logged. One whose contact's reply started going out meanwhile loses its typing
indicator (it would outlast the reply); one found stale is dropped.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from bot import metrics
from bot._graph_errors import stops_sending
from bot._ratelimit import Backoff
from bot.client import Sender
from bot.config import mask
from bot.errors import (
    GraphError,
    PairRateLimitError,
    ReEngagementError,
    WindowClosedError,
)
from storage import outbox, senders
from storage.db import is_transient_error, read_session, transaction
from storage.models import OutboxMessage, utcnow
from storage.outbox import Claimed, Outcome, Receipt

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)
# Durable re-sends: 2, 4, 8 … 300 s; 131056 for one recipient: Meta's 4^n, 4, 16 … 1024 s.
# Jitter adds up to a quarter and may pass the cap: these waits are minutes, not an in-call sleep.
_BACKOFF = Backoff(2.0, 300.0, jitter=0.25, lengthen_only=True, hard_cap=False)
_PAIR_BACKOFF = Backoff(4.0, 1024.0, 4.0, jitter=0.25, lengthen_only=True, hard_cap=False)
_REPLIED_KEPT = 4096
"""Contacts remembered as just sent to before the ones older than a receipt's life are forgotten."""
# Message types Meta accepts outside the customer service window.
_OUTSIDE_WINDOW_TYPES = frozenset({"template"})


@dataclass(frozen=True)
class SendReport:
    """What one pass of the sender did.

    Attributes:
        sent: Accepted by Meta.
        retried: Failed for now; rescheduled with a back-off.
        failed: Given up for good.
        deferred: Not attempted or not counted: the claim's lease ran out before its turn, or
            sending is paused after an error about the whole account.
        more: Something is already due again: more heads were due than one claim takes, or a
            contact just sent to (or given up on) has further messages queued.
        held: Found the window closed and held until the customer next writes.
    """

    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    more: bool = False
    held: int = 0

    @property
    def claimed(self) -> int:
        """Messages taken in this pass."""
        return self.sent + self.retried + self.failed + self.deferred + self.held

    def __add__(self, other: SendReport) -> SendReport:
        return SendReport(
            self.sent + other.sent,
            self.retried + other.retried,
            self.failed + other.failed,
            self.deferred + other.deferred,
            self.more or other.more,
            self.held + other.held,
        )


_Result = tuple[str, Outcome | None]
"""What became of one job (sent, retried, failed, deferred or held) and what to record for it."""


@dataclass
class OutboxSender:
    """Sends due outbox messages.

    Args:
        engine: The database engine.
        client: A :class:`~bot.client.CloudClient` or :class:`~bot.client.SandboxClient`.
        clock: Returns the current aware UTC time.
        max_attempts: Attempts before giving up on a message whose send raised something that
            is not a :class:`~bot.errors.GraphError` (a bug in a client). Graph errors that are
            worth retrying are retried until ``max_age`` or the window closes instead.
        concurrency: Contacts sent to in parallel; also the size of one claim.
        rand: Jitter source.
        lease: How long a claim holds; longer than the client's slowest call (timeouts and
            in-call retries included), or another sender may send the message again.
        max_age: A message still unsent this long after it was queued is given up (templates;
            a free-form message is given up when the customer's window closes, if earlier).
        pause: How long to stop sending after an error about the whole account.
        doubt: How long a marketing message whose send was cut off (its sender died) waits
            for its status webhook before it is sent again (:func:`storage.outbox.claim`).
        stale: A read receipt older than this is dropped, not sent (the typing indicator
            lasts 25 s).
        owner: The token of this process's :class:`~storage.models.SenderProcess` row, which
            the runtime keeps alive (:mod:`storage.senders`): its claims are taken over as soon
            as it is gone. ``None`` (inline mode, the CLI): only the lease's end frees a claim.
        owner_stale: Another sender whose heartbeat is older than this is gone.
    """

    engine: Engine
    client: Sender
    clock: Callable[[], datetime] = utcnow
    max_attempts: int = 8
    concurrency: int = 1
    rand: Callable[[], float] = random.random
    lease: timedelta = timedelta(seconds=120)
    max_age: timedelta = timedelta(hours=24)
    pause: timedelta = timedelta(minutes=5)
    doubt: timedelta = outbox.DOUBT
    stale: timedelta = outbox.RECEIPT_STALE
    owner: str | None = None
    owner_stale: timedelta = senders.STALE
    _paused_until: datetime | None = field(default=None, init=False, repr=False)
    _pool: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)
    _read_pool: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)
    _replied: dict[str, datetime] = field(default_factory=dict, init=False, repr=False)
    _unrecorded: list[Outcome] = field(default_factory=list, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def batch(self) -> int:
        """How many messages one pass claims: as many as it sends at once."""
        return max(1, self.concurrency)

    def drain(
        self,
        wa_ids: Sequence[str] | None = None,
        *,
        max_passes: int = 1000,
        limit: int | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> SendReport:
        """Send passes until nothing is due right now (inline mode, CLI, the sender thread).

        Each pass sends the due head-of-line message of up to ``limit`` contacts and records the
        outcomes of the pass before in the same transaction as its claim. Outcomes the database
        refused to record for a passing reason (locked, full) are kept and recorded first by the
        next call, so that their messages are not sent again when their lease runs out.

        Args:
            wa_ids: Only these contacts; all when ``None``.
            max_passes: Stop after this many passes even if more is due.
            limit: At most this many messages per pass; :attr:`batch` by default. A large
                claim sent ``concurrency`` at a time may outlive its lease.
            stop: Checked before each pass: ``True`` ends the drain (the last pass's outcomes
                are recorded; nothing more is claimed).
        """
        limit = self.batch if limit is None else limit
        total = SendReport()
        with self._lock:  # what a pass before could not record (the database refused)
            unrecorded, self._unrecorded = self._unrecorded, []
        try:
            for _ in range(max_passes):
                if self.paused_for() > 0 or (stop is not None and stop()):
                    break
                jobs, more_due, receipts = self._record_and_claim(unrecorded, wa_ids, limit)
                unrecorded = []
                if receipts:
                    self._send_receipts(receipts)  # not waited for
                if not jobs:
                    total = total + SendReport(more=more_due)
                    break
                if self.concurrency > 1 and len(jobs) > 1:
                    results = list(self._executor().map(self._attempt, jobs))
                else:
                    results = [self._attempt(job) for job in jobs]
                unrecorded = [outcome for _, outcome in results if outcome is not None]
                report = _report(jobs, results, more_due=more_due)
                metrics.sends_done(report)
                total = replace(total + report, more=report.more)
                if not report.more:
                    break
        finally:
            if unrecorded:
                try:
                    self._record_and_claim(unrecorded, wa_ids, 0)
                except SQLAlchemyError as exc:
                    if is_transient_error(exc):  # kept for the next pass, not sent again
                        with self._lock:
                            self._unrecorded = unrecorded + self._unrecorded
                    raise
        return total

    def next_due_in(self) -> float | None:
        """Seconds until the next head-of-line message is due (``None``: nothing pending).

        A read: on SQLite it never waits for the write lock. While sending is paused, nothing
        is due before the pause ends.
        """
        with read_session(self.engine) as session:
            due = outbox.next_due_at(session)
        if due is None:
            return None
        return max(0.0, (due - self.clock()).total_seconds(), self.paused_for())

    def paused_for(self) -> float:
        """Seconds left of a pause after an error about the whole account (0: not paused)."""
        until = self._paused_until
        return 0.0 if until is None else max(0.0, (until - self.clock()).total_seconds())

    def close(self, *, wait: bool = True) -> None:
        """Stop the sending threads once the read receipts handed to them are sent (a later
        pass starts new ones); ``wait=False`` returns at once, leaving a call that hangs to end
        by itself."""
        with self._lock:
            pools = [self._pool, self._read_pool]
            self._pool = self._read_pool = None
        for pool in pools:
            if pool is not None:
                pool.shutdown(wait=wait)

    # -- internals ----------------------------------------------------------------------------

    def _record_and_claim(
        self, outcomes: Sequence[Outcome], wa_ids: Sequence[str] | None, limit: int
    ) -> tuple[list[Claimed], bool, list[Receipt]]:
        """Record the last pass's outcomes and claim the next pass, in one transaction.

        A pass over every contact (``wa_ids`` is ``None``) also takes the read receipts due.
        """
        now = self.clock()
        with transaction(self.engine) as session:
            if outcomes:
                kept = outbox.record_outcomes(session, outcomes)
                if kept < len(outcomes):
                    log.warning(
                        "%d outcome(s) not recorded: the lease ran out and another sender took "
                        "the message(s) over (they may have been sent twice)",
                        len(outcomes) - kept,
                    )
            if limit <= 0:
                return [], False, []
            taken = outbox.claim(
                session,
                now,
                limit=limit,
                lease=self.lease,
                wa_ids=wa_ids,
                doubt=self.doubt,
                owner=self.owner,
                stale=self.owner_stale,
            )
            receipts = (
                outbox.take_receipts(session, now, stale=self.stale) if wa_ids is None else []
            )
            return taken.rows, taken.more_due, receipts

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self.batch, thread_name_prefix="waflow-sendpool"
                )
            return self._pool

    def _send_receipts(self, receipts: Sequence[Receipt]) -> None:
        with self._lock:
            if self._read_pool is None:
                self._read_pool = ThreadPoolExecutor(
                    max_workers=self.batch, thread_name_prefix="waflow-readpool"
                )
            pool = self._read_pool
        for receipt in receipts:
            pool.submit(self._mark_read, receipt)

    def _mark_read(self, receipt: Receipt) -> None:
        """Send one read receipt; best effort: a failure is logged, never retried."""
        if self.clock() - receipt.created_at > self.stale:
            log.debug("read receipt for %s dropped: stale", mask(receipt.wa_id))
            return
        with self._lock:
            replied = self._replied.get(receipt.wa_id)
        # Its typing indicator would reach Meta after the reply and outlast it.
        typing = receipt.typing and (replied is None or replied < receipt.created_at)
        try:
            self.client.mark_read(receipt.message_id, typing=typing)
        except Exception as exc:
            log.info("read receipt for %s not sent: %s", mask(receipt.wa_id), exc)

    def _note_reply(self, wa_id: str, now: datetime) -> None:
        """Remember that a message to ``wa_id`` starts going out (for :meth:`_mark_read`)."""
        with self._lock:
            self._replied[wa_id] = now
            if len(self._replied) > _REPLIED_KEPT:
                cutoff = now - self.stale
                self._replied = {w: t for w, t in self._replied.items() if t >= cutoff}

    def _attempt(self, job: Claimed) -> _Result:
        """Send one claimed message; say what became of it and what to record."""
        now = self.clock()
        if now >= job.leased_until:
            # Another sender may own it by now; it is due again for whoever claims it next.
            log.warning("claim on message %s ran out before its turn; left for a new claim", job.id)
            return "deferred", None
        paused = self._paused_until
        if paused is not None and now < paused:
            held = Outcome(
                job.id, job.lease, "pending", next_attempt_at=paused, count_attempt=False
            )
            return "deferred", held
        try:
            _check_window(job, now)
            self._note_reply(job.wa_id, now)
            with metrics.timed_send():
                result = self.client.send(_with_callback_data(job))
        except (WindowClosedError, ReEngagementError) as exc:
            return self._window_closed(job, exc)
        except GraphError as exc:
            if stops_sending(exc):
                return self._pause(job, exc, now)
            if not exc.retryable:
                return self._fail(job, exc)
            rule = _PAIR_BACKOFF if isinstance(exc, PairRateLimitError) else _BACKOFF
            at = now + timedelta(seconds=rule.delay(job.attempts + 1, self.rand()))
            return self._retry(job, exc, now, at)
        except Exception as exc:  # a bug in a client: keep the message, try later
            log.exception("unexpected error sending outbox message %s", job.id)
            if job.attempts + 1 >= self.max_attempts:
                return self._fail(job, exc)  # else it would hold up the contact's queue forever
            return self._retry(job, exc, now, now + timedelta(seconds=60))
        sent = Outcome(job.id, job.lease, "sent", wamid=result.wamid, sent_at=self.clock())
        return "sent", sent

    def _window_closed(self, job: Claimed, exc: Exception) -> _Result:
        """Do what the message's sender declared for a closed window: fallback, hold or fail."""
        fallback = job.fallback
        if isinstance(fallback, dict):
            name = outbox.template_name(fallback)
            log.info(
                "message %s to %s: window closed; sending template %s instead",
                job.id,
                mask(job.wa_id),
                name,
            )
            kind, outcome = self._attempt(replace(job, payload=fallback, fallback=None))
            if outcome is None:
                return kind, None
            note = f"{type(exc).__name__}: window closed; sent as template {name} instead"
            error = note if outcome.error is None else f"{outcome.error} ({note})"
            return kind, replace(outcome, error=error, payload=fallback)
        if fallback == outbox.HOLD:
            log.info(
                "message %s to %s held until the customer next writes: window closed",
                job.id,
                mask(job.wa_id),
            )
            note = f"{outbox.HELD} ({type(exc).__name__})"
            return "held", Outcome(job.id, job.lease, "held", error=note, count_attempt=False)
        return self._fail(job, exc)

    def _retry(self, job: Claimed, exc: Exception, now: datetime, at: datetime) -> _Result:
        deadline = self._deadline(job)
        if at >= deadline and job.fallback is not None and self._window_ends_first(job):
            return self._window_closed(job, exc)
        if at >= deadline:
            log.warning(
                "message %s to %s given up: still failing and too old to send after %s",
                job.id,
                mask(job.wa_id),
                deadline.isoformat(),
            )
            return self._fail(job, exc)
        log.warning(
            "send to %s failed (%s); retry %d in %.0f s",
            mask(job.wa_id),
            exc,
            job.attempts + 1,
            (at - now).total_seconds(),
        )
        error = str(exc) if isinstance(exc, GraphError) else repr(exc)
        return "retried", Outcome(job.id, job.lease, "pending", error=error, next_attempt_at=at)

    def _deadline(self, job: Claimed) -> datetime:
        """When the message stops being worth sending: its age, or its window closing."""
        deadline = self._aged(job)
        if job.payload.get("type") not in _OUTSIDE_WINDOW_TYPES and job.last_inbound_at:
            deadline = min(deadline, job.last_inbound_at + WINDOW)
        return deadline

    def _aged(self, job: Claimed) -> datetime:
        """``max_age`` after it was queued; one held, after the customer's message released it."""
        start = job.created_at
        if job.fallback is not None and job.last_inbound_at is not None:
            start = max(start, job.last_inbound_at)
        return start + self.max_age

    def _window_ends_first(self, job: Claimed) -> bool:
        """Whether the window closing, not the message's age, sets its deadline."""
        return self._deadline(job) < self._aged(job)

    def _pause(self, job: Claimed, exc: GraphError, now: datetime) -> _Result:
        with self._lock:
            current = self._paused_until
            already = current is not None and now < current
            until = current if current is not None and already else now + self.pause
            self._paused_until = until
        if not already:
            log.error(
                "Meta refused the account, not just one message (%s: %s); sending paused for "
                "%.0f s, queued messages wait. Check the access token, permissions and the "
                "WhatsApp Business Account's status.",
                type(exc).__name__,
                exc,
                self.pause.total_seconds(),
            )
        error = f"{type(exc).__name__}: {exc}"
        return "deferred", Outcome(job.id, job.lease, "pending", error=error, next_attempt_at=until)

    def _fail(self, job: Claimed, exc: Exception) -> _Result:
        log.warning("message %s to %s failed for good: %s", job.id, mask(job.wa_id), exc)
        return "failed", Outcome(job.id, job.lease, "failed", error=f"{type(exc).__name__}: {exc}")


def _report(jobs: Sequence[Claimed], results: Sequence[_Result], *, more_due: bool) -> SendReport:
    counts = dict.fromkeys(("sent", "retried", "failed", "deferred", "held"), 0)
    more = more_due
    for job, (kind, _outcome) in zip(jobs, results, strict=True):
        counts[kind] += 1
        if kind in ("sent", "failed", "held") and job.more:
            more = True  # the contact's next message is due now
    return SendReport(
        counts["sent"],
        counts["retried"],
        counts["failed"],
        counts["deferred"],
        more,
        counts["held"],
    )


def _with_callback_data(job: Claimed) -> dict[str, Any]:
    """A marketing message's payload naming its outbox row, for reconciliation by status."""
    if job.category != "marketing" or "biz_opaque_callback_data" in job.payload:
        return job.payload
    return {**job.payload, "biz_opaque_callback_data": outbox.callback_data(job.id)}


def _check_window(job: Claimed, now: datetime) -> None:
    if job.payload.get("type") in _OUTSIDE_WINDOW_TYPES:
        return
    last = job.last_inbound_at
    if last is None or now - last > WINDOW:
        raise WindowClosedError(
            f"the 24-hour customer service window with {mask(job.wa_id)} is closed "
            f"(last message {'never' if last is None else last.isoformat()}); "
            "only approved templates may be sent"
        )


def outbox_rows(engine: Engine, wa_id: str | None = None) -> list[OutboxMessage]:
    """Outbox rows in creation order (diagnostics and tests)."""
    with read_session(engine) as session:
        query = select(OutboxMessage)
        if wa_id is not None:
            query = query.where(OutboxMessage.wa_id == wa_id)
        return list(session.exec(query.order_by(col(OutboxMessage.id))))


__all__ = ["WINDOW", "OutboxSender", "SendReport", "outbox_rows"]
