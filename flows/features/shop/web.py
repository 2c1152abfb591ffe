"""The shop's HTTP edge: Stripe's payment webhook and an order-status API for shop systems.

``POST /payments/stripe/webhook`` checks ``Stripe-Signature`` over the raw body (400 when it is
missing, wrong or stale; nothing is stored then), and applies the event in one transaction; a
replayed event answers 200 and changes nothing. ``POST /api/orders/<number>/status`` takes
``{"status": "shipped", "tracking_url": "https://…", "note": "…"}`` with
``Authorization: Bearer <WAFLOW_SHOP_API_TOKEN>`` (constant-time compare; 401 otherwise). The
routes only translate HTTP into calls of :mod:`flows.features.shop.stripe` and
:mod:`flows.features.shop.order_status`.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, request
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

import flows.features.shop.models  # noqa: F401  (registers the shop tables)
from bot.errors import ConfigError
from flows.features.business import BusinessConfig
from flows.features.shop._errors import (
    OrderNotFoundError,
    OrderStateError,
    PaymentError,
    SignatureError,
)
from flows.features.shop.order_status import update_order_status
from flows.features.shop.stripe import SIGNATURE_HEADER, handle_event, parse_event, verify_signature
from storage.db import transaction
from storage.models import utcnow

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "WAFLOW_SHOP_API_TOKEN"  # noqa: S105 (a variable name)


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def shop_blueprint(
    engine: Engine,
    business: BusinessConfig,
    *,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], datetime] = utcnow,
    after_commit: Callable[[], None] | None = None,
    name: str = "waflow_shop",
) -> Blueprint:
    """Build the blueprint serving the payment webhook and the order-status API.

    Args:
        engine: The database (the shop tables must exist: ``storage.db.create_schema``).
        business: The business configuration.
        environ: Where ``WAFLOW_SHOP_API_TOKEN`` and the Stripe webhook secret (the variable
            named in the business file) are read; ``os.environ`` by default.
        clock: The current time (tests inject one; it bounds the signature's age).
        after_commit: Called after a change queued messages (e.g. to wake the sender).
        name: The blueprint's name.

    Returns:
        The blueprint; register it on the app with ``app.register_blueprint(...)``.
    """
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_VARIABLE, "").strip()
    if not token:
        log.warning("%s is not set: the order-status API refuses every request", TOKEN_VARIABLE)
    webhook_secret = ""
    if business.payments.stripe is not None:
        try:
            webhook_secret = business.payments.stripe.webhook_secret(env)
        except ConfigError as exc:
            log.warning("Stripe webhook disabled: %s", exc)
    blueprint = Blueprint(name, __name__)

    def done() -> None:
        if after_commit is not None:
            after_commit()

    @blueprint.post("/payments/stripe/webhook")
    def stripe_webhook() -> Response:
        if not webhook_secret:
            return _json({"error": "Stripe is not configured"}, 404)
        raw = request.get_data(cache=False)
        now = clock()
        try:
            verify_signature(raw, request.headers.get(SIGNATURE_HEADER), webhook_secret, now=now)
            event = parse_event(raw)
        except SignatureError as exc:
            log.warning("refused a Stripe webhook: %s", exc)
            return _json({"error": str(exc)}, 400)
        except PaymentError as exc:
            return _json({"error": str(exc)}, 400)
        try:
            with transaction(engine) as session:
                result = handle_event(session, business, event, now)
        except SQLAlchemyError:
            log.exception("could not apply Stripe event %s; Stripe will retry", event.get("id"))
            return _json({"error": "storage unavailable"}, 500)
        if result in ("paid", "expired"):
            done()
        return _json({"received": True, "result": result})

    @blueprint.post("/api/orders/<number>/status")
    def order_status(number: str) -> Response:
        given = request.headers.get("Authorization", "")
        scheme, _, credential = given.partition(" ")
        if (
            not token
            or scheme.lower() != "bearer"
            or not hmac.compare_digest(credential.strip().encode(), token.encode())
        ):
            response = _json({"error": "unauthorized"}, 401)
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("status"), str):
            return _json(
                {"error": 'send JSON like {"status": "shipped", "tracking_url": "https://…"}'}, 400
            )
        tracking, note = body.get("tracking_url"), body.get("note")
        if not isinstance(tracking, str | None) or not isinstance(note, str | None):
            return _json({"error": "tracking_url and note must be strings"}, 400)
        try:
            with transaction(engine) as session:
                change = update_order_status(
                    session,
                    business,
                    number,
                    body["status"],
                    now=clock(),
                    tracking_url=tracking,
                    note=note,
                    actor="api",
                )
                answer = {"number": change.order.number, "status": change.order.status}
        except OrderNotFoundError:
            return _json({"error": "no such order"}, 404)
        except OrderStateError as exc:
            return _json({"error": str(exc)}, 409)
        except SQLAlchemyError:
            log.exception("could not update order %s", number)
            return _json({"error": "storage unavailable"}, 500)
        done()
        return _json({**answer, "changed": change.changed, "notified": change.notified})

    return blueprint


__all__ = ["TOKEN_VARIABLE", "shop_blueprint"]
