"""The shop's public names: what ``flows.builtin`` exports and which hook names flows can use."""

from __future__ import annotations

import flows.builtin
from flows.builtin.business import BusinessConfig
from flows.builtin.hooks_shop import shop_hooks


def test_flows_builtin_exports() -> None:
    assert sorted(flows.builtin.__all__) == [
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
    for name in flows.builtin.__all__:
        assert getattr(flows.builtin, name) is not None


def test_shop_hook_names(business: BusinessConfig) -> None:
    hooks = shop_hooks(business)
    assert sorted(hooks.names("action")) == [
        "cart.add",
        "cart.change",
        "cart.clear",
        "cart.lines",
        "cart.read_line",
        "cart.view",
        "checkout.create_order",
        "checkout.options",
        "checkout.quote",
        "orders.lookup",
        "orders.mine",
        "payments.start",
        "shop.categories",
        "shop.entry",
        "shop.product",
        "shop.products",
        "shop.read_category",
        "shop.read_product",
    ]
    assert sorted(hooks.names("validator")) == [
        "cart.valid_line",
        "cart.valid_new_quantity",
        "cart.valid_quantity",
        "shop.valid_category",
        "shop.valid_product",
    ]
