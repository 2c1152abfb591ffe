"""Events one feature announces and others act on, so that no feature imports another.

The owner of an event announces it (the shop calls :func:`order_delivered`); a feature acting on
it registers a listener when its package is imported, as Django's signals do. Listeners run in
the announcer's transaction, in registration order, and catch their own errors when a failure
must not undo the announcer's change. (blinker, installed with Flask, does this too, but untyped.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from flows.features.business._model import BusinessConfig

OrderDelivered = Callable[["Session", "BusinessConfig", str, str, datetime], object]
"""A listener of :func:`order_delivered`: ``(session, business, wa_id, order_number, now)``."""

_order_delivered: list[OrderDelivered] = []


def on_order_delivered(listener: OrderDelivered) -> OrderDelivered:
    """Call ``listener`` whenever an order is delivered (once, however often it is registered)."""
    if listener not in _order_delivered:
        _order_delivered.append(listener)
    return listener


def order_delivered(
    session: Session, business: BusinessConfig, wa_id: str, order_number: str, now: datetime
) -> None:
    """Tell every listener that order ``order_number`` of customer ``wa_id`` was delivered."""
    for listener in tuple(_order_delivered):
        listener(session, business, wa_id, order_number, now)


__all__ = ["OrderDelivered", "on_order_delivered", "order_delivered"]
