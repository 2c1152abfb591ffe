"""Broadcast fixtures: the test bakery with a ``broadcasts`` section, on a clock the tests move."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.client import CloudClient
from bot.config import Config
from bot.runtime import Runtime
from flows.features.business import BusinessConfig, parse_business
from tests.broadcasts.kit import NOW, shop_yaml
from tests.helpers import Clock
from webhooks.bootstrap import make_runtime


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def business(request: pytest.FixtureRequest) -> BusinessConfig:
    """The test bakery with broadcasts; parametrized indirectly with settings to change."""
    return parse_business(shop_yaml(**getattr(request, "param", {})), "shop.yaml")


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
