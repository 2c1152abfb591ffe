"""Order tracking: customers follow their orders, shop systems report shipping and delivery.

This package registers the tracking feature (:class:`TrackingFeature`): the ``track_order`` flow,
its ``orders.*`` hooks (``hooks``) and the order-status API (``web``). It builds on the shop: the
order life cycle itself is :mod:`flows.features.shop.order_status`, since payments move orders
through it too.
"""

from __future__ import annotations

from pathlib import Path

from flows.features._feature import Feature


class TrackingFeature(Feature):
    """The ``track_order`` flow and ``POST /api/orders/<number>/status``."""

    name = "tracking"
    flows_dir = Path(__file__).parent / "flows"
    hook_registrar = "flows.features.tracking.hooks:register_tracking_hooks"
    blueprint_factory = "flows.features.tracking.web:tracking_blueprint"


__all__ = ["TrackingFeature"]
