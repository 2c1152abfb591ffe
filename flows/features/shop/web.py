"""The shop's HTTP edge: Stripe's payment webhook, ``POST /payments/stripe/webhook``.

It checks ``Stripe-Signature`` over the raw body (400 when it is missing, wrong or stale;
nothing is stored then) and applies the event in one transaction; a replayed event answers 200
and changes nothing. The route only translates HTTP into calls of :mod:`flows.features.shop.stripe`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import ConfigError
from flows.features.business import BusinessConfig
from flows.features.shop._errors import PaymentError, SignatureError
from flows.features.shop.stripe import SIGNATURE_HEADER, handle_event, parse_event, verify_signature
from storage.db import transaction
from storage.models import utcnow

log = logging.getLogger(__name__)


def shop_blueprint(
    engine: Engine,
    business: BusinessConfig,
    *,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], datetime] = utcnow,
    after_commit: Callable[[], None] | None = None,
) -> Blueprint:
    """Build the blueprint serving the payment webhook (the shop tables must exist:
    ``storage.db.create_schema``).

    The Stripe webhook secret (the variable the business file names) is read from ``environ``
    (``os.environ`` by default); ``clock`` bounds the signature's age; ``after_commit`` is
    called after a change queued messages (e.g. to wake the sender).
    """
    webhook_secret = ""
    if business.payments.stripe is not None:
        try:
            webhook_secret = business.payments.stripe.webhook_secret(environ)
        except ConfigError as exc:
            log.warning("Stripe webhook disabled: %s", exc)
    blueprint = Blueprint("waflow_shop", __name__)

    @blueprint.post("/payments/stripe/webhook")
    def stripe_webhook() -> ResponseReturnValue:
        if not webhook_secret:
            return {"error": "Stripe is not configured"}, 404
        raw = request.get_data(cache=False)
        now = clock()
        try:
            verify_signature(raw, request.headers.get(SIGNATURE_HEADER), webhook_secret, now=now)
            event = parse_event(raw)
        except SignatureError as exc:
            log.warning("refused a Stripe webhook: %s", exc)
            return {"error": str(exc)}, 400
        except PaymentError as exc:
            return {"error": str(exc)}, 400
        try:
            with transaction(engine) as session:
                result = handle_event(session, business, event, now)
        except SQLAlchemyError:
            log.exception("could not apply Stripe event %s; Stripe will retry", event.get("id"))
            return {"error": "storage unavailable"}, 500
        if result in ("paid", "expired") and after_commit is not None:
            after_commit()
        return {"received": True, "result": result}

    return blueprint


__all__ = ["shop_blueprint"]
