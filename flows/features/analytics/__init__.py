"""Analytics (:class:`AnalyticsFeature`): how the shop is doing, on the staff console.

The modules are ``metrics`` (the queries: messages, customers, flow funnels, conversion,
revenue, ads, NPS, staff response times, delivery and read rates, over a period of the shop's
local days) and ``web`` (the owners' dashboard, its chart data and CSV exports). It reads the
other features' tables and writes none; the history funnels are counted from is the runtime's
:class:`~storage.models.FlowStep`, written by the flow engine.
"""

from __future__ import annotations

from flows.features._feature import ConsoleLink, Feature


class AnalyticsFeature(Feature):
    """The owners' analytics dashboard on the staff console (``/console/analytics``)."""

    name = "analytics"
    console_factory = "flows.features.analytics.web:analytics_console"
    console_links = (
        ConsoleLink("Analytics", "waflow_analytics.dashboard", owner_only=True, rank=80),
    )


__all__ = ["AnalyticsFeature"]
