"""The shop: catalog, cart, checkout, stock and payments.

This package re-exports the shop's public names and registers it as a feature
(:class:`ShopFeature`); docs/architecture.md maps its modules. Errors a customer may see derive
from :class:`ShopError`.
"""

from __future__ import annotations

from pathlib import Path

from flows.features._feature import ConsoleLink, Feature
from flows.features.shop._errors import (
    CartError,
    InputError,
    OrderNotFoundError,
    OrderStateError,
    OutOfStockError,
    PaymentError,
    ShopError,
    SignatureError,
)
from flows.features.shop.cart import (
    CartView,
    add_item,
    clear_cart,
    parse_quantity,
    remove_item,
    set_quantity,
    view_cart,
)
from flows.features.shop.catalog_orders import cart_from_catalog_order
from flows.features.shop.order_status import (
    StatusChange,
    expire_unpaid,
    mark_paid,
    update_order_status,
)
from flows.features.shop.orders import create_order, customer_orders, find_customer_order, quote
from flows.features.shop.payments import (
    ManualProvider,
    PaymentProvider,
    PaymentStart,
    make_provider,
    start_payment,
)
from flows.features.shop.stripe import StripeCheckout, handle_event, verify_signature


class ShopFeature(Feature):
    """Catalog, cart, checkout, stock and payments.

    It brings the ``purchase`` flow, ``waflow orders``, the Stripe webhook, WhatsApp
    catalog orders and the console's orders and stock pages.
    """

    name = "shop"
    personal_data = "flows.features.shop.personal:shop_data"
    flows_dir = Path(__file__).parent / "flows"
    hook_registrar = "flows.features.shop.hooks:register_shop_hooks"
    periodic_task = "flows.features.shop.payments:payment_task"
    handler_wrapper = "flows.features.shop.catalog_orders:CatalogOrders"
    command_group = "flows.features.shop.cli:orders"
    blueprint_factory = "flows.features.shop.web:shop_blueprint"
    console_factory = "flows.features.shop.web:shop_console"
    console_links = (
        ConsoleLink("Orders", "waflow_shop_console.orders", owner_only=True, rank=20),
        ConsoleLink("Stock", "waflow_shop_console.stock", owner_only=True, rank=21),
    )


__all__ = [
    "CartError",
    "CartView",
    "InputError",
    "ManualProvider",
    "OrderNotFoundError",
    "OrderStateError",
    "OutOfStockError",
    "PaymentError",
    "PaymentProvider",
    "PaymentStart",
    "ShopError",
    "ShopFeature",
    "SignatureError",
    "StatusChange",
    "StripeCheckout",
    "add_item",
    "cart_from_catalog_order",
    "clear_cart",
    "create_order",
    "customer_orders",
    "expire_unpaid",
    "find_customer_order",
    "handle_event",
    "make_provider",
    "mark_paid",
    "parse_quantity",
    "quote",
    "remove_item",
    "set_quantity",
    "start_payment",
    "update_order_status",
    "verify_signature",
    "view_cart",
]
