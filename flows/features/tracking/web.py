"""The order-status API: shop systems tell waflow that an order was shipped or delivered.

``POST /api/orders/<number>/status`` takes
``{"status": "shipped", "tracking_url": "https://…", "note": "…"}`` with
``Authorization: Bearer <WAFLOW_SHOP_API_TOKEN>`` (constant-time compare; 401 otherwise). The
route only translates HTTP into a call of
:func:`flows.features.shop.order_status.update_order_status`, which tells the customer.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from datetime import datetime

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.config import bearer_valid
from flows.features.business import BusinessConfig
from flows.features.shop import OrderNotFoundError, OrderStateError, update_order_status
from storage.db import transaction
from storage.models import utcnow

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "WAFLOW_SHOP_API_TOKEN"  # noqa: S105 (a variable name)


def tracking_blueprint(
    engine: Engine,
    business: BusinessConfig,
    *,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], datetime] = utcnow,
    after_commit: Callable[[], None] | None = None,
) -> Blueprint:
    """Build the blueprint serving the order-status API (the shop tables must exist:
    ``storage.db.create_schema``).

    ``WAFLOW_SHOP_API_TOKEN`` is read from ``environ`` (``os.environ`` by default);
    ``after_commit`` is called after a change queued messages (e.g. to wake the sender).
    """
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_VARIABLE, "").strip()
    if not token:
        log.warning("%s is not set: the order-status API refuses every request", TOKEN_VARIABLE)
    blueprint = Blueprint("waflow_tracking", __name__)

    @blueprint.post("/api/orders/<number>/status")
    def order_status(number: str) -> ResponseReturnValue:
        if not bearer_valid(request.headers.get("Authorization", ""), token):
            return {"error": "unauthorized"}, 401, {"WWW-Authenticate": "Bearer"}
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("status"), str):
            return {
                "error": 'send JSON like {"status": "shipped", "tracking_url": "https://…"}'
            }, 400
        tracking, note = body.get("tracking_url"), body.get("note")
        if not isinstance(tracking, str | None) or not isinstance(note, str | None):
            return {"error": "tracking_url and note must be strings"}, 400
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
            return {"error": "no such order"}, 404
        except OrderStateError as exc:
            return {"error": str(exc)}, 409
        except SQLAlchemyError:
            log.exception("could not update order %s", number)
            return {"error": "storage unavailable"}, 500
        if after_commit is not None:
            after_commit()
        return {**answer, "changed": change.changed, "notified": change.notified}

    return blueprint


__all__ = ["TOKEN_VARIABLE", "tracking_blueprint"]
