"""Customers (:class:`CustomersFeature`): the console's customer list and profiles.

The modules are ``profiles`` (the queries: finding contacts, and one contact's orders, bookings
and survey answers, read through the shop, booking and survey features' public functions and
tables), ``web`` (the owners' pages), ``tags`` (the :class:`~.tags.CustomerTag` table: labels
staff put on customers to pick a broadcast's audience) and ``cli`` (``waflow customers tag`` and
``untag``). It sits above those features.
"""

from __future__ import annotations

from flows.features._feature import ConsoleLink, Feature
from flows.features.customers.tags import CustomerTag


class CustomersFeature(Feature):
    """The console's ``/console/customers``: search customers, open one's profile."""

    name = "customers"
    command_group = "flows.features.customers.cli:customers"
    personal_data = "flows.features.customers.personal:customer_data"
    console_factory = "flows.features.customers.web:customer_pages"
    console_links = (
        ConsoleLink("Customers", "waflow_customers_console.customers", owner_only=True, rank=30),
    )


__all__ = ["CustomerTag", "CustomersFeature"]
