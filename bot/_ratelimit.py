"""Pacing for outbound calls: a token bucket before each request, a backoff after a failure.

The Cloud API accepts 80 messages per second per business number by default (1,000 after
Meta's automatic upgrade, 20 for coexistence numbers) and answers 130429 beyond that.
:class:`RateLimiter` spaces requests so the client rarely sees that error; :class:`RetryPolicy`
says how long to wait before retrying one that failed. Both are pure arithmetic over an
injected clock, sleep and random number, so tests never wait.

The bucket uses *reservations*: :meth:`RateLimiter.acquire` takes its token at once, letting the
balance go negative, and then sleeps for the debt it created. Concurrent callers therefore queue
in arrival order without polling, and a fake ``sleep`` that returns immediately cannot make the
loop spin.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import ConfigError, GraphError, PairRateLimitError

DEFAULT_RATE = 80.0
"""Meta's default throughput for one business number, in messages per second."""

DEFAULT_BURST = 80
"""How many requests may go out back to back before the limiter starts spacing them."""


class RateLimiter:
    """Token bucket: ``rate`` tokens per second, at most ``burst`` saved up.

    Args:
        rate: Tokens added per second; must be positive.
        burst: Bucket capacity, the number of requests allowed back to back; at least 1.
        clock: Monotonic clock in seconds (``time.monotonic`` by default).
        sleep: Called with the number of seconds to wait (``time.sleep`` by default).

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

    def _refill(self) -> None:
        """Add the tokens earned since the last update (caller holds the lock)."""
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
        self._updated = now

    def try_acquire(self) -> float:
        """Take a token if one is free, without waiting.

        Returns:
            ``0.0`` when a token was taken; otherwise the seconds until one will be free (no
            token is taken in that case).
        """
        with self._lock:
            self._refill()
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / self.rate

    def acquire(self) -> float:
        """Take a token, waiting through the injected ``sleep`` until it is due.

        Returns:
            The seconds this call waited (``0.0`` when a token was free).
        """
        with self._lock:
            self._refill()
            self._tokens -= 1.0
            wait = 0.0 if self._tokens >= 0.0 else -self._tokens / self.rate
        if wait > 0.0:
            self._sleep(wait)
        return wait


@dataclass(frozen=True)
class RetryPolicy:
    """How many times and how long to wait before retrying a retryable :class:`GraphError`.

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
        """Return the seconds to wait after failed attempt number ``attempt`` (1-based).

        Transient and throttling errors back off exponentially, ``base_delay * 2**(attempt-1)``,
        spread by ±``jitter`` so that many clients do not retry in step. The pair rate limit
        (131056) follows Meta's advice of 4^X seconds (1, 4, 16, 64 …) and its jitter only
        lengthens the wait, never shortens it below Meta's figure.

        Args:
            attempt: How many attempts have failed so far.
            error: The error of the last attempt.
            rand: A number in [0, 1), usually from ``random.random``.

        Returns:
            The delay in seconds, between 0 and ``max_delay``.
        """
        step = min(max(attempt, 1) - 1, 64)
        if isinstance(error, PairRateLimitError):
            base = 4.0**step
            spread = base * self.jitter * rand
        else:
            base = min(self.max_delay, self.base_delay * 2.0**step)
            spread = base * self.jitter * (2.0 * rand - 1.0)
        return max(0.0, min(self.max_delay, base + spread))


__all__ = ["DEFAULT_BURST", "DEFAULT_RATE", "RateLimiter", "RetryPolicy"]
