"""The contacts waiting for a processing worker, none ever handed to two workers at once.

:class:`ContactQueue` is the scheduling state of background mode, kept apart from threads and
the database so it can be reasoned about (and tested) alone. A contact is *queued* (waiting
for a worker), *running* (a worker holds it), or absent. Notifying a running contact marks it
to be queued again when its worker is done, so an update that arrives mid-turn is never missed
and never processed concurrently with the one before it. Workers take several contacts at once,
oldest first, to process one update of each in a shared transaction.
"""

from __future__ import annotations

import threading
from collections import deque

Key = str | None


class ContactQueue:
    """Contacts with pending updates for workers; ``closed``: refuse them until :meth:`open`."""

    def __init__(self, *, closed: bool = False) -> None:
        self._cond = threading.Condition()
        self._ready: deque[Key] = deque()
        self._queued: set[Key] = set()
        self._running: set[Key] = set()
        self._again: set[Key] = set()
        self._closed = closed

    @property
    def closed(self) -> bool:
        """True between :meth:`close` and :meth:`open`."""
        return self._closed

    def open(self) -> None:
        """Accept contacts again (a start after a stop)."""
        with self._cond:
            self._closed = False

    def close(self) -> None:
        """Refuse new contacts; workers finish what is queued or running, then leave."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def put(self, wa_id: Key) -> bool:
        """Queue a contact with new pending updates; False when closed (the update stays stored)."""
        with self._cond:
            if self._closed:
                return False
            if wa_id in self._running:
                self._again.add(wa_id)
            elif wa_id not in self._queued:
                self._queued.add(wa_id)
                self._ready.append(wa_id)
                self._cond.notify()
            return True

    def take(self, limit: int) -> list[Key] | None:
        """Wait for contacts and run up to ``limit``, oldest first; None once closed and empty."""
        with self._cond:
            while not self._ready:
                if self._closed:
                    return None
                self._cond.wait()
            taken: list[Key] = []
            while self._ready and len(taken) < limit:
                wa_id = self._ready.popleft()
                self._queued.discard(wa_id)
                self._running.add(wa_id)
                taken.append(wa_id)
            return taken

    def done(self, wa_id: Key, *, more: bool) -> None:
        """A worker finished one turn of ``wa_id``; queue it again if more is pending.

        In-progress contacts are drained even after :meth:`close`, as a stopping runtime
        lets work in progress finish.
        """
        with self._cond:
            self._running.discard(wa_id)
            again = more or wa_id in self._again
            self._again.discard(wa_id)
            if again and wa_id not in self._queued:
                self._queued.add(wa_id)
                self._ready.append(wa_id)
                self._cond.notify()
            elif self._closed:
                self._cond.notify_all()

    def __len__(self) -> int:
        with self._cond:
            return len(self._ready)
