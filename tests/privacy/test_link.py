"""With ``privacy.public_url``, "my data" is answered with the data itself: a JSON document
whose random link works for an hour (ten minutes once fetched), without a login, for that
customer only; the request log does not show its token."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features.business import BusinessConfig, BusinessConfigError, parse_business
from flows.features.privacy import PrivacyRequest, erase_customer
from flows.features.privacy import web as privacy_web
from storage.db import read_session, transaction
from storage.models import utcnow
from tests.console.consolekit import SHOP
from tests.helpers import Clock, PostWebhook
from tests.privacy.conftest import ANA, BEN, say

PUBLIC = "https://miga.example"


@pytest.fixture
def clock() -> Clock:
    """The wall clock's time: the link's page reads the wall clock, as in production."""
    return Clock(utcnow())


@pytest.fixture
def business() -> BusinessConfig:
    """The example shop, reachable at ``PUBLIC``."""
    text = (SHOP / "business.yaml").read_text(encoding="utf-8")
    return parse_business(f"{text}  public_url: {PUBLIC}/\n", "business.yaml")


def asked(post: PostWebhook, clock: Clock, sent: list[dict[str, Any]]) -> str:
    """Ana asks for her data: the path of the link she is sent."""
    say(post, clock, ANA, "meus dados")
    document = sent[-1]
    assert document["to"] == ANA.wa_id
    assert document["type"] == "document"
    assert document["document"]["filename"] == "my-data.json"
    assert "the link works for an hour" in document["document"]["caption"]
    link: str = document["document"]["link"]
    assert link.startswith(f"{PUBLIC}/privacy/data/")
    return link.removeprefix(PUBLIC)


def test_the_link_serves_her_data_and_nobody_elses(
    app: Flask, post_webhook: PostWebhook, clock: Clock, sent: list[dict[str, Any]], engine: Engine
) -> None:
    say(post_webhook, clock, BEN, "hi")
    path = asked(post_webhook, clock, sent)
    with read_session(engine) as session:
        [request] = session.exec(select(PrivacyRequest)).all()
        assert request.state == "sent"
        assert request.link_hash is not None
        assert path.rsplit("/", 1)[1] not in request.link_hash  # only its hash is kept

    answer = app.test_client().get(path)

    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    assert answer.headers["Cache-Control"] == "no-store"
    document = json.loads(answer.get_data(as_text=True))
    assert document["customer"] == ANA.wa_id
    assert BEN.wa_id not in answer.get_data(as_text=True)
    with read_session(engine) as session:
        assert session.exec(select(PrivacyRequest)).one().state == "done"
    assert app.test_client().get(path).status_code == 200  # Meta may fetch it again


def test_the_link_stops_working_after_an_hour(
    app: Flask, post_webhook: PostWebhook, clock: Clock, sent: list[dict[str, Any]], engine: Engine
) -> None:
    path = asked(post_webhook, clock, sent)
    with transaction(engine) as session:
        request = session.exec(select(PrivacyRequest)).one()
        assert request.link_expires_at == request.requested_at + timedelta(hours=1)
        request.link_expires_at = utcnow() - timedelta(seconds=1)  # an hour has passed
        session.add(request)
    answer = app.test_client().get(path)
    assert answer.status_code == 404
    assert "does not work" in answer.get_data(as_text=True)


def test_once_fetched_the_link_works_ten_minutes_more(
    app: Flask,
    post_webhook: PostWebhook,
    clock: Clock,
    sent: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = asked(post_webhook, clock, sent)
    first = clock.now + timedelta(minutes=5)
    for after, status in ((0, 200), (9, 200), (10, 404), (30, 404)):
        monkeypatch.setattr(
            privacy_web, "utcnow", lambda after=after: first + timedelta(minutes=after)
        )
        assert app.test_client().get(path).status_code == status, after


def test_the_request_log_shows_the_link_without_its_token(
    app: Flask,
    post_webhook: PostWebhook,
    clock: Clock,
    sent: list[dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = asked(post_webhook, clock, sent)
    token = path.rsplit("/", 1)[1]
    with caplog.at_level(logging.INFO, logger="werkzeug"):  # as the development server logs
        logging.getLogger("werkzeug").info(
            '127.0.0.1 - - [10/Mar/2026 09:00:00] "%s" %s %s', f"GET {path} HTTP/1.1", "200", "-"
        )
        logging.getLogger("werkzeug").info("%s %s", "GET /webhook?x=1", 200)
    assert token not in caplog.text
    assert '"GET /privacy/data/… HTTP/1.1" 200 -' in caplog.text
    assert "GET /webhook?x=1 200" in caplog.text


@pytest.mark.parametrize("token", ["x", "A" * 43, "A" * 500, "%00", "..%2F..%2Fetc"])
def test_a_made_up_token_is_a_404(
    app: Flask, post_webhook: PostWebhook, clock: Clock, sent: list[dict[str, Any]], token: str
) -> None:
    asked(post_webhook, clock, sent)
    assert app.test_client().get(f"/privacy/data/{token}").status_code == 404


def test_after_an_erasure_the_link_is_dead(
    app: Flask,
    post_webhook: PostWebhook,
    clock: Clock,
    sent: list[dict[str, Any]],
    engine: Engine,
    business: BusinessConfig,
) -> None:
    path = asked(post_webhook, clock, sent)
    with transaction(engine) as session:
        erase_customer(session, ANA.wa_id, clock.now, business)
    assert app.test_client().get(path).status_code == 404


def test_a_public_url_must_be_https() -> None:
    text = (SHOP / "business.yaml").read_text(encoding="utf-8")
    with pytest.raises(BusinessConfigError, match="'public_url' must be an https:// address"):
        parse_business(f"{text}  public_url: http://miga.example\n", "business.yaml")
