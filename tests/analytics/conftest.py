"""Fixtures of the analytics tests: the test business and a seeded week (``seed.py``).

They build on the root ``engine`` fixture, so every test taking ``seeded`` runs on SQLite and
on PostgreSQL; importing the metrics registers the shop and survey tables before
``reset_schema`` creates them. The route tests use the console's fixtures (the example shop's
app with an owner and an agent), imported here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from flows.features.analytics.metrics import Period
from flows.features.business import BusinessConfig, load_business
from tests.analytics.seed import END, START, seed

BUSINESS_FILE = Path(__file__).parents[2] / "flows/features/business/fixtures/business.yaml"


@pytest.fixture
def business() -> BusinessConfig:
    """The shared test business (Europe/Madrid, EUR)."""
    return load_business(BUSINESS_FILE)


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """The database holding the seeded week."""
    seed(engine)
    return engine


@pytest.fixture
def week(business: BusinessConfig) -> Period:
    """The seeded week, Monday 2025-03-03 to Sunday 2025-03-09 in Madrid."""
    return Period.of(business, START, END)
