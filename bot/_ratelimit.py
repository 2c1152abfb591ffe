"""Pacing for outbound calls, and the one back-off rule every retry in waflow waits by.

:class:`RateLimiter` spaces requests under Meta's per-number throughput (80 messages per second
by default; 130429 beyond it). It uses reservations: :meth:`RateLimiter.acquire` takes its token
at once, letting the balance go negative, then sleeps for the debt, so concurrent callers queue
in arrival order without polling. :class:`Backoff` is the single retry policy (exponential,
capped, jittered); callers only pick its parameters: :class:`RetryPolicy` for the client's in-call
retries, the outbox sender for durable re-sends, processing for a refused turn. All are pure
arithmetic over an injected clock, sleep and random number, so tests never wait.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import ConfigError, GraphError, PairRateLimitError

DEFAULT_RATE = 80.0
"""Meta's default throughput for one business number, in messages per second (1,000 after Meta's
automatic upgrade, 20 for coexistence numbers)."""

DEFAULT_BURST = 80
"""How many requests may go out back to back before the limiter starts spacing them."""


class RateLimiter:
    """Token bucket: ``rate`` tokens per second, at most ``burst`` saved up.

    Args:
        rate: Tokens added per second; must be positive.
        burst: Bucket capacity, the number of requests allowed back to back; at least 1.
        clock: Monotonic clock in seconds.
        sleep: Called with the number of seconds to wait.

    Raises:
        ConfigError: ``rate`` is not positive or ``burst`` is below 1.
    """

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        burst: int = DEFAULT_BURST,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ConfigError(f"rate limiter rate must be positive, got {rate!r}")
        if burst < 1:
            raise ConfigError(f"rate limiter burst must be at least 1, got {burst!r}")
        self.rate = float(rate)
        self.burst = int(burst)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._updated = clock()

    def acquire(self) -> float:
        """Take a token, sleeping until it is due; return the seconds waited (``0.0``: none)."""
        with self._lock:
            now = self._clock()
            earned = max(0.0, now - self._updated) * self.rate
            self._tokens = min(float(self.burst), self._tokens + earned) - 1.0
            self._updated = now
            wait = 0.0 if self._tokens >= 0.0 else -self._tokens / self.rate
        if wait > 0.0:
            self._sleep(wait)
        return wait

    def try_acquire(self) -> bool:
        """Take a token only if one is free now, never waiting (for work that may be skipped).

        Returns:
            Whether a token was taken.
        """
        with self._lock:
            now = self._clock()
            earned = max(0.0, now - self._updated) * self.rate
            self._tokens = min(float(self.burst), self._tokens + earned)
            self._updated = now
            if self._tokens < 1.0:
                return False
            self._tokens -= 1.0
            return True


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off with a cap and jitter: the one rule every waflow retry waits by.

    Failed attempt ``n`` (1-based) waits ``first * factor**(n-1)`` seconds, at most ``cap``,
    spread by ``jitter`` so that many waiters do not retry in step: by ±``jitter`` of the delay,
    or, with ``lengthen_only``, only upwards (never shorter than the nominal figure, as Meta's
    4^X advice for 131056 asks). With ``hard_cap`` the jitter never passes ``cap`` either.
    """

    first: float
    cap: float
    factor: float = 2.0
    jitter: float = 0.0
    lengthen_only: bool = False
    hard_cap: bool = True

    def delay(self, attempt: int, rand: float = 0.0) -> float:
        """The wait in seconds after failed attempt ``attempt`` (1-based); ``rand`` is in [0, 1)."""
        step = min(max(attempt, 1) - 1, 64)
        base = min(self.cap, self.first * self.factor**step)
        spread = base * self.jitter * (rand if self.lengthen_only else 2.0 * rand - 1.0)
        return max(0.0, min(self.cap if self.hard_cap else math.inf, base + spread))


@dataclass(frozen=True)
class RetryPolicy:
    """How many times and how long the client retries a retryable :class:`GraphError` in-call.

    Attributes:
        max_attempts: Total attempts, the first included; 1 disables retries.
        base_delay: The first backoff in seconds; it doubles on each further attempt.
        max_delay: No single wait is longer than this, jitter included.
        jitter: Fraction of each delay that is randomised.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 20.0
    jitter: float = 0.25

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigError(f"max_attempts must be at least 1, got {self.max_attempts!r}")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ConfigError("retry delays must not be negative")
        if not 0.0 <= self.jitter <= 1.0:
            raise ConfigError(f"jitter must be between 0 and 1, got {self.jitter!r}")

    def delay(self, attempt: int, error: GraphError, rand: float) -> float:
        """Return the seconds (0 to ``max_delay``) to wait after failed attempt ``attempt``.

        Errors back off as ``base_delay * 2**(attempt-1)`` spread by ±``jitter``; the pair rate
        limit (131056) follows Meta's 4^X seconds (1, 4, 16 …), jitter only lengthening it.

        Args:
            attempt: How many attempts have failed so far (1-based).
            error: The error of the last attempt.
            rand: A number in [0, 1), usually from ``random.random``.
        """
        if isinstance(error, PairRateLimitError):
            rule = Backoff(1.0, self.max_delay, 4.0, self.jitter, lengthen_only=True)
        else:
            rule = Backoff(self.base_delay, self.max_delay, 2.0, self.jitter)
        return rule.delay(attempt, rand)
