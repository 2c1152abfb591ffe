"""Group commit: callers that arrive while a transaction is being written share the next one.

:class:`GroupCommit` has no timer and adds no delay. The first caller writes alone; callers that
arrive while it writes queue up, and when it is done the oldest of them writes the whole queue
in one transaction, and so on. Under light load every caller gets its own transaction at once;
under heavy load the number of transactions (on SQLite, of waits for the one write lock) drops
with the arrival rate. Every caller still returns only after the transaction that holds its
work has committed, and if a shared transaction fails, each of its callers' work is written
again on its own, so one bad item cannot fail the others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(eq=False)
class _Item(Generic[T, R]):
    value: T
    wake: threading.Event = field(default_factory=threading.Event)
    done: bool = False
    result: R | None = None
    error: BaseException | None = None


class GroupCommit(Generic[T, R]):
    """Runs ``write(values)`` for the values of every caller waiting at that moment.

    Args:
        write: Writes several callers' values in one transaction and returns one result per
            value, in order. It must be safe to call again with any subset (it is, for one
            value at a time, when a shared call fails).
    """

    def __init__(self, write: Callable[[Sequence[T]], Sequence[R]]) -> None:
        self._write = write
        self._lock = threading.Lock()
        self._queue: list[_Item[T, R]] = []
        self._busy = False

    def submit(self, value: T) -> R:
        """Write ``value`` with whatever else is waiting; return its result once committed.

        Raises:
            Exception: What ``write`` raised for this value alone.
        """
        item: _Item[T, R] = _Item(value)
        with self._lock:
            self._queue.append(item)
            lead = not self._busy
            self._busy = True
        if not lead:
            item.wake.wait()  # done by the leader, or made the next leader
        if not item.done:
            self._lead()
        if item.error is not None:
            raise item.error
        return item.result  # type: ignore[return-value]

    def _lead(self) -> None:
        with self._lock:
            batch, self._queue = self._queue, []
        try:
            self._run(batch)
        finally:
            with self._lock:
                if self._queue:
                    self._queue[0].wake.set()  # its caller leads the next transaction
                else:
                    self._busy = False
            for item in batch:
                item.wake.set()

    def _run(self, batch: list[_Item[T, R]]) -> None:
        try:
            results = self._write([item.value for item in batch])
        except BaseException as exc:
            if len(batch) == 1 or not isinstance(exc, Exception):
                for item in batch:
                    item.error, item.done = exc, True
                return
            for item in batch:  # one bad value must not fail the others: each alone
                self._run([item])
            return
        for item, result in zip(batch, results, strict=True):
            item.result, item.done = result, True
