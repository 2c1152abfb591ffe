"""The runtime: accept webhook bodies, then process and send, inline or in the background.

*Inline* mode processes and sends inside :meth:`Runtime.accept` (tests, the terminal chat).
*Background* mode returns once the updates are committed; worker threads then process each
contact's updates in order (:mod:`bot._contact_queue`), a sender thread drains the outbox, and a
sweeper picks up whatever is pending at start-up or was stored by another process, so a crash
loses nothing acknowledged. A heartbeat thread keeps this process's sender registered
(:mod:`storage.senders`): when a process dies, its restart (or a live process) on the same host
takes its claims over at once, a process of another host once its heartbeat is 10 s old. :meth:`Runtime.stop` is the graceful shutdown: turns in progress finish and
their replies are sent, in-flight sends are recorded, the rest stays pending. Background mode
needs a database several threads can share, so :meth:`Runtime.start` refuses in-memory SQLite
(``sqlite://``). See ``docs/architecture.md``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot._contact_queue import ContactQueue
from bot.client import Sender
from bot.config import ReadReceipts
from bot.errors import ConfigError
from bot.processing import IngestResult, Processor
from bot.sending import OutboxSender, SendReport
from bot.turn import Handler, UpdateListener
from storage import inbox, senders
from storage.db import is_shared_memory, read_session, transaction
from storage.models import utcnow

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Ties the inbox, the conversation handler and the outbox sender together.

    Args:
        engine: The database engine (schema already created).
        handler: The conversation logic.
        client: Sends messages (Cloud API or sandbox).
        inline: Process and send synchronously inside :meth:`accept`.
        workers: Processing threads in background mode; by default 1 on SQLite, whose single
            write lock admits one turn at a time anyway, and 4 on PostgreSQL.
        batch: Contacts a worker takes at once, one update of each in one transaction (group
            commit); 1 gives every turn its own transaction.
        send_concurrency: Contacts sent to in parallel by the sender.
        sweep_interval: Seconds between scans for pending work in background mode.
        clock: Returns the current aware UTC time.
        listeners: Act on stored updates that are not customer messages (see
            :class:`~bot.turn.UpdateListener`).
        tasks: Periodic work (``task(now)``, returning whether it queued messages), run by the
            sweeper every ``task_interval`` seconds in background mode: the features' timers.
        task_interval: Seconds between runs of ``tasks``.
        heartbeat_interval: Seconds between this process's sender heartbeats in background
            mode (:mod:`storage.senders`).
        read_receipts: In background mode, mark each customer message read as it is stored,
            with the typing indicator while its turn runs (``typing``), without it (``read``),
            or not at all (``off``); see :attr:`bot.config.Config.read_receipts`. Inline mode
            sends none: its reply goes out in the same call.
    """

    engine: Engine
    handler: Handler
    client: Sender
    inline: bool = False
    workers: int | None = None
    batch: int = 8
    send_concurrency: int = 4
    sweep_interval: float = 2.0
    clock: Callable[[], datetime] = utcnow
    listeners: Sequence[UpdateListener] = ()
    tasks: Sequence[Callable[[datetime], bool]] = ()
    task_interval: float = 60.0
    read_receipts: ReadReceipts = "typing"
    heartbeat_interval: float = senders.HEARTBEAT
    processor: Processor = field(init=False)
    sender: OutboxSender = field(init=False)
    _queue: ContactQueue = field(
        default_factory=lambda: ContactQueue(closed=True), init=False, repr=False
    )
    _wake_sender: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _stop_sending: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _stop_beating: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _threads: list[threading.Thread] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self.processor = Processor(
            self.engine,
            self.handler,
            clock=self.clock,
            listeners=self.listeners,
            read_receipts="off" if self.inline else self.read_receipts,
        )
        self.sender = OutboxSender(
            self.engine, self.client, clock=self.clock, concurrency=self.send_concurrency
        )

    @property
    def worker_count(self) -> int:
        """The processing threads background mode runs (see ``workers``)."""
        if self.workers is not None:
            return max(1, self.workers)
        return 1 if self.engine.dialect.name == "sqlite" else 4

    # -- the webhook's entry point ------------------------------------------------------------

    def accept(self, payload: object) -> IngestResult:
        """Store a webhook body durably, then hand its contacts to processing.

        Returns after the commit in background mode; after processing and sending in inline
        mode. Raises when the body could not be stored: ``SQLAlchemyError`` for a passing
        failure (the webhook answers 500 and Meta delivers it again), or
        :class:`~bot.processing.Unstorable` (the webhook keeps it in the quarantine).
        """
        result = self.processor.ingest(payload)
        if result.contacts:
            self.notify(result.contacts)
        if result.receipts:
            self._wake_sender.set()  # the read receipts queued with the messages
        return result

    def notify(self, contacts: Iterable[str | None]) -> None:
        """Tell the runtime these contacts have new pending updates."""
        if self.inline:
            self.run_inline(contacts)
            return
        # A closed queue (not started, or stopping) refuses: the update is stored, the webhook
        # still answers 200, and the sweeper finds it after the next start().
        for wa_id in contacts:
            self._queue.put(wa_id)

    def wake_sender(self) -> None:
        """Send what became due outside a turn (a payment webhook, a CLI status update).

        Inline mode sends at once; background mode wakes the sender thread.
        """
        if self.inline:
            self.sender.drain()
        else:
            self._wake_sender.set()

    def run_inline(self, contacts: Iterable[str | None]) -> SendReport:
        """Process the contacts' pending updates and send their replies, synchronously."""
        touched: list[str] = []
        for wa_id in contacts:
            if self.processor.process_contact(wa_id) and wa_id is not None:
                touched.append(wa_id)
        return self.sender.drain(touched) if touched else SendReport()

    # -- background mode ----------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker, sweeper and sender threads (background mode).

        Raises:
            ConfigError: The database is an in-memory SQLite database, whose single shared
                connection cannot serve several threads at once.
        """
        if self.inline or self._threads:
            return
        if is_shared_memory(self.engine):
            raise ConfigError(
                "DATABASE_URL is an in-memory SQLite database (sqlite://): it cannot serve the "
                "background worker threads. Use a file, e.g. sqlite:///waflow.db, or "
                "PostgreSQL; in-memory databases only work in inline mode."
            )
        self._stopping.clear()
        self._stop_sending.clear()
        self._stop_beating.clear()
        self._register()
        self._queue.open()
        workers = self.worker_count
        loops = [(f"waflow-work-{n}", self._work_loop) for n in range(workers)]
        loops += [
            ("waflow-sweep", self._sweep_loop),
            ("waflow-send", self._send_loop),
            ("waflow-heartbeat", self._beat_loop),
        ]
        for name, target in loops:
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        log.info("runtime started: %d workers", workers)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop gracefully within about ``timeout`` seconds (safe to call twice).

        Nothing new is taken; the turns in progress finish and their replies are sent; the
        sends in flight finish and are recorded; then this process's sender is unregistered,
        so anything it still claims is free at once. Not while a send still runs past the
        timeout (a Cloud API call that hangs): that claim stays this process's until it is found
        dead, or its lease ends. Updates and replies stored meanwhile stay pending; the next
        :meth:`start` (or another process) handles them.
        """
        if not self._threads:
            return
        deadline = time.monotonic() + timeout
        self._stopping.set()
        self._queue.close()
        self._wake_sender.set()
        self._join("waflow-work", "waflow-sweep", deadline=deadline)
        self._stop_sending.set()
        self._wake_sender.set()
        self._join("waflow-send", deadline=deadline)
        # The replies already due, those of the turns that ended while stopping included: a
        # stop under load leaves only what the deadline cuts off (pending, for the next start).
        try:
            self.sender.drain(stop=lambda: time.monotonic() > deadline)
        except Exception:
            log.exception("sending the last replies failed; they stay pending")
        sending = any(t.name == "waflow-send" and t.is_alive() for t in self._threads)
        self.sender.close(wait=not sending)  # a send that hangs must not hold the stop
        self._stop_beating.set()
        self._join("waflow-heartbeat", deadline=deadline)
        alive = [t.name for t in self._threads if t.is_alive()]
        if alive:
            log.warning("runtime stopped with threads still running: %s", ", ".join(alive))
        self._threads.clear()
        if any(name.startswith("waflow-send") for name in alive):
            # Its send may still reach Meta: freeing its claim now would let a sibling send
            # it again. It is freed once this process is found dead (or at its lease's end).
            log.warning("a send is still in flight: this sender stays registered")
        else:
            self._unregister()
        log.info("runtime stopped")

    def _join(self, *prefixes: str, deadline: float) -> None:
        for thread in self._threads:
            if thread.name.startswith(prefixes):
                thread.join(max(0.0, deadline - time.monotonic()))

    def _register(self) -> None:
        """Register this process's sender, after freeing the claims of dead ones of this host.

        While the database refuses (locked, full, unreachable), the sender claims without an
        owner, held by the lease alone, and the heartbeat thread tries again each beat.
        """
        token = senders.new_token()
        try:
            with transaction(self.engine) as session:
                senders.reap(session, self.clock())
                senders.register(session, token, self.clock())
        except SQLAlchemyError as exc:
            log.warning(
                "registering this sender failed (%s); its claims hold for their lease until "
                "the next heartbeat registers it",
                type(exc).__name__,
            )
            return
        self.sender.owner = token

    def _unregister(self) -> None:
        token, self.sender.owner = self.sender.owner, None
        if token is None:
            return
        try:
            with transaction(self.engine) as session:
                senders.unregister(session, token)
        except Exception:
            log.exception("unregistering the sender failed; its claims free up when it is stale")

    def _beat_loop(self) -> None:
        while not self._stop_beating.wait(self.heartbeat_interval):
            token = self.sender.owner
            if token is None:
                self._register()
                continue
            try:
                with transaction(self.engine) as session:
                    now = self.clock()
                    if not senders.heartbeat(session, token, now):
                        log.warning("this sender was taken for dead; registering it again")
                        senders.register(session, token, now)
                    senders.reap(session, now)
            except Exception:
                log.exception("sender heartbeat failed")

    def _work_loop(self) -> None:
        while (contacts := self._queue.take(self.batch)) is not None:
            try:
                results = self.processor.process_batch(contacts)
            except Exception:
                # Not the handler (caught per update) nor the database (retried per contact):
                # a bug. The rows stay pending; the sweeper retries them.
                log.exception("processing stopped early; the sweeper will retry")
                results = {}
            if any(results.values()):
                self._wake_sender.set()
            for wa_id in contacts:
                outcome = results.get(wa_id)
                self._queue.done(wa_id, more=outcome is not None and outcome.more)

    def _sweep_loop(self) -> None:
        tasks_due = time.monotonic() + self.task_interval
        while not self._stopping.is_set():
            try:
                with read_session(self.engine) as session:  # never waits for the write lock
                    contacts = inbox.pending_contacts(session, now=self.clock())
                for wa_id in contacts:
                    self._queue.put(wa_id)
            except Exception:
                log.exception("sweep failed")
            if self.tasks and time.monotonic() >= tasks_due:
                tasks_due = time.monotonic() + self.task_interval
                self.run_tasks()
            self._stopping.wait(self.sweep_interval)

    def run_tasks(self) -> None:
        """Run the periodic :attr:`tasks` once (one failing does not stop the others)."""
        queued = False
        for task in self.tasks:
            try:
                queued = task(self.clock()) or queued
            except Exception:
                log.exception("periodic task %r failed; it runs again next time", task)
        if queued:
            self.wake_sender()

    def _send_loop(self) -> None:
        while not self._stop_sending.is_set():
            # Cleared before the pass: a turn committed during it wakes the wait below at once.
            self._wake_sender.clear()
            try:
                report = self.sender.drain(max_passes=50, stop=self._stop_sending.is_set)
                if report.more:
                    continue  # more is due right now
                wait = self.sender.next_due_in()  # a read: no write lock
            except Exception:
                log.exception("sender pass failed")
                wait = 1.0
            timeout = 1.0 if wait is None else min(max(wait, 0.01), 1.0)
            self._wake_sender.wait(timeout)


__all__ = ["Runtime"]
