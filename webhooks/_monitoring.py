"""Monitoring routes: ``GET /metrics`` (Prometheus) and the answer of ``GET /healthz``.

``/metrics`` is off until ``WAFLOW_METRICS_TOKEN`` is set (404, as if the route did not exist:
a scrape endpoint nobody configured should not reveal traffic figures); with it, a request must
carry ``Authorization: Bearer <token>`` (constant-time compare; 401 otherwise). The numbers
themselves come from :mod:`bot.metrics`; this module only counts the webhook's answers and turns
requests into calls.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from flask import Flask, Response, request
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot import metrics
from bot.config import bearer_valid
from storage.backlog import read_backlog
from storage.db import read_connection
from storage.models import utcnow

_WEBHOOK_ENDPOINTS = frozenset({"waflow.verify", "waflow.receive"})


def install_monitoring(
    app: Flask,
    engine: Engine,
    clock: Callable[[], datetime] = utcnow,
    *,
    token: str = "",
) -> None:
    """Count the webhook's answers by status and serve ``/metrics`` (with ``token`` set).

    Args:
        app: The webhook app.
        engine: The database whose backlog the metrics report.
        clock: Returns the current aware UTC time (the backlog's ages are measured to it).
        token: The Bearer token scrapers must send; empty turns ``/metrics`` off (404).
    """
    app.after_request(_count_webhook_answer)

    def metrics_route() -> Response:
        if not token:
            return Response("Not Found", status=404, mimetype="text/plain")
        if not bearer_valid(request.headers.get("Authorization", ""), token):
            return Response(
                "Unauthorized",
                status=401,
                mimetype="text/plain",
                headers={"WWW-Authenticate": "Bearer"},
            )
        body, content_type = metrics.exposition(engine, clock)
        return Response(body, status=200, content_type=content_type)

    app.add_url_rule("/metrics", "waflow_metrics", metrics_route, methods=["GET"])


def _count_webhook_answer(response: Response) -> Response:
    """Count an answer of ``/webhook`` by method and status (500s from a crash included)."""
    if request.endpoint in _WEBHOOK_ENDPOINTS:
        metrics.webhook_answered(request.method, response.status_code)
    return response


def health_answer(engine: Engine, clock: Callable[[], datetime] = utcnow) -> Response:
    """The ``/healthz`` answer: 200 with the backlog, or 503 when the database does not answer.

    The body says ``status`` (``ok`` or ``error``), ``database`` (``ok`` or the error's class),
    and with a database the ``inbox`` and ``outbox`` counts by state with the age of the oldest
    pending update (``oldest_pending_seconds``) and how late the earliest due message is
    (``oldest_due_seconds``).
    """
    try:
        with read_connection(engine) as conn:
            backlog = read_backlog(conn, clock())
    except SQLAlchemyError as exc:
        body = {"status": "error", "database": type(exc).__name__}
        return Response(json.dumps(body), status=503, mimetype="application/json")
    body = {"status": "ok", "database": "ok", **backlog.as_dict()}
    return Response(json.dumps(body), status=200, mimetype="application/json")
