"""Consent fixtures: the test bakery's bot as ``waflow run`` builds it, on a clock the tests move."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.client import CloudClient
from bot.config import Config
from bot.runtime import Runtime
from flows.features.business import BusinessConfig, parse_business
from tests.helpers import Clock
from tests.shop.shopkit import SHOP_FILE
from webhooks.bootstrap import make_runtime

NOW = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
CUSTOMER = "16505551234"  # the number of tests/payloads/inbound/user_preferences_*.json
SHOP_YAML = SHOP_FILE.read_text(encoding="utf-8")


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def business(request: pytest.FixtureRequest) -> BusinessConfig:
    """The test bakery; parametrized indirectly, with that YAML added to its file."""
    extra = getattr(request, "param", "")
    return parse_business(f"{SHOP_YAML}\n{extra}", "shop.yaml")


@pytest.fixture
def runtime(
    engine: Engine,
    cloud_client: CloudClient,
    sent: list[dict[str, Any]],
    config: Config,
    business: BusinessConfig,
    clock: Clock,
) -> Runtime:
    """The bakery's bot with every feature, inline, on the test clock."""
    return make_runtime(
        config, inline=True, engine=engine, client=cloud_client, business=business, clock=clock
    )
