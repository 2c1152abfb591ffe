"""Built-in business features: configuration, catalog, cart, orders, payments (and bookings).

This package only re-exports. The shop half lives in :mod:`flows.builtin.business` (the
business file), ``catalog``, ``cart``, ``orders``, ``payments`` and ``stripe``; the flow hooks
that expose them to YAML flows are registered by :func:`flows.builtin.hooks_shop.register`.
"""

from __future__ import annotations

from flows.builtin.business import (
    BusinessConfig,
    BusinessConfigError,
    Catalog,
    Product,
    check_business,
    load_business,
    parse_business,
)

__all__ = [
    "BusinessConfig",
    "BusinessConfigError",
    "Catalog",
    "Product",
    "check_business",
    "load_business",
    "parse_business",
]
