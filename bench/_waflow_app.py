"""The waflow bot as the load runs serve it: ``webhooks.bootstrap`` plus a configurable send rate.

:func:`create_app` builds the bot exactly like ``webhooks.bootstrap:app_from_env()`` (same
configuration, handler, runtime and Flask app) with one difference: the Cloud API client's rate
limiter runs at ``BENCH_SEND_RATE`` messages per second instead of the default 80 (Meta's
default tier for one number; accounts move to 1,000/s automatically). With the default, every
gunicorn worker could send at most 80 replies a second, so the limiter and not the code would be
measured. ``BENCH_RUNTIME_WORKERS`` and ``BENCH_SEND_CONCURRENCY`` override the runtime's thread
counts for tuning experiments. The harness runs the stock factory when ``--send-rate 0``.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from bot._ratelimit import RateLimiter
from bot.client import CloudClient
from bot.config import Config
from webhooks.bootstrap import make_app, make_runtime


def create_app() -> Flask:
    """WSGI factory for gunicorn: ``gunicorn 'bench._waflow_app:create_app()'``."""
    config = Config.from_env()
    rate = float(os.environ.get("BENCH_SEND_RATE", "1000"))
    client = CloudClient(config, rate_limiter=RateLimiter(rate, max(1, int(rate))))
    options: dict[str, Any] = {}
    if os.environ.get("BENCH_RUNTIME_WORKERS"):
        options["workers"] = int(os.environ["BENCH_RUNTIME_WORKERS"])
    if os.environ.get("BENCH_SEND_CONCURRENCY"):
        options["send_concurrency"] = int(os.environ["BENCH_SEND_CONCURRENCY"])
    runtime = make_runtime(config, client=client, **options)
    runtime.start()
    return make_app(runtime, config)


__all__ = ["create_app"]
