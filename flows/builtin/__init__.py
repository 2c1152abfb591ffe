"""Built-in business features: the business file, catalog, cart, orders, payments (and bookings).

This package only re-exports. The shop lives in :mod:`flows.builtin.business` (the business
file), ``catalog`` (browsing), ``cart``, ``orders`` (checkout and lookups), ``order_status``
(the life cycle), ``payments`` (the provider protocol, manual payments) and ``stripe``; its
tables are in :mod:`storage.commerce`. :func:`flows.builtin.hooks_shop.register_shop_hooks`
exposes it to YAML flows. Errors a customer may see derive from :class:`ShopError`.
"""

from __future__ import annotations

from flows.builtin._shop_errors import (
    CartError,
    OrderNotFoundError,
    OrderStateError,
    OutOfStockError,
    PaymentError,
    ShopError,
    SignatureError,
)
from flows.builtin.business import (
    BusinessConfig,
    BusinessConfigError,
    Catalog,
    Product,
    check_business,
    load_business,
    parse_business,
)
from flows.builtin.cart import (
    CartView,
    add_item,
    cart_from_catalog_order,
    clear_cart,
    parse_quantity,
    remove_item,
    set_quantity,
    view_cart,
)
from flows.builtin.order_status import StatusChange, expire_unpaid, mark_paid, update_order_status
from flows.builtin.orders import create_order, customer_orders, find_customer_order, quote
from flows.builtin.payments import (
    ManualProvider,
    PaymentProvider,
    PaymentStart,
    make_provider,
    start_payment,
)
from flows.builtin.stripe import StripeCheckout, handle_event, verify_signature

__all__ = [
    "BusinessConfig",
    "BusinessConfigError",
    "CartError",
    "CartView",
    "Catalog",
    "ManualProvider",
    "OrderNotFoundError",
    "OrderStateError",
    "OutOfStockError",
    "PaymentError",
    "PaymentProvider",
    "PaymentStart",
    "Product",
    "ShopError",
    "SignatureError",
    "StatusChange",
    "StripeCheckout",
    "add_item",
    "cart_from_catalog_order",
    "check_business",
    "clear_cart",
    "create_order",
    "customer_orders",
    "expire_unpaid",
    "find_customer_order",
    "handle_event",
    "load_business",
    "make_provider",
    "mark_paid",
    "parse_business",
    "parse_quantity",
    "quote",
    "remove_item",
    "set_quantity",
    "start_payment",
    "update_order_status",
    "verify_signature",
    "view_cart",
]
