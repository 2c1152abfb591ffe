"""gunicorn settings for waflow: fast (re)starts and a graceful stop.

Use it with ``-c``::

    gunicorn -c python:webhooks.gunicorn_conf -w 2 --threads 8 'webhooks.bootstrap:app_from_env()'

- waflow is imported once, in gunicorn's master, before it forks its workers: a worker (and one
  started after a crash) then boots in a fraction of the time, so the replies a crash held up go
  out within seconds. Only the modules are shared: each worker still builds its own app, runtime
  threads and database connections (this is not ``--preload``).
- The gthread worker, and a graceful timeout long enough for a stopping worker to finish its
  requests and then its turns in progress (:data:`webhooks.bootstrap.STOP_TIMEOUT`): on SIGTERM
  each worker's runtime stops gracefully in the ``worker_exit`` hook, before the interpreter
  shuts down the sender's thread pools.
- ``WAFLOW_METRICS_DIR`` turns on ``prometheus_client``'s multiprocess mode for the server
  alone (``/metrics`` summed over the workers, see ``docs/operations.md``): it becomes the
  workers' ``PROMETHEUS_MULTIPROC_DIR``, so ``waflow`` commands run beside the server (cron
  jobs, ``docker compose exec``) leave no files there. The master removes the counters a
  previous run left in that directory (its ``*.db`` files, nothing else) when it starts, as
  multiprocess mode requires, and creates it if missing.

Command-line options override these settings.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

METRICS_DIR_VARIABLE = "WAFLOW_METRICS_DIR"
"""The server's metrics directory (see above); read before waflow is imported."""

if _metrics_dir := os.environ.get(METRICS_DIR_VARIABLE, "").strip():
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir

import webhooks.bootstrap  # noqa: E402  (imported in the master, after the variable: see above)
from bot.metrics import MULTIPROC_VARIABLE  # noqa: E402

worker_class = "gthread"
graceful_timeout = 30


def on_starting(server: Any) -> None:
    """Remove the last run's counters from the metrics directory before any worker writes."""
    del server
    if folder := os.environ.get(MULTIPROC_VARIABLE, "").strip():
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        for left in path.glob("*.db"):
            left.unlink(missing_ok=True)


def worker_exit(server: Any, worker: Any) -> None:
    """Stop the worker's runtime: its turns in progress finish and their replies are sent."""
    del server, worker
    webhooks.bootstrap.stop_serving()
