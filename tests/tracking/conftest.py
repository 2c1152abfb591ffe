"""Tracking fixtures: the shop tests' bakery, its orders and Stripe's mocked API."""

from __future__ import annotations

from tests.shop.conftest import business, place_order, stripe_api

__all__ = ["business", "place_order", "stripe_api"]
