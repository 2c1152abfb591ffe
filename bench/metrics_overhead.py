"""What the Prometheus instrumentation costs a message: per call, and across the pipeline.

``python -m bench.metrics_overhead`` prints, in this process's mode and in ``prometheus_client``'s
multiprocess mode (a child process with ``PROMETHEUS_MULTIPROC_DIR`` set, values in mmap'd
files):

- the cost of each call on the hot path (:func:`bot.metrics.turns_done`,
  :class:`bot.metrics.timed_send`, :func:`bot.metrics.sends_done`,
  :func:`bot.metrics.webhook_answered`), the median of repeated ``timeit`` runs, in µs;
- the runtime's CPU per message (ingest, turn and send of the starter bot on a SQLite file with
  a sender that makes no HTTP call, :func:`bench._micro.pipeline_figures`) with the metrics on
  and with the calls replaced by no-ops, rounds alternating, medians.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable, Iterator
from typing import Any

from bench._micro import pipeline_figures
from bench._scenarios import STARTER


def _per_call_us(fn: Callable[[], object], number: int = 20_000, repeat: int = 7) -> float:
    return statistics.median(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def call_costs() -> dict[str, float]:
    """Median µs per call of each instrumentation call."""
    from bot import metrics
    from bot.errors import RecipientError
    from bot.processing import Processed
    from bot.sending import SendReport

    done = (Processed(1, "1", "message", ok=True, replies=1),)
    report = SendReport(sent=1)
    error = RecipientError("undeliverable", code=131026)

    def send_ok() -> None:
        with metrics.timed_send():
            pass

    def send_error() -> None:
        try:
            with metrics.timed_send():
                raise error
        except RecipientError:
            pass

    def bare_error() -> None:
        try:
            raise error
        except RecipientError:
            pass

    return {
        "turns_done (one turn)": _per_call_us(
            lambda: metrics.turns_done(done, time.perf_counter())
        ),
        "timed_send, ok": _per_call_us(send_ok),
        "timed_send, Graph error (less the bare raise)": _per_call_us(send_error)
        - _per_call_us(bare_error),
        "sends_done (one sent)": _per_call_us(lambda: metrics.sends_done(report)),
        "webhook_answered": _per_call_us(lambda: metrics.webhook_answered("POST", 200)),
    }


class _NoTimer:
    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *_exc: object) -> None:
        return None


@contextlib.contextmanager
def _metrics_off() -> Iterator[None]:
    from bot import metrics

    noops: dict[str, object] = {
        "turns_done": lambda *_a: None,
        "timed_send": _NoTimer,
        "sends_done": lambda *_a: None,
    }
    saved = {name: getattr(metrics, name) for name in noops}
    for name, noop in noops.items():
        setattr(metrics, name, noop)
    try:
        yield
    finally:
        for name, real in saved.items():
            setattr(metrics, name, real)


def pipeline_ab(rounds: int = 5, customers: int = 60) -> dict[str, float]:
    """CPU ms per message with the metrics on and off (alternating rounds, medians)."""
    on: list[float] = []
    off: list[float] = []
    pipeline_figures(STARTER, customers=10)  # warm up imports and caches
    for _ in range(rounds):
        on.append(pipeline_figures(STARTER, customers=customers)["total_ms"])
        with _metrics_off():
            off.append(pipeline_figures(STARTER, customers=customers)["total_ms"])
    return {"on_ms": statistics.median(on), "off_ms": statistics.median(off)}


def measure() -> dict[str, Any]:
    """Every figure of this process's mode."""
    return {"calls_us": call_costs(), "pipeline": pipeline_ab()}


def report(mode: str, figures: dict[str, Any]) -> str:
    """The figures of one mode as text."""
    rows = [f"{mode}:"]
    rows += [f"  {name:<48} {us:6.2f} µs" for name, us in figures["calls_us"].items()]
    on, off = figures["pipeline"]["on_ms"], figures["pipeline"]["off_ms"]
    rows.append(
        f"  {'pipeline CPU per message, metrics on / off':<48} {on:6.3f} / {off:.3f} ms "
        f"({(on - off) * 1000:+.0f} µs, {(on - off) / off:+.1%})"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    """Print the figures of both modes (the multiprocess one from a child process)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only-this-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
    print(report("multiprocess mode" if multiprocess else "one process", measure()), flush=True)
    if args.only_this_process or multiprocess:
        return
    with tempfile.TemporaryDirectory(prefix="waflow-prom-") as shared:
        env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": shared}
        command = [sys.executable, "-m", "bench.metrics_overhead", "--only-this-process"]
        subprocess.run(command, env=env, check=True)  # noqa: S603 (this interpreter)


if __name__ == "__main__":
    main()
