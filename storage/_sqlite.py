"""SQLite specifics: engine set-up (WAL, 30 s busy timeout), ``BEGIN IMMEDIATE`` for writers and
a deferred ``BEGIN`` for :data:`READ_ONLY` work, and :class:`_WriteGate`, which writers pass first
(docs/architecture.md, "One machine or several", says why each is so).
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: writers rely on SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

READ_ONLY = "waflow_read_only"
"""Execution option marking a connection whose transaction only reads (deferred ``BEGIN``)."""

URGENT = "waflow_urgent"
"""Execution option marking a write someone is waiting for (a webhook body): on SQLite it goes
before the other writers of its process."""


def sqlite_engine(url: str, *, in_memory: bool, echo: bool) -> Engine:
    """An engine on a SQLite database (``in_memory``: one connection shared by all)."""
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, echo=echo, hide_parameters=True, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite; BEGIN is emitted below.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    gate = (
        None if in_memory or fcntl is None else _WriteGate(f"{make_url(url).database}-waflow.lock")
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front; readers must not queue behind them for it.
        if conn.get_execution_options().get(READ_ONLY, False):
            conn.exec_driver_sql("BEGIN")
            return
        dbapi_conn = conn.connection.driver_connection
        if gate is not None:
            gate.acquire(dbapi_conn, urgent=conn.get_execution_options().get(URGENT, False))
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if gate is not None:
                gate.release(dbapi_conn)
            raise

    if gate is not None:
        gate.install(engine)
    return engine


@dataclass(eq=False)
class _Ticket:
    """A writer waiting for the gate; whoever lets go of the gate wakes it, holding it."""

    thread: int
    key: int
    since: float
    ready: threading.Event = field(default_factory=threading.Event)


class _WriteGate:
    """Writers of one SQLite file queue here, across processes, before ``BEGIN IMMEDIATE``.

    SQLite's busy handler sleeps up to 100 ms between tries, leaving the lock free while every
    waiter sleeps. Here a process's writers queue in order, each woken alone when its turn
    comes, and the holder takes an exclusive ``flock`` on ``<database>-waflow.lock``, which the
    kernel hands over the moment another process lets go; the gate is let go right after
    ``COMMIT`` or ``ROLLBACK``. An *urgent* writer (a webhook body: Meta waits) goes before the
    others of its process, unless the first of them has waited :data:`_URGENT_GRACE`. A thread
    already holding the gate (a nested write transaction) skips it and meets SQLite's busy timeout.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()  # guards what follows; never held while waiting
        self._fds: dict[int, int] = {}  # connection -> its descriptor of the lock file
        self._holder: tuple[int, int] | None = None  # (thread, connection) holding the gate
        self._urgent: deque[_Ticket] = deque()
        self._others: deque[_Ticket] = deque()

    def install(self, engine: Engine) -> None:
        """Let go of the gate after every commit and rollback, and on closed connections."""
        for name in ("do_commit", "do_rollback"):
            setattr(engine.dialect, name, self._releasing(getattr(engine.dialect, name)))
        for name in ("close", "close_detached"):
            event.listen(engine, name, self._forget)
        event.listen(engine, "invalidate", lambda c, r, e: self._forget(c) if c else None)

    def _releasing(self, end: Callable[[Any], None]) -> Callable[[Any], None]:
        def ended(dbapi_conn: Any) -> None:
            try:
                end(dbapi_conn)
            finally:
                self.release(dbapi_conn)

        return ended

    def acquire(self, dbapi_conn: Any, *, urgent: bool = False) -> None:
        """Wait for the gate (no-op when this thread already holds it)."""
        me, key = threading.get_ident(), id(dbapi_conn)
        ticket: _Ticket | None = None
        with self._lock:
            if self._holder is not None and self._holder[0] == me:
                return
            fd = self._fds.get(key)
            if fd is None:
                fd = self._fds[key] = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            if self._holder is None and not self._urgent and not self._others:
                self._holder = (me, key)
            else:
                ticket = _Ticket(me, key, time.monotonic())
                (self._urgent if urgent else self._others).append(ticket)
        if ticket is not None:
            ticket.ready.wait()  # the writer before us made us the holder
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # releases the GIL while the other process writes
        except BaseException:
            with self._lock:
                self._hand_over()
            raise

    def release(self, dbapi_conn: Any) -> None:
        """Let the next writer in, if this connection holds the gate."""
        # The dialect is handed the pool's proxy; events and acquire() the driver's connection.
        key = id(getattr(dbapi_conn, "driver_connection", dbapi_conn))
        with self._lock:
            if self._holder is None or self._holder[1] != key:
                return
            fcntl.flock(self._fds[key], fcntl.LOCK_UN)
            self._hand_over()

    def _hand_over(self) -> None:
        """Make the next waiter the holder and wake it (caller holds ``_lock``)."""
        others_due = bool(self._others) and (
            not self._urgent or time.monotonic() - self._others[0].since >= _URGENT_GRACE
        )
        queue = self._others if others_due else self._urgent
        if not queue:
            self._holder = None
            return
        ticket = queue.popleft()
        self._holder = (ticket.thread, ticket.key)
        ticket.ready.set()

    def _forget(self, dbapi_conn: Any, *_: Any) -> None:
        self.release(dbapi_conn)
        with self._lock:
            fd = self._fds.pop(id(dbapi_conn), None)
        if fd is not None:
            os.close(fd)


_URGENT_GRACE = 0.05
"""Seconds a writer lets urgent ones (webhook bodies) go first before it insists on its turn."""
