"""Events one feature announces and others act on, so that no feature imports another.

The feature that owns an event announces it (the shop calls :func:`order_delivered` when an
order is delivered); a feature that acts on it registers a listener when its package is
imported (the surveys feature invites the customer to its ``after_delivery`` surveys), the way
Django's signals work. Listeners run in the announcer's transaction, in registration order, and
should catch their own errors when a failure must not undo the announcer's change. (blinker,
installed with Flask, does the same, but its receivers take untyped keyword arguments.)
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
    """Call ``listener`` whenever an order is delivered (once, however often it is registered).

    Returns:
        ``listener``, so this can decorate it.
    """
    if listener not in _order_delivered:
        _order_delivered.append(listener)
    return listener


def order_delivered(
    session: Session, business: BusinessConfig, wa_id: str, order_number: str, now: datetime
) -> None:
    """Tell every listener that order ``order_number`` of ``wa_id`` was delivered.

    Args:
        session: The open transaction (the one that marks the order delivered).
        business: The business file.
        wa_id: The customer.
        order_number: The order.
        now: The current time.
    """
    for listener in tuple(_order_delivered):
        listener(session, business, wa_id, order_number, now)


__all__ = ["OrderDelivered", "on_order_delivered", "order_delivered"]
