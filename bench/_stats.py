"""Latency summaries: percentiles of a list of durations, in milliseconds."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(ordered: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of an already sorted list, by the nearest-rank method."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary(seconds: Sequence[float]) -> dict[str, float]:
    """Count, mean, p50, p90, p99 and max of durations given in seconds, returned in ms."""
    ordered = sorted(seconds)
    if not ordered:
        return {
            "n": 0,
            "mean": math.nan,
            "p50": math.nan,
            "p90": math.nan,
            "p99": math.nan,
            "max": math.nan,
        }
    return {
        "n": len(ordered),
        "mean": 1000 * sum(ordered) / len(ordered),
        "p50": 1000 * percentile(ordered, 50),
        "p90": 1000 * percentile(ordered, 90),
        "p99": 1000 * percentile(ordered, 99),
        "max": 1000 * ordered[-1],
    }


__all__ = ["percentile", "summary"]
