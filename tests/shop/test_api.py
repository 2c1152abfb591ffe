"""The shop's public names: what ``flows.features.shop`` and ``flows.features.business`` export,
and which hook names flows can use."""

from __future__ import annotations

import flows.features
import flows.features.business
import flows.features.shop
from flows import Hooks
from flows.features.business import BusinessConfig
from flows.features.shop.hooks import register_shop_hooks
from flows.features.tracking.hooks import register_tracking_hooks


def test_shop_exports() -> None:
    assert sorted(flows.features.shop.__all__) == [
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
    for name in flows.features.shop.__all__:
        assert getattr(flows.features.shop, name) is not None


def test_business_exports() -> None:
    assert sorted(flows.features.business.__all__) == [
        "BookingSettings",
        "BusinessConfig",
        "BusinessConfigError",
        "BusinessContact",
        "BusinessFeature",
        "BusinessInfo",
        "Catalog",
        "Category",
        "Delivery",
        "DigitalDelivery",
        "HandoffSettings",
        "OpeningHours",
        "PAGE_PREFIX",
        "PAGE_ROWS",
        "Page",
        "Payments",
        "Product",
        "ProductKind",
        "ProviderName",
        "SectionCheck",
        "SectionReader",
        "Service",
        "StripeSettings",
        "TEMPLATE_PARAMS",
        "TemplateRef",
        "Templates",
        "TimeRange",
        "WEEKDAYS",
        "check_business",
        "format_money",
        "list_page",
        "load_business",
        "on_section",
        "paginate",
        "parse_business",
        "settings_reader",
        "shorten",
    ]
    for name in flows.features.business.__all__:
        assert getattr(flows.features.business, name) is not None


def test_features_registry() -> None:
    names = [feature.name for feature in flows.features.BUILTIN]
    assert names == [
        "business",
        "languages",
        "shop",
        "tracking",
        "booking",
        "surveys",
        "handoff",
        "console",
        "analytics",
        "customers",
        "privacy",
        "consent",
        "broadcasts",
    ]


def test_shop_hook_names(business: BusinessConfig) -> None:
    hooks = register_tracking_hooks(register_shop_hooks(Hooks(), business), business)
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
        "checkout.valid_address",
        "checkout.valid_pickup",
        "shop.valid_category",
        "shop.valid_product",
    ]
