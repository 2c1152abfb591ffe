"""Console fixtures (a plugin of ``tests/conftest.py``, so every test folder has them): the
example shop's app with an owner and an agent, a logged-in client, the simulator's database."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from bot.config import Config
from flows.features.console import accounts, add_staff
from storage.db import reset_schema, transaction
from webhooks.bootstrap import load_business_config, make_app, make_runtime

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop_bot"

# Argon2 at its lightest for the suite: hundreds of tests make staff accounts and log in, and
# the production cost (tens of milliseconds each, on purpose) would be most of their time.
# What is tested (hashing, verifying, rehashing, locking) does not depend on the cost.
accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
OWNER = ("owner@bakery.test", "owner password 1")
AGENT = ("agent@bakery.test", "agent password 1")

Login = Callable[[str], FlaskClient]


@pytest.fixture
def simulator_url(tmp_path: Path) -> str:
    """The database of the simulator of :func:`shop_app` (a SQLite file in ``tmp_path``)."""
    return f"sqlite:///{tmp_path / 'simulator.db'}"


@pytest.fixture
def shop_app(db_url: str, simulator_url: str) -> Iterator[Flask]:
    """The example shop's app (sandbox, inline) on each database, with two staff accounts."""
    environ = {
        "WAFLOW_SIMULATOR_DATABASE_URL": simulator_url,
        "WAFLOW_BUSINESS": str(SHOP / "business.yaml"),
        "WAFLOW_FLOWS": str(SHOP / "flows"),
        "WAFLOW_HOOKS": str(SHOP / "hooks.py"),
        "DATABASE_URL": db_url,
    }
    config = Config.from_env(environ, dotenv=None)
    business = load_business_config(config)
    runtime = make_runtime(config, business=business, inline=True)
    reset_schema(runtime.engine)
    with transaction(runtime.engine) as session:
        add_staff(session, OWNER[0], "owner", OWNER[1])
        add_staff(session, AGENT[0], "agent", AGENT[1])
    app = make_app(runtime, config, business)
    app.extensions["waflow.test.engine"] = runtime.engine
    yield app
    runtime.engine.dispose()


@pytest.fixture
def shop_engine(shop_app: Flask) -> Engine:
    """The database of :func:`shop_app`."""
    engine: Engine = shop_app.extensions["waflow.test.engine"]
    return engine


def csrf_of(client: FlaskClient, path: str = "/console/login") -> str:
    """A CSRF token from a console form."""
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None, page[:500]
    return found.group(1)


@pytest.fixture
def logged_in(shop_app: Flask) -> Login:
    """``logged_in("owner" | "agent")``: a test client with a live console session."""

    def log_in(role: str) -> FlaskClient:
        email, password = OWNER if role == "owner" else AGENT
        client = shop_app.test_client()
        token = csrf_of(client)
        answer = client.post(
            "/console/login", data={"email": email, "password": password, "csrf_token": token}
        )
        assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
        return client

    return log_in
