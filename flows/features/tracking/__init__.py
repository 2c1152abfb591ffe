"""Order tracking: customers follow their orders, shop systems report shipping and delivery.

This package registers the tracking feature (:class:`TrackingFeature`): the ``track_order`` flow,
its ``orders.*`` hooks (``hooks``) and the order-status API (``web``). It builds on the shop: the
order life cycle itself is :mod:`flows.features.shop.order_status`, since payments move orders
through it too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flows.features._feature import Feature, WebContext

if TYPE_CHECKING:
    from flask import Blueprint

    from flows import Hooks
    from flows.features.business import BusinessConfig


class TrackingFeature(Feature):
    """The ``track_order`` flow and ``POST /api/orders/<number>/status``."""

    name = "tracking"
    flows_dir = Path(__file__).parent / "flows"

    def register_hooks(self, hooks: Hooks, business: BusinessConfig) -> None:
        """Register the ``orders.*`` hooks."""
        from flows.features.tracking.hooks import register_tracking_hooks

        register_tracking_hooks(hooks, business)

    def blueprint(self, ctx: WebContext) -> Blueprint:
        """``POST /api/orders/<number>/status``."""
        from flows.features.tracking.web import tracking_blueprint

        return tracking_blueprint(
            ctx.engine, ctx.business, environ=ctx.environ, after_commit=ctx.after_commit
        )


__all__ = ["TrackingFeature"]
