"""Shared fixtures: a database (SQLite and PostgreSQL), a mocked Graph API, the app, a client.

They build on one another the way Flask's own do: ``engine`` → ``runtime`` → ``app`` →
``client`` → ``post_webhook``. Tests that take ``engine`` run once per database; the PostgreSQL
run needs ``WAFLOW_TEST_POSTGRES_URL`` (``make test`` starts a throwaway server) and is skipped
without it, except under CI where a missing server is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from werkzeug.test import TestResponse

from bot.client import CloudClient, RetryPolicy
from bot.config import Config
from bot.runtime import Runtime
from bot.starter import StarterHandler
from storage.db import make_engine, reset_schema
from tests.helpers import PHONE_NUMBER_ID, PostWebhook
from webhooks.app import create_app
from webhooks.mockgraph import sent_reply
from webhooks.signature import sign

pytest_plugins = ["tests.console.consolekit"]  # the console's fixtures, for every feature's pages


def _postgres_url() -> str:
    url = os.environ.get("WAFLOW_TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: WAFLOW_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server (run the suite with `make test` to start one)")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL: a fresh SQLite file, or the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'waflow.db'}"
    return _postgres_url()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on an empty waflow schema."""
    engine = make_engine(db_url)
    reset_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def config() -> Config:
    """A live-mode configuration pointing at a fake Graph host (mocked by ``graph``)."""
    return Config(
        access_token="test-token-abcdef",
        phone_number_id=PHONE_NUMBER_ID,
        app_secret="test-app-secret",
        verify_token="verify-me",
        api_version="v23.0",
        api_base_url="https://graph.test",
        database_url="sqlite://",
    )


def unexpected_calls(mock: responses.RequestsMock) -> list[str]:
    """The requests that matched no registered answer (``METHOD url`` each).

    ``responses`` answers them with a ``ConnectionError``, which the Cloud API client turns into
    a retryable error that the code under test may well swallow (the sender reschedules the
    message), so a test would pass without noticing. Exceptions a test's own callback returns
    on purpose (a scripted timeout) matched a registered answer and are not listed.
    """
    expected = {id(call) for match in mock.registered() for call in match.calls}
    return [
        f"{call.request.method} {call.request.url}"
        for call in mock.calls
        if isinstance(call.response, BaseException) and id(call) not in expected
    ]


@pytest.fixture
def graph() -> Iterator[responses.RequestsMock]:
    """The Graph API, mocked: any request without a registered answer fails the test.

    The call itself raises; the fixture checks again at teardown, in case the code under test
    caught that error.
    """
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
        unexpected = unexpected_calls(mock)
    if unexpected:
        pytest.fail(f"unexpected Graph API calls (no registered answer): {unexpected}")


@pytest.fixture
def sent(graph: responses.RequestsMock, config: Config) -> list[dict[str, Any]]:
    """Register a successful send endpoint; returns the list of JSON bodies it received.

    It answers with the mock Cloud API's success body (:func:`webhooks.mockgraph.sent_reply`).
    """
    bodies: list[dict[str, Any]] = []
    counter = itertools.count(1)

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body)
        bodies.append(body)
        reply = sent_reply(str(body.get("to", "")), f"wamid.OUT{next(counter):04d}")
        return 200, {}, json.dumps(reply)

    graph.add_callback(responses.POST, config.messages_url, callback=answer)
    return bodies


@pytest.fixture
def cloud_client(config: Config) -> CloudClient:
    """A real Cloud API client that never sleeps (retries are counted, not waited)."""
    return CloudClient(config, retry=RetryPolicy(max_attempts=2), sleep=lambda _s: None)


@pytest.fixture
def runtime(engine: Engine, cloud_client: CloudClient, sent: list[dict[str, Any]]) -> Runtime:
    """An inline runtime with the starter handler, sending to the mocked Graph API."""
    return Runtime(engine=engine, handler=StarterHandler(), client=cloud_client, inline=True)


@pytest.fixture
def app(runtime: Runtime, config: Config) -> Flask:
    """The webhook app."""
    flask_app = create_app(runtime, app_secret=config.app_secret, verify_token=config.verify_token)
    flask_app.testing = True
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the webhook app."""
    return app.test_client()


@pytest.fixture
def post_webhook(client: FlaskClient, config: Config) -> PostWebhook:
    """POST a body to /webhook, signed with the app secret as Meta does.

    Call it with a dict (serialised the way Meta does, non-ASCII escaped) or raw bytes;
    ``secret=None`` leaves the signature out, ``signature=`` forces a header value.
    """

    def post(
        body: dict[str, Any] | bytes,
        *,
        secret: str | None = config.app_secret,
        signature: str | None = None,
    ) -> TestResponse:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        elif secret is not None:
            headers["X-Hub-Signature-256"] = sign(raw, secret)
        return client.post("/webhook", data=raw, headers=headers)

    return post
