"""The load generator: signed webhooks from simulated customers, and the replies they get back.

Two modes, both bounded in count and in time and stopping by themselves:

- :func:`closed_loop`: ``customers`` people at once, each walking the scenario and sending its
  next input only after the bot's replies to the previous one reached the mock Cloud API. When
  a customer finishes the script, a new customer (a new phone number) takes its place, until the
  time is up or ``max_messages`` were sent. This gives sustained customer messages per second
  and end-to-end latency under a realistic, self-limiting load.
- :func:`open_loop`: inputs at a fixed rate whatever happens, spread over enough customers that
  none has two inputs in flight. Latency is measured from each request's *scheduled* time, so a
  slow server cannot hide its queueing (no coordinated omission).

:class:`Replies` follows the mock's record and tells each waiting customer when its
``n``-th reply arrived; a step's end-to-end latency is from its webhook being sent to the mock
recording the last reply it expects.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench._http import HttpError, HttpPool
from bench._scenarios import Scenario
from webhooks.signature import SIGNATURE_HEADER, sign

REPLY_TIMEOUT = 30.0


class Replies:
    """Reply times per recipient, read from the mock's record through its ``/_mock/wait`` long poll.

    Only accepted message sends count as replies (not mark-as-read calls, not refused sends).
    """

    def __init__(self, pool: HttpPool) -> None:
        self._pool = pool
        self.times: dict[str, list[float]] = defaultdict(list)
        self._waiters: dict[str, list[tuple[int, asyncio.Future[float]]]] = defaultdict(list)
        self._cursor = 0
        self._task: asyncio.Task[None] | None = None
        self.errors = 0

    async def start(self) -> None:
        """Clear the mock's record (numbering starts again at 1), then follow it in the background."""
        await self._pool.request("DELETE", "/_mock/messages")
        self._cursor = 0
        self._task = asyncio.create_task(self._follow())

    async def stop(self) -> None:
        """Stop following the feed."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _follow(self) -> None:
        headers = {"Content-Type": "application/json"}
        while True:
            poll = {"count": self._cursor + 1, "after": self._cursor, "timeout": 1}
            try:
                answer = await self._pool.request(
                    "POST", "/_mock/wait", json.dumps(poll).encode(), headers
                )
                records = json.loads(answer.body)["messages"]
            except (HttpError, ValueError, KeyError):
                self.errors += 1
                await asyncio.sleep(0.05)
                continue
            for record in records:
                self._cursor = record["seq"]
                if record["kind"] == "message" and record["status"] == 200:
                    self._arrived(record["to"], record["received_monotonic"])

    def _arrived(self, to: str, at: float) -> None:
        times = self.times[to]
        times.append(at)
        waiting = self._waiters.get(to)
        if not waiting:
            return
        still = []
        for count, future in waiting:
            if len(times) >= count and not future.done():
                future.set_result(times[count - 1])
            elif not future.done():
                still.append((count, future))
        if still:
            self._waiters[to] = still
        else:
            del self._waiters[to]

    async def wait(self, to: str, count: int, timeout: float) -> float | None:
        """The time the ``count``-th reply to ``to`` was recorded; ``None`` after ``timeout``."""
        times = self.times.get(to, [])
        if len(times) >= count:
            return times[count - 1]
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters[to].append((count, future))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return None


@dataclass
class Result:
    """What one load run measured.

    Attributes:
        sent: Webhooks sent.
        acked: Webhooks answered 200.
        answered: Inputs whose replies all arrived.
        ack: Ack latencies (seconds) of the 200 answers.
        e2e: End-to-end latencies (seconds) of the answered inputs.
        elapsed: From the first send to the last reply (seconds).
        inputs: For each customer (phone number), the replies expected for each input sent.
        failures: A few error descriptions.
    """

    sent: int = 0
    acked: int = 0
    answered: int = 0
    ack: list[float] = field(default_factory=list)
    e2e: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    inputs: dict[str, list[int]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        """Remember an error (the first few only)."""
        if len(self.failures) < 10:
            self.failures.append(message)


class Target:
    """A bot under load: where its webhook is and how to sign for it.

    Args:
        pool: Connections to the bot.
        secret: The app secret to sign bodies with.
        path: The webhook path.
    """

    def __init__(self, pool: HttpPool, secret: str, path: str = "/webhook") -> None:
        self.pool, self.secret, self.path = pool, secret, path

    def prepare(self, body: dict[str, object]) -> tuple[bytes, dict[str, str]]:
        """Serialise and sign a body the way Meta does (non-ASCII escaped)."""
        raw = json.dumps(body, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(raw, self.secret)}
        return raw, headers

    async def post(self, raw: bytes, headers: dict[str, str]) -> int:
        """POST one body; returns the HTTP status (0 when the request failed)."""
        try:
            answer = await self.pool.request("POST", self.path, raw, headers)
        except HttpError:
            return 0
        return answer.status


def phone(run: int, n: int) -> str:
    """A unique, digits-only customer number for customer ``n`` of run ``run``."""
    return f"1{run % 1000:03d}{n:08d}"


async def closed_loop(
    target: Target,
    replies: Replies,
    scenario: Scenario,
    expected: Sequence[int],
    *,
    run: int,
    customers: int,
    duration: float,
    max_messages: int,
    conversations: int | None = None,
) -> Result:
    """Customers that wait for each answer before their next input (see the module doc).

    Args:
        target: The bot.
        replies: The reply feed (started).
        scenario: The script every customer walks.
        expected: Replies per step.
        run: A number making this run's phone numbers unique.
        customers: Customers in conversation at the same time.
        duration: Seconds after which no new input is sent.
        max_messages: Inputs after which no new input is sent.
        conversations: When set, each customer slot walks the script exactly this many times
            (and ``duration`` only bounds the run).

    Returns:
        The measurements.
    """
    result = Result()
    start = time.monotonic()
    deadline = start + duration
    numbers = iter(range(10**8))
    cumulative = [sum(expected[: i + 1]) for i in range(len(expected))]

    def more() -> bool:
        return time.monotonic() < deadline and result.sent < max_messages

    async def customer(slot: int) -> None:
        walked = 0
        while more() and (conversations is None or walked < conversations):
            walked += 1
            wa_id = phone(run, next(numbers))
            result.inputs[wa_id] = []
            for index, step in enumerate(scenario.steps):
                if not more():
                    return
                raw, headers = target.prepare(step.body(wa_id, f"Customer {slot}"))
                result.sent += 1
                result.inputs[wa_id].append(expected[index])
                sent_at = time.monotonic()
                status = await target.post(raw, headers)
                acked_at = time.monotonic()
                if status != 200:
                    result.fail(f"webhook answered {status}")
                    break
                result.acked += 1
                result.ack.append(acked_at - sent_at)
                got = await replies.wait(wa_id, cumulative[index], REPLY_TIMEOUT)
                if got is None:
                    result.fail(f"no reply within {REPLY_TIMEOUT:.0f} s (step {index + 1})")
                    break
                result.answered += 1
                result.e2e.append(got - sent_at)

    await asyncio.gather(*(customer(slot) for slot in range(customers)))
    result.elapsed = time.monotonic() - start
    return result


async def open_loop(
    target: Target,
    replies: Replies,
    scenario: Scenario,
    expected: Sequence[int],
    *,
    run: int,
    rate: float,
    duration: float,
    customers: int,
) -> Result:
    """Inputs at a fixed ``rate`` for ``duration`` seconds (see the module doc).

    Each customer gets one input every ``customers / rate`` seconds, walking the script in turn;
    ``customers`` is raised to two seconds' worth of inputs so that a customer's previous input
    is normally answered before its next one is sent.

    Returns:
        The measurements; ``ack`` and ``e2e`` are measured from the scheduled send times.
    """
    result = Result()
    total = max(1, int(rate * duration))
    people = max(customers, int(rate * 2))
    steps = len(scenario.steps)
    cumulative = [sum(expected[: i + 1]) for i in range(steps)]
    plan: list[tuple[str, int, bytes, dict[str, str]]] = []
    walked: dict[str, int] = defaultdict(int)
    for i in range(total):
        wa_id = phone(run, i % people)
        n = walked[wa_id]
        walked[wa_id] = n + 1
        step = scenario.steps[n % steps]
        before = (n // steps) * cumulative[-1]
        count = before + cumulative[n % steps]
        raw, headers = target.prepare(step.body(wa_id, f"Customer {i % people}"))
        plan.append((wa_id, count, raw, headers))
        result.inputs.setdefault(wa_id, []).append(expected[n % steps])

    async def one(wa_id: str, count: int, raw: bytes, headers: dict[str, str], due: float) -> None:
        status = await target.post(raw, headers)
        acked_at = time.monotonic()
        if status != 200:
            result.fail(f"webhook answered {status}")
            return
        result.acked += 1
        result.ack.append(acked_at - due)
        got = await replies.wait(wa_id, count, REPLY_TIMEOUT + duration)
        if got is None:
            result.fail(f"no reply within {REPLY_TIMEOUT:.0f} s")
            return
        result.answered += 1
        result.e2e.append(got - due)

    tasks: list[asyncio.Task[None]] = []
    start = time.monotonic()
    i = 0
    while i < total:
        now = time.monotonic()
        while i < total and start + i / rate <= now:
            wa_id, count, raw, headers = plan[i]
            tasks.append(asyncio.create_task(one(wa_id, count, raw, headers, start + i / rate)))
            result.sent += 1
            i += 1
        if i < total:
            await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
    await asyncio.gather(*tasks)
    result.elapsed = time.monotonic() - start
    return result


__all__ = ["REPLY_TIMEOUT", "Replies", "Result", "Target", "closed_loop", "open_loop", "phone"]
