"""What the shop keeps about a customer (its ``personal_data`` entry): orders, carts.

Orders, their lines and their history stay after an erasure, for the accounts, with the
customer replaced by the pseudonym and the delivery address, the shared location and the staff's
notes cleared; the cart is deleted. Handled payment events hold the provider's event id and an
order number only, no phone number or name.
"""

from __future__ import annotations

from flows.features._personal import PersonalTables, Rows
from flows.features.shop.models import CartLine, Order, OrderEvent, OrderLine

shop_data = PersonalTables(
    Rows(Order, keep=True, clear=("address", "latitude", "longitude", "location_name")),
    Rows(OrderLine, "order_id", via=Order, keep=True),
    Rows(OrderEvent, "order_id", via=Order, keep=True, clear=("note",)),
    Rows(CartLine),
)
"""The shop's tables about a customer."""

__all__ = ["shop_data"]
