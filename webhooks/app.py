"""The Flask edge: an app factory whose routes only translate HTTP into plain function calls.

``GET /webhook`` answers Meta's verification handshake, ``POST /webhook`` authenticates the raw
body and stores every update before it answers 200, ``GET /healthz`` reports on the database and
the backlog, ``GET /metrics`` serves Prometheus metrics (:mod:`webhooks._monitoring`).
Only a database failure not caused by the data answers 500 (Meta delivers the body again); an
authentic body that is not JSON, or whose data the database refuses, is kept as received in
the quarantine and answered 200.
"""

from __future__ import annotations

import json
import logging
from typing import IO, Any

from flask import Blueprint, Flask, Response, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from bot.config import mask
from bot.processing import Unstorable
from bot.runtime import Runtime
from storage.db import database_reason, is_permanent_data_error
from storage.quarantine import CLEANED, UNPARSABLE, UNSTORABLE
from webhooks._monitoring import health_answer, install_monitoring
from webhooks.signature import SIGNATURE_HEADER, handshake_answer, signature_valid

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 3 * 1024 * 1024  # Meta: webhook payloads are at most 3 MB
RUNTIME_KEY = "waflow.runtime"
APP_SECRET_KEY = "waflow.app_secret"  # noqa: S105 (an extension key, not a secret)
VERIFY_KEY = "waflow.verify_token"

blueprint = Blueprint("waflow", __name__)


def create_app(
    runtime: Runtime,
    *,
    app_secret: str = "",
    verify_token: str = "",
    name: str = "waflow",
    metrics_token: str = "",
) -> Flask:
    """Build the Flask application that serves the webhook.

    Args:
        runtime: Stores and processes what arrives (see :class:`bot.runtime.Runtime`).
        app_secret: Checks ``X-Hub-Signature-256``; when empty (sandbox only) bodies are not
            authenticated.
        verify_token: The token of the GET handshake; when empty every handshake is refused.
        metrics_token: The Bearer token of ``GET /metrics``; when empty the route answers 404.

    Returns:
        The app. Start ``runtime`` yourself in background mode (``waflow run`` does).
    """
    app = Flask(name)
    app.extensions[RUNTIME_KEY] = runtime
    app.extensions[APP_SECRET_KEY] = app_secret
    app.extensions[VERIFY_KEY] = verify_token
    if not app_secret:
        log.warning("no WHATSAPP_APP_SECRET: webhook signatures are NOT checked (sandbox only)")
    app.register_blueprint(blueprint)
    install_monitoring(app, runtime.engine, runtime.clock, token=metrics_token)
    return app


def _plain(body: str, status: int) -> Response:
    return Response(body, status=status, mimetype="text/plain")


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """Read a request body up to ``limit`` bytes (streams may return fewer bytes per read)."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = stream.read(min(65536, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


@blueprint.get("/webhook")
def verify() -> Response:
    """Meta's verification handshake: echo ``hub.challenge`` when the token matches."""
    challenge = handshake_answer(request.args, current_app.extensions[VERIFY_KEY])
    return _plain("Forbidden", 403) if challenge is None else _plain(challenge, 200)


@blueprint.post("/webhook")
def receive() -> Response:
    """Authenticate, store durably, answer 200; processing happens after the answer."""
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        return _plain("Payload too large", 413)
    # Read the raw bytes ourselves (the signature covers them exactly), one byte past the limit,
    # so that a chunked body without Content-Length is refused rather than silently cut.
    raw = _read_at_most(request.stream, MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        return _plain("Payload too large", 413)
    secret: str = current_app.extensions[APP_SECRET_KEY]
    if secret:
        header = request.headers.get(SIGNATURE_HEADER)
        if not header:
            log.warning("webhook refused: no %s header", SIGNATURE_HEADER)
            return _plain("Missing X-Hub-Signature-256", 401)
        if not signature_valid(raw, header, secret):
            log.warning(
                "webhook refused: %s does not match; is WHATSAPP_APP_SECRET the app's secret?",
                SIGNATURE_HEADER,
            )
            return _plain("Invalid signature", 403)
    runtime: Runtime = current_app.extensions[RUNTIME_KEY]
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        # Authentic (or sandbox) bytes Meta would deliver again for days: keep them.
        return _quarantined(runtime, raw, UNPARSABLE, type(exc).__name__, None)
    try:
        result = runtime.accept(payload)
    except Unstorable as exc:
        return _quarantined(runtime, raw, UNSTORABLE, exc.reason, exc.wa_id)
    except SQLAlchemyError as exc:
        if not is_permanent_data_error(exc):
            return _storage_unavailable(exc)
        # Only processing (inline mode) gets here: the body is stored, its turn was refused
        # and stays with the inbox (retried or failed there); Meta must not deliver it again.
        log.error("a webhook body was stored but its turn was refused (%s)", type(exc).__name__)
        return _json({"processing": "refused"})
    if result.cleaned:
        contact = next((c for c in result.contacts if c), None)
        answer = _quarantined(runtime, raw, CLEANED, ", ".join(result.cleaned), contact)
        if answer.status_code != 200:
            return answer
    return _json({"received": result.received, "stored": result.stored})


def _quarantined(
    runtime: Runtime, raw: bytes, reason: str, detail: str, wa_id: str | None
) -> Response:
    """Keep a body as received (unparsable, unstorable, or a cleaned one's original); answer 200.

    The log line names the reason and the row, never the body's values.
    """
    try:
        row = runtime.processor.quarantine(raw, reason, detail, wa_id)
    except SQLAlchemyError as exc:
        return _storage_unavailable(exc)
    if row is None:  # Meta delivered it again: kept the first time, logged then
        log.info("a webhook body kept before (%s) was delivered again; nothing new kept", reason)
        return _json({"quarantined": reason})
    kept = f"quarantine #{row}"
    if reason == UNPARSABLE:
        log.warning(
            "webhook body is not valid JSON (%s): kept as received in %s; see "
            "`waflow db quarantine`",
            detail,
            kept,
        )
    elif reason == UNSTORABLE:
        log.warning(
            "webhook body for %s not stored (%s): kept as received in %s; see "
            "`waflow db quarantine`",
            mask(wa_id),
            detail,
            kept,
        )
    else:
        log.warning(
            "webhook body for %s stored cleaned (%s): the original is in %s",
            mask(wa_id),
            detail,
            kept,
        )
    return _json({"quarantined": reason})


def _storage_unavailable(exc: SQLAlchemyError) -> Response:
    """Answer 500 to a database failure not caused by the data, so Meta delivers it again."""
    error = getattr(exc, "orig", None) or exc
    log.error(
        "webhook body not stored: the database failed (%s: %s), not because of the body; "
        "answering 500 so Meta delivers it again",
        type(error).__name__,
        database_reason(exc),
    )
    return _plain("Storage unavailable", 500)


@blueprint.get("/healthz")
def healthz() -> Response:
    """Liveness, database and backlog check (503 when the database does not answer)."""
    runtime: Runtime = current_app.extensions[RUNTIME_KEY]
    return health_answer(runtime.engine, runtime.clock)


__all__ = ["MAX_BODY_BYTES", "create_app"]
