"""Order tracking: the customer asks where their orders are (the ``track_order`` flow).

This package registers the tracking feature (:class:`Tracking`). It builds on the shop: the
order life cycle and its API live in :mod:`flows.features.shop.order_status` and
:mod:`flows.features.shop.web`, because payments move orders through it too.
"""

from __future__ import annotations

from pathlib import Path

from flows.features._feature import Feature


class Tracking(Feature):
    """The ``track_order`` flow (its ``orders.*`` hooks come with the shop's)."""

    name = "tracking"
    flows_dir = Path(__file__).parent / "flows"


__all__ = ["Tracking"]
