"""gunicorn settings for waflow: fast (re)starts and a graceful stop.

Use it with ``-c``::

    gunicorn -c python:webhooks.gunicorn_conf -w 2 --threads 8 'webhooks.bootstrap:app_from_env()'

- waflow is imported once, in gunicorn's master, before it forks its workers: a worker (and one
  started after a crash) then boots in a fraction of the time, so the replies a crash held up go
  out within seconds. Only the modules are shared: each worker still builds its own app, runtime
  threads and database connections (this is not ``--preload``).
- The gthread worker, and a graceful timeout long enough for a stopping worker to finish its
  requests and then its turns in progress (:data:`webhooks.bootstrap.STOP_TIMEOUT`): on SIGTERM
  each worker's runtime stops gracefully as the worker exits.

Command-line options override these settings.
"""

from __future__ import annotations

import webhooks.bootstrap  # noqa: F401  (imported in the master: see above)

worker_class = "gthread"
graceful_timeout = 30
